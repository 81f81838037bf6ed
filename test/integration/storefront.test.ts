import { visitorReference } from '../../src/lib/visitor/cookie.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CookieClient } from '../support/client.ts';
import { stripeCalls, textOf } from '../support/shop.ts';
import { type Stack, startStack, startWorker, useStack } from '../support/stack.ts';
import { SECURE_VISITOR_COOKIE as VISITOR_COOKIE } from '../../src/lib/visitor/cookie.ts';

describe('storefront: native catalog', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  it('offers the seeded plans, the legacy Plan among them, and no metered or tiered price', async () => {
    const html = await (await fetch(`${stack.url}/`, { headers: { 'accept-language': 'en-US,en;q=0.9' } })).text();
    const text = textOf(html);
    expect(html).toContain('<html lang="en"');
    // One card (one form) per product: the catalog file's three and the test fixtures' USD plan; the monthly
    // beans' three prices (every 1, 2 and 3 months) are the choices of one form.
    expect(html.match(/<form method="post" action="\/en\/checkout">/g)?.length).toBe(4);
    for (const name of ['Monthly Coffee Beans', 'Yearly Coffee Beans', 'Espresso Club (USD)', 'Gold Blend'])
      expect(text).toContain(name);
    expect(html.match(/<input type="radio" name="price"/g)?.length).toBe(3);
    expect(text).toMatch(
      /How often Every month ¥1,500 \(incl\. tax\) Every 2 months ¥1,500 \(incl\. tax\) Every 3 months ¥1,500/,
    );
    expect(text).toMatch(/¥15,000 \/ year/);
    expect(text).toMatch(/\$9\.99 \/ month \(incl\. Japanese consumption tax\)/);
    const unsellable = [...stack.emulator.state.prices.values()].filter(
      (price) => price.recurring?.usage_type === 'metered' || price.billing_scheme === 'tiered',
    );
    expect(unsellable.length).toBeGreaterThanOrEqual(2);
    for (const price of unsellable) expect(html).not.toContain(`value="${price.id}"`);
  });

  it('ships no JavaScript of its own, sets no cookie, and is shared only by cookieless visitors', async () => {
    const response = await fetch(`${stack.url}/en/`);
    const html = await response.text();
    expect(html).not.toMatch(/<script/);
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('cache-control')).toBe('public, max-age=30, stale-while-revalidate=60');
    // Each language has its own URL: the page varies by the visitor cookie only.
    expect(response.headers.get('vary')).toBe('Cookie');
    const withVisitor = new CookieClient(stack.url);
    withVisitor.cookies.set(VISITOR_COOKIE, 'SomeBrowser00000000000010000000000000000000');
    expect((await withVisitor.get('/en/')).headers.get('cache-control')).toBe('private, no-store');
  });

  it('renders Japanese for a Japanese browser', async () => {
    const text = textOf(await (await fetch(`${stack.url}/`, { headers: { 'accept-language': 'ja,en;q=0.5' } })).text());
    expect(text).toContain('マイページ');
    expect(text).toContain('申し込む');
    expect(text).toMatch(/毎月 ￥1,500 （税込）/);
    expect(text).toMatch(/￥2,000 \/ 月 （税込）/);
  });
});

