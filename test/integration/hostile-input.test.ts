import { beforeEach, describe, expect, it } from 'vitest';
import { CookieClient } from '../support/client.ts';
import { rawRequest } from '../support/raw-http.ts';
import { TEST_PORTAL_LOGIN_URL, useStack } from '../support/stack.ts';
import { SECURE_VISITOR_COOKIE as VISITOR_COOKIE } from '../../src/lib/visitor/cookie.ts';

const VISITOR = 'HostileInputVisitor000010000000000000000000';
const ctx = useStack();
beforeEach(() => ctx.stack.emulator.reset());

/** Headers every response must carry, whoever produced it. */
function expectBaseline(response: Response): void {
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
  if ((response.headers.get('content-type') ?? '').startsWith('text/html')) {
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain('report-uri /csp-report');
    expect(csp).not.toContain('unsafe-inline');
  }
  if (response.status >= 300 && response.status < 400) expect(response.headers.get('cache-control')).toBe('no-store');
}

describe('/thanks validates session_id before calling Stripe', () => {
  it.each([
    ['not a Checkout Session id', 'pi_123'],
    ['odd characters', 'cs_test_abc<script>'],
    ['path traversal', 'cs_test_../../v1/customers'],
    ['over-long', `cs_test_${'a'.repeat(5000)}`],
    ['empty', ''],
    ['well-formed but not started by this browser', 'cs_test_doesnotexist123'],
  ])('%s → neutral page, no Stripe call, nothing stored', async (_name, sessionId) => {
    const client = new CookieClient(ctx.stack.url);
    client.cookies.set(VISITOR_COOKIE, VISITOR);
    const before = await ctx.inspect.snapshot();
    const response = await client.get(`/en/thanks?session_id=${encodeURIComponent(sessionId)}`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('If you completed a purchase');
    expect(ctx.stack.emulator.requests).toEqual([]);
    expect(await ctx.inspect.snapshot()).toEqual(before);
  });
});

describe('security headers on every response', () => {
  it('pages, 404s, error pages, redirects, assets, plain-text errors and Astro’s own 403', async () => {
    const client = new CookieClient(ctx.stack.url);
    const responses = [
      await fetch(`${ctx.stack.url}/en/`),
      await fetch(`${ctx.stack.url}/thanks?session_id=cs_test_x`),
      await fetch(`${ctx.stack.url}/mypage`, { redirect: 'manual' }),
      await fetch(`${ctx.stack.url}/no-such-page`),
      await fetch(`${ctx.stack.url}/members`),
      await fetch(`${ctx.stack.url}/favicon.svg`),
      await fetch(`${ctx.stack.url}/webhook`),
      await client.postForm('/en/checkout', { price: 'x' }, { origin: 'https://evil.example' }),
    ];
    expect(responses.map((response) => response.status)).toEqual([200, 200, 303, 404, 403, 200, 405, 403]);
    ctx.stack.emulator.setDown(true);
    // A browser the site has not seen yet (its pages keep what they read for two seconds).
    await ctx.arrange.bind('HeadersCheckVisitor000010000000000000000000', 'cus_HeadersCheck');
    client.cookies.set(VISITOR_COOKIE, 'HeadersCheckVisitor000010000000000000000000');
    const errorPage = await client.get('/en/mypage');
    expect(errorPage.status).toBe(503);
    expect(errorPage.headers.get('retry-after')).toMatch(/^\d+$/);
    responses.push(errorPage);
    for (const response of responses) expectBaseline(response);
    await ctx.arrange.unbind('HeadersCheckVisitor000010000000000000000000');
  });

  it('static assets are immutable', async () => {
    const html = await (await fetch(`${ctx.stack.url}/en/`)).text();
    const css = html.match(/href="(\/_astro\/[^"]+\.css)"/)?.[1];
    const asset = await fetch(`${ctx.stack.url}${css}`);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expectBaseline(asset);
  });
});

describe('one canonical path per route, never a redirect', () => {
  it.each(['/mypage/', '/mypage//', '//mypage', '/checkout/', '/members/'])('%s → 404', async (path) => {
    const response = await rawRequest(ctx.stack.url, `GET ${path} HTTP/1.1\nHost: 127.0.0.1\nConnection: close`, '');
    expect(response.status).toBe(404);
  });
});

