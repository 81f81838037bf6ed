import { beforeEach, describe, expect, it } from 'vitest';
import { CookieClient } from '../support/client.ts';
import { TEST_PORTAL_LOGIN_URL } from '../support/stack.ts';
import { useStack } from '../support/use-stack.ts';

const VISITOR = 'HostileInputVisitor00001';
const ctx = useStack();
beforeEach(() => ctx.stack.emulator.reset());

function expectSecurityHeaders(response: Response): void {
  const csp = response.headers.get('content-security-policy') ?? '';
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toContain('unsafe-inline');
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
}

describe('/thanks validates session_id before calling Stripe', () => {
  it.each([
    ['not a Checkout Session id', 'pi_123'],
    ['odd characters', 'cs_test_abc<script>'],
    ['path traversal', 'cs_test_../../v1/customers'],
    ['over-long', `cs_test_${'a'.repeat(5000)}`],
    ['empty', ''],
  ])('%s → neutral page, no Stripe call, no KV write', async (_name, sessionId) => {
    const client = new CookieClient(ctx.stack.url);
    client.cookies.set('visitor_id', VISITOR);
    const before = await ctx.kv.snapshot();
    const response = await client.get(`/thanks?session_id=${encodeURIComponent(sessionId)}`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('If you completed a purchase');
    expect(ctx.stack.emulator.requests).toEqual([]);
    expect(await ctx.kv.snapshot()).toEqual(before);
  });

  it('an unknown but well-formed id reaches Stripe once and still shows the neutral page', async () => {
    const client = new CookieClient(ctx.stack.url);
    client.cookies.set('visitor_id', VISITOR);
    const response = await client.get('/thanks?session_id=cs_test_doesnotexist123');
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('If you completed a purchase');
    expect(ctx.stack.emulator.requests.map((r) => r.path)).toEqual(['/v1/checkout/sessions/cs_test_doesnotexist123']);
  });
});

describe('security headers', () => {
  it('are on the storefront, /thanks, /mypage pages, 404 and error pages', async () => {
    const pages = [
      await fetch(`${ctx.stack.url}/`),
      await fetch(`${ctx.stack.url}/thanks?session_id=cs_test_x`),
      await fetch(`${ctx.stack.url}/mypage`, { redirect: 'manual' }),
      await fetch(`${ctx.stack.url}/no-such-page`),
    ];
    ctx.stack.emulator.setDown(true);
    await ctx.kv.kv.put(`visitor:${VISITOR}`, 'cus_HeadersCheck');
    const client = new CookieClient(ctx.stack.url);
    client.cookies.set('visitor_id', VISITOR);
    const errorPage = await client.get('/mypage');
    expect(errorPage.status).toBe(503);
    pages.push(errorPage);
    expect(pages[3]?.status).toBe(404);
    for (const response of pages) {
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
      if ((response.headers.get('content-type') ?? '').startsWith('text/html')) expectSecurityHeaders(response);
    }
    await ctx.kv.kv.delete(`visitor:${VISITOR}`);
  });

  it('the storefront allows no third-party script and static assets are immutable or revalidated', async () => {
    const html = await (await fetch(`${ctx.stack.url}/`)).text();
    const css = html.match(/href="(\/_astro\/[^"]+\.css)"/)?.[1];
    expect(css).toBeDefined();
    const asset = await fetch(`${ctx.stack.url}${css}`);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(asset.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('methods', () => {
  it.each(['/', '/thanks', '/mypage', '/no-such-page'])('POST %s → 405 with Allow, nothing rendered', async (path) => {
    const response = await new CookieClient(ctx.stack.url).postForm(path, { price: 'price_x' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
    expect(ctx.stack.emulator.requests).toEqual([]);
  });

  it('HEAD / answers like GET without a body', async () => {
    const response = await fetch(`${ctx.stack.url}/`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });
});

describe('no open redirect', () => {
  it.each(['/mypage?next=https://evil.example', '/mypage?return_url=https://evil.example', '//evil.example/mypage', '/mypage?flow=https://evil.example'])(
    '%s never sends the visitor to evil.example',
    async (path) => {
      const response = await fetch(`${ctx.stack.url}${path}`, { redirect: 'manual' });
      expect(response.headers.get('location') ?? '').not.toContain('evil.example');
      if (response.status === 303) expect(response.headers.get('location')).toBe(TEST_PORTAL_LOGIN_URL);
    },
  );
});
