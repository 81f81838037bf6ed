import Stripe from 'stripe';

interface StripeClientOptions {
  apiKey: string;
  /** Another API host (stripe-mock, the local emulator); undefined means api.stripe.com. */
  apiBase?: URL;
}

/**
 * The one place that builds a Stripe client: fetch transport, the SDK's pinned API version
 * (Stripe.API_VERSION), optional base URL, and the retry policy.
 *
 * Retries (stripe-node's RequestSender._shouldRetry): connection errors, 409 and 5xx answers, and
 * any answer Stripe marks `Stripe-Should-Retry: true` (rate limits included when Stripe says so);
 * never another 4xx, and never when Stripe says `Stripe-Should-Retry: false`. POSTs carry an
 * idempotency key, so a retried create cannot create twice. One retry (after 0.25 to 0.5 s):
 * visitors wait on these calls, and webhooks have Stripe's own retries behind them.
 */
export function createStripeClient({ apiKey, apiBase }: StripeClientOptions): Stripe {
  return new Stripe(apiKey, {
    apiVersion: Stripe.API_VERSION,
    httpClient: Stripe.createFetchHttpClient(),
    maxNetworkRetries: 1,
    // Fail fast so a page can answer 503 instead of hanging.
    timeout: 10_000,
    ...(apiBase && {
      host: apiBase.hostname,
      protocol: apiBase.protocol === 'http:' ? 'http' : 'https',
      port: Number(apiBase.port) || (apiBase.protocol === 'http:' ? 80 : 443),
    }),
  });
}

export type { Stripe };
