import Stripe from 'stripe';

/** The API version this code was written against, stated once; the SDK's pinned version. */
export const STRIPE_API_VERSION = Stripe.API_VERSION;

export interface StripeClientOptions {
  apiKey: string;
  /** Another API host (stripe-mock, the local emulator); undefined means api.stripe.com. */
  apiBase?: URL;
}

/** The one place that builds a Stripe client: fetch transport, pinned version, optional base URL. */
export function createStripeClient({ apiKey, apiBase }: StripeClientOptions): Stripe {
  return new Stripe(apiKey, {
    apiVersion: STRIPE_API_VERSION,
    httpClient: Stripe.createFetchHttpClient(),
    // Page views wait on these calls: fail fast and let the page show a notice instead of hanging.
    timeout: 10_000,
    maxNetworkRetries: 1,
    ...(apiBase && {
      host: apiBase.hostname,
      protocol: apiBase.protocol === 'http:' ? 'http' : 'https',
      port: Number(apiBase.port) || (apiBase.protocol === 'http:' ? 80 : 443),
    }),
  });
}

/** SubtleCrypto (WebCrypto) HMAC for webhook signatures; workerd has no Node crypto by default. */
export const webCryptoProvider = Stripe.createSubtleCryptoProvider();

/** The SDK's webhook helpers (signature verification), which need no client or API key. */
export const stripeWebhooks = Stripe.webhooks;

export type { Stripe };
