/**
 * Throttling with Cloudflare's Workers Rate Limiting bindings (`ratelimits` in wrangler.jsonc;
 * Miniflare simulates them locally). Limits live in wrangler.jsonc; keys are per route.
 *
 * A browser with a visitor cookie is counted under its reference (a limit no real visitor meets). Every
 * request is ALSO counted under its client address with a looser limit: a cookie is a
 * random string, so a script that invents a new one per request would otherwise never be limited.
 */

/** The routes that cost Stripe calls, D1 writes or e-mails, each counted separately. */
export type LimitedRoute =
  | 'checkout'
  | 'declare-email'
  | 'thanks'
  | 'mypage'
  | 'csp-report'
  | 'sign-in'
  | 'sign-in-confirm'
  /** An embed storefront for a bound visitor (it may cost a Customer Session). */
  | 'storefront-embed';

export interface RateLimiters {
  /** Keyed by visitor reference (default 10 a minute). */
  visitor: RateLimit;
  /** Keyed by CF-Connecting-IP (default 60 a minute: offices and mobile carriers share addresses). */
  client: RateLimit;
  /** Keyed by a hash of an e-mail address that would receive a sign-in link (default 3 a minute). */
  email: RateLimit;
}

/** The bindings' period (wrangler.jsonc `simple.period`): a refused client may retry after this. */
export const RATE_LIMIT_PERIOD_SECONDS = 60;

/**
 * True when the request may go on; false when one of its counters is over its limit. The client
 * address is `CF-Connecting-IP`, which Cloudflare sets on every request that reaches a Worker.
 */
export async function withinRateLimit(
  limiters: RateLimiters,
  route: LimitedRoute,
  request: Request,
  visitorRef: string | undefined,
): Promise<boolean> {
  const clientAddress = request.headers.get('cf-connecting-ip') ?? 'unknown';
  const checks = [limiters.client.limit({ key: `${route}:ip:${clientAddress}` })];
  if (visitorRef) checks.push(limiters.visitor.limit({ key: `${route}:visitor:${visitorRef}` }));
  const outcomes = await Promise.all(checks);
  return outcomes.every((outcome) => outcome.success);
}

/**
 * True while an e-mail address may receive another sign-in link (keyed by a hash of the address,
 * so no address reaches the limiter's keys).
 */
export async function withinEmailLimit(limiters: RateLimiters, emailHash: string): Promise<boolean> {
  return (await limiters.email.limit({ key: `sign-in:email:${emailHash}` })).success;
}
