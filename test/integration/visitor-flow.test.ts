import { beforeEach, describe, expect, it } from 'vitest';
import { CookieClient } from '../support/client.ts';
import { TEST_PORTAL_LOGIN_URL, TEST_WEBHOOK_SECRET } from '../support/stack.ts';
import { useStack } from '../support/use-stack.ts';
import { deliver, eventPayload } from '../support/webhook.ts';

const ctx = useStack();
beforeEach(() => ctx.stack.emulator.reset());

const monthlyPrice = () => {
  const price = [...ctx.stack.emulator.state.prices.values()].find((p) => p.unit_amount === 1500 && p.currency === 'jpy');
  if (!price) throw new Error('seeded monthly price missing');
  return price.id;
};

const sessionCreates = () => ctx.stack.emulator.requests.filter((r) => r.method === 'POST' && r.path === '/v1/checkout/sessions');
const portalCreates = () => ctx.stack.emulator.requests.filter((r) => r.method === 'POST' && r.path === '/v1/billing_portal/sessions');

/** Subscribes through the site as a browser would: POST /checkout, pay (emulator), back on /thanks. */
async function subscribe(client: CookieClient) {
  const checkout = await client.postForm('/checkout', { price: monthlyPrice() });
  expect(checkout.status).toBe(303);
  const sessionUrl = checkout.headers.get('location') ?? '';
  expect(sessionUrl.startsWith(ctx.stack.emulator.url)).toBe(true);
  const sessionId = sessionUrl.split('/').pop() ?? '';
  const session = await ctx.stack.emulator.completeCheckout(sessionId, { email: 'visitor@example.com' });
  const thanks = await client.get(`/thanks?session_id=${sessionId}`);
  return { sessionId, session, thanks };
}

