import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { fakeStripeSecret } from '../support/fake-secrets.ts';
import { rawRequest } from '../support/raw-http.ts';
import { CookieClient } from '../support/client.ts';
import { eventually, seededPrice, subscribe } from '../support/shop.ts';
import { TEST_WEBHOOK_SECRET, useStack } from '../support/stack.ts';
import { deliver, eventPayload, signature } from '../support/webhook.ts';
import { SECURE_VISITOR_COOKIE as VISITOR_COOKIE } from '../../src/lib/visitor/cookie.ts';

const ctx = useStack();
let counter = 0;
const nextId = () => `evt_it_${Date.now()}_${++counter}`;

/** Runs a request and asserts it changed nothing the site stores. */
async function expectNoStateChange(send: () => Promise<Response>): Promise<Response> {
  const before = await ctx.inspect.snapshot();
  const response = await send();
  expect(await ctx.inspect.snapshot()).toEqual(before);
  return response;
}

describe('POST /webhook: customer.deleted is confirmed with Stripe', () => {
  it('a signed customer.deleted naming a live customer drops nothing and is logged as not confirmed', async () => {
    const client = new CookieClient(ctx.stack.url);
    const { customerId } = await subscribe(client, ctx.stack.emulator, {
      price: seededPrice(ctx.stack.emulator, 1500),
    });
    await ctx.stack.emulator.settle();
    const visitor = client.cookies.get(VISITOR_COOKIE);
    const record = await ctx.inspect.record(customerId);
    expect(record?.status).toBe('active');
    const live = ctx.stack.emulator.state.customers.get(customerId);
    const payload = eventPayload(nextId(), 'customer.deleted', { ...live, deleted: true });
    const response = await deliver(ctx.stack.url, payload, { secret: TEST_WEBHOOK_SECRET });
    expect(response.status).toBe(200);
    expect(await ctx.inspect.binding(visitor)).toBe(customerId);
    expect(await ctx.inspect.record(customerId)).toEqual(record);
    expect(
      ctx.stack.worker.jsonLogs().some((l) => l.msg === 'customer.deleted not confirmed by Stripe; nothing dropped'),
    ).toBe(true);
    expect((await client.get('/en/members')).status).toBe(200);
  });

  it('a customer Stripe really deleted is forgotten with every browser bound to it', async () => {
    const client = new CookieClient(ctx.stack.url);
    const { customerId } = await subscribe(client, ctx.stack.emulator, {
      price: seededPrice(ctx.stack.emulator, 1500),
    });
    await ctx.stack.emulator.settle();
    await ctx.stack.emulator.deleteCustomer(customerId);
    await ctx.stack.emulator.settle();
    expect(await ctx.inspect.binding(client.cookies.get(VISITOR_COOKIE))).toBeNull();
    expect(await ctx.inspect.record(customerId)).toBeNull();
  });
});

