/**
 * The anonymous storefront from the Workers Cache API (`caches.default`), so a cookieless `GET /`
 * skips Astro, the middleware and the catalog lookup for the life of the page's `max-age`.
 *
 * What may be stored or served is decided here, strictly:
 * - only `GET`/`HEAD` of `/` with no query, no `Cookie` and no `Authorization` header is looked up:
 *   a request carrying any cookie may be a bound browser, whose storefront is personal;
 * - only a `200` whose `Cache-Control` is `public` (storefrontHeaders gives that to the native
 *   catalog for a cookieless visitor alone) and that sets no cookie is stored, from a `GET`.
 *
 * Languages have no URLs of their own (Accept-Language decides), so the key is a synthetic URL that
 * names the language: `https://shop.example/?__lang=ja`. The stored copy expires with the page's own
 * `max-age`; a catalog change deletes every key this isolate knows (purgeStorefront).
 */
import type { Language } from '../i18n';

/** Marks where a storefront response came from; tests and the benchmark read it. */
export const EDGE_CACHE_HEADER = 'x-storefront-cache';
const LANGUAGES: readonly Language[] = ['en', 'ja'];
const CACHED_PATH = '/';

/**
 * The cache key for this request, or undefined when the request may not be served from the cache.
 * The language comes from the caller (the same choice the middleware makes).
 */
export function storefrontCacheKey(request: Request, language: Language): Request | undefined {
  if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
  if (request.headers.has('cookie') || request.headers.has('authorization')) return undefined;
  const url = new URL(request.url);
  if (url.pathname !== CACHED_PATH || url.search !== '') return undefined;
  return keyFor(url.origin, language);
}

/** Whether a rendered storefront response may be stored for everyone. */
export function isShareable(response: Response): boolean {
  if (response.status !== 200) return false;
  if (response.headers.has('set-cookie')) return false;
  const cacheControl = (response.headers.get('cache-control') ?? '').toLowerCase();
  return /^\s*public\s*(,|$)/.test(cacheControl) && !/no-store|private/.test(cacheControl);
}

function keyFor(origin: string, language: Language): Request {
  return new Request(`${origin}${CACHED_PATH}?__lang=${language}`, { method: 'GET' });
}

/**
 * `caches.default`, the Workers cache of this data center. The DOM lib's CacheStorage (which has
 * no `default`) shadows the Workers type in this project's tsconfig, hence the cast.
 */
export function workersCache(): Cache {
  return (caches as unknown as { default: Cache }).default;
}

// Origins this isolate stored a storefront under: a purge deletes each (plus the configured one).
const storedOrigins = new Set<string>();

interface EdgeCacheDeps {
  cache: Cache;
  /** Lets the store outlive the response (ctx.waitUntil). */
  waitUntil: (promise: Promise<unknown>) => void;
  /** Failures to read or write the cache are logged and the page rendered as if uncached. */
  onError: (error: unknown) => void;
}

/**
 * Answers from the cache when the request is eligible and a copy is there; else renders, and
 * stores what may be shared. The caller adds the security headers to whatever comes back.
 */
export async function withEdgeCache(
  request: Request,
  language: Language,
  render: () => Promise<Response>,
  deps: EdgeCacheDeps,
): Promise<Response> {
  const key = storefrontCacheKey(request, language);
  if (!key) return render();

  let hit: Response | undefined;
  try {
    hit = await deps.cache.match(key);
  } catch (error) {
    deps.onError(error);
  }
  if (hit) {
    const headers = new Headers(hit.headers);
    headers.set(EDGE_CACHE_HEADER, 'hit');
    return new Response(request.method === 'HEAD' ? null : hit.body, { status: hit.status, headers });
  }

  const response = await render();
  if (request.method !== 'GET' || !isShareable(response)) return response;
  const stored = response.clone();
  const url = new URL(key.url);
  storedOrigins.add(url.origin);
  deps.waitUntil(
    deps.cache.put(key, stored).catch((error: unknown) => {
      deps.onError(error);
    }),
  );
  const headers = new Headers(response.headers);
  headers.set(EDGE_CACHE_HEADER, 'miss');
  return new Response(response.body, { status: response.status, headers });
}

/**
 * Deletes the storefront in every language for each origin this isolate stored it under, and for
 * `siteOrigin` (SITE_URL). The Cache API is per data center, so other locations (and other
 * isolates' origins) keep their copy until its max-age (30 s) passes.
 */
export async function purgeStorefront(cache: Cache, siteOrigin: string | undefined): Promise<void> {
  const origins = new Set(storedOrigins);
  if (siteOrigin) origins.add(siteOrigin);
  await Promise.all(
    [...origins].flatMap((origin) => LANGUAGES.map((language) => cache.delete(keyFor(origin, language)))),
  );
}