describe('storefront: a large catalog, uncached', () => {
  const ctx = useStack({ CATALOG_TTL_SECONDS: '0' });

  it('follows pagination and formats every currency by its minor unit', async () => {
    const { stack } = ctx;
    for (let i = 0; i < 120; i++)
      stack.emulator.addProduct({
        name: `Filler blend ${i}`,
        prices: [{ unit_amount: 1000 + i, currency: 'jpy', interval: 'month' }],
      });
    stack.emulator.addProduct({
      name: 'Quarterly Sampler',
      prices: [{ unit_amount: 4200, currency: 'jpy', interval: 'month', interval_count: 3 }],
    });
    // A price outside the shop's currency says which tax it includes, or it is not offered.
    const statedTax = { tax_label: '（現地の税込み）', tax_label_en: ' (local tax included)' };
    stack.emulator.addProduct({
      name: 'Seoul Roast',
      metadata: statedTax,
      prices: [{ unit_amount: 15000, currency: 'krw', interval: 'month' }],
    });
    stack.emulator.addProduct({
      name: 'Kuwait Cardamom',
      metadata: statedTax,
      prices: [{ unit_amount: 2500, currency: 'kwd', interval: 'month' }],
    });
    stack.emulator.addProduct({
      name: 'Retired Blend',
      active: false,
      prices: [{ unit_amount: 999, currency: 'jpy', interval: 'month' }],
    });
    stack.emulator.addProduct({
      name: 'Old Price Blend',
      prices: [{ unit_amount: 777, currency: 'jpy', interval: 'month', active: false }],
    });
    stack.emulator.reset();
    const html = await (await fetch(`${stack.url}/en/`)).text();
    const text = textOf(html);
    expect(text).toMatch(/¥4,200 \/ 3 months/);
    expect(text).toMatch(/₩15,000 \/ month/);
    expect(text).toMatch(/KWD\s2\.500 \/ month/);
    expect(text).toContain('Filler blend 119');
    expect(text).not.toContain('Retired Blend');
    expect(text).not.toContain('Old Price Blend');
    expect(html.match(/<form method="post" action="\/en\/checkout">/g)?.length).toBe(4 + 120 + 3);
    expect(stripeCalls(stack.emulator, '/v1/prices', 'GET').length).toBeGreaterThan(1);
  });

  it('still answers 200 with a short notice when Stripe is unreachable, and logs the failure', async () => {
    const { stack } = ctx;
    try {
      stack.emulator.setDown(true);
      const response = await fetch(`${stack.url}/en/`);
      expect(response.status).toBe(200);
      expect(textOf(await response.text())).toContain('Plans are unavailable right now');
      expect(stack.worker.jsonLogs().some((line) => line.msg === 'storefront: plans unavailable')).toBe(true);
    } finally {
      stack.emulator.setDown(false);
    }
  });
});