describe('POST /webhook: the seed contract', () => {
  it('customer.created keeps customer_id = the newest customer, re-read from Stripe', async () => {
    const older = ctx.stack.emulator.addCustomer({ email: 'secret.person@example.com' });
    const newer = ctx.stack.emulator.addCustomer({ email: 'newer@example.com' });
    // The older customer's event arrives last: customer_id still names the newest customer.
    for (const customer of [newer, older]) {
      const response = await deliver(ctx.stack.url, eventPayload(nextId(), 'customer.created', { ...customer }), {
        secret: TEST_WEBHOOK_SECRET,
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('application/json');
      expect(await response.json()).toEqual({ received: true });
    }
    expect(await ctx.inspect.sharedCustomer()).toBe(newer.id);
  });

  it('a real Stripe-style delivery (no Origin header) reaches the handler', async () => {
    const customer = ctx.stack.emulator.addCustomer({ email: 'origin@example.com' });
    const payload = eventPayload(nextId(), 'customer.created', { ...customer });
    const response = await fetch(`${ctx.stack.url}/webhook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
        'stripe-signature': signature(payload, TEST_WEBHOOK_SECRET),
      },
      body: payload,
    });
    expect(response.status).toBe(200);
    expect(await ctx.inspect.sharedCustomer()).toBe(customer.id);
  });

  it('an unhandled event type answers 200 and changes nothing', async () => {
    const response = await expectNoStateChange(() =>
      deliver(ctx.stack.url, eventPayload(nextId(), 'charge.refunded', { id: 'ch_1', object: 'charge' }), {
        secret: TEST_WEBHOOK_SECRET,
      }),
    );
    expect(response.status).toBe(200);
  });

  it('a redelivered event is answered 200 without doing its work again', async () => {
    const customer = ctx.stack.emulator.addCustomer({ email: 'again@example.com' });
    const payload = eventPayload(nextId(), 'customer.created', { ...customer });
    await deliver(ctx.stack.url, payload, { secret: TEST_WEBHOOK_SECRET });
    ctx.stack.emulator.reset();
    const again = await deliver(ctx.stack.url, payload, { secret: TEST_WEBHOOK_SECRET });
    expect(again.status).toBe(200);
    expect(ctx.stack.emulator.requests).toEqual([]);
    const id = JSON.parse(payload).id as string;
    expect(
      ctx.stack.worker
        .jsonLogs()
        .filter((l) => l.event_id === id)
        .map((l) => l.outcome),
    ).toEqual(['processed', 'duplicate']);
    const expiration = (await ctx.inspect.processedEvent(id))?.expiresAt ?? 0;
    expect(expiration - Date.now() / 1000).toBeGreaterThan(6.9 * 86_400);
  });

  it('says thin events are not supported rather than blaming the signature', async () => {
    const thin = JSON.stringify({
      id: 'evt_thin_1',
      object: 'v2.core.event',
      type: 'v1.billing.meter.no_meter_found',
      created: new Date().toISOString(),
    });
    const response = await expectNoStateChange(() => deliver(ctx.stack.url, thin, { secret: TEST_WEBHOOK_SECRET }));
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/^Thin events \(v2\.core\.event\) are not supported/);
  });

  it('warns once in the log when the endpoint’s API version differs from the SDK’s', async () => {
    for (let i = 0; i < 2; i++) {
      const customer = ctx.stack.emulator.addCustomer({});
      const payload = JSON.stringify({
        ...JSON.parse(eventPayload(nextId(), 'customer.created', { ...customer })),
        api_version: '2025-03-31.basil',
      });
      expect((await deliver(ctx.stack.url, payload, { secret: TEST_WEBHOOK_SECRET })).status).toBe(200);
    }
    const warnings = ctx.stack.worker.jsonLogs().filter((line) => line.event_api_version === '2025-03-31.basil');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: 'warn', sdk_api_version: Stripe.API_VERSION });
  });

  it('logs one structured line per request, with no secret, signature or e-mail', async () => {
    const customer = ctx.stack.emulator.addCustomer({ email: 'logged.person@example.com' });
    const id = nextId();
    const response = await deliver(ctx.stack.url, eventPayload(id, 'customer.created', { ...customer }), {
      secret: TEST_WEBHOOK_SECRET,
    });
    expect(response.status).toBe(200);
    const linesOf = () => ctx.stack.worker.jsonLogs().filter((l) => l.msg === 'webhook' && l.event_id === id);
    await eventually(() => linesOf().length > 0);
    expect(linesOf()).toEqual([
      expect.objectContaining({ event_id: id, type: 'customer.created', outcome: 'processed', ms: expect.any(Number) }),
    ]);
    const joined = ctx.stack.worker.logs.join('\n');
    expect(joined).not.toContain(TEST_WEBHOOK_SECRET);
    expect(joined).not.toContain('logged.person@example.com');
    expect(joined).not.toContain('secret.person@example.com');
    expect(joined).not.toMatch(/v1=[0-9a-f]{64}/);
  });
});

/** The abuse table: every case gets a 4xx, a short plain body, and leaves the site's state untouched. */
describe('POST /webhook: abuse table', () => {
  const valid = () => eventPayload(nextId(), 'customer.created', { id: 'cus_Abuse', object: 'customer' });
  const expired = Math.floor(Date.now() / 1000) - 301;
  const raw = (headers: string, body: string) =>
    rawRequest(
      ctx.stack.url,
      `POST /webhook HTTP/1.1\nHost: 127.0.0.1\nContent-Type: application/json\n${headers}\nConnection: close`,
      body,
    );
  const cases: Array<[string, () => Promise<Response>, number]> = [
    [
      'missing signature',
      () =>
        fetch(`${ctx.stack.url}/webhook`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: valid(),
        }),
      400,
    ],
    ['signature for another secret', () => deliver(ctx.stack.url, valid(), { secret: fakeStripeSecret('whsec') }), 400],
    [
      'tampered body',
      () => {
        const payload = valid();
        return deliver(ctx.stack.url, payload.replace('cus_Abuse', 'cus_Evil'), {
          secret: TEST_WEBHOOK_SECRET,
          signature: signature(payload, TEST_WEBHOOK_SECRET),
        });
      },
      400,
    ],
    [
      'replay older than the tolerance',
      () => deliver(ctx.stack.url, valid(), { secret: TEST_WEBHOOK_SECRET, timestamp: expired }),
      400,
    ],
    [
      'a signature header with many v1= entries',
      () => {
        const t = Math.floor(Date.now() / 1000);
        const many =
          `t=${t},` + Array.from({ length: 500 }, (_, i) => `v1=${i.toString(16).padStart(64, '0')}`).join(',');
        return deliver(ctx.stack.url, valid(), { secret: TEST_WEBHOOK_SECRET, signature: many });
      },
      400,
    ],
    [
      'a 1 MiB body (over the 256 KiB cap)',
      () => {
        // Refused from Content-Length before the body is kept: read the status as a raw HTTP client does.
        const payload = JSON.stringify({ pad: 'x'.repeat(1024 * 1024) });
        return raw(
          `Stripe-Signature: ${signature(payload, TEST_WEBHOOK_SECRET)}\nContent-Length: ${payload.length}`,
          payload,
        );
      },
      413,
    ],
    [
      'a body streamed past the cap with no Content-Length',
      () => {
        const body = 'x'.repeat(300 * 1024);
        const t = Math.floor(Date.now() / 1000);
        return raw(
          `Stripe-Signature: t=${t},v1=${'0'.repeat(64)}\nTransfer-Encoding: chunked`,
          `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`,
        );
      },
      413,
    ],
    [
      'a Content-Length smaller than the body',
      () => {
        const payload = valid();
        return raw(`Stripe-Signature: ${signature(payload, TEST_WEBHOOK_SECRET)}\nContent-Length: 20`, payload);
      },
      400,
    ],
    ['non-JSON', () => deliver(ctx.stack.url, 'this is not json', { secret: TEST_WEBHOOK_SECRET }), 400],
    [
      'JSON that is not an event',
      () => deliver(ctx.stack.url, JSON.stringify({ hello: 'world' }), { secret: TEST_WEBHOOK_SECRET }),
      400,
    ],
    ['wrong method (GET)', () => fetch(`${ctx.stack.url}/webhook`), 405],
    [
      'wrong method (PUT)',
      () =>
        fetch(`${ctx.stack.url}/webhook`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        }),
      405,
    ],
    [
      'wrong content type',
      () =>
        deliver(ctx.stack.url, valid(), {
          secret: TEST_WEBHOOK_SECRET,
          headers: { 'content-type': 'application/xml' },
        }),
      415,
    ],
    [
      'a form-encoded cross-site POST',
      () =>
        deliver(ctx.stack.url, valid(), {
          secret: TEST_WEBHOOK_SECRET,
          headers: { 'content-type': 'text/plain', origin: 'https://evil.example' },
        }),
      403,
    ],
    [
      'a path with a trailing slash',
      () => deliver(ctx.stack.url, valid(), { secret: TEST_WEBHOOK_SECRET, path: '/webhook/' }),
      404,
    ],
    [
      'a path with a double slash',
      () => deliver(ctx.stack.url, valid(), { secret: TEST_WEBHOOK_SECRET, path: '//webhook' }),
      404,
    ],
  ];

  it.each(cases.map(([name, send, status]) => ({ name, send, status })))(
    '$name → $status',
    async ({ send, status }) => {
      const response = await expectNoStateChange(send);
      expect(response.status).toBe(status);
      expect(response.headers.get('location')).toBeNull();
      const body = await response.text();
      expect(body.length).toBeLessThan(120);
      expect(body).not.toMatch(/Error:|at \w+ \(|node_modules|\.ts:\d+/);
    },
  );
});

describe('POST /webhook: a flood of forged deliveries', () => {
  it('is answered 400 each, but logs at most 5 individual lines a minute per isolate', async () => {
    const rejectedLines = () =>
      ctx.stack.worker.jsonLogs().filter((line) => line.msg === 'webhook' && line.outcome === 'rejected');
    const before = rejectedLines().length;
    const attacker = fakeStripeSecret('whsec');
    for (let i = 0; i < 20; i++) {
      const payload = eventPayload(nextId(), 'customer.created', { id: `cus_flood${i}`, object: 'customer' });
      expect((await deliver(ctx.stack.url, payload, { secret: attacker })).status).toBe(400);
    }
    // The first rejections of a window are still logged one by one, with their reason.
    expect(rejectedLines().length).toBeGreaterThan(0);
    expect(rejectedLines()[0]).toMatchObject({ reason: expect.any(String), ms: expect.any(Number) });
    expect(rejectedLines().length - before).toBeLessThanOrEqual(5);
    for (const line of ctx.stack.worker.jsonLogs().filter((l) => l.msg === 'webhook rejected (aggregate)'))
      expect(JSON.parse(String(line.counts))).toEqual(expect.any(Object));
  });
});
