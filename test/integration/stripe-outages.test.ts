import { beforeEach, describe, expect, it } from 'vitest';
import { CookieClient } from '../support/client.ts';
import { seededPrice, startCheckout, subscribe, textOf } from '../support/shop.ts';
import { useStack } from '../support/stack.ts';

/** Stripe answers 429 and 5xx at times: Checkout, /thanks and My Page answer 503 with Retry-After and a reference. */
describe('Stripe rate limits and outages', () => {
  const ctx = useStack();
  beforeEach(() => ctx.stack.emulator.reset());

  async function expectBusyPage(response: Response, route: string) {
    expect(response.status).toBe(503);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    const html = await response.text();
    expect(textOf(html)).toMatch(/try again/i);
    const reference = /Reference: ([0-9a-f]{8})/.exec(textOf(html))?.[1];
    const line = ctx.stack.worker.jsonLogs().find((entry) => entry.ref === reference);
    expect(line).toMatchObject({
      msg: `${route}: Stripe call failed`,
      status: 503,
      stripe_request_id: expect.stringMatching(/^req_/),
    });
  }

  it('POST /checkout while Stripe rate-limits', async () => {
    const client = new CookieClient(ctx.stack.url);
    await client.postForm('/en/checkout', { price: seededPrice(ctx.stack.emulator, 1500) });
    ctx.stack.emulator.rateLimitNext({ path: '/v1/checkout/sessions', count: 1 });
    const response = await client.postForm('/en/checkout', {
      price: seededPrice(ctx.stack.emulator, 1500),
      email: 'a@example.com',
    });
    await expectBusyPage(response, 'checkout');
    expect(ctx.stack.worker.jsonLogs().at(-1)).toMatchObject({ kind: 'rate_limit' });
  });

  it('/thanks while Stripe has an outage', async () => {
    const client = new CookieClient(ctx.stack.url);
    const sessionId = await startCheckout(client, seededPrice(ctx.stack.emulator, 1500), 'b@example.com');
    await ctx.stack.emulator.completeCheckout(sessionId);
    ctx.stack.emulator.failNext({ method: 'GET', path: `/v1/checkout/sessions/${sessionId}`, status: 500, count: 2 });
    await expectBusyPage(await client.get(`/en/thanks?session_id=${sessionId}`), 'thanks');
  });

  it('My Page while Stripe rate-limits, and a retried call that succeeds', async () => {
    const client = new CookieClient(ctx.stack.url);
    await subscribe(client, ctx.stack.emulator, { price: seededPrice(ctx.stack.emulator, 1500) });
    // Stripe marks a 429 `Stripe-Should-Retry: false`: the client does not retry it, the visitor does.
    ctx.stack.emulator.rateLimitNext({ path: '/v1/billing_portal/sessions', count: 1 });
    await expectBusyPage(await client.get('/en/mypage'), 'mypage');
    // One 5xx is retried by the client (maxNetworkRetries: 1) and the visitor never notices.
    ctx.stack.emulator.failNext({ method: 'POST', path: '/v1/billing_portal/sessions', status: 500, count: 1 });
    expect((await client.get('/en/mypage')).status).toBe(303);
  });
});
