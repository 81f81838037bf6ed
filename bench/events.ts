/**
 * Signed Stripe webhook deliveries for the benchmark: the same envelope and signature scheme as
 * Stripe (and test/support/webhook.ts), built fresh for each request so every event is new.
 */
import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';

/** A body plus the headers that make it a valid Stripe delivery. */
export interface SignedDelivery {
  body: string;
  headers: { 'content-type': string; 'stripe-signature': string };
}

/** What a `checkout.session.completed` event binds: the site's visitor id to a customer. */
export interface CheckoutBinding {
  eventId: string;
  visitorId: string;
  customerId: string;
}

/** Signs a payload with the SDK's own test header generator (timestamp = now). */
export function signPayload(payload: string, secret: string): SignedDelivery {
  return {
    body: payload,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret }),
    },
  };
}

/** A signed `checkout.session.completed` event that binds `visitorId` to `customerId`. */
export function signedCheckoutCompleted(binding: CheckoutBinding, secret: string): SignedDelivery {
  const created = Math.floor(Date.now() / 1000);
  const payload = JSON.stringify({
    id: binding.eventId,
    object: 'event',
    api_version: Stripe.API_VERSION,
    created,
    data: {
      object: {
        id: `cs_test_${binding.eventId.slice(4)}`,
        object: 'checkout.session',
        client_reference_id: binding.visitorId,
        customer: binding.customerId,
        mode: 'subscription',
        status: 'complete',
        payment_status: 'paid',
        created,
      },
    },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: 'checkout.session.completed',
  });
  return signPayload(payload, secret);
}

/**
 * Distinct event and visitor ids from one random run prefix and a counter, so two runs (warm-up,
 * measurement) never collide and every event is applied rather than answered as a duplicate.
 */
export function bindingSequence(customerId: string): () => CheckoutBinding {
  // 8 hex chars + 16 base36 chars = 24 chars, inside both the visitor id and the event id alphabets.
  const prefix = randomBytes(4).toString('hex');
  let counter = 0;
  return () => {
    const suffix = (counter++).toString(36).padStart(16, '0');
    return { eventId: `evt_bench${prefix}${suffix}`, visitorId: `${prefix}${suffix}`, customerId };
  };
}
