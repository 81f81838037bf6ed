import { beforeEach, describe, expect, it } from 'vitest';
import { CookieClient } from '../support/client.ts';
import { fakeStripeSecret } from '../support/fake-secrets.ts';
import { TEST_PORTAL_LOGIN_URL, TEST_WEBHOOK_SECRET, useStack } from '../support/stack.ts';
import { deliver, eventPayload } from '../support/webhook.ts';
import { seededPrice, stripeCalls, subscribe, textOf } from '../support/shop.ts';
import { SECURE_VISITOR_COOKIE as VISITOR_COOKIE } from '../../src/lib/visitor/cookie.ts';

const PORTAL = '/v1/billing_portal/sessions';

describe('/mypage for a bound browser', () => {
  const ctx = useStack();
  beforeEach(() => ctx.stack.emulator.reset());

  async function subscriber() {
    const client = new CookieClient(ctx.stack.url);
    const subscribed = await subscribe(client, ctx.stack.emulator, { price: seededPrice(ctx.stack.emulator, 1500) });
    ctx.stack.emulator.reset();
    return { client, ...subscribed };
  }

  it('opens the customer’s own portal, returning to the shop', async () => {
    const { client, customerId } = await subscriber();
    const response = await client.get('/mypage', { 'accept-language': 'ja' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(new RegExp(`^${ctx.stack.emulator.url}/portal/bps_`));
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(stripeCalls(ctx.stack.emulator, PORTAL)[0]?.body).toEqual({
      customer: customerId,
      return_url: `${ctx.stack.url}/`,
      locale: 'ja',
    });
    // From the English pages, the portal speaks English and returns to them.
    expect((await client.get('/en/mypage')).status).toBe(303);
    expect(stripeCalls(ctx.stack.emulator, PORTAL)[1]?.body).toMatchObject({
      return_url: `${ctx.stack.url}/en/`,
      locale: 'en',
    });
  });

  it('deep-links the card update and the plan switch (for that subscription), ignoring unknown flows', async () => {
    const { client, customerId } = await subscriber();
    await client.get('/en/mypage?flow=payment_method_update');
    await client.get('/en/mypage?flow=subscription_update');
    await client.get('/en/mypage?flow=subscription_cancel_everything');
    const [card, change, unknown] = stripeCalls(ctx.stack.emulator, PORTAL).map((call) => call.body);
    expect(card).toMatchObject({ flow_data: { type: 'payment_method_update' } });
    const subscription = [...ctx.stack.emulator.state.subscriptions.values()].find((s) => s.customer === customerId);
    expect(change).toMatchObject({
      flow_data: { type: 'subscription_update', subscription_update: { subscription: subscription?.id } },
    });
    expect(unknown).not.toHaveProperty('flow_data');
  });

  it('opens the plain portal when the portal’s settings do not allow switching', async () => {
    const { client } = await subscriber();
    ctx.stack.emulator.setPortalFeatures({ subscriptionUpdate: false });
    try {
      const response = await client.get('/en/mypage?flow=subscription_update');
      expect(response.status).toBe(303);
      const calls = stripeCalls(ctx.stack.emulator, PORTAL);
      expect(calls).toHaveLength(2);
      expect(calls[1]?.body).not.toHaveProperty('flow_data');
    } finally {
      ctx.stack.emulator.setPortalFeatures({ subscriptionUpdate: true });
    }
  });

  it('forgets a customer deleted in Stripe: falls back, then asks Stripe nothing more', async () => {
    const { client, customerId } = await subscriber();
    const visitor = client.cookies.get(VISITOR_COOKIE);
    ctx.stack.emulator.pauseWebhooks(); // the customer.deleted event is lost for now
    await ctx.stack.emulator.deleteCustomer(customerId);
    const first = await client.get('/en/mypage');
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe(TEST_PORTAL_LOGIN_URL);
    expect(await ctx.inspect.binding(visitor)).toBeNull();
    ctx.stack.emulator.reset();
    await client.get('/en/mypage');
    expect(ctx.stack.emulator.requests).toEqual([]);
    await ctx.stack.emulator.resumeWebhooks();
  });

  it('creates no portal session for HEAD', async () => {
    const { client } = await subscriber();
    const response = await client.request('/mypage', { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(stripeCalls(ctx.stack.emulator, PORTAL)).toEqual([]);
  });

  it('never redirects to a URL taken from the request', async () => {
    const response = await new CookieClient(ctx.stack.url).get(
      '/mypage?next=https://evil.example&return_url=https://evil.example',
    );
    expect(response.headers.get('location')).toBe(TEST_PORTAL_LOGIN_URL);
  });

  it.each([
    [
      'portal settings not saved',
      {
        status: 400,
        type: 'invalid_request_error',
        message:
          'No configuration provided and your test mode default configuration has not been created. Provide a configuration or create your default by saving your customer portal settings in test mode at https://dashboard.stripe.com/test/settings/billing/portal.',
      },
      502,
      'portal_settings',
    ],
    [
      'restricted key lacks permission',
      {
        status: 403,
        type: 'invalid_request_error',
        message: 'The provided key does not have the required permissions for this endpoint.',
      },
      502,
      'permission',
    ],
  ])('%s: a page with a reference; the fix goes to the log line only', async (_name, fault, status, kind) => {
    const { client } = await subscriber();
    ctx.stack.emulator.failNext({ method: 'POST', path: PORTAL, ...fault });
    const response = await client.get('/en/mypage');
    expect(response.status).toBe(status);
    const html = await response.text();
    const reference = /data-testid="error-reference">Reference: ([0-9a-f]{8})</.exec(html)?.[1];
    expect(reference).toBeDefined();
    expect(textOf(html)).toContain('My Page is unavailable right now');
    expect(html).not.toMatch(/Dashboard|permission|restricted key|at \w+ \(|\.ts:\d+/);
    const line = ctx.stack.worker.jsonLogs().find((entry) => entry.ref === reference);
    expect(line).toMatchObject({ kind, status, stripe_request_id: expect.stringMatching(/^req_/) });
    expect(String(line?.hint)).toMatch(/Dashboard|permission/);
  });
});

describe('/mypage without a binding', () => {
  const ctx = useStack({ PUBLIC_STRIPE_CUSTOMER_PORTAL_URL: '' });

  it('says no subscription was found, without asking Stripe', async () => {
    ctx.stack.emulator.reset();
    const response = await new CookieClient(ctx.stack.url).get('/mypage', { 'accept-language': 'ja' });
    expect(response.status).toBe(200);
    expect(textOf(await response.text())).toContain('ご契約が見つかりません');
    expect(ctx.stack.emulator.requests).toEqual([]);
  });
});

describe('/mypage in workshop mode (MYPAGE_SHARED_CUSTOMER=true)', () => {
  const ctx = useStack({ MYPAGE_SHARED_CUSTOMER: 'true' });

  it('sends any visitor to the newest customer’s portal, as the seed did', async () => {
    const customer = ctx.stack.emulator.addCustomer({ email: 'shared@example.com' });
    await deliver(ctx.stack.url, eventPayload('evt_shared_1', 'customer.created', { ...customer }), {
      secret: TEST_WEBHOOK_SECRET,
    });
    expect(await ctx.inspect.sharedCustomer()).toBe(customer.id);
    ctx.stack.emulator.reset();
    const response = await new CookieClient(ctx.stack.url).get('/en/mypage');
    expect(response.status).toBe(303);
    expect(stripeCalls(ctx.stack.emulator, PORTAL)[0]?.body).toMatchObject({ customer: customer.id });
  });
});

describe('/mypage in workshop mode with a live key', () => {
  const ctx = useStack({ MYPAGE_SHARED_CUSTOMER: 'true', STRIPE_API_KEY: fakeStripeSecret('sk_live') });

  it('ignores the switch and logs it as an error', async () => {
    await ctx.arrange.sharedCustomer('cus_someone');
    const response = await new CookieClient(ctx.stack.url).get('/en/mypage');
    expect(response.headers.get('location')).toBe(TEST_PORTAL_LOGIN_URL);
    expect(ctx.stack.worker.jsonLogs()).toContainEqual(
      expect.objectContaining({ level: 'error', variable: 'MYPAGE_SHARED_CUSTOMER' }),
    );
  });
});
