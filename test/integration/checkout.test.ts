import { beforeEach, describe, expect, it } from 'vitest';
import { visitorReference } from '../../src/lib/visitor/cookie.ts';
import { CookieClient } from '../support/client.ts';
import { rawRequest } from '../support/raw-http.ts';
import { seededPrice, startCheckout, stripeCalls, subscribe, subscriptionOf, textOf } from '../support/shop.ts';
import { idOf } from '../../dev/stripe-emulator/state.ts';
import { useStack } from '../support/stack.ts';
import { SECURE_VISITOR_COOKIE as VISITOR_COOKIE } from '../../src/lib/visitor/cookie.ts';
import { stripeOn } from '../support/emulator.ts';

const SESSIONS = '/v1/checkout/sessions';

/** One stack (promotion codes allowed) for every describe block but the SITE_URL one. */
const ctx = useStack({ ALLOW_PROMOTION_CODES: 'true' });

describe('POST /checkout', () => {
  beforeEach(() => ctx.stack.emulator.reset());
  const yen = () => seededPrice(ctx.stack.emulator, 1500);

  it('asks a new visitor for an e-mail first, in their language, setting the cookie, without calling Stripe', async () => {
    const client = new CookieClient(ctx.stack.url);
    const en = await client.postForm('/en/checkout', { price: yen() });
    expect(en.status).toBe(200);
    const html = await en.text();
    expect(textOf(html)).toContain('Monthly Coffee Beans · ¥1,500 / month (incl. tax)');
    expect(html).toMatch(/<label for="email">E-mail address<\/label>/);
    expect(html).toMatch(/<form method="post" action="\/en\/checkout"/);
    expect(html).toContain(`name="price" value="${yen()}"`);
    expect(html).toContain('Continue to payment');
    expect(html).not.toContain('<script');

    const ja = await client.postForm('/checkout', { price: yen() }, { 'accept-language': 'ja' });
    expect(textOf(await ja.text())).toContain('お支払いへ進む');
    expect(stripeCalls(ctx.stack.emulator, SESSIONS)).toEqual([]);
    // The next post (with the e-mail) must carry the cookie this step set.
    expect(client.cookies.get(VISITOR_COOKIE)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('refuses a form that comes without the cookie an earlier page set: 400, nothing stored, no Stripe call', async () => {
    const before = await ctx.inspect.snapshot();
    const calls = ctx.stack.emulator.requests.length;
    const checkout = await new CookieClient(ctx.stack.url).postForm('/en/checkout', {
      price: yen(),
      email: 'a@example.com',
    });
    expect(checkout.status).toBe(400);
    expect(textOf(await checkout.text())).toContain('did not send back the cookie');
    const ja = await new CookieClient(ctx.stack.url).postForm(
      '/checkout',
      { price: yen(), email: 'a@example.com' },
      { 'accept-language': 'ja' },
    );
    expect(textOf(await ja.text())).toContain('もう一度お試しください');
    const declare = await new CookieClient(ctx.stack.url).postForm('/en/declare-email', { email: 'a@example.com' });
    expect(declare.status).toBe(400);
    expect(await ctx.inspect.snapshot()).toEqual(before);
    expect(ctx.stack.emulator.requests.length).toBe(calls);
  });

  it('answers a malformed e-mail with 422 and the same form', async () => {
    const response = await new CookieClient(ctx.stack.url).postForm('/en/checkout', {
      price: yen(),
      email: 'not-an-email',
    });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain('aria-invalid="true"');
    expect(html).toContain('value="not-an-email"');
    expect(textOf(html)).toContain('Enter one e-mail address with a single @');
    expect(stripeCalls(ctx.stack.emulator, SESSIONS)).toEqual([]);
  });

  it.each([
    ['a zero-width space', 'bob\u200B@example.com'],
    ['a mixed-script domain', 'bob@p\u0430ypal.com'],
    ['markup', '"><script>@x.io'],
    ['a Cyrillic local part', 'пётр@почта.рф'],
  ])('refuses an address with %s: 422 with the reason, no Stripe call, no address in the log', async (_name, email) => {
    const client = new CookieClient(ctx.stack.url);
    await client.postForm('/en/checkout', { price: yen() });
    ctx.stack.emulator.reset();
    const logged = ctx.stack.worker.logs.length;
    const response = await client.postForm('/en/checkout', { price: yen(), email });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain('role="alert"');
    // Echoed only inside the escaped value attribute: it cannot close the attribute or the tag.
    expect(html).not.toContain('"><script>');
    expect(ctx.stack.emulator.requests).toEqual([]);
    const newLines = ctx.stack.worker.logs.slice(logged).join('\n');
    expect(newLines).not.toContain(email.slice(0, 3) + '@');
  });

  it('locks the declared e-mail into a Checkout Session that expires in about 30 minutes', async () => {
    const client = new CookieClient(ctx.stack.url);
    const before = Math.floor(Date.now() / 1000);
    await startCheckout(client, yen(), 'Coffee.Lover@Example.com');
    const visitor = client.cookies.get(VISITOR_COOKIE);
    expect(visitor).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const body = stripeCalls(ctx.stack.emulator, SESSIONS)[0]?.body;
    expect(body).toMatchObject({
      mode: 'subscription',
      customer_email: 'coffee.lover@example.com',
      // Stripe sees the one-way reference, never the cookie.
      client_reference_id: await visitorReference(visitor!),
      // The English page's Checkout returns to the English pages.
      success_url: `${ctx.stack.url}/en/thanks?session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: `${ctx.stack.url}/en/`,
      line_items: [{ price: yen(), quantity: '1' }],
      locale: 'en',
    });
    expect(body).not.toHaveProperty('customer');
    // Without SHIPPING_COUNTRIES nothing is posted: no address, no phone.
    expect(body).not.toHaveProperty('shipping_address_collection');
    expect(body).not.toHaveProperty('phone_number_collection');
    const lifetime = Number(body?.expires_at) - before;
    expect(lifetime).toBeGreaterThanOrEqual(30 * 60);
    expect(lifetime).toBeLessThanOrEqual(32 * 60);
  });

  it('accepts a legacy Plan id, and refuses a metered or unknown price with the same 400', async () => {
    const client = new CookieClient(ctx.stack.url);
    const legacy = [...ctx.stack.emulator.state.prices.values()].find((price) => !price.id.startsWith('price_'));
    expect(legacy).toBeDefined();
    await startCheckout(client, legacy?.id ?? '', 'gold@example.com');
    const metered = [...ctx.stack.emulator.state.prices.values()].find(
      (price) => price.recurring?.usage_type === 'metered',
    );
    const refusals = await Promise.all(
      [metered?.id ?? '', 'price_doesnotexist', 'x'.repeat(300), ''].map(async (price) => {
        const response = await client.postForm('/en/checkout', { price, email: 'a@example.com' });
        return [response.status, textOf(await response.text()).includes('That plan is not available')];
      }),
    );
    expect(refusals).toEqual([
      [400, true],
      [400, true],
      [400, true],
      [400, true],
    ]);
    expect(stripeCalls(ctx.stack.emulator, SESSIONS)).toHaveLength(1);
  });

  it('sends a subscriber to the portal, and explains the one-currency rule, without calling Stripe', async () => {
    const client = new CookieClient(ctx.stack.url);
    await subscribe(client, ctx.stack.emulator, { price: yen() });
    ctx.stack.emulator.reset();

    const same = await client.postForm('/en/checkout', { price: seededPrice(ctx.stack.emulator, 15000) });
    expect(same.status).toBe(303);
    expect(same.headers.get('location')).toBe('/en/mypage');

    const dollars = await client.postForm('/en/checkout', { price: seededPrice(ctx.stack.emulator, 999, 'usd') });
    expect(dollars.status).toBe(409);
    const text = textOf(await dollars.text());
    expect(text).toContain('billed in JPY');
    expect(text).toContain('My Page');
    expect(stripeCalls(ctx.stack.emulator, SESSIONS)).toEqual([]);
  });

  it('lets a customer whose subscription ended subscribe in another currency, reusing the customer', async () => {
    const client = new CookieClient(ctx.stack.url);
    const { customerId } = await subscribe(client, ctx.stack.emulator, { price: yen() });
    const subscription = subscriptionOf(ctx.stack.emulator, customerId);
    await ctx.stack.emulator.cancelNow(subscription?.id ?? '');
    ctx.stack.emulator.reset();

    await startCheckout(client, seededPrice(ctx.stack.emulator, 999, 'usd'));
    expect(stripeCalls(ctx.stack.emulator, SESSIONS)[0]?.body).toMatchObject({ customer: customerId });
  });

  it('shows a 409 when Stripe itself refuses to mix currencies (an open session in another one)', async () => {
    const client = new CookieClient(ctx.stack.url);
    const { customerId } = await subscribe(client, ctx.stack.emulator, { price: yen() });
    const subscription = subscriptionOf(ctx.stack.emulator, customerId);
    await ctx.stack.emulator.cancelNow(subscription?.id ?? '');
    await startCheckout(client, yen());
    const dollars = await client.postForm('/en/checkout', { price: seededPrice(ctx.stack.emulator, 999, 'usd') });
    expect(dollars.status).toBe(409);
  });

  it('never builds Stripe URLs from Host, X-Forwarded-Host or Forwarded', async () => {
    const client = new CookieClient(ctx.stack.url);
    await client.postForm('/en/checkout', { price: yen() });
    const response = await client.postForm(
      '/checkout',
      { price: yen(), email: 'a@example.com' },
      { 'x-forwarded-host': 'evil.example', forwarded: 'host=evil.example;proto=https' },
    );
    expect(response.status).toBe(303);
    expect(JSON.stringify(stripeCalls(ctx.stack.emulator, SESSIONS)[0]?.body)).not.toContain('evil.example');
  });
});

describe('POST /checkout on a public host without SITE_URL', () => {
  it('refuses with a 500 page naming SITE_URL and calls no Stripe', async () => {
    ctx.stack.emulator.reset();
    // workerd builds request.url from the Host header: this is a request for shop.example.com
    // (sent raw: fetch() does not let a caller set Host).
    const body = new URLSearchParams({
      price: seededPrice(ctx.stack.emulator, 1500),
      email: 'a@example.com',
    }).toString();
    const response = await rawRequest(
      ctx.stack.url,
      `POST /checkout HTTP/1.1\nHost: shop.example.com\nOrigin: http://shop.example.com\nContent-Type: application/x-www-form-urlencoded\nContent-Length: ${body.length}\nConnection: close`,
      body,
    );
    expect(response.status).toBe(500);
    expect(textOf(await response.text())).toContain('SITE_URL');
    expect(stripeCalls(ctx.stack.emulator, SESSIONS)).toEqual([]);
  });
});

describe('POST /checkout with SITE_URL, trials and promotion codes', () => {
  const site = useStack({ SITE_URL: 'https://shop.example.com', TRIAL_DAYS: '14', ALLOW_PROMOTION_CODES: 'true' });
  beforeEach(() => site.stack.emulator.reset());

  it('builds every Stripe URL from SITE_URL whatever the Host', async () => {
    const client = new CookieClient(site.stack.url);
    await startCheckout(client, seededPrice(site.stack.emulator, 1500), 'a@example.com');
    expect(stripeCalls(site.stack.emulator, SESSIONS)[0]?.body).toMatchObject({
      success_url: 'https://shop.example.com/en/thanks?session_id={CHECKOUT_SESSION_ID}',
      cancel_url: 'https://shop.example.com/en/',
      subscription_data: { trial_period_days: '14' },
      allow_promotion_codes: 'true',
    });
  });

  it('gives one trial per customer', async () => {
    const client = new CookieClient(site.stack.url);
    const { customerId } = await subscribe(client, site.stack.emulator, {
      price: seededPrice(site.stack.emulator, 1500),
    });
    const subscription = subscriptionOf(site.stack.emulator, customerId);
    expect(subscription?.status).toBe('trialing');
    await site.stack.emulator.cancelNow(subscription?.id ?? '');
    site.stack.emulator.reset();
    await startCheckout(client, seededPrice(site.stack.emulator, 1500));
    const body = stripeCalls(site.stack.emulator, SESSIONS)[0]?.body;
    expect(body).toMatchObject({ customer: customerId });
    expect(body).not.toHaveProperty('subscription_data');
  });
});

describe('POST /checkout for a bound browser whose record was never synced', () => {
  it('asks Stripe first, and sends a live subscriber to the portal instead of a second subscription', async () => {
    const { emulator } = ctx.stack;
    // A subscription the site never heard of (its webhooks lost), and a browser bound to its customer.
    emulator.pauseWebhooks();
    const session = await stripeOn(emulator).checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price: seededPrice(emulator, 1500), quantity: 1 }],
      success_url: `${ctx.stack.url}/thanks?session_id={CHECKOUT_SESSION_ID}`,
      customer_email: 'lost@example.com',
    });
    const paid = await emulator.completeCheckout(session.id);
    emulator.reset();
    const client = new CookieClient(ctx.stack.url);
    client.cookies.set(VISITOR_COOKIE, 'LostWebhookVisitor0000010000000000000000000');
    await ctx.arrange.bind('LostWebhookVisitor0000010000000000000000000', idOf(paid.customer));

    const response = await client.postForm('/en/checkout', { price: seededPrice(emulator, 2000) });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/en/mypage');
    expect(stripeCalls(emulator, '/v1/subscriptions', 'GET')).toHaveLength(1);
    expect(stripeCalls(emulator, SESSIONS)).toEqual([]);
  });
});

describe('POST /checkout with promotion codes', () => {
  it('a 100%-off code starts the subscription with nothing to pay', async () => {
    const client = new CookieClient(ctx.stack.url);
    const { thanks, customerId } = await subscribe(client, ctx.stack.emulator, {
      price: seededPrice(ctx.stack.emulator, 1500),
      promotionCode: 'FREE100',
    });
    expect(textOf(await thanks.text())).toContain('Your subscription to “Monthly Coffee Beans” has started');
    const session = [...ctx.stack.emulator.state.checkoutSessions.values()].find((s) => s.customer === customerId);
    expect(session?.payment_status).toBe('no_payment_required');
    expect((await ctx.inspect.record(customerId))?.status).toBe('active');
  });
});
