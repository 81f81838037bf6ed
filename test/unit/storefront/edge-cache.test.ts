import { beforeEach, describe, expect, it } from 'vitest';
import {
  EDGE_CACHE_HEADER,
  isShareable,
  purgeStorefront,
  storefrontCacheKey,
  withEdgeCache,
} from '../../../src/lib/storefront/edge-cache.ts';
import { SECURE_VISITOR_COOKIE as VISITOR_COOKIE } from '../../../src/lib/visitor/cookie.ts';

const ORIGIN = 'https://shop.example';
const PUBLIC = 'public, max-age=30, stale-while-revalidate=60';
/** Japanese primary: the home in each language. */
const HOMES = ['/', '/en/'];

/** The part of the Cache API the edge cache uses, keyed by URL like caches.default. */
class MemoryCache {
  readonly entries = new Map<string, Response>();
  match(request: Request): Promise<Response | undefined> {
    return Promise.resolve(this.entries.get(request.url)?.clone());
  }
  async put(request: Request, response: Response): Promise<void> {
    this.entries.set(request.url, new Response(await response.arrayBuffer(), response));
  }
  delete(request: Request): Promise<boolean> {
    return Promise.resolve(this.entries.delete(request.url));
  }
}

function page(headers: Record<string, string> = {}, status = 200): Response {
  return new Response('<h1>Plans</h1>', {
    status,
    headers: { 'content-type': 'text/html', 'cache-control': PUBLIC, ...headers },
  });
}

// Each test starts without this isolate's copies (module state, like a fresh isolate).
beforeEach(() => purgeStorefront(new MemoryCache() as unknown as Cache, undefined));

async function run(
  cache: MemoryCache,
  request: Request,
  rendered: () => Response = () => page(),
  now: () => number = Date.now,
) {
  let renders = 0;
  const pending: Promise<unknown>[] = [];
  const response = await withEdgeCache(
    request,
    HOMES,
    () => {
      renders++;
      return Promise.resolve(rendered());
    },
    {
      cache: cache as unknown as Cache,
      waitUntil: (p) => pending.push(p),
      onError: (error) => {
        throw error;
      },
      now,
    },
  );
  await Promise.all(pending);
  return { response, renders };
}

describe('storefrontCacheKey', () => {
  it('keys a cookieless GET or HEAD of a home page by its URL', () => {
    expect(storefrontCacheKey(new Request(`${ORIGIN}/`), HOMES)).toBe(`${ORIGIN}/`);
    expect(storefrontCacheKey(new Request(`${ORIGIN}/en/`, { method: 'HEAD' }), HOMES)).toBe(`${ORIGIN}/en/`);
  });

  it('treats a request whose only cookie is the language choice as cookieless', () => {
    const chosen = new Request(`${ORIGIN}/en/`, { headers: { cookie: 'lang=en' } });
    expect(storefrontCacheKey(chosen, HOMES)).toBe(`${ORIGIN}/en/`);
    const alsoVisitor = new Request(`${ORIGIN}/en/`, { headers: { cookie: `lang=en; ${VISITOR_COOKIE}=x` } });
    expect(storefrontCacheKey(alsoVisitor, HOMES)).toBeUndefined();
  });

  it('never keys a request with a cookie, credentials, another method, path or a query', () => {
    const cases = [
      new Request(`${ORIGIN}/`, { headers: { cookie: `${VISITOR_COOKIE}=AAAAAAAAAAAAAAAAAAAAAAAA` } }),
      new Request(`${ORIGIN}/`, { headers: { cookie: 'visitor_id=AAAAAAAAAAAAAAAAAAAAAAAA' } }),
      new Request(`${ORIGIN}/`, { headers: { cookie: 'theme=dark' } }),
      new Request(`${ORIGIN}/`, { headers: { authorization: 'Basic eDp5' } }),
      new Request(`${ORIGIN}/`, { method: 'POST' }),
      new Request(`${ORIGIN}/mypage`),
      new Request(`${ORIGIN}/thanks?session_id=cs_test_1`),
      new Request(`${ORIGIN}/?__lang=ja`),
      new Request(`${ORIGIN}/en/mypage`),
      new Request(`${ORIGIN}/en`),
      new Request(`${ORIGIN}/ja/`),
    ];
    for (const request of cases) expect(storefrontCacheKey(request, HOMES)).toBeUndefined();
  });
});

describe('isShareable', () => {
  it('stores only a public 200 that sets no cookie', () => {
    expect(isShareable(page())).toBe(true);
    expect(isShareable(page({ 'cache-control': 'private, no-store' }))).toBe(false);
    expect(isShareable(page({ 'cache-control': 'public, no-store' }))).toBe(false);
    expect(isShareable(new Response('x'))).toBe(false);
    expect(isShareable(page({}, 503))).toBe(false);
    expect(isShareable(page({ 'set-cookie': `${VISITOR_COOKIE}=x; Secure; Path=/` }))).toBe(false);
  });
});

