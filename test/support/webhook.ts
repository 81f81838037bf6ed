import Stripe from 'stripe';

/** The one builder of Stripe-shaped event payloads for tests and the bench (the envelope Stripe sends). */
export function eventPayload(
  id: string,
  type: string,
  object: Record<string, unknown>,
  created = Math.floor(Date.now() / 1000),
): string {
  return JSON.stringify({
    id,
    object: 'event',
    api_version: Stripe.API_VERSION,
    created,
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  });
}

/** The Stripe-Signature header for a payload, from the SDK's own test helper. */
export function signature(payload: string, secret: string, timestamp?: number): string {
  return Stripe.webhooks.generateTestHeaderString({ payload, secret, ...(timestamp && { timestamp }) });
}

/** POSTs a payload to /webhook signed with the SDK's own test header generator. */
export function deliver(
  siteUrl: string,
  payload: string,
  options: { secret: string; timestamp?: number; signature?: string; headers?: Record<string, string>; path?: string },
): Promise<Response> {
  return fetch(`${siteUrl}${options.path ?? '/webhook'}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'stripe-signature': options.signature ?? signature(payload, options.secret, options.timestamp),
      ...options.headers,
    },
    body: payload,
    redirect: 'manual',
  });
}
