import type Stripe from 'stripe';
import type { Store } from './store';

const SESSION_ID_PATTERN = /^cs_(test|live)_[A-Za-z0-9]{1,200}$/;

/** The session id if it looks like a Checkout Session id; anything else is never sent to Stripe. */
export function parseSessionId(value: string | null): string | undefined {
  return value && SESSION_ID_PATTERN.test(value) ? value : undefined;
}

export type ThanksResult = { confirmed: true; planName: string | null } | { confirmed: false };

export interface ConfirmInput {
  stripe: Stripe;
  store: Store;
  sessionId: string;
  visitorId: string;
}

/**
 * Confirms a finished Checkout for this browser: only a complete session whose
 * client_reference_id is this visitor binds the visitor to its customer. Stripe and KV errors propagate.
 */
export async function confirmCheckout({ stripe, store, sessionId, visitorId }: ConfirmInput): Promise<ThanksResult> {
  const session = await stripe.checkout.sessions.retrieve(sessionId, { expand: ['line_items.data.price.product'] });
  const customerId = typeof session.customer === 'string' ? session.customer : session.customer?.id;
  if (session.status !== 'complete' || session.client_reference_id !== visitorId || !customerId) {
    return { confirmed: false };
  }
  await store.bindVisitor(visitorId, customerId, session.created);
  const product = session.line_items?.data[0]?.price?.product;
  const planName = product && typeof product === 'object' && !product.deleted ? product.name : null;
  return { confirmed: true, planName };
}
