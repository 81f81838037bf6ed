import type Stripe from 'stripe';
import { customerSessionSecret, type CustomerSessions, type EmbedComponent } from './customer-session.ts';
import type { DeclaredEmails } from './declared-emails.ts';
import { describeError, type Logger } from '../log/log.ts';
import { isMissingCustomer } from '../stripe/errors.ts';
import { forgetCustomerIfDeleted, type ForgetCustomer } from '../subscriptions/customer.ts';
import type { Viewer } from '../subscriptions/viewer.ts';

/** What an embed (Pricing Table / Buy Button) learns about the visitor. */
export type EmbedIdentity =
  /** A bound visitor: purchases reuse their Customer (`customer-session-client-secret`). */
  | { kind: 'customer-session'; clientSecret: string }
  /** An unbound visitor who declared an e-mail: Stripe prefills and locks it (`customer-email`). */
  | { kind: 'declared'; email: string }
  /** Nothing declared: a purchase binds nothing until the buyer signs in with the e-mail link. */
  | { kind: 'anonymous' };

/**
 * Works out the embed's attributes for this visitor. A bound visitor gets ONE Customer Session for
 * its 30-minute life, kept in D1 and reused by every view (a page view must not cost a Stripe
 * write each); if Stripe fails, the embed still renders (as for a new customer) and the failure is
 * logged. A customer Stripe says was deleted is forgotten.
 */
export async function embedIdentity(
  /** `stripe` undefined: no new Customer Session (a HEAD, or over the rate limit). */
  deps: {
    stripe: Stripe | undefined;
    customerSessions: CustomerSessions;
    declaredEmails: DeclaredEmails;
    forgetCustomer: ForgetCustomer;
    log: Logger;
  },
  viewer: Viewer,
  component: EmbedComponent,
): Promise<EmbedIdentity> {
  const { stripe, customerSessions } = deps;
  if (viewer.customerId && viewer.visitorRef) {
    const kept = await customerSessions.get(viewer.visitorRef, component, viewer.customerId);
    if (kept) return { kind: 'customer-session', clientSecret: kept };
  }
  if (viewer.customerId && viewer.visitorRef && stripe) {
    try {
      const session = await customerSessionSecret(stripe, viewer.customerId, component);
      await customerSessions.put(viewer.visitorRef, component, {
        customerId: viewer.customerId,
        clientSecret: session.clientSecret,
        expiresAtMs: session.expiresAt * 1000,
      });
      return { kind: 'customer-session', clientSecret: session.clientSecret };
    } catch (error) {
      if (isMissingCustomer(error)) {
        try {
          await forgetCustomerIfDeleted({ stripe, forgetCustomer: deps.forgetCustomer }, viewer.customerId, error);
        } catch (unexplained) {
          deps.log.error({ msg: 'storefront: customer missing in Stripe', error: describeError(unexplained) });
        }
      } else deps.log.error({ msg: 'storefront: customer session failed', error: describeError(error) });
    }
  }
  const email = viewer.visitorRef ? await deps.declaredEmails.get(viewer.visitorRef) : null;
  return email ? { kind: 'declared', email } : { kind: 'anonymous' };
}
