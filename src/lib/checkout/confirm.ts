import type Stripe from 'stripe';
import type { Logger } from '../log/log.ts';
import { bindIfOwner, customerIdOf, type OwnershipTables } from './ownership.ts';
import { isStripeId } from '../stripe/ids.ts';
import { syncCustomer, type SyncDeps } from '../subscriptions/sync.ts';
import type { Language } from '../language/languages.ts';
import { productText } from '../stripe/catalog.ts';
import type { Delivery } from '../subscriptions/delivery.ts';

/** The session id if it looks like a Checkout Session id; anything else is never sent to Stripe. */
export function parseSessionId(value: string | null): string | undefined {
  return value !== null && isStripeId('checkoutSession', value) ? value : undefined;
}

export type ThanksResult =
  /** Not this browser's session, not complete, or not found: a page that reveals nothing. */
  | { kind: 'neutral' }
  | {
      kind: 'confirmed';
      /** paid: started; unpaid: a delayed method (bank debit) is processing; trial: trialing now. */
      state: 'started' | 'processing' | 'trial';
      planName: string | null;
      trialEnd: number | null;
      /** False when the ownership rule did not bind this browser (no or another declared e-mail). */
      bound: boolean;
      /** Where the beans go, as Stripe holds it: only for the browser the session was bound to. */
      delivery: Delivery | null;
    };

interface ConfirmInput extends OwnershipTables, SyncDeps {
  stripe: Stripe;
  log: Logger;
  sessionId: string;
  visitorRef: string;
  /** Embeds start sessions this site never saw; without them only recorded sessions are looked up. */
  embedsEnabled: boolean;
  /** REQUIRE_VERIFIED_EMAIL: only a sign-in link binds. */
  requireVerifiedEmail: boolean;
  /** The page's language, and the one product names are entered in (SHOP_LANGUAGE). */
  lang: Language;
  shopLanguage: Language;
}

/**
 * Confirms a finished Checkout for this browser. Only a session this browser started (recorded at
 * POST /checkout), or with an embed any session, is asked of Stripe; it binds the browser under the
 * ownership rule and syncs the subscription before the page renders. Stripe and D1 errors propagate.
 */
export async function confirmCheckout(input: ConfirmInput): Promise<ThanksResult> {
  const { stripe, log, sessionId, visitorRef, embedsEnabled, requireVerifiedEmail, lang, shopLanguage } = input;
  const pending = await input.pendingCheckouts.get(sessionId);
  if (pending ? pending.visitorRef !== visitorRef : !embedsEnabled) return { kind: 'neutral' };

  const session = await stripe.checkout.sessions.retrieve(sessionId, {
    expand: ['customer', 'line_items.data.price.product'],
  });
  if (session.status !== 'complete' || session.client_reference_id !== visitorRef) return { kind: 'neutral' };
  const binding = await bindIfOwner(input, session, { expectedVisitorRef: visitorRef, requireVerifiedEmail });
  if (!binding.bound) log.info({ msg: 'thanks: browser not bound', reason: binding.reason });

  const customerId = customerIdOf(session);
  const synced = customerId ? await syncCustomer(input, customerId) : undefined;
  const record = synced?.kind === 'synced' ? synced.record : undefined;
  const product = session.line_items?.data[0]?.price?.product;
  const state =
    session.payment_status === 'unpaid' ? 'processing' : record?.status === 'trialing' ? 'trial' : 'started';
  return {
    kind: 'confirmed',
    state,
    planName:
      product && typeof product === 'object' && !product.deleted ? productText(product, shopLanguage)[lang].name : null,
    trialEnd: record?.trialEnd ?? null,
    bound: binding.bound,
    delivery: binding.bound ? (record?.delivery ?? null) : null,
  };
}
