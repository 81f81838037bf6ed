import { describe, expect, it } from 'vitest';
import { CookieClient } from '../support/client.ts';
import { eventually, textOf } from '../support/shop.ts';
import { TEST_WEBHOOK_SECRET, useStack } from '../support/stack.ts';
import { deliver, eventPayload } from '../support/webhook.ts';
import { SECURE_VISITOR_COOKIE as VISITOR_COOKIE } from '../../src/lib/visitor/cookie.ts';

const MARKER = 'x-storefront-cache';

describe('the anonymous storefront from the Cache API', () => {
  const ctx = useStack();

  it('renders the first cookieless GET /, answers the next from the cache with every security header', async () => {
    const { stack } = ctx;
    const first = await fetch(`${stack.url}/`);
    await first.text();
    // The cache is written after the answer (waitUntil).
    await eventually(async () => ((await fetch(`${stack.url}/`)).headers.get(MARKER) ?? '').startsWith('hit'));
    stack.emulator.reset();

    const hit = await fetch(`${stack.url}/`);
    expect(hit.status).toBe(200);
    expect(hit.headers.get(MARKER)).toMatch(/^hit/);
    expect(textOf(await hit.text())).toContain('毎月のコーヒー豆');
    expect(hit.headers.get('cache-control')).toBe('public, max-age=30, stale-while-revalidate=60');
    expect(hit.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(hit.headers.get('x-content-type-options')).toBe('nosniff');
    expect(hit.headers.get('x-frame-options')).toBe('DENY');
    expect(hit.headers.getSetCookie()).toEqual([]);
    expect(stack.emulator.requests).toEqual([]);

    const head = await fetch(`${stack.url}/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get(MARKER)).toMatch(/^hit/);
    expect(head.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await head.text()).toBe('');
  });

  it('keeps each language apart, under its own URL', async () => {
    const { stack } = ctx;
    const en = () => fetch(`${stack.url}/en/`);
    await eventually(async () => ((await en()).headers.get(MARKER) ?? '').startsWith('hit'));
    expect(textOf(await (await en()).text())).toContain('Subscribe');
    const ja = await fetch(`${stack.url}/`, { headers: { 'accept-language': 'ja' } });
    expect(textOf(await ja.text())).toContain('申し込む');
    // A cookieless English first visit to `/` is sent to `/en/` before the cache is asked.
    const english = await fetch(`${stack.url}/`, { headers: { 'accept-language': 'en' }, redirect: 'manual' });
    expect(english.status).toBe(302);
    expect(english.headers.get(MARKER)).toBeNull();
  });

  it('never answers a request with a cookie from the cache', async () => {
    const { stack } = ctx;
    await eventually(async () => ((await fetch(`${stack.url}/`)).headers.get(MARKER) ?? '').startsWith('hit'));
    const browser = new CookieClient(stack.url);
    browser.cookies.set(VISITOR_COOKIE, 'SomeBrowser0000000000001'.padEnd(43, '0'));
    const personal = await browser.get('/');
    expect(personal.headers.get(MARKER)).toBeNull();
    expect(personal.headers.get('cache-control')).toBe('private, no-store');
    const otherCookie = await fetch(`${stack.url}/`, { headers: { cookie: 'theme=dark' } });
    expect(otherCookie.headers.get(MARKER)).toBeNull();
  });

  it('a catalog-change webhook purges the cached page', async () => {
    const { stack } = ctx;
    await eventually(async () => ((await fetch(`${stack.url}/`)).headers.get(MARKER) ?? '').startsWith('hit'));
    const { product } = stack.emulator.addProduct({
      name: 'Spring Blend',
      prices: [{ unit_amount: 2100, currency: 'jpy', interval: 'month' }],
    });
    const delivered = await deliver(
      stack.url,
      eventPayload('evt_edge_cache_1', 'product.created', { id: product.id, object: 'product' }),
      { secret: TEST_WEBHOOK_SECRET },
    );
    expect(delivered.status).toBe(200);
    // Well before the page's 30 s max-age: the purge, not the expiry, brought the new plan.
    const started = Date.now();
    await eventually(async () => textOf(await (await fetch(`${stack.url}/`)).text()).includes('Spring Blend'));
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
