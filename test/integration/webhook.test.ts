import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { TEST_WEBHOOK_SECRET } from '../support/stack.ts';
import { useStack } from '../support/use-stack.ts';
import { rawRequest } from '../support/raw-http.ts';
import { deliver, eventPayload } from '../support/webhook.ts';
import { fakeStripeSecret } from '../support/fake-secrets.ts';

const ctx = useStack();
let counter = 0;
const nextId = () => `evt_it_${Date.now()}_${++counter}`;
const customerCreated = (customerId: string, created?: number) =>
  eventPayload(nextId(), 'customer.created', { id: customerId, object: 'customer', email: 'secret.person@example.com' }, created);


/** Runs a request and asserts it changed nothing in KV. */
async function expectNoKvChange(send: () => Promise<Response>): Promise<Response> {
  const before = await ctx.kv.snapshot();
  const response = await send();
  expect(await ctx.kv.snapshot()).toEqual(before);
  return response;
}

describe('POST /webhook: the seed contract', () => {
  it('a signed customer.created stores customer_id and answers {"received":true}', async () => {
    const response = await deliver(ctx.stack.url, customerCreated('cus_Seed1'), { secret: TEST_WEBHOOK_SECRET });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(await response.json()).toEqual({ received: true });
    expect(await ctx.kv.kv.get('customer_id')).toBe('cus_Seed1');
  });

  it('a real Stripe-style delivery (no Origin header) reaches the handler', async () => {
    const payload = customerCreated('cus_NoOrigin');
    const response = await fetch(`${ctx.stack.url}/webhook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
        'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret: TEST_WEBHOOK_SECRET }),
      },
      body: payload,
    });
    expect(response.status).toBe(200);
    expect(await ctx.kv.kv.get('customer_id')).toBe('cus_NoOrigin');
  });

  it('an unhandled event type answers 200 and changes nothing', async () => {
    const response = await expectNoKvChange(() =>
      deliver(ctx.stack.url, eventPayload(nextId(), 'invoice.paid', { id: 'in_1', object: 'invoice' }), { secret: TEST_WEBHOOK_SECRET }),
    );
    expect(response.status).toBe(200);
  });

  it('a redelivered event is answered 200 without doing its work again', async () => {
    const payload = customerCreated('cus_Redelivered');
    await deliver(ctx.stack.url, payload, { secret: TEST_WEBHOOK_SECRET });
    await ctx.kv.kv.put('customer_id', 'cus_SomethingNewer', { metadata: { created: 0 } });
    const again = await deliver(ctx.stack.url, payload, { secret: TEST_WEBHOOK_SECRET });
    expect(again.status).toBe(200);
    expect(await ctx.kv.kv.get('customer_id')).toBe('cus_SomethingNewer');
    const id = JSON.parse(payload).id as string;
    expect(ctx.stack.worker.jsonLogs().filter((l) => l.event_id === id).map((l) => l.outcome)).toEqual(['processed', 'duplicate']);
    const expiration = (await ctx.kv.kv.list({ prefix: `event:${id}` })).keys[0]?.expiration ?? 0;
    expect(expiration - Date.now() / 1000).toBeGreaterThan(6.9 * 86_400);
  });

  it('an older customer.created arriving late does not overwrite a newer one', async () => {
    const now = Math.floor(Date.now() / 1000) + 1000;
    await deliver(ctx.stack.url, customerCreated('cus_Newer', now), { secret: TEST_WEBHOOK_SECRET });
    await deliver(ctx.stack.url, customerCreated('cus_Older', now - 60), { secret: TEST_WEBHOOK_SECRET });
    expect(await ctx.kv.kv.get('customer_id')).toBe('cus_Newer');
  });

  it('logs one structured line per request, with no secret, signature or e-mail', async () => {
    const joined = ctx.stack.worker.logs.join('\n');
    expect(joined).not.toContain(TEST_WEBHOOK_SECRET);
    expect(joined).not.toContain('secret.person@example.com');
    expect(joined).not.toMatch(/v1=[0-9a-f]{64}/);
    const line = ctx.stack.worker.jsonLogs().find((l) => l.msg === 'webhook' && l.outcome === 'processed');
    expect(line).toEqual(expect.objectContaining({ event_id: expect.stringMatching(/^evt_/), type: 'customer.created', ms: expect.any(Number) }));
  });
});

/** The abuse table: every case gets a 4xx, a short plain body, and leaves KV untouched. */
describe('POST /webhook: abuse table', () => {
  const valid = () => customerCreated('cus_Abuse');
  const expired = Math.floor(Date.now() / 1000) - 301;
  const cases: Array<[string, () => Promise<Response>, number]> = [
    ['missing signature', () => fetch(`${ctx.stack.url}/webhook`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: valid() }), 400],
    ['signature for another secret', () => deliver(ctx.stack.url, valid(), { secret: fakeStripeSecret('whsec') }), 400],
    ['tampered body', async () => {
      const payload = valid();
      const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: TEST_WEBHOOK_SECRET });
      return deliver(ctx.stack.url, payload.replace('cus_Abuse', 'cus_Evil'), { secret: TEST_WEBHOOK_SECRET, signature });
    }, 400],
    ['replay older than the tolerance', () => deliver(ctx.stack.url, valid(), { secret: TEST_WEBHOOK_SECRET, timestamp: expired }), 400],
    ['a signature header with many v1= entries', () => {
      const t = Math.floor(Date.now() / 1000);
      const signature = `t=${t},` + Array.from({ length: 500 }, (_, i) => `v1=${i.toString(16).padStart(64, '0')}`).join(',');
      return deliver(ctx.stack.url, valid(), { secret: TEST_WEBHOOK_SECRET, signature });
    }, 400],
    ['a 2 MiB body', () => {
      // Answered from Content-Length before the body is read, so the socket may close mid-upload:
      // read the status the way a raw HTTP client does.
      const payload = JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) });
      const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: TEST_WEBHOOK_SECRET });
      return rawRequest(ctx.stack.url, `POST /webhook HTTP/1.1\nHost: 127.0.0.1\nContent-Type: application/json\nStripe-Signature: ${signature}\nContent-Length: ${payload.length}\nConnection: close`, payload);
    }, 413],
    ['a body streamed past 1 MiB with no Content-Length', () => {
      const body = 'x'.repeat(1100 * 1024);
      return rawRequest(ctx.stack.url, `POST /webhook HTTP/1.1\nHost: 127.0.0.1\nContent-Type: application/json\nStripe-Signature: t=1,v1=00\nTransfer-Encoding: chunked\nConnection: close`,
        `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`);
    }, 413],
    ['a Content-Length smaller than the body', () => {
      const payload = valid();
      const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: TEST_WEBHOOK_SECRET });
      return rawRequest(ctx.stack.url, `POST /webhook HTTP/1.1\nHost: 127.0.0.1\nContent-Type: application/json\nStripe-Signature: ${signature}\nContent-Length: 20\nConnection: close`, payload);
    }, 400],
    ['non-JSON', () => deliver(ctx.stack.url, 'this is not json', { secret: TEST_WEBHOOK_SECRET }), 400],
    ['JSON that is not an event', () => deliver(ctx.stack.url, JSON.stringify({ hello: 'world' }), { secret: TEST_WEBHOOK_SECRET }), 400],
    ['wrong method (GET)', () => fetch(`${ctx.stack.url}/webhook`), 405],
    ['wrong method (PUT)', () => fetch(`${ctx.stack.url}/webhook`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' }), 405],
    ['wrong content type', () => deliver(ctx.stack.url, valid(), { secret: TEST_WEBHOOK_SECRET, headers: { 'content-type': 'application/xml' } }), 415],
    ['a form-encoded cross-site POST', () => deliver(ctx.stack.url, valid(), { secret: TEST_WEBHOOK_SECRET, headers: { 'content-type': 'text/plain', origin: 'https://evil.example' } }), 403],
    ['a path with a trailing slash', () => deliver(ctx.stack.url, valid(), { secret: TEST_WEBHOOK_SECRET, path: '/webhook/' }), 404],
  ];

  it.each(cases.map(([name, send, status]) => ({ name, send, status })))('$name → $status', async ({ send, status }) => {
    const response = await expectNoKvChange(send);
    expect(response.status).toBe(status);
    expect(response.headers.get('location')).toBeNull();
    const body = await response.text();
    expect(body.length).toBeLessThan(120);
    expect(body).not.toMatch(/Error:|at \w+ \(|node_modules|\.ts:\d+/);
  });
});
