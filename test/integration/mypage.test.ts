import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CookieClient } from '../support/client.ts';
import { inspectKv, type KvInspector } from '../support/kv-inspector.ts';
import { startStack, TEST_PORTAL_LOGIN_URL, type Stack } from '../support/stack.ts';

const VISITOR = 'MyPageVisitor00000000001';

function portalCreates(stack: Stack) {
  return stack.emulator.requests.filter((r) => r.method === 'POST' && r.path === '/v1/billing_portal/sessions');
}

describe('/mypage in workshop mode (MYPAGE_SHARED_CUSTOMER=true)', () => {
  let stack: Stack;
  let kv: KvInspector;
  let customerId: string;
  beforeAll(async () => {
    stack = await startStack({ MYPAGE_SHARED_CUSTOMER: 'true' });
    kv = await inspectKv(stack.worker.persistDir);
    customerId = stack.emulator.addCustomer({ email: 'shared@example.com' }).id;
  });
  afterAll(async () => {
    await kv.dispose();
    await stack.close();
  });
  beforeEach(async () => {
    stack.emulator.reset();
    await kv.kv.delete('customer_id');
  });

  it('sends any visitor to the shared customer’s portal, as the seed did', async () => {
    await kv.kv.put('customer_id', customerId);
    const response = await fetch(`${stack.url}/mypage`, { redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(new RegExp(`^${stack.emulator.url}/portal/bps_`));
    expect(portalCreates(stack)[0]?.body).toEqual({ customer: customerId, return_url: `${stack.url}/`, locale: 'en' });
  });

  it('deep-links ?flow=payment_method_update and ignores unknown flows', async () => {
    await kv.kv.put('customer_id', customerId);
    await fetch(`${stack.url}/mypage?flow=payment_method_update`, { redirect: 'manual' });
    expect(portalCreates(stack)[0]?.body).toMatchObject({ flow_data: { type: 'payment_method_update' } });
    await fetch(`${stack.url}/mypage?flow=subscription_cancel_everything`, { redirect: 'manual' });
    expect(portalCreates(stack)[1]?.body).not.toHaveProperty('flow_data');
  });

  it('falls back to the e-mail login portal when no customer is known', async () => {
    const response = await fetch(`${stack.url}/mypage`, { redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(TEST_PORTAL_LOGIN_URL);
  });

  it.each([
    ['portal settings not saved', { status: 400, type: 'invalid_request_error', message: 'No configuration provided and your test mode default configuration has not been created. Provide a configuration or create your default by saving your customer portal settings in test mode at https://dashboard.stripe.com/test/settings/billing/portal.' }, 502, 'customer portal settings'],
    ['restricted key lacks permission', { status: 403, type: 'invalid_request_error', message: 'The provided key does not have the required permissions for this endpoint.' }, 502, 'permission'],
    ['deleted customer', { status: 400, type: 'invalid_request_error', code: 'resource_missing', message: "No such customer: 'cus_gone'" }, 502, 'no longer exists'],
    ['Stripe outage', { status: 500, type: 'api_error', message: 'Something went wrong on Stripe’s end.' }, 503, 'Try again'],
  ])('answers %s with a friendly page naming the fix', async (_name, fault, status, fix) => {
    await kv.kv.put('customer_id', customerId);
    stack.emulator.failNext({ method: 'POST', path: '/v1/billing_portal/sessions', count: 2, ...fault });
    const response = await fetch(`${stack.url}/mypage`, { redirect: 'manual' });
    expect(response.status).toBe(status);
    const html = await response.text();
    expect(html).toContain('My Page is unavailable right now');
    expect(html).toContain(fix);
    expect(html).not.toMatch(/at \w+ \(|\.ts:\d+|stack/i);
  });

  it('never redirects to a URL taken from the request', async () => {
    const response = await fetch(`${stack.url}/mypage?next=https://evil.example&return_url=https://evil.example`, { redirect: 'manual' });
    expect(response.headers.get('location')).toBe(TEST_PORTAL_LOGIN_URL);
  });
});

describe('/mypage per visitor (default)', () => {
  let stack: Stack;
  let kv: KvInspector;
  beforeAll(async () => {
    stack = await startStack({ PUBLIC_STRIPE_CUSTOMER_PORTAL_URL: '' });
    kv = await inspectKv(stack.worker.persistDir);
  });
  afterAll(async () => {
    await kv.dispose();
    await stack.close();
  });
  beforeEach(() => stack.emulator.reset());

  it('never uses the shared customer_id without MYPAGE_SHARED_CUSTOMER', async () => {
    await kv.kv.put('customer_id', stack.emulator.addCustomer({ email: 'last@example.com' }).id);
    const response = await fetch(`${stack.url}/mypage`, { redirect: 'manual' });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('No subscription found');
    expect(portalCreates(stack)).toEqual([]);
  });

  it('opens the portal of the visitor’s own customer, in the visitor’s language', async () => {
    const own = stack.emulator.addCustomer({ email: 'own@example.com' }).id;
    await kv.kv.put(`visitor:${VISITOR}`, own);
    const client = new CookieClient(stack.url);
    client.cookies.set('visitor_id', VISITOR);
    const response = await client.get('/mypage', { 'accept-language': 'ja' });
    expect(response.status).toBe(303);
    expect(portalCreates(stack)[0]?.body).toMatchObject({ customer: own, locale: 'ja' });
  });

  it('treats a tampered or malformed cookie as no cookie', async () => {
    for (const value of ['MyPageVisitor00000000001x', '../../customer_id', '%00', 'a'.repeat(4000)]) {
      const client = new CookieClient(stack.url);
      client.cookies.set('visitor_id', value);
      const response = await client.get('/mypage');
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('No subscription found');
    }
    expect(portalCreates(stack)).toEqual([]);
  });

  it('answers other methods with 4xx and no Stripe call', async () => {
    const response = await fetch(`${stack.url}/mypage`, { method: 'DELETE' });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(portalCreates(stack)).toEqual([]);
  });
});
