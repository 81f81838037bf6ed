import { describe, expect, it } from 'vitest';
import { toRecord } from '../../src/lib/subscriptions/record.ts';
import { CookieClient } from '../support/client.ts';
import { seededPrice, subscribe } from '../support/shop.ts';
import { useStack } from '../support/stack.ts';
import { SECURE_VISITOR_COOKIE as VISITOR_COOKIE } from '../../src/lib/visitor/cookie.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('the reconciliation run (Cron Trigger)', () => {
  const ctx = useStack();

  async function subscriber() {
    const client = new CookieClient(ctx.stack.url);
    const { customerId } = await subscribe(client, ctx.stack.emulator, {
      price: seededPrice(ctx.stack.emulator, 1500),
    });
    await ctx.stack.emulator.settle();
    const record = await ctx.inspect.record(customerId);
    if (!record?.subscriptionId) throw new Error('no subscription record');
    return { client, customerId, record, subscriptionId: record.subscriptionId };
  }

  it('ends members access after a lost cancellation, on its next run', async () => {
    const { client, customerId, record, subscriptionId } = await subscriber();
    expect((await client.get('/en/members')).status).toBe(200);

    // The cancellation's webhooks never arrive (endpoint down longer than Stripe retries).
    ctx.stack.emulator.pauseWebhooks();
    await ctx.stack.emulator.cancelNow(subscriptionId);
    expect((await client.get('/en/members')).status).toBe(200);

    // A day later the record is stale: the run re-reads it from Stripe.
    await ctx.arrange.record({ ...record, readAt: Date.now() - DAY_MS - 60_000 });
    ctx.stack.emulator.reset();
    await ctx.stack.worker.scheduled();
    expect((await ctx.inspect.record(customerId))?.status).toBe('canceled');
    expect((await client.get('/en/members')).status).toBe(403);
    const reads = ctx.stack.emulator.requests.filter((r) => r.path === '/v1/subscriptions');
    expect(reads.map((r) => r.query.customer)).toEqual([customerId]);
    expect(ctx.stack.worker.jsonLogs().at(-1)).toMatchObject({ msg: 'reconcile', read: 1, failed: 0 });
  });

  it('closes /members once the period has ended plus the grace, even before a run', async () => {
    const { client, record } = await subscriber();
    const nowSeconds = Math.floor(Date.now() / 1000);
    // Renewal events lost: the record still shows last period's end.
    await ctx.arrange.record({ ...record, currentPeriodEnd: nowSeconds - 2 * 86_400, readAt: Date.now() });
    expect((await client.get('/en/members')).status).toBe(200);
    expect(await (await client.get('/en/')).text()).toContain('href="/en/members"');
    await new Promise((resolve) => setTimeout(resolve, 2_100)); // pages reuse a read for 2 s
    await ctx.arrange.record({ ...record, currentPeriodEnd: nowSeconds - 3 * 86_400 - 60, readAt: Date.now() });
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect((await client.get('/en/members')).status).toBe(403);
    expect(await (await client.get('/en/')).text()).not.toContain('href="/en/members"');
    // A run re-reads it (its period ended) and Stripe says it renewed: access is back.
    await ctx.stack.worker.scheduled();
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect((await client.get('/en/members')).status).toBe(200);
  });

  it('makes at most 20 Stripe reads per run (Workers Free: 50 subrequests), oldest read first', async () => {
    const old = Date.now() - 10 * DAY_MS;
    for (let i = 0; i < 30; i++) {
      const customer = ctx.stack.emulator.addCustomer({ email: `many${i}@example.com` });
      await ctx.arrange.record({ ...toRecord(customer.id, [], old + i), status: 'canceled' });
    }
    ctx.stack.emulator.reset();
    await ctx.stack.worker.scheduled();
    const first = ctx.stack.emulator.requests.filter((r) => r.path === '/v1/subscriptions');
    expect(first).toHaveLength(20);
    ctx.stack.emulator.reset();
    await ctx.stack.worker.scheduled();
    expect(ctx.stack.emulator.requests.filter((r) => r.path === '/v1/subscriptions')).toHaveLength(10);
  });
});

describe('upgrading a running shop from the KV-only version', () => {
  const ctx = useStack();

  it('trusts no binding the old version kept (its cookies were exposed) and deletes its keys', async () => {
    const customer = ctx.stack.emulator.addCustomer({ email: 'old-subscriber@example.com' });
    // What the KV version wrote, keyed by the cookie's own value (which Stripe and embeds saw).
    const oldCookie = 'OldVisitorId000000000001';
    await ctx.arrange.legacyKv(`visitor:${oldCookie}`, customer.id);
    await ctx.arrange.legacyKv(`customer-visitor:${customer.id}:${oldCookie}`, '');
    await ctx.arrange.legacyKv(`subscription:${customer.id}`, JSON.stringify(toRecord(customer.id, [], Date.now())));

    const client = new CookieClient(ctx.stack.url);
    client.cookies.set(VISITOR_COOKIE, oldCookie);
    expect((await client.get('/en/members')).status).toBe(403);
    // My Page offers the sign-in link (or Stripe's login) instead of someone's portal.
    const myPage = await client.get('/en/mypage');
    expect(myPage.headers.get('location') ?? '').not.toContain('/portal/');

    await ctx.stack.worker.scheduled();
    const kvKeys = (await ctx.inspect.snapshot()).kv as string[];
    expect(kvKeys.filter((key) => /^(visitor|customer-visitor|subscription):/.test(key))).toEqual([]);
    expect(ctx.stack.worker.jsonLogs().at(-1)).toMatchObject({ msg: 'reconcile', legacyKvDeleted: 3 });
  });
});
