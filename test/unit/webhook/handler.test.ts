import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { planEvent, type EventAction } from '../../../src/lib/webhook/events.ts';
import type { LogFields, Logger } from '../../../src/lib/log/log.ts';
import { ProcessedEvents } from '../../../src/lib/webhook/processed-events.ts';
import { handleWebhook, type WebhookDeps } from '../../../src/lib/webhook/handler.ts';
import { MAX_WEBHOOK_BODY_BYTES } from '../../../src/lib/webhook/limits.ts';
import { fakeStripeSecret } from '../../support/fake-secrets.ts';
import {
  clearStorage,
  createTestStorage,
  eventState,
  failingDb,
  isEmpty,
  type TestStorage,
} from '../../support/storage.ts';
import { eventPayload, signature } from '../../support/webhook.ts';

const SECRET = fakeStripeSecret('whsec');
let storage: TestStorage;
let lines: LogFields[];
let ran: EventAction[];

const logger: Logger = {
  info: (fields) => lines.push(fields),
  warn: (fields) => lines.push({ ...fields, level: 'warn' }),
  error: (fields) => lines.push({ ...fields, level: 'error' }),
};

function deps(overrides: Partial<WebhookDeps> = {}): WebhookDeps {
  return {
    secret: SECRET,
    processedEvents: new ProcessedEvents(storage.db),
    log: logger,
    plan: planEvent,
    run: (action) => {
      ran.push(action);
      return Promise.resolve();
    },
    ...overrides,
  };
}

function signed(payload: string, secret = SECRET, timestamp?: number): Request {
  return new Request('http://shop.test/webhook', {
    method: 'POST',
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'stripe-signature': signature(payload, secret, timestamp),
    },
    body: payload,
  });
}

const subscriptionEvent = (id: string) =>
  eventPayload(id, 'customer.subscription.updated', { id: 'sub_1', object: 'subscription', customer: 'cus_A' });

beforeAll(async () => {
  storage = await createTestStorage();
});
beforeEach(async () => {
  await clearStorage(storage);
  lines = [];
  ran = [];
});
afterAll(() => storage.dispose());

