import { describe, expect, it } from 'vitest';
import { CookieClient } from '../support/client.ts';
import { eventually, seededPrice, textOf } from '../support/shop.ts';
import { rawRequest } from '../support/raw-http.ts';
import { useStack } from '../support/stack.ts';

const MARKER = 'x-storefront-cache';
const EN = { 'accept-language': 'en-US,en;q=0.9' };
const JA = { 'accept-language': 'ja-JP,ja;q=0.9' };

function alternates(html: string): Record<string, string> {
  return Object.fromEntries(
    [...html.matchAll(/<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"/g)].map((m) => [m[1] ?? '', m[2] ?? '']),
  );
}

describe('one URL per language (Japanese primary)', () => {
  const ctx = useStack();
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${ctx.stack.url}${path}`, { headers, redirect: 'manual' });

  it('renders / in Japanese and /en/ in English, each with its hreflang alternates and canonical', async () => {
    const { url } = ctx.stack;
    const ja = await (await get('/')).text();
    expect(ja).toContain('<html lang="ja"');
    expect(textOf(ja)).toContain('申し込む');
    expect(alternates(ja)).toEqual({ ja: `${url}/`, en: `${url}/en/`, 'x-default': `${url}/` });
    expect(ja).toContain(`<link rel="canonical" href="${url}/"`);

    const en = await (await get('/en/', JA)).text();
    expect(en).toContain('<html lang="en"');
    expect(textOf(en)).toContain('Subscribe');
    expect(alternates(en)).toEqual({ ja: `${url}/`, en: `${url}/en/`, 'x-default': `${url}/` });
    expect(en).toContain(`<link rel="canonical" href="${url}/en/"`);
    // Every internal link and form stays in the page's language.
    expect(en).toContain('action="/en/checkout"');
    expect(en).toContain('href="/en/mypage"');
    expect(en).toContain('href="/en/legal/tokushoho"');
    expect(en).not.toMatch(/(href|action)="\/(checkout|mypage|legal)/);
  });

  it('has one canonical path per page: /en, /ja/…, /en/…/ and prefixed webhook routes answer 404', async () => {
    for (const path of ['/en', '/ja/', '/ja/mypage', '/en/mypage/', '/en/webhook', '/en/csp-report', '/en/language'])
      expect((await get(path)).status, path).toBe(404);
    const page = await get('/en/legal/tokushoho');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<html lang="en"');
    expect(alternates(html).ja).toBe(`${ctx.stack.url}/legal/tokushoho`);
  });

  it('keeps the language through a page that rewrites to another (members-only) and on the 404 page', async () => {
    const gated = await get('/en/members');
    expect(gated.status).toBe(403);
    const html = await gated.text();
    expect(html).toContain('<html lang="en"');
    expect(html).toContain('href="/en/mypage"');
    const missing = await get('/en/no-such-page');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('<html lang="en"');
  });

  it('sends a cookieless first visit whose browser prefers English to /en/, once, uncached', async () => {
    const home = await get('/', EN);
    expect(home.status).toBe(302);
    expect(home.headers.get('location')).toBe('/en/');
    // finalizeHeaders makes every redirect no-store: it depends on this browser.
    expect(home.headers.get('cache-control')).toBe('no-store');
    expect(home.headers.get(MARKER)).toBeNull();
    const page = await get('/thanks?session_id=cs_test_1', EN);
    expect(page.headers.get('location')).toBe('/en/thanks?session_id=cs_test_1');
    // The English URL itself renders, whatever the browser prefers.
    expect((await get('/en/', EN)).status).toBe(200);
    expect((await get('/en/mypage', JA)).status).not.toBe(302);
    // A crawler without Accept-Language, and a Japanese browser, get the primary.
    expect((await get('/')).status).toBe(200);
    expect((await get('/', JA)).status).toBe(200);
  });

  it('lets the remembered choice decide the unprefixed URLs', async () => {
    const ja = await get('/', { ...EN, cookie: 'lang=ja' });
    expect(ja.status).toBe(200);
    expect(await ja.text()).toContain('<html lang="ja"');
    const en = await get('/legal/terms', { ...JA, cookie: 'lang=en' });
    expect(en.status).toBe(302);
    expect(en.headers.get('location')).toBe('/en/legal/terms');
    // An explicitly prefixed URL always renders its language.
    expect(await (await get('/en/legal/terms', { cookie: 'lang=ja' })).text()).toContain('<html lang="en"');
  });

  it('says Vary: Accept-Language, Cookie wherever an unprefixed page depends on them, the home included', async () => {
    const varyOf = (response: Response) =>
      (response.headers.get('vary') ?? '')
        .toLowerCase()
        .split(',')
        .map((name) => name.trim());
    for (const path of ['/', '/legal/terms', '/mypage', '/members'])
      for (const headers of [JA, EN, {}]) {
        const response = await get(path, headers);
        expect(varyOf(response), `${path} ${JSON.stringify(headers)}`).toEqual(
          expect.arrayContaining(['accept-language', 'cookie']),
        );
      }
    // A cookieless Japanese `/` is the cacheable one the second attack review found without it.
    const home = await get('/', JA);
    expect(home.status).toBe(200);
    expect(home.headers.get('cache-control')).toMatch(/^public/);
    // A prefixed page always renders its own language: it does not vary on Accept-Language.
    expect(varyOf(await get('/en/', JA))).not.toContain('accept-language');
  });

  it('without SITE_URL, a foreign Host yields no absolute link, on pages that may be cached', async () => {
    for (const path of ['/legal/terms', '/', '/en/legal/privacy', '/en/']) {
      const response = await rawRequest(
        ctx.stack.url,
        `GET ${path} HTTP/1.1\nHost: evil.example\nAccept-Language: ja\nConnection: close`,
        '',
      );
      expect(response.status, path).toBe(200);
      const html = await response.text();
      expect(html, path).not.toContain('evil.example');
      expect(html, path).not.toContain('rel="canonical"');
      expect(html, path).not.toContain('hreflang="x-default"');
    }
  });

  it('gives Japanese pages a line-break opportunity between phrases only, and English pages none', async () => {
    const ja = await (await get('/legal/terms')).text();
    const body = ja.slice(ja.indexOf('<body'));
    expect(body).toContain('<wbr>');
    // Never inside the head, a tag or a character reference.
    expect(ja.slice(0, ja.indexOf('<body'))).not.toContain('<wbr>');
    expect(body).not.toMatch(/<[^>]*<wbr>/);
    expect(body).not.toMatch(/&[a-z#0-9]*<wbr>/i);
    // The words read the same without the breaks.
    expect(textOf(body.replaceAll('<wbr>', ''))).toContain('利用規約');
    expect(await (await get('/en/legal/terms')).text()).not.toContain('<wbr>');
  });

  it('switches through /language: remembers the choice and opens the same page in it', async () => {
    const browser = new CookieClient(ctx.stack.url);
    const switched = await browser.get('/language?to=en&next=%2Flegal%2Ftokushoho');
    expect(switched.status).toBe(303);
    expect(switched.headers.get('location')).toBe('/en/legal/tokushoho');
    const cookie = switched.headers.getSetCookie().join('\n');
    expect(cookie).toMatch(/^lang=en;/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Max-Age=31536000/);
    expect((await browser.get('/', JA)).headers.get('location')).toBe('/en/');

    const back = await browser.get('/language?to=ja&next=%2Fen%2Fmypage');
    expect(back.headers.get('location')).toBe('/mypage');
    expect((await browser.get('/', EN)).status).toBe(200);
    expect((await browser.get('/language?to=fr&next=%2F')).status).toBe(400);
  });

  it('never redirects off the site from /language', async () => {
    for (const next of [
      '//evil.example',
      '//evil.example/path',
      '/\\evil.example',
      'https://evil.example/',
      '/\r\n/x',
      '/%0d%0a/x',
      // Reproduced by the second attack review: dot segments that normalise to `//evil.example`.
      '/..//evil.example/login',
      '/.//evil.example',
      '/%2e%2e//evil.example',
    ])
      for (const to of ['en', 'ja']) {
        const response = await get(`/language?to=${to}&next=${encodeURIComponent(next)}`);
        expect(response.status).toBe(303);
        const location = response.headers.get('location') ?? '';
        expect(new URL(location, ctx.stack.url).origin, next).toBe(ctx.stack.url);
        if (next !== '/%0d%0a/x') expect(location).toMatch(/^\/(en\/)?$/);
      }
  });

  it('the header switch links to the same page in the other language, keeping a GET query', async () => {
    const html = await (await get('/en/thanks?session_id=cs_test_1')).text();
    const link =
      /<a class="lang-switch" href="([^"]+)" hreflang="ja" lang="ja"[^>]*>\s*(?:<span lang="ja">)?日本語(?:<\/span>)?\s*<\/a>/.exec(
        html,
      );
    expect(link?.[1]).toBe('/language?to=ja&amp;next=%2Fthanks%3Fsession_id%3Dcs_test_1');
    const ja = await (await get('/legal/privacy')).text();
    expect(ja).toMatch(/href="\/language\?to=en&amp;next=%2Flegal%2Fprivacy" hreflang="en" lang="en"[^>]*>\s*English/);
  });

  it('answers POST /en/checkout in English, with English links, and POST /checkout in Japanese', async () => {
    const price = seededPrice(ctx.stack.emulator, 1500);
    const client = new CookieClient(ctx.stack.url);
    const en = await client.postForm('/en/checkout', { price }, JA);
    expect(en.status).toBe(200);
    const html = await en.text();
    expect(html).toContain('<html lang="en"');
    expect(html).toContain('Continue to payment');
    expect(html).toMatch(/<form method="post" action="\/en\/checkout"/);
    expect(html).toContain('href="/en/legal/terms"');
    // A POST answer has no URL of its own: the switch opens the home page.
    expect(html).toContain('href="/language?to=ja&amp;next=%2F"');
    const ja = await client.postForm('/checkout', { price }, EN);
    expect(textOf(await ja.text())).toContain('お支払いへ進む');
  });

  it('keys the edge cache by URL: / and /en/ are cached apart, and a cached / never answers an English first visit', async () => {
    await eventually(async () => ((await get('/')).headers.get(MARKER) ?? '').startsWith('hit'));
    await eventually(async () => ((await get('/en/')).headers.get(MARKER) ?? '').startsWith('hit'));
    const ja = await get('/');
    // The unprefixed home depends on Accept-Language too (a shared cache must not give it to an English first visit).
    expect(ja.headers.get('vary')).toBe('Cookie, Accept-Language');
    expect((await get('/en/')).headers.get('vary')).toBe('Cookie');
    expect(textOf(await ja.text())).toContain('申し込む');
    expect(await (await get('/en/')).text()).toContain('<html lang="en"');
    const english = await get('/', EN);
    expect(english.status).toBe(302);
    expect(english.headers.get(MARKER)).toBeNull();
    // The language cookie alone keeps a visitor anonymous, so cached.
    expect((await get('/en/', { cookie: 'lang=en' })).headers.get(MARKER)).toMatch(/^hit/);
  });
});

describe('one URL per language (English primary)', () => {
  const ctx = useStack({ SHOP_LANGUAGE: 'en' });
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${ctx.stack.url}${path}`, { headers, redirect: 'manual' });

  it('serves English unprefixed and Japanese under /ja/', async () => {
    expect(await (await get('/')).text()).toContain('<html lang="en"');
    const ja = await (await get('/ja/legal/terms')).text();
    expect(ja).toContain('<html lang="ja"');
    expect(alternates(ja)).toEqual({
      ja: `${ctx.stack.url}/ja/legal/terms`,
      en: `${ctx.stack.url}/legal/terms`,
      'x-default': `${ctx.stack.url}/legal/terms`,
    });
    expect((await get('/', JA)).headers.get('location')).toBe('/ja/');
    expect((await get('/en/')).status).toBe(404);
  });
});