describe('methods and bodies', () => {
  it.each(['/', '/thanks', '/mypage', '/members', '/no-such-page'])(
    'POST %s → 405 with Allow, nothing rendered',
    async (path) => {
      const response = await new CookieClient(ctx.stack.url).postForm(path, { price: 'price_x' });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, HEAD');
      expect(ctx.stack.emulator.requests).toEqual([]);
    },
  );

  it('HEAD / answers like GET without a body', async () => {
    const response = await fetch(`${ctx.stack.url}/en/`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it.each([
    ['an oversized form', { 'content-type': 'application/x-www-form-urlencoded' }, `price=${'x'.repeat(5000)}`, 413],
    ['JSON instead of a form', { 'content-type': 'application/json' }, '{"price":"x"}', 415],
    [
      'bytes that are not UTF-8',
      { 'content-type': 'application/x-www-form-urlencoded' },
      new Uint8Array([0xff, 0xfe]),
      400,
    ],
  ])('POST /checkout with %s → %i, no Stripe call, nothing stored', async (_name, headers, body, status) => {
    const before = await ctx.inspect.snapshot();
    const response = await fetch(`${ctx.stack.url}/checkout`, {
      method: 'POST',
      headers: { origin: ctx.stack.url, ...headers },
      body,
    });
    expect(response.status).toBe(status);
    expect((await response.text()).length).toBeLessThan(80);
    expect(ctx.stack.emulator.requests).toEqual([]);
    expect(await ctx.inspect.snapshot()).toEqual(before);
  });
});

describe('POST /csp-report', () => {
  const report = (body: string, type = 'application/csp-report') =>
    fetch(`${ctx.stack.url}/csp-report`, { method: 'POST', headers: { 'content-type': type }, body });

  it('logs one line per violation: directive, blocked origin, path without query', async () => {
    const response = await report(
      JSON.stringify({
        'csp-report': {
          'document-uri': `${ctx.stack.url}/thanks?session_id=cs_test_secret`,
          'effective-directive': 'script-src-elem',
          'blocked-uri': 'https://evil.example/x.js',
        },
      }),
    );
    expect(response.status).toBe(204);
    const batch = await report(
      JSON.stringify([
        {
          type: 'csp-violation',
          body: {
            documentURL: `${ctx.stack.url}/`,
            effectiveDirective: 'frame-src',
            blockedURL: 'https://js.stripe.com/v3/',
          },
        },
      ]),
      'application/reports+json',
    );
    expect(batch.status).toBe(204);
    const lines = ctx.stack.worker.jsonLogs().filter((line) => line.msg === 'csp violation');
    expect(lines).toEqual([
      expect.objectContaining({ directive: 'script-src-elem', blocked: 'https://evil.example', page: '/thanks' }),
      expect.objectContaining({ directive: 'frame-src', blocked: 'https://js.stripe.com', page: '/' }),
    ]);
    expect(JSON.stringify(lines)).not.toContain('cs_test_secret');
  });

  it('logs a flood of reports as at most 5 individual lines a minute per isolate', async () => {
    const violationLines = () => ctx.stack.worker.jsonLogs().filter((line) => line.msg === 'csp violation');
    const before = violationLines().length;
    const flood = JSON.stringify({
      'csp-report': {
        'document-uri': `${ctx.stack.url}/`,
        'effective-directive': 'img-src',
        'blocked-uri': 'https://flood.example/pixel.gif',
      },
    });
    for (let i = 0; i < 12; i++) expect((await report(flood)).status).toBe(204);
    // With the two above in the same isolate and minute, 3 more fit in the window's 5 (all 5 if a new window began).
    expect(violationLines().length - before).toBeGreaterThanOrEqual(3);
    expect(violationLines().length - before).toBeLessThanOrEqual(5);
    expect(violationLines()[0]).toMatchObject({ directive: 'script-src-elem', blocked: 'https://evil.example' });
  });

  it.each([
    ['a body over 64 KiB', () => report(JSON.stringify({ 'csp-report': { pad: 'x'.repeat(70 * 1024) } })), 413],
    ['another content type', () => report('{}', 'application/json'), 415],
    ['not JSON', () => report('nope'), 400],
    ['no violation in it', () => report('{"csp-report":{}}'), 400],
    ['GET', () => fetch(`${ctx.stack.url}/csp-report`), 405],
  ])('refuses %s with %i and writes nothing', async (_name, send, status) => {
    const before = await ctx.inspect.snapshot();
    expect((await send()).status).toBe(status);
    expect(await ctx.inspect.snapshot()).toEqual(before);
  });
});

describe('no open redirect', () => {
  it.each([
    '/mypage?next=https://evil.example',
    '/mypage?return_url=https://evil.example',
    '/mypage?flow=https://evil.example',
  ])('%s never sends the visitor to evil.example', async (path) => {
    const response = await fetch(`${ctx.stack.url}${path}`, { redirect: 'manual' });
    expect(response.headers.get('location')).toBe(TEST_PORTAL_LOGIN_URL);
  });
});