describe('visitor binding', () => {
  it('binds A to A’s customer; B reaches neither A’s portal nor A’s binding', async () => {
    const a = new CookieClient(ctx.stack.url);
    const b = new CookieClient(ctx.stack.url);

    const { sessionId, session, thanks } = await subscribe(a);
    const visitorA = a.cookies.get('visitor_id');
    expect(visitorA).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const created = sessionCreates()[0]?.body as Record<string, unknown>;
    expect(created).toMatchObject({
      mode: 'subscription',
      client_reference_id: visitorA,
      success_url: `${ctx.stack.url}/thanks?session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: `${ctx.stack.url}/`,
    });
    expect(created.customer).toBeUndefined();

    expect(thanks.status).toBe(200);
    const thanksHtml = await thanks.text();
    expect(thanksHtml).toContain('Monthly Coffee Beans');
    expect(thanksHtml).toContain('href="/mypage"');
    expect(thanksHtml).not.toContain(String(session.customer));
    expect(thanksHtml).not.toContain('visitor@example.com');
    expect(thanks.headers.get('cache-control')).toContain('no-store');
    expect(await ctx.kv.kv.get(`visitor:${visitorA}`)).toBe(session.customer);

    const myPageA = await a.get('/mypage');
    expect(myPageA.status).toBe(303);
    expect(myPageA.headers.get('location')).toMatch(new RegExp(`^${ctx.stack.emulator.url}/portal/`));
    expect(portalCreates().at(-1)?.body).toMatchObject({ customer: session.customer, return_url: `${ctx.stack.url}/` });

    const myPageB = await b.get('/mypage');
    expect(myPageB.status).toBe(303);
    expect(myPageB.headers.get('location')).toBe(TEST_PORTAL_LOGIN_URL);
    expect(portalCreates().length).toBe(1);

    const before = await ctx.kv.snapshot();
    const stolen = await b.get(`/thanks?session_id=${sessionId}`);
    expect(stolen.status).toBe(200);
    const stolenHtml = await stolen.text();
    expect(stolenHtml).not.toContain('Monthly Coffee Beans');
    expect(stolenHtml).not.toContain(String(session.customer));
    const visitorB = b.cookies.get('visitor_id');
    expect(visitorB).toBeUndefined();
    expect(await ctx.kv.snapshot()).toEqual(before);
  });

  it('a returning visitor’s next checkout reuses the bound customer', async () => {
    const a = new CookieClient(ctx.stack.url);
    const { session } = await subscribe(a);
    ctx.stack.emulator.reset();
    const again = await a.postForm('/checkout', { price: monthlyPrice() });
    expect(again.status).toBe(303);
    expect(sessionCreates()[0]?.body).toMatchObject({ customer: session.customer });
  });

  it('a visitor bound to a customer deleted in Stripe can still subscribe', async () => {
    const a = new CookieClient(ctx.stack.url);
    a.cookies.set('visitor_id', 'DeletedCustomerVisitor01');
    await ctx.kv.kv.put('visitor:DeletedCustomerVisitor01', 'cus_DeletedInStripe');
    const response = await a.postForm('/checkout', { price: monthlyPrice() });
    expect(response.status).toBe(303);
    expect(sessionCreates().map((r) => r.body.customer)).toEqual(['cus_DeletedInStripe', undefined]);
  });

  it('the webhook alone binds a visitor who closed the tab before /thanks', async () => {
    const a = new CookieClient(ctx.stack.url);
    const checkout = await a.postForm('/checkout', { price: monthlyPrice() });
    const sessionId = checkout.headers.get('location')?.split('/').pop() ?? '';
    const session = await ctx.stack.emulator.completeCheckout(sessionId);
    await ctx.stack.emulator.settle();
    expect(ctx.stack.emulator.deliveries.some((d) => d.type === 'checkout.session.completed' && d.status === 200)).toBe(true);
    const myPage = await a.get('/mypage');
    expect(myPage.status).toBe(303);
    expect(portalCreates().at(-1)?.body).toMatchObject({ customer: session.customer });
  });

  it('a signed checkout.session.completed binds the visitor named in it', async () => {
    const visitor = 'WebhookOnlyVisitor000001';
    const response = await deliver(
      ctx.stack.url,
      eventPayload('evt_visitor_only_1', 'checkout.session.completed', {
        id: 'cs_test_webhookonly', object: 'checkout.session', status: 'complete', client_reference_id: visitor, customer: 'cus_WebhookOnly',
      }),
      { secret: TEST_WEBHOOK_SECRET },
    );
    expect(response.status).toBe(200);
    expect(await ctx.kv.kv.get(`visitor:${visitor}`)).toBe('cus_WebhookOnly');
  });

  it('an unpaid session binds nothing and shows the neutral page', async () => {
    const a = new CookieClient(ctx.stack.url);
    const checkout = await a.postForm('/checkout', { price: monthlyPrice() });
    const sessionId = checkout.headers.get('location')?.split('/').pop() ?? '';
    const before = await ctx.kv.snapshot();
    const thanks = await a.get(`/thanks?session_id=${sessionId}`);
    expect(thanks.status).toBe(200);
    expect(await thanks.text()).not.toContain('Monthly Coffee Beans');
    expect(await ctx.kv.snapshot()).toEqual(before);
  });
});

describe('POST /checkout', () => {
  it.each([
    ['a forged price id', { price: 'price_doesnotexist' }],
    ['a malformed value', { price: '"><script>' }],
    ['no price at all', {} as Record<string, string>],
  ])('refuses %s with 400 and no Stripe session', async (_name, fields) => {
    const response = await new CookieClient(ctx.stack.url).postForm('/checkout', fields);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('That plan is not available');
    expect(sessionCreates()).toEqual([]);
  });

  it('refuses an inactive price', async () => {
    const { prices } = ctx.stack.emulator.addProduct({ name: 'Discontinued', prices: [{ unit_amount: 500, currency: 'jpy', interval: 'month', active: false }] });
    const response = await new CookieClient(ctx.stack.url).postForm('/checkout', { price: prices[0]?.id ?? '' });
    expect(response.status).toBe(400);
    expect(sessionCreates()).toEqual([]);
  });

  it('refuses a cross-site form POST with 403', async () => {
    const response = await new CookieClient(ctx.stack.url).postForm('/checkout', { price: monthlyPrice() }, { origin: 'https://evil.example' });
    expect(response.status).toBe(403);
    expect(sessionCreates()).toEqual([]);
  });

  it('answers GET with 405', async () => {
    const response = await new CookieClient(ctx.stack.url).get('/checkout');
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });

  it('passes the visitor’s language to Checkout', async () => {
    await new CookieClient(ctx.stack.url).postForm('/checkout', { price: monthlyPrice() }, { 'accept-language': 'ja-JP' });
    expect(sessionCreates()[0]?.body).toMatchObject({ locale: 'ja' });
  });
});