describe('withEdgeCache', () => {
  it('renders once, then answers GET and HEAD from the isolate, then from the Cache API', async () => {
    const cache = new MemoryCache();
    const t0 = Date.now();
    const first = await run(cache, new Request(`${ORIGIN}/`), undefined, () => t0);
    expect(first.renders).toBe(1);
    expect(first.response.headers.get(EDGE_CACHE_HEADER)).toBe('miss');
    expect(await first.response.text()).toBe('<h1>Plans</h1>');
    expect([...cache.entries.keys()]).toEqual([`${ORIGIN}/`]);

    const second = await run(cache, new Request(`${ORIGIN}/`), undefined, () => t0 + 1000);
    expect(second.renders).toBe(0);
    expect(second.response.headers.get(EDGE_CACHE_HEADER)).toBe('hit-isolate');
    expect(second.response.headers.get('cache-control')).toBe(PUBLIC);
    expect(await second.response.text()).toBe('<h1>Plans</h1>');
    // The bytes are copied per answer: a second answer from the same copy has them too.
    expect(await (await run(cache, new Request(`${ORIGIN}/`), undefined, () => t0 + 1000)).response.text()).toBe(
      '<h1>Plans</h1>',
    );

    const head = await run(cache, new Request(`${ORIGIN}/`, { method: 'HEAD' }), undefined, () => t0 + 1000);
    expect(head.renders).toBe(0);
    expect(head.response.body).toBeNull();

    // After the isolate's 5 s, the Cache API answers (and the isolate keeps a copy again).
    const later = await run(cache, new Request(`${ORIGIN}/`), undefined, () => t0 + 6000);
    expect(later.renders).toBe(0);
    expect(later.response.headers.get(EDGE_CACHE_HEADER)).toBe('hit');
    expect(await later.response.text()).toBe('<h1>Plans</h1>');
    const headLater = await run(cache, new Request(`${ORIGIN}/`, { method: 'HEAD' }), undefined, () => t0 + 12_000);
    expect(headLater.response.headers.get(EDGE_CACHE_HEADER)).toBe('hit');
    expect(headLater.response.body).toBeNull();
  });

  it('passes a request with a cookie through, and never stores a personal page or one that sets a cookie', async () => {
    const cache = new MemoryCache();
    await run(cache, new Request(`${ORIGIN}/`));
    const withCookie = await run(cache, new Request(`${ORIGIN}/`, { headers: { cookie: 'visitor_id=x' } }), () =>
      page({ 'cache-control': 'private, no-store' }),
    );
    expect(withCookie.renders).toBe(1);
    expect(withCookie.response.headers.get(EDGE_CACHE_HEADER)).toBeNull();

    const fresh = new MemoryCache();
    await run(fresh, new Request(`${ORIGIN}/`), () => page({ 'set-cookie': 'a=b' }));
    await run(fresh, new Request(`${ORIGIN}/`), () => page({ 'cache-control': 'private, no-store' }));
    await run(fresh, new Request(`${ORIGIN}/`, { method: 'HEAD' }), () => new Response(null, page()));
    expect(fresh.entries.size).toBe(0);
  });

  it('keeps languages apart, each under its own URL', async () => {
    const cache = new MemoryCache();
    await run(cache, new Request(`${ORIGIN}/`), () => page());
    const en = await run(cache, new Request(`${ORIGIN}/en/`), () => new Response('<h1>English</h1>', page()));
    expect(en.renders).toBe(1);
    expect(en.response.headers.get(EDGE_CACHE_HEADER)).toBe('miss');
    expect([...cache.entries.keys()].sort()).toEqual([`${ORIGIN}/`, `${ORIGIN}/en/`]);
    expect(await (await run(cache, new Request(`${ORIGIN}/en/`))).response.text()).toBe('<h1>English</h1>');
    expect(await (await run(cache, new Request(`${ORIGIN}/`))).response.text()).toBe('<h1>Plans</h1>');
  });

  it('renders as if uncached when the cache fails', async () => {
    const broken = {
      match: () => Promise.reject(new Error('cache down')),
      put: () => Promise.reject(new Error('cache down')),
    } as unknown as Cache;
    const errors: unknown[] = [];
    const pending: Promise<unknown>[] = [];
    const response = await withEdgeCache(new Request(`${ORIGIN}/`), HOMES, () => Promise.resolve(page()), {
      cache: broken,
      waitUntil: (p) => pending.push(p),
      onError: (error) => errors.push(error),
    });
    await Promise.all(pending);
    expect(response.status).toBe(200);
    expect(errors).toHaveLength(2);
  });
});

describe('purgeStorefront', () => {
  it("deletes every language of every origin stored, and of SITE_URL, and this isolate's copies", async () => {
    const cache = new MemoryCache();
    await run(cache, new Request(`${ORIGIN}/`));
    await run(cache, new Request(`${ORIGIN}/en/`));
    cache.entries.set('https://configured.example/', page());
    cache.entries.set('https://configured.example/en/', page());
    // A shop whose primary is English keeps its Japanese home under /ja/.
    cache.entries.set(`${ORIGIN}/ja/`, page());
    await purgeStorefront(cache as unknown as Cache, 'https://configured.example');
    expect([...cache.entries.keys()]).toEqual([]);
    const next = await run(cache, new Request(`${ORIGIN}/`));
    expect(next.renders).toBe(1);
  });
});
