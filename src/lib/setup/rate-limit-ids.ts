/**
 * Rate-limit namespace ids unique per project without editing: Cloudflare wants each `namespace_id`
 * "unique to your Cloudflare account" and an integer (developers.cloudflare.com/workers/runtime-apis/
 * bindings/rate-limit). Worker names are unique within an account, so an id derived from the worker's
 * name and the limiter's name differs between two shops in one account, and stays the same on every
 * deploy of one shop (its counters survive). wrangler.jsonc keeps fixed ids for local runs and tests;
 * `npm run deploy` writes these into the build's dist/server/wrangler.json. Pure.
 */

/** FNV-1a, 32 bits: stable across runs and machines, no dependency. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

// Above the small hand-picked ids people use (1001, 4201) and below 2^31 (Cloudflare documents no upper bound).
const FIRST_ID = 100_000;
const ID_RANGE = 2_000_000_000;

/** The namespace id for one limiter of one worker, as the decimal string wrangler's config takes. */
export function rateLimitNamespaceId(workerName: string, limiterName: string): string {
  return String(FIRST_ID + (fnv1a(`${workerName}/${limiterName}`) % ID_RANGE));
}

interface RateLimitBinding {
  name: string;
  namespace_id: string;
}

/** The config's `ratelimits` with each namespace id derived from the worker's name. */
export function withDerivedRateLimitIds<T extends RateLimitBinding>(workerName: string, ratelimits: readonly T[]): T[] {
  const derived = ratelimits.map((binding) => ({
    ...binding,
    namespace_id: rateLimitNamespaceId(workerName, binding.name),
  }));
  const ids = derived.map((binding) => binding.namespace_id);
  // Three limiters in 2·10⁹ ids: a collision is improbable, but would merge two limiters' counters.
  if (new Set(ids).size !== ids.length) throw new Error(`Two rate limiters of ${workerName} got the same namespace id`);
  return derived;
}
