import type Stripe from 'stripe';

interface StripeClientOptions {
  apiKey: string;
  /** Another API host (stripe-mock, the local emulator); undefined means api.stripe.com. */
  apiBase?: URL;
}

/**
 * The SDK's pinned API version, known without loading the SDK. The type is the SDK's own literal
 * (`typeof Stripe.API_VERSION`), so upgrading `stripe` to another version fails the type check here.
 */
export const STRIPE_API_VERSION: typeof Stripe.API_VERSION = '2026-10-28.endive';

// The SDK is about 900 KB of JavaScript: evaluated at startup it was most of a cold start's CPU,
// even for the cached storefront that never calls Stripe. It is loaded on the first call instead.
let sdk: Promise<typeof Stripe> | undefined;
const loadSdk = () => (sdk ??= import('stripe').then((module) => module.default));

/**
 * The one place that builds a Stripe client: fetch transport, the SDK's pinned API version
 * (STRIPE_API_VERSION), optional base URL, and the retry policy.
 *
 * Retries (stripe-node's RequestSender._shouldRetry): connection errors, 409 and 5xx answers, and
 * any answer Stripe marks `Stripe-Should-Retry: true` (rate limits included when Stripe says so);
 * never another 4xx, and never when Stripe says `Stripe-Should-Retry: false`. POSTs carry an
 * idempotency key, so a retried create cannot create twice. One retry (after 0.25 to 0.5 s):
 * visitors wait on these calls, and webhooks have Stripe's own retries behind them.
 *
 * The client is built at once but the SDK is imported on the first API call (see lazyClient).
 */
export function createStripeClient({ apiKey, apiBase }: StripeClientOptions): Stripe {
  let client: Promise<Stripe> | undefined;
  const real = () =>
    (client ??= loadSdk().then(
      (StripeSdk) =>
        new StripeSdk(apiKey, {
          apiVersion: STRIPE_API_VERSION,
          httpClient: StripeSdk.createFetchHttpClient(),
          maxNetworkRetries: 1,
          // Fail fast so a page can answer 503 instead of hanging.
          timeout: 10_000,
          ...(apiBase && {
            host: apiBase.hostname,
            protocol: apiBase.protocol === 'http:' ? 'http' : 'https',
            port: Number(apiBase.port) || (apiBase.protocol === 'http:' ? 80 : 443),
          }),
        }),
    ));
  return lazyClient(real, []) as Stripe;
}

type Invoke = (...args: unknown[]) => unknown;

/**
 * A stand-in for the client: `stripe.checkout.sessions.create(params)` records the path, and the
 * call awaits the real client, then calls the same method on it. Every API method of the SDK is
 * asynchronous, so callers see no difference: the result is a promise of the same value, and a list
 * call stays async-iterable (`for await (const price of stripe.prices.list(…))` auto-paginates).
 * No property is a `then`, so the stand-in is never mistaken for a promise.
 */
function lazyClient(real: () => Promise<Stripe>, path: readonly string[]): unknown {
  return new Proxy(function stripeMethod() {}, {
    get: (_target, key) => (typeof key === 'string' && key !== 'then' ? lazyClient(real, [...path, key]) : undefined),
    apply: (_target, _this, args: unknown[]) => {
      // Wrapped in an object so the SDK's own promise (with its pagination helpers) is not adopted.
      const called = real().then((client) => {
        let owner: Record<string, unknown> = client as unknown as Record<string, unknown>;
        for (const key of path.slice(0, -1)) owner = owner[key] as Record<string, unknown>;
        const method = owner[path.at(-1) ?? ''] as Invoke;
        return { result: method.apply(owner, args) };
      });
      const value = called.then(({ result }) => result);
      // Only one of the promise and the iterator may be used; neither may warn as unhandled alone.
      value.catch(() => undefined);
      return Object.assign(value, {
        async *[Symbol.asyncIterator]() {
          const { result } = await called;
          yield* result as AsyncIterable<unknown>;
        },
      });
    },
  });
}

export type { Stripe };
