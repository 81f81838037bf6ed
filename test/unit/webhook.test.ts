import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Logger, LogFields } from '../../src/lib/log';
import { Store } from '../../src/lib/store';
import { handleWebhook, type WebhookDeps } from '../../src/lib/webhook';
import { createTestKv, type TestKv } from '../support/kv';
import { fakeStripeSecret } from '../support/fake-secrets.ts';

const SECRET = fakeStripeSecret('whsec');
const webhooks = Stripe.webhooks;
let testKv: TestKv;
let lines: LogFields[];

const logger: Logger = {
  info: (fields) => lines.push(fields),
  warn: (fields) => lines.push(fields),
  error: (fields) => lines.push(fields),
};

function deps(overrides: Partial<WebhookDeps> = {}): WebhookDeps {
  return { store: new Store(testKv.kv), secret: SECRET, webhooks, cryptoProvider: Stripe.createSubtleCryptoProvider(), log: logger, ...overrides };
}

function event(id: string, type: string, object: Record<string, unknown>, created = 1_700_000_000) {
  return JSON.stringify({ id, object: 'event', type, created, api_version: Stripe.API_VERSION, livemode: false, pending_webhooks: 1, request: { id: null, idempotency_key: null }, data: { object } });
}

function signed(payload: string, secret = SECRET, timestamp?: number): Request {
  const signature = webhooks.generateTestHeaderString({ payload, secret, ...(timestamp && { timestamp }) });
  return new Request('http://shop.test/webhook', {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': signature },
    body: payload,
  });
}

beforeAll(async () => {
  testKv = await createTestKv();
});
beforeEach(async () => {
  for (const key of (await testKv.kv.list()).keys) await testKv.kv.delete(key.name);
  lines = [];
});
afterAll(() => testKv.dispose());

describe('handleWebhook', () => {
  it('stores customer_id for customer.created and answers received', async () => {
    const response = await handleWebhook(signed(event('evt_a', 'customer.created', { id: 'cus_A', object: 'customer' })), deps());
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ received: true });
    expect(await testKv.kv.get('customer_id')).toBe('cus_A');
    expect(lines.at(-1)).toMatchObject({ msg: 'webhook', outcome: 'processed', event_id: 'evt_a', type: 'customer.created' });
  });

  it('answers a redelivery without redoing the work', async () => {
    const payload = event('evt_b', 'customer.created', { id: 'cus_B', object: 'customer' });
    await handleWebhook(signed(payload), deps());
    await testKv.kv.put('customer_id', 'cus_changed_since');
    const again = await handleWebhook(signed(payload), deps());
    expect(again.status).toBe(200);
    expect(await testKv.kv.get('customer_id')).toBe('cus_changed_since');
    expect(lines.at(-1)).toMatchObject({ outcome: 'duplicate', event_id: 'evt_b' });
  });

  it('binds the visitor on checkout.session.completed', async () => {
    const visitor = 'AbCdEfGhIjKlMnOpQrStUvWx';
    const payload = event('evt_c', 'checkout.session.completed', { id: 'cs_test_1', object: 'checkout.session', client_reference_id: visitor, customer: 'cus_C' });
    expect((await handleWebhook(signed(payload), deps())).status).toBe(200);
    expect(await testKv.kv.get(`visitor:${visitor}`)).toBe('cus_C');
  });

  it('ignores unhandled types but still answers 200, writing nothing', async () => {
    const response = await handleWebhook(signed(event('evt_d', 'invoice.paid', { id: 'in_1', object: 'invoice' })), deps());
    expect(response.status).toBe(200);
    expect((await testKv.kv.list()).keys).toEqual([]);
  });

  it.each([
    ['wrong secret', () => signed(event('evt_e', 'customer.created', { id: 'cus_E' }), fakeStripeSecret('whsec')), 400],
    ['expired timestamp', () => signed(event('evt_f', 'customer.created', { id: 'cus_F' }), SECRET, Math.floor(Date.now() / 1000) - 301), 400],
    ['not JSON', () => signed('not json'), 400],
    ['JSON that is not an event', () => signed('{"hello":"world"}'), 400],
    ['no signature', () => new Request('http://s/webhook', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }), 400],
    ['wrong method', () => new Request('http://s/webhook', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' }), 405],
    ['wrong content type', () => new Request('http://s/webhook', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' }), 415],
  ])('rejects %s without touching KV', async (_name, makeRequest, status) => {
    const response = await handleWebhook(makeRequest(), deps());
    expect(response.status).toBe(status);
    expect(response.body.length).toBeLessThan(80);
    expect(response.body).not.toContain(SECRET);
    expect((await testKv.kv.list()).keys).toEqual([]);
  });

  it('refuses all events when the secret is not configured', async () => {
    const response = await handleWebhook(signed(event('evt_g', 'customer.created', { id: 'cus_G' })), deps({ secret: undefined }));
    expect(response.status).toBe(500);
    expect(String(lines.at(-1)?.reason)).toContain('STRIPE_WEBHOOK_SECRET');
    expect((await testKv.kv.list()).keys).toEqual([]);
  });

  it('answers 500 without a marker when storage fails, then applies the retry', async () => {
    const failing = new Proxy(testKv.kv, {
      get: (target, property) => (property === 'put' ? () => Promise.reject(new Error('KV down')) : Reflect.get(target, property).bind(target)),
    });
    const payload = event('evt_h', 'customer.created', { id: 'cus_H' });
    const failed = await handleWebhook(signed(payload), deps({ store: new Store(failing) }));
    expect(failed).toMatchObject({ status: 500, body: 'Temporary failure. Please retry.' });
    expect(await testKv.kv.get('event:evt_h')).toBeNull();

    const retried = await handleWebhook(signed(payload), deps());
    expect(retried.status).toBe(200);
    expect(await testKv.kv.get('customer_id')).toBe('cus_H');
    expect(await testKv.kv.get('event:evt_h')).toBe('1');
  });
});
