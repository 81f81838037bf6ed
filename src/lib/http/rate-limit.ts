/**
 * Throttling with Cloudflare's Workers Rate Limiting bindings (`ratelimits` in wrangler.jsonc;
 * Miniflare simulates them locally). Limits live in wrangler.jsonc; keys are per scope (a route).
 *
 * A browser with a visitor cookie is counted under its reference (a limit no real visitor meets). Every
 * request is ALSO counted under its client address with a looser limit: a cookie is a
 * random string, so a script that invents a new one per request would otherwise never be limited.
 */

export interface RequestLimiters {
  /** Keyed by visitor reference (default 10 a minute). */
  visitor: RateLimit;
  /** Keyed by CF-Connecting-IP (default 60 a minute: offices and mobile carriers share addresses). */
  client: RateLimit;
}

/** The bindings' period (wrangler.jsonc `simple.period`): a refused client may retry after this. */
export const RATE_LIMIT_PERIOD_SECONDS = 60;

/**
 * True when the request may go on; false when one of its counters is over its limit. The client
 * address is `CF-Connecting-IP`, which Cloudflare sets on every request that reaches a Worker.
 */
export async function withinRateLimit(
  limiters: RequestLimiters,
  scope: string,
  request: Request,
  visitorRef: string | undefined,
): Promise<boolean> {
  const clientAddress = request.headers.get('cf-connecting-ip') ?? 'unknown';
  const checks = [limiters.client.limit({ key: `${scope}:ip:${clientAddress}` })];
  if (visitorRef) checks.push(limiters.visitor.limit({ key: `${scope}:visitor:${visitorRef}` }));
  const outcomes = await Promise.all(checks);
  return outcomes.every((outcome) => outcome.success);
}
