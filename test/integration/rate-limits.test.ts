import { beforeEach, describe, expect, it } from 'vitest';
import { CookieClient } from '../support/client.ts';
import { seededPrice, stripeCalls, textOf, withinOneRateWindow } from '../support/shop.ts';
import { useStack } from '../support/stack.ts';
import { SECURE_VISITOR_COOKIE as VISITOR_COOKIE } from '../../src/lib/visitor/cookie.ts';

/**
 * Miniflare counts in fixed one-minute windows aligned to the clock. A burst that straddled a window
 * boundary would see its counter reset halfway: start each burst (about a second) with 5 s of window left.
 */
async function withinOneWindow(): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 5_000) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

/** wrangler.jsonc's limits: 10 a minute per visitor id, 60 a minute per client address, per route. */
describe('abuse is throttled before it reaches Stripe', () => {
  const ctx = useStack({}, { realRateLimits: true });
  beforeEach(() => withinOneWindow());

  it('a browser gets 10 portal sessions a minute, then a 429 with Retry-After and no Stripe call', async () => {
    await withinOneRateWindow();
    const client = new CookieClient(ctx.stack.url);
    client.cookies.set(VISITOR_COOKIE, 'RateLimitedVisitor0000010000000000000000000');
    await ctx.arrange.bind(
      'RateLimitedVisitor0000010000000000000000000',
      ctx.stack.emulator.addCustomer({ email: 'r@example.com' }).id,
    );
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await client.get('/en/mypage')).status);
    expect(statuses.slice(0, 10).every((status) => status === 303)).toBe(true);
    expect(statuses[10]).toBe(429);
    const limited = await client.get('/en/mypage');
    expect(limited.headers.get('retry-after')).toBe('60');
    expect(textOf(await limited.text())).toContain('Too many requests');
    expect(stripeCalls(ctx.stack.emulator, '/v1/billing_portal/sessions')).toHaveLength(10);
  });

  it('requests without a visitor id share a looser limit per address; so do invented ids', async () => {
    await withinOneRateWindow();
    ctx.stack.emulator.reset();
    const price = seededPrice(ctx.stack.emulator, 1500);
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) {
      // A fresh client each time: no cookie, as a script would send.
      statuses.push(
        (await new CookieClient(ctx.stack.url).postForm('/en/checkout', { price, email: `bot${i}@example.com` }))
          .status,
      );
    }
    // Without the cookie an earlier page set, nothing is started (400), and the address is counted.
    expect(statuses.filter((status) => status === 400)).toHaveLength(60);
    expect(statuses[60]).toBe(429);
    const invented = new CookieClient(ctx.stack.url);
    invented.cookies.set(VISITOR_COOKIE, 'InventedVisitorId00000010000000000000000000');
    expect((await invented.postForm('/en/checkout', { price, email: 'x@example.com' })).status).toBe(429);
    expect(stripeCalls(ctx.stack.emulator, '/v1/checkout/sessions')).toHaveLength(0);
  });

  it('CSP reports are throttled too', async () => {
    await withinOneRateWindow();
    const send = () =>
      fetch(`${ctx.stack.url}/csp-report`, {
        method: 'POST',
        headers: { 'content-type': 'application/csp-report' },
        body: JSON.stringify({
          'csp-report': {
            'document-uri': 'http://x/',
            'effective-directive': 'img-src',
            'blocked-uri': 'https://a.example/',
          },
        }),
      });
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) statuses.push((await send()).status);
    expect(statuses.slice(0, 60).every((status) => status === 204)).toBe(true);
    expect(statuses[60]).toBe(429);
  });
});
