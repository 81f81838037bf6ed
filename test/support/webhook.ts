import Stripe from 'stripe';

/** Builds a Stripe-shaped event payload (the same envelope Stripe sends). */
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

/** POSTs a payload to /webhook signed with the SDK's own test header generator. */
export function deliver(
  siteUrl: string,
  payload: string,
  options: { secret: string; timestamp?: number; signature?: string; headers?: Record<string, string>; path?: string },
): Promise<Response> {
  const signature =
    options.signature ??
    Stripe.webhooks.generateTestHeaderString({ payload, secret: options.secret, ...(options.timestamp && { timestamp: options.timestamp }) });
  return fetch(`${siteUrl}${options.path ?? '/webhook'}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': signature, ...options.headers },
    body: payload,
    redirect: 'manual',
  });
}