describe('handleWebhook', () => {
  it('runs a verified event once and marks it', async () => {
    const response = await handleWebhook(signed(subscriptionEvent('evt_a')), deps());
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true });
    expect(ran).toEqual([{ kind: 'sync', customerId: 'cus_A' }]);
    expect(await eventState(storage.db, 'evt_a')).toBe('done');
    expect(lines.at(-1)).toMatchObject({
      msg: 'webhook',
      outcome: 'processed',
      event_id: 'evt_a',
      type: 'customer.subscription.updated',
    });
  });

  it('answers a redelivery without redoing the work', async () => {
    await handleWebhook(signed(subscriptionEvent('evt_b')), deps());
    const again = await handleWebhook(signed(subscriptionEvent('evt_b')), deps());
    expect(again.status).toBe(200);
    expect(ran).toHaveLength(1);
    expect(lines.at(-1)).toMatchObject({ outcome: 'duplicate', event_id: 'evt_b' });
  });

  it('ignores unhandled types with 200, writing nothing', async () => {
    const response = await handleWebhook(
      signed(eventPayload('evt_d', 'charge.refunded', { id: 'ch_1', object: 'charge' })),
      deps(),
    );
    expect(response.status).toBe(200);
    expect(ran).toEqual([]);
    expect(await isEmpty(storage)).toBe(true);
  });

  it.each([
    [
      'wrong secret',
      () => signed(subscriptionEvent('evt_e'), fakeStripeSecret('whsec')),
      400,
      'Signature verification failed.',
    ],
    [
      'expired timestamp',
      () => signed(subscriptionEvent('evt_f'), SECRET, Math.floor(Date.now() / 1000) - 301),
      400,
      'Timestamp outside the tolerance zone.',
    ],
    ['not JSON', () => signed('not json'), 400, 'Body is not a Stripe event.'],
    ['JSON that is not an event', () => signed('{"hello":"world"}'), 400, 'Body is not a Stripe event.'],
    [
      'no signature',
      () =>
        new Request('http://s/webhook', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        }),
      400,
      'Missing Stripe-Signature header.',
    ],
    [
      'a signature header without v1',
      () =>
        new Request('http://s/webhook', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v0=abc' },
          body: '{}',
        }),
      400,
      'Malformed Stripe-Signature header.',
    ],
    [
      'wrong method',
      () =>
        new Request('http://s/webhook', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' }),
      405,
      'Method not allowed. Use POST.',
    ],
    [
      'wrong content type',
      () => new Request('http://s/webhook', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' }),
      415,
      'Content-Type must be application/json.',
    ],
  ])('rejects %s without touching storage', async (_name, makeRequest, status, message) => {
    const response = await handleWebhook(makeRequest(), deps());
    expect(response.status).toBe(status);
    expect(await response.text()).toBe(message);
    expect(ran).toEqual([]);
    expect(await isEmpty(storage)).toBe(true);
  });

  it('refuses bodies over the cap with 413, before reading them', async () => {
    const big = 'x'.repeat(MAX_WEBHOOK_BODY_BYTES + 1);
    const response = await handleWebhook(signed(big), deps());
    expect(response.status).toBe(413);
  });

  it('says thin events are not supported, signed with this secret or not', async () => {
    const thin = JSON.stringify({
      id: 'evt_thin',
      object: 'v2.core.event',
      type: 'v1.billing.meter.error_report_triggered',
      created: '2026-11-25T00:00:00.000Z',
    });
    for (const secret of [SECRET, fakeStripeSecret('whsec')]) {
      const response = await handleWebhook(signed(thin, secret), deps());
      expect(response.status).toBe(400);
      expect(await response.text()).toMatch(/Thin events .* are not supported/);
    }
    expect(ran).toEqual([]);
  });

  it('warns once per isolate when the endpoint’s API version differs from the SDK’s', async () => {
    const old = (id: string) => JSON.stringify({ ...JSON.parse(subscriptionEvent(id)), api_version: '2024-06-20' });
    await handleWebhook(signed(old('evt_v1')), deps());
    await handleWebhook(signed(old('evt_v2')), deps());
    const warnings = lines.filter((line) => line.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ event_api_version: '2024-06-20', sdk_api_version: Stripe.API_VERSION });
  });

  it('logs the first 5 rejections a minute one by one, then one aggregate line of counts by reason', async () => {
    // A logger of its own: the per-isolate counter belongs to the logger it writes to.
    const own: LogFields[] = [];
    const log: Logger = { info: (f) => own.push(f), warn: (f) => own.push(f), error: (f) => own.push(f) };
    let t = Date.UTC(2027, 0, 1, 9, 0, 0);
    const unsigned = () =>
      new Request('http://s/webhook', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    for (let i = 0; i < 6; i++) expect((await handleWebhook(unsigned(), deps({ log, now: () => t }))).status).toBe(400);
    const forged = signed(subscriptionEvent('evt_forged'), fakeStripeSecret('whsec'), Math.floor(t / 1000));
    expect((await handleWebhook(forged, deps({ log, now: () => t }))).status).toBe(400);
    expect(own).toHaveLength(5);
    expect(own.every((line) => line.outcome === 'rejected' && line.reason === 'no_signature')).toBe(true);

    t += 60_000;
    expect((await handleWebhook(unsigned(), deps({ log, now: () => t }))).status).toBe(400);
    expect(own.slice(5)).toEqual([
      {
        msg: 'webhook rejected (aggregate)',
        kind: 'webhook_rejected',
        window_start: '2027-01-01T09:00:00.000Z',
        window_ms: 60_000,
        counts: JSON.stringify({ no_signature: 6, bad_signature: 1 }),
        suppressed: 2,
      },
      expect.objectContaining({ msg: 'webhook', outcome: 'rejected', reason: 'no_signature' }),
    ]);
  });

  it('keeps processed events one line each, however many rejections came before', async () => {
    const own: LogFields[] = [];
    const log: Logger = { info: (f) => own.push(f), warn: (f) => own.push(f), error: (f) => own.push(f) };
    for (let i = 0; i < 10; i++) await handleWebhook(signed('not json', fakeStripeSecret('whsec')), deps({ log }));
    for (const id of ['evt_p1', 'evt_p2', 'evt_p3', 'evt_p4', 'evt_p5', 'evt_p6'])
      await handleWebhook(signed(subscriptionEvent(id)), deps({ log }));
    expect(own.filter((line) => line.outcome === 'rejected')).toHaveLength(5);
    expect(own.filter((line) => line.outcome === 'processed').map((line) => line.event_id)).toEqual([
      'evt_p1',
      'evt_p2',
      'evt_p3',
      'evt_p4',
      'evt_p5',
      'evt_p6',
    ]);
  });

  it('refuses all events when the secret is not configured', async () => {
    const response = await handleWebhook(signed(subscriptionEvent('evt_g')), deps({ secret: undefined }));
    expect(response.status).toBe(500);
    expect(String(lines.at(-1)?.reason)).toContain('STRIPE_WEBHOOK_SECRET');
    expect(await isEmpty(storage)).toBe(true);
  });

  it('answers 500 without a marker when the work fails, then applies the retry', async () => {
    const failed = await handleWebhook(
      signed(subscriptionEvent('evt_h')),
      deps({ run: () => Promise.reject(new Error('Stripe unreachable')) }),
    );
    expect(failed.status).toBe(500);
    expect(await failed.text()).toBe('Temporary failure. Please retry.');
    expect(await eventState(storage.db, 'evt_h')).toBeNull();

    const retried = await handleWebhook(signed(subscriptionEvent('evt_h')), deps());
    expect(retried.status).toBe(200);
    expect(await eventState(storage.db, 'evt_h')).toBe('done');
  });

  it('answers 500 when D1 is down, so Stripe retries, and applies the retry once it is back', async () => {
    let down = true;
    const processedEvents = new ProcessedEvents(failingDb(storage.db, () => down));
    const response = await handleWebhook(signed(subscriptionEvent('evt_i')), deps({ processedEvents }));
    expect(response.status).toBe(500);
    expect(ran).toEqual([]);
    down = false;
    expect((await handleWebhook(signed(subscriptionEvent('evt_i')), deps({ processedEvents }))).status).toBe(200);
    expect(ran).toHaveLength(1);
  });

  it('asks Stripe to retry a delivery that arrives while another applies the same event', async () => {
    let release: () => void = () => undefined;
    const slow = deps({
      run: (action) => {
        ran.push(action);
        return new Promise<void>((resolve) => (release = resolve));
      },
    });
    const first = handleWebhook(signed(subscriptionEvent('evt_j')), slow);
    await expect.poll(() => eventState(storage.db, 'evt_j')).toBe('claimed');
    const second = await handleWebhook(signed(subscriptionEvent('evt_j')), deps());
    expect(second.status).toBe(503);
    release();
    expect((await first).status).toBe(200);
    expect(ran).toHaveLength(1);
    expect((await handleWebhook(signed(subscriptionEvent('evt_j')), deps())).status).toBe(200);
    expect(ran).toHaveLength(1);
  });
});
