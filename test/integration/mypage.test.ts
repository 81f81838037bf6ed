import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CookieClient } from '../support/client.ts';
import { TEST_PORTAL_LOGIN_URL, type Stack } from '../support/stack.ts';
import { useStack } from '../support/use-stack.ts';

const VISITOR = 'MyPageVisitor00000000001';

function portalCreates(stack: Stack) {
  return stack.emulator.requests.filter((r) => r.method === 'POST' && r.path === '/v1/billing_portal/sessions');
}

describe('/mypage in workshop mode (MYPAGE_SHARED_CUSTOMER=true)', () => {
  const ctx = useStack({ MYPAGE_SHARED_CUSTOMER: 'true' });
  let customerId: string;
  beforeAll(() => {
    customerId = ctx.stack.emulator.addCustomer({ email: 'shared@example.com' }).id;
  });
  beforeEach(async () => {
    ctx.stack.emulator.reset();
    await ctx.kv.kv.delete('customer_id');
  });

  it('sends any visitor to the shared customer’s portal, as the seed did', async () => {
    await ctx.kv.kv.put('customer_id', customerId);
    const response = await fetch(`${ctx.stack.url}/mypage`, { redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(new RegExp(`^${ctx.stack.emulator.url}/portal/bps_`));
    expect(portalCreates(ctx.stack)[0]?.body).toEqual({ customer: customerId, return_url: `${ctx.stack.url}/`, locale: 'en' });
  });

  it('deep-links ?flow=payment_method_update and ignores unknown flows', async () => {
    await ctx.kv.kv.put('customer_id', customerId);
    await fetch(`${ctx.stack.url}/mypage?flow=payment_method_update`, { redirect: 'manual' });
    expect(portalCreates(ctx.stack)[0]?.body).toMatchObject({ flow_data: { type: 'payment_method_update' } });
    await fetch(`${ctx.stack.url}/mypage?flow=subscription_cancel_everything`, { redirect: 'manual' });
    expect(portalCreates(ctx.stack)[1]?.body).not.toHaveProperty('flow_data');
  });

  it('falls back to the e-mail login portal when no customer is known', async () => {
    const response = await fetch(`${ctx.stack.url}/mypage`, { redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(TEST_PORTAL_LOGIN_URL);
  });

  it.each([
    ['portal settings not saved', { status: 400, type: 'invalid_request_error', message: 'No configuration provided and your test mode default configuration has not been created. Provide a configuration or create your default by saving your customer portal settings in test mode at https://dashboard.stripe.com/test/settings/billing/portal.' }, 502, 'customer portal settings'],
    ['restricted key lacks permission', { status: 403, type: 'invalid_request_error', message: 'The provided key does not have the required permissions for this endpoint.' }, 502, 'permission'],
    ['deleted customer', { status: 400, type: 'invalid_request_error', code: 'resource_missing', message: "No such customer: 'cus_gone'" }, 502, 'no longer exists'],
    ['Stripe outage', { status: 500, type: 'api_error', message: 'Something went wrong on Stripe’s end.' }, 503, 'Try again'],
  ])('answers %s with a friendly page naming the fix', async (_name, fault, status, fix) => {
    await ctx.kv.kv.put('customer_id', customerId);
    ctx.stack.emulator.failNext({ method: 'POST', path: '/v1/billing_portal/sessions', count: 2, ...fault });
    const response = await fetch(`${ctx.stack.url}/mypage`, { redirect: 'manual' });
    expect(response.status).toBe(status);
    const html = await response.text();
    expect(html).toContain('My Page is unavailable right now');
    expect(html).toContain(fix);
    expect(html).not.toMatch(/at \w+ \(|\.ts:\d+|stack/i);
  });

  it('never redirects to a URL taken from the request', async () => {
    const response = await fetch(`${ctx.stack.url}/mypage?next=https://evil.example&return_url=https://evil.example`, { redirect: 'manual' });
    expect(response.headers.get('location')).toBe(TEST_PORTAL_LOGIN_URL);
  });
});

describe('/mypage per visitor (default)', () => {
  const ctx = useStack({ PUBLIC_STRIPE_CUSTOMER_PORTAL_URL: '' });
  beforeEach(() => ctx.stack.emulator.reset());

  it('never uses the shared customer_id without MYPAGE_SHARED_CUSTOMER', async () => {
    await ctx.kv.kv.put('customer_id', ctx.stack.emulator.addCustomer({ email: 'last@example.com' }).id);
    const response = await fetch(`${ctx.stack.url}/mypage`, { redirect: 'manual' });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('No subscription found');
    expect(portalCreates(ctx.stack)).toEqual([]);
  });

  it('opens the portal of the visitor’s own customer, in the visitor’s language', async () => {
    const own = ctx.stack.emulator.addCustomer({ email: 'own@example.com' }).id;
    await ctx.kv.kv.put(`visitor:${VISITOR}`, own);
    const client = new CookieClient(ctx.stack.url);
    client.cookies.set('visitor_id', VISITOR);
    const response = await client.get('/mypage', { 'accept-language': 'ja' });
    expect(response.status).toBe(303);
    expect(portalCreates(ctx.stack)[0]?.body).toMatchObject({ customer: own, locale: 'ja' });
  });

  it('treats a tampered or malformed cookie as no cookie', async () => {
    for (const value of ['MyPageVisitor00000000001x', '../../customer_id', '%00', 'a'.repeat(4000)]) {
      const client = new CookieClient(ctx.stack.url);
      client.cookies.set('visitor_id', value);
      const response = await client.get('/mypage');
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('No subscription found');
    }
    expect(portalCreates(ctx.stack)).toEqual([]);
  });

  it('answers other methods with 4xx and no Stripe call', async () => {
    const response = await fetch(`${ctx.stack.url}/mypage`, { method: 'DELETE' });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(portalCreates(ctx.stack)).toEqual([]);
  });
});
