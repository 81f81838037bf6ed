/**
 * The anonymous storefront from the Workers Cache API (`caches.default`), so a cookieless `GET /` (or `/en/`)
 * skips Astro, the middleware and the catalog lookup for the life of the page's `max-age`. In front
 * of it, each isolate keeps the bytes for 5 s (ISOLATE_TTL_MS): a Cache API lookup costs more CPU
 * than everything else a cached answer does (bench/results.md, profile).
 *
 * What may be stored or served is decided here, strictly:
 * - only `GET`/`HEAD` of a home page (`/`, `/en/`) with no query, no `Authorization` header and no
 *   cookie but the language cookie is looked up: a request carrying any other cookie may be a bound
 *   browser, whose storefront is personal;
 * - only a `200` whose `Cache-Control` is `public` (storefrontHeaders gives that to the native
 *   catalog for a cookieless visitor alone) and that sets no cookie is stored, from a `GET`.
 *
 * Each language has its own URL, so the key is the URL itself (`https://shop.example/en/`); the
 * worker sends a first visit to its language's URL before the lookup. The stored copy expires with the page's own
 * `max-age`; a catalog change deletes this isolate's copies and every key it knows (purgeStorefront).
 */
import { onlyLanguageCookie } from '../language/choice.ts';
import { everyHomePath } from '../language/paths.ts';

/** Marks where a storefront response came from (`hit-isolate`, `hit`, `miss`); tests and the benchmark read it. */
export const EDGE_CACHE_HEADER = 'x-storefront-cache';
/**
 * How long an isolate answers from its own copy before asking the Cache API again. A Cache API
 * lookup is a round trip to the data center's cache (in workerd, to the cache service), the
 * biggest single cost of a cached answer; 5 s matches the catalog's own isolate memory
 * (CatalogCache MEMORY_TTL_MS), so other isolates see a purge within the same bound.
 */
const ISOLATE_TTL_MS = 5_000;

/**
 * The cache key (the URL) for this request, or undefined when the request may not be served from
 * the cache. `homePaths`: the home page in each language (homePaths in src/lib/language/paths.ts).
 */
export function storefrontCacheKey(request: Request, homePaths: readonly string[]): string | undefined {
  if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
  const cookie = request.headers.get('cookie');
  if ((cookie !== null && !onlyLanguageCookie(cookie)) || request.headers.has('authorization')) return undefined;
  const url = new URL(request.url);
  if (!homePaths.includes(url.pathname) || url.search !== '') return undefined;
  return `${url.origin}${url.pathname}`;
}

/** Whether a rendered storefront response may be stored for everyone. */
export function isShareable(response: Response): boolean {
  if (response.status !== 200) return false;
  if (response.headers.has('set-cookie')) return false;
  const cacheControl = (response.headers.get('cache-control') ?? '').toLowerCase();
  return /^\s*public\s*(,|$)/.test(cacheControl) && !/no-store|private/.test(cacheControl);
}

let defaultCache: Cache | undefined;
/**
 * `caches.default`, the Workers cache of this data center. The DOM lib's CacheStorage (which has
 * no `default`) shadows the Workers type in this project's tsconfig, hence the cast.
 */
export function workersCache(): Cache {
  return (defaultCache ??= (caches as unknown as { default: Cache }).default);
}

// Per isolate, plain data only: the page's bytes and headers, never a Response or a promise
// (workerd does not let one request use another request's I/O objects).
interface Remembered {
  body: ArrayBuffer;
  status: number;
  headers: Array<[string, string]>;
  until: number;
}
const isolateCopies = new Map<string, Remembered>();
// Origins this isolate stored a storefront under: a purge deletes each (plus the configured one).
const storedOrigins = new Set<string>();

function remember(key: string, body: ArrayBuffer, response: Response, now: number): void {
  const maxAge = /max-age=(\d+)/.exec(response.headers.get('cache-control') ?? '')?.[1];
  const ttl = Math.min(ISOLATE_TTL_MS, Number(maxAge ?? 0) * 1000);
  if (ttl <= 0) return;
  const headers = [...response.headers].filter(([name]) => name !== EDGE_CACHE_HEADER);
  headers.push([EDGE_CACHE_HEADER, 'hit-isolate']);
  isolateCopies.set(key, { body, status: response.status, headers, until: now + ttl });
}

function answer(request: Request, copy: Remembered): Response {
  // A copy of the bytes per answer: a body handed to a Response must not be shared.
  return new Response(request.method === 'HEAD' ? null : copy.body.slice(0), {
    status: copy.status,
    headers: copy.headers,
  });
}

interface EdgeCacheDeps {
  cache: Cache;
  /** Lets the store outlive the response (ctx.waitUntil). */
  waitUntil: (promise: Promise<unknown>) => void;
  /** Failures to read or write the cache are logged and the page rendered as if uncached. */
  onError: (error: unknown) => void;
  now?: () => number;
}

/**
 * Answers from this isolate's copy, else the Cache API, when the request is eligible; else
 * renders, and stores what may be shared. The caller adds the security headers to whatever comes back.
 */
export async function withEdgeCache(
  request: Request,
  homePaths: readonly string[],
  render: () => Promise<Response>,
  deps: EdgeCacheDeps,
): Promise<Response> {
  const key = storefrontCacheKey(request, homePaths);
  if (!key) return render();
  const now = (deps.now ?? Date.now)();

  const copy = isolateCopies.get(key);
  if (copy && copy.until > now) return answer(request, copy);

  let hit: Response | undefined;
  try {
    hit = await deps.cache.match(new Request(key));
  } catch (error) {
    deps.onError(error);
  }
  if (hit && isShareable(hit)) {
    const body = await hit.arrayBuffer();
    remember(key, body, hit, now);
    const headers: Array<[string, string]> = [...hit.headers];
    headers.push([EDGE_CACHE_HEADER, 'hit']);
    return answer(request, { body, status: hit.status, headers, until: now });
  }

  const response = await render();
  if (request.method !== 'GET' || !isShareable(response)) return response;
  storedOrigins.add(new URL(key).origin);
  const stored = response.clone();
  deps.waitUntil(
    (async () => {
      const body = await stored.arrayBuffer();
      remember(key, body, stored, now);
      await deps.cache.put(new Request(key), new Response(body, { status: stored.status, headers: stored.headers }));
    })().catch((error: unknown) => {
      deps.onError(error);
    }),
  );
  const headers = new Headers(response.headers);
  headers.set(EDGE_CACHE_HEADER, 'miss');
  return new Response(response.body, { status: response.status, headers });
}

/**
 * Deletes the storefront in every language: this isolate's copies, and in the Cache API for each
 * origin this isolate stored it under and for `siteOrigin` (SITE_URL). The Cache API is per data
 * center and other isolates keep their own copy for up to ISOLATE_TTL_MS, so elsewhere a change
 * shows within the page's max-age (30 s) at worst.
 */
export async function purgeStorefront(cache: Cache, siteOrigin: string | undefined): Promise<void> {
  isolateCopies.clear();
  const origins = new Set(storedOrigins);
  if (siteOrigin) origins.add(siteOrigin);
  await Promise.all(
    [...origins].flatMap((origin) => everyHomePath().map((path) => cache.delete(new Request(`${origin}${path}`)))),
  );
}
