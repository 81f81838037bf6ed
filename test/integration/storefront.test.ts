import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.ts';
import { startWorker } from '../support/worker.ts';

/** Text content of the page without tags, whitespace collapsed. */
function visibleText(html: string): string {
  return html.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
}

describe('storefront: native catalog', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
    // Enough extra plans to need several pages of 100, with an interval_count and a KRW price.
    for (let i = 0; i < 120; i++) {
      stack.emulator.addProduct({ name: `Filler blend ${i}`, prices: [{ unit_amount: 1000 + i, currency: 'jpy', interval: 'month' }] });
    }
    stack.emulator.addProduct({ name: 'Quarterly Sampler', prices: [{ unit_amount: 4200, currency: 'jpy', interval: 'month', interval_count: 3 }] });
    stack.emulator.addProduct({ name: 'Seoul Roast', prices: [{ unit_amount: 15000, currency: 'krw', interval: 'month' }] });
    stack.emulator.addProduct({ name: 'Retired Blend', active: false, prices: [{ unit_amount: 999, currency: 'jpy', interval: 'month' }] });
    stack.emulator.addProduct({ name: 'Old Price Blend', prices: [{ unit_amount: 777, currency: 'jpy', interval: 'month', active: false }] });
  });
  afterAll(() => stack.close());

  it('lists every active recurring plan across pages with correctly formatted prices', async () => {
    const response = await fetch(`${stack.url}/`, { headers: { 'accept-language': 'en-US,en;q=0.9' } });
    expect(response.status).toBe(200);
    const html = await response.text();
    const text = visibleText(html);
    expect(html).toContain('<html lang="en"');
    expect(text).toContain('Monthly Coffee Beans');
    expect(text).toMatch(/¥1,500 \/ month/);
    expect(text).toMatch(/¥15,000 \/ year/);
    expect(text).toMatch(/\$9\.99 \/ month/);
    expect(text).toMatch(/¥4,200 \/ 3 months/);
    expect(text).toMatch(/₩15,000 \/ month/);
    expect(text).toContain('Filler blend 0');
    expect(text).toContain('Filler blend 119');
    expect(text).not.toContain('Retired Blend');
    expect(text).not.toContain('Old Price Blend');
    expect(html.match(/<form method="post" action="\/checkout">/g)?.length).toBe(3 + 120 + 2);
    // The pagination was followed: more than one list call for prices.
    const listCalls = stack.emulator.requests.filter((r) => r.method === 'GET' && r.path === '/v1/prices');
    expect(listCalls.length).toBeGreaterThan(1);
  });

  it('ships no JavaScript of its own and sets no cookie on a plain view', async () => {
    const response = await fetch(`${stack.url}/`);
    const html = await response.text();
    expect(html).not.toMatch(/<script/);
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    // Same for every visitor: shareable for a short while, varying only by language.
    expect(response.headers.get('cache-control')).toBe('public, max-age=30, stale-while-revalidate=60');
    expect(response.headers.get('vary')).toContain('Accept-Language');
  });

  it('renders Japanese for a Japanese browser', async () => {
    const html = await (await fetch(`${stack.url}/`, { headers: { 'accept-language': 'ja,en;q=0.5' } })).text();
    expect(html).toContain('<html lang="ja"');
    expect(visibleText(html)).toContain('マイページ');
    expect(visibleText(html)).toContain('申し込む');
    expect(visibleText(html)).toMatch(/￥1,500 \/ 月/);
  });
});

describe('storefront: Stripe unreachable', () => {
  it('still answers 200 with a short notice and logs the failure', async () => {
    const stack = await startStack({ CATALOG_TTL_SECONDS: '0' });
    try {
      stack.emulator.setDown(true);
      const response = await fetch(`${stack.url}/`);
      expect(response.status).toBe(200);
      expect(visibleText(await response.text())).toContain('Plans are unavailable right now');
      expect(stack.worker.jsonLogs().some((line) => line.msg === 'storefront: plans unavailable')).toBe(true);
    } finally {
      await stack.close();
    }
  });
});

describe('storefront: embeds and setup notice', () => {
  it('embeds the Pricing Table with the visitor id when its id is set', async () => {
    const worker = await startWorker({
      vars: { PUBLIC_STRIPE_PRICING_TABLE_ID: 'prctbl_123abc', PUBLIC_STRIPE_PUBLISHABLE_API_KEY: 'pk_test_123abc', PUBLIC_STRIPE_BUY_BUTTON_ID: 'buy_btn_999' },
    });
    try {
      const response = await fetch(`${worker.url}/`);
      const html = await response.text();
      const cookie = response.headers.getSetCookie().find((c) => c.startsWith('visitor_id='));
      const visitorId = cookie?.split(';')[0]?.split('=')[1];
      expect(visitorId).toMatch(/^[A-Za-z0-9_-]{24}$/);
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Lax/i);
      expect(cookie).toMatch(/Max-Age=31536000/i);
      expect(html).toContain('<script async src="https://js.stripe.com/v3/pricing-table.js"></script>');
      expect(html).toMatch(new RegExp(`<stripe-pricing-table pricing-table-id="prctbl_123abc" publishable-key="pk_test_123abc" client-reference-id="${visitorId}">`));
      expect(html).not.toContain('stripe-buy-button');
      // The page carries this visitor's id: never shared by a cache.
      expect(response.headers.get('cache-control')).toBe('private, no-store');
      expect(response.headers.get('content-security-policy')).toContain('https://js.stripe.com');
    } finally {
      await worker.stop();
    }
  });

  it('embeds the Buy Button when only its id is set', async () => {
    const worker = await startWorker({ vars: { PUBLIC_STRIPE_BUY_BUTTON_ID: 'buy_btn_42', PUBLIC_STRIPE_PUBLISHABLE_API_KEY: 'pk_test_42' } });
    try {
      const html = await (await fetch(`${worker.url}/`)).text();
      expect(html).toContain('<script async src="https://js.stripe.com/v3/buy-button.js"></script>');
      expect(html).toMatch(/<stripe-buy-button buy-button-id="buy_btn_42" publishable-key="pk_test_42" client-reference-id="[A-Za-z0-9_-]{24}">/);
    } finally {
      await worker.stop();
    }
  });

  it('shows a setup notice naming the missing variables when nothing is configured', async () => {
    const worker = await startWorker({ vars: { STRIPE_API_KEY: 'pk_test_wrong_kind_of_key' } });
    try {
      const response = await fetch(`${worker.url}/`);
      expect(response.status).toBe(200);
      const text = visibleText(await response.text());
      expect(text).toContain('This shop is not set up yet');
      for (const name of ['PUBLIC_STRIPE_PRICING_TABLE_ID', 'PUBLIC_STRIPE_BUY_BUTTON_ID', 'STRIPE_API_KEY']) expect(text).toContain(name);
      expect(text).toContain('publishable key');
      expect(text).not.toContain('pk_test_wrong_kind_of_key');
      expect(text).toContain('README');
    } finally {
      await worker.stop();
    }
  });
});
