/**
 * Throttling with Cloudflare's Workers Rate Limiting bindings (`[[ratelimits]]` in wrangler.toml;
 * Miniflare simulates them locally). Limits live in wrangler.toml; keys are per route.
 *
 * A browser with a visitor id is counted under that id (a limit no real visitor meets). Every
 * request is ALSO counted under its client address with a looser limit: a visitor id is an unsigned
 * random string, so a script that invents a new one per request would otherwise never be limited.
 */

/** The routes that cost Stripe calls or KV writes, each counted separately. */
export type LimitedRoute = 'checkout' | 'declare-email' | 'thanks' | 'mypage' | 'csp-report';

export interface RateLimiters {
  /** Keyed by visitor id (default 10 a minute). */
  visitor: RateLimit;
  /** Keyed by CF-Connecting-IP (default 60 a minute: offices and mobile carriers share addresses). */
  client: RateLimit;
}

/** The bindings' period (wrangler.toml `simple.period`): a refused client may retry after this. */
export const RATE_LIMIT_PERIOD_SECONDS = 60;

/**
 * True when the request may go on; false when one of its counters is over its limit. The client
 * address is `CF-Connecting-IP`, which Cloudflare sets on every request that reaches a Worker.
 */
export async function withinRateLimit(
  limiters: RateLimiters,
  route: LimitedRoute,
  request: Request,
  visitorId: string | undefined,
): Promise<boolean> {
  const clientAddress = request.headers.get('cf-connecting-ip') ?? 'unknown';
  const checks = [limiters.client.limit({ key: `${route}:ip:${clientAddress}` })];
  if (visitorId) checks.push(limiters.visitor.limit({ key: `${route}:visitor:${visitorId}` }));
  const outcomes = await Promise.all(checks);
  return outcomes.every((outcome) => outcome.success);
}
