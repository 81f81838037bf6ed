import type Stripe from 'stripe';
import { customerSessionSecret, type EmbedComponent } from './customer-session';
import { describeError, type Logger } from '../log';
import type { Store } from '../store';
import { isMissingCustomer } from '../stripe/errors';
import type { Viewer } from '../subscriptions/viewer';

/** What an embed (Pricing Table / Buy Button) learns about the visitor. */
export type EmbedIdentity =
  /** A bound visitor: purchases reuse their Customer (`customer-session-client-secret`). */
  | { kind: 'customer-session'; clientSecret: string }
  /** An unbound visitor who declared an e-mail: Stripe prefills and locks it (`customer-email`). */
  | { kind: 'declared'; email: string }
  /** Nothing declared: a purchase binds nothing; My Page falls back to Stripe's e-mail login. */
  | { kind: 'anonymous' };

/**
 * Works out the embed's attributes for this visitor. A Customer Session costs one Stripe call per
 * view of a bound visitor; if Stripe fails, the embed still renders (as for a new customer) and
 * the failure is logged. A customer deleted in Stripe is forgotten.
 */
export async function embedIdentity(
  deps: { stripe: Stripe | undefined; store: Store; log: Logger },
  viewer: Viewer,
  component: EmbedComponent,
): Promise<EmbedIdentity> {
  if (viewer.customerId && deps.stripe) {
    try {
      return {
        kind: 'customer-session',
        clientSecret: await customerSessionSecret(deps.stripe, viewer.customerId, component),
      };
    } catch (error) {
      if (isMissingCustomer(error)) await deps.store.dropCustomer(viewer.customerId);
      else deps.log.error({ msg: 'storefront: customer session failed', error: describeError(error) });
    }
  }
  const email = viewer.visitorId ? await deps.store.getDeclaredEmail(viewer.visitorId) : null;
  return email ? { kind: 'declared', email } : { kind: 'anonymous' };
}