describe('storefront: Pricing Table embed', () => {
  const ctx = useStack({
    PUBLIC_STRIPE_PRICING_TABLE_ID: 'prctbl_123abc',
    PUBLIC_STRIPE_PUBLISHABLE_API_KEY: 'pk_test_123abc',
    PUBLIC_STRIPE_BUY_BUTTON_ID: 'buy_btn_999',
  });

  it('issues the __Host- cookie, passes only its one-way reference, and sends Stripe’s documented CSP with reporting', async () => {
    const response = await fetch(`${ctx.stack.url}/en/`);
    const html = await response.text();
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith(`${VISITOR_COOKIE}=`));
    const visitorId = cookie?.split(';')[0]?.split('=')[1];
    expect(visitorId).toMatch(/^[A-Za-z0-9_-]{43}$/);
    for (const attribute of [/HttpOnly/i, /SameSite=Lax/i, /Secure/i, /Path=\//i, /Max-Age=31536000/i])
      expect(cookie).toMatch(attribute);
    expect(cookie).not.toMatch(/Domain=/i);
    expect(html).toContain('<script async src="https://js.stripe.com/v3/pricing-table.js"></script>');
    expect(html).toMatch(
      new RegExp(
        `<stripe-pricing-table pricing-table-id="prctbl_123abc" publishable-key="pk_test_123abc" client-reference-id="${await visitorReference(visitorId!)}">`,
      ),
    );
    expect(html).not.toContain('stripe-buy-button');
    expect(html).not.toContain(visitorId);
    // The reference in the HTML, replayed as a cookie, is another browser: it names a new reference.
    const reference = /client-reference-id="([^"]+)"/.exec(html)?.[1] ?? '';
    const replayed = await fetch(`${ctx.stack.url}/en/`, { headers: { cookie: `${VISITOR_COOKIE}=${reference}` } });
    const replayedReference = /client-reference-id="([^"]+)"/.exec(await replayed.text())?.[1];
    expect(replayedReference).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(replayedReference).not.toBe(reference);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain(
      "script-src 'self' https://*.js.stripe.com https://js.stripe.com https://maps.googleapis.com",
    );
    expect(csp).toContain('frame-src https://*.js.stripe.com https://js.stripe.com https://hooks.stripe.com');
    expect(csp).toContain("connect-src 'self' https://api.stripe.com https://maps.googleapis.com");
    expect(csp).toContain('report-uri /csp-report');
    expect(response.headers.get('reporting-endpoints')).toBe('csp-endpoint="/csp-report"');
  });

  it('asks for the e-mail above the table, then locks it in as customer-email', async () => {
    const client = new CookieClient(ctx.stack.url);
    const first = await (await client.get('/en/')).text();
    expect(first).toContain('action="/en/declare-email"');
    expect(textOf(first)).toContain('My Page opens with a link sent to it');
    expect(first).not.toContain('customer-email=');

    const invalid = await client.postForm('/en/declare-email', { email: 'nope' });
    expect(invalid.status).toBe(422);
    const declared = await client.postForm('/en/declare-email', { email: 'Embed@Example.com' });
    expect(declared.status).toBe(303);
    expect(declared.headers.get('location')).toBe('/en/');
    const after = await (await client.get('/en/')).text();
    expect(after).toContain('customer-email="embed@example.com"');
    expect(after).not.toContain('action="/en/declare-email"');
  });

  it('gives a bound visitor a Customer Session instead, so the purchase reuses the customer', async () => {
    const client = new CookieClient(ctx.stack.url);
    await client.get('/en/');
    const visitorId = client.cookies.get(VISITOR_COOKIE) ?? '';
    const customer = ctx.stack.emulator.addCustomer({ email: 'returning@example.com' });
    await ctx.arrange.bind(visitorId, customer.id);
    ctx.stack.emulator.reset();
    const html = await (await client.get('/en/')).text();
    expect(html).toMatch(/customer-session-client-secret="[^"]+"/);
    expect(html).not.toContain('customer-email=');
    expect(stripeCalls(ctx.stack.emulator, '/v1/customer_sessions')[0]?.body).toEqual({
      customer: customer.id,
      components: { pricing_table: { enabled: 'true' } },
    });
  });
});

describe('storefront: Buy Button embed and setup notice', () => {
  it('embeds the Buy Button when only its id is set', async () => {
    const worker = await startWorker({
      vars: { PUBLIC_STRIPE_BUY_BUTTON_ID: 'buy_btn_42', PUBLIC_STRIPE_PUBLISHABLE_API_KEY: 'pk_test_42' },
    });
    try {
      const html = await (await fetch(`${worker.url}/`)).text();
      expect(html).toContain('<script async src="https://js.stripe.com/v3/buy-button.js"></script>');
      expect(html).toMatch(
        /<stripe-buy-button buy-button-id="buy_btn_42" publishable-key="pk_test_42" client-reference-id="[A-Za-z0-9_-]{43}">/,
      );
    } finally {
      await worker.stop();
    }
  });

  it('shows a setup notice naming the missing variables when nothing is configured', async () => {
    const worker = await startWorker({ vars: { STRIPE_API_KEY: 'pk_test_wrong_kind_of_key' } });
    try {
      const response = await fetch(`${worker.url}/en/`);
      expect(response.status).toBe(200);
      const text = textOf(await response.text());
      expect(text).toContain('This shop is not set up yet');
      for (const name of ['PUBLIC_STRIPE_PRICING_TABLE_ID', 'PUBLIC_STRIPE_BUY_BUTTON_ID', 'STRIPE_API_KEY'])
        expect(text).toContain(name);
      expect(text).toContain('publishable key');
      expect(text).not.toContain('pk_test_wrong_kind_of_key');
    } finally {
      await worker.stop();
    }
  });
});
