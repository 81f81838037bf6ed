import { beforeEach, describe, expect, it } from 'vitest';
import { CookieClient } from '../support/client.ts';
import { TEST_WEBHOOK_SECRET, useStack } from '../support/stack.ts';
import { seededPrice, subscribe, textOf } from '../support/shop.ts';
import { deliver, eventPayload } from '../support/webhook.ts';
import { SECURE_VISITOR_COOKIE as VISITOR_COOKIE } from '../../src/lib/visitor/cookie.ts';

describe('the subscription record follows Stripe', () => {
  const ctx = useStack();
  beforeEach(() => ctx.stack.emulator.reset());

  async function subscriber(price = 1500) {
    const client = new CookieClient(ctx.stack.url);
    const subscribed = await subscribe(client, ctx.stack.emulator, { price: seededPrice(ctx.stack.emulator, price) });
    const subscription = [...ctx.stack.emulator.state.subscriptions.values()].find(
      (s) => s.customer === subscribed.customerId,
    );
    if (!subscription) throw new Error('no subscription');
    return { client, ...subscribed, subscriptionId: subscription.id };
  }
  const record = (customerId: string) => ctx.inspect.record(customerId);

  it('is written on /thanks with what the site shows', async () => {
    const { customerId, subscriptionId } = await subscriber();
    const subscription = ctx.stack.emulator.state.subscriptions.get(subscriptionId);
    expect(await record(customerId)).toMatchObject({
      customerId,
      status: 'active',
      subscriptionId,
      priceId: seededPrice(ctx.stack.emulator, 1500),
      currency: 'jpy',
      currentPeriodEnd: subscription?.items.data[0]?.current_period_end,
      cancelAtPeriodEnd: false,
      card: { brand: 'visa', last4: '4242' },
      everSubscribed: true,
    });
  });

  it.each([
    ['a failed renewal', 'failNextRenewal', { status: 'past_due' }],
    ['a renewal', 'renewNow', { status: 'active' }],
    ['a cancellation at period end', 'cancelAtPeriodEnd', { status: 'active', cancelAtPeriodEnd: true }],
    ['a cancellation now', 'cancelNow', { status: 'canceled' }],
  ] as const)('follows %s through its webhooks', async (_name, action, expected) => {
    const { customerId, subscriptionId } = await subscriber();
    const before = await record(customerId);
    await ctx.stack.emulator[action](subscriptionId);
    await ctx.stack.emulator.settle();
    const after = await record(customerId);
    expect(after).toMatchObject(expected);
    expect(after?.readAt).toBeGreaterThan(before?.readAt ?? 0);
    if (action === 'renewNow') expect(after?.currentPeriodEnd).toBeGreaterThan(before?.currentPeriodEnd ?? 0);
  });

  it('follows a plan switch and a card update, and resumes after a cancellation is undone', async () => {
    const { customerId, subscriptionId } = await subscriber();
    // To the legacy Plan (its id has no price_ prefix).
    await ctx.stack.emulator.switchPrice(subscriptionId, seededPrice(ctx.stack.emulator, 2000));
    await ctx.stack.emulator.settle();
    expect(await record(customerId)).toMatchObject({ priceId: seededPrice(ctx.stack.emulator, 2000) });
    await ctx.stack.emulator.failNextRenewal(subscriptionId);
    await ctx.stack.emulator.updateCard(customerId, '5555555555554444');
    await ctx.stack.emulator.settle();
    expect(await record(customerId)).toMatchObject({ status: 'active', card: { brand: 'mastercard', last4: '4444' } });
    await ctx.stack.emulator.cancelAtPeriodEnd(subscriptionId);
    await ctx.stack.emulator.resumeSubscription(subscriptionId);
    await ctx.stack.emulator.settle();
    expect(await record(customerId)).toMatchObject({ cancelAtPeriodEnd: false });
  });

  it('an older event delivered after a newer one changes nothing: the state is re-read', async () => {
    const { customerId, subscriptionId } = await subscriber();
    const oldPastDue = eventPayload(
      'evt_old_past_due',
      'customer.subscription.updated',
      { id: subscriptionId, object: 'subscription', customer: customerId, status: 'past_due' },
      Math.floor(Date.now() / 1000) - 3600,
    );
    expect((await deliver(ctx.stack.url, oldPastDue, { secret: TEST_WEBHOOK_SECRET })).status).toBe(200);
    expect(await record(customerId)).toMatchObject({ status: 'active' });
  });

  it('answers 5xx without a marker while Stripe cannot be read, then the retry applies it', async () => {
    const { customerId, subscriptionId } = await subscriber();
    // Every read of this customer's subscriptions fails, as in an outage (no client-side retry).
    ctx.stack.emulator.failNext({
      method: 'GET',
      path: '/v1/subscriptions',
      status: 500,
      shouldRetry: false,
      count: Infinity,
    });
    await ctx.stack.emulator.failNextRenewal(subscriptionId);
    await ctx.stack.emulator.settle();
    const failed = ctx.stack.emulator.deliveries.filter((delivery) => !delivery.ok);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((delivery) => delivery.status === 500)).toBe(true);
    for (const delivery of failed) expect(await ctx.inspect.processedEvent(delivery.eventId)).toBeNull();
    expect(await record(customerId)).toMatchObject({ status: 'active' });

    ctx.stack.emulator.reset();
    // Stripe redelivers the failed events (here: the same payloads, signed again).
    for (const eventId of new Set(failed.map((delivery) => delivery.eventId))) {
      const event = ctx.stack.emulator.state.events.find((candidate) => candidate.id === eventId);
      expect((await deliver(ctx.stack.url, JSON.stringify(event), { secret: TEST_WEBHOOK_SECRET })).status).toBe(200);
    }
    expect(await record(customerId)).toMatchObject({ status: 'past_due' });
  });

  it('drops the record and every binding when the customer is deleted', async () => {
    const { client, customerId } = await subscriber();
    await ctx.stack.emulator.deleteCustomer(customerId);
    await ctx.stack.emulator.settle();
    expect(await record(customerId)).toBeNull();
    expect(await ctx.inspect.binding(client.cookies.get(VISITOR_COOKIE))).toBeNull();
    expect(await ctx.inspect.visitorsOf(customerId)).toEqual([]);
  });
});

describe('what a subscriber sees', () => {
  const ctx = useStack({ TRIAL_DAYS: '7' });
  beforeEach(() => ctx.stack.emulator.reset());

  it('a personal storefront: the plan marked, no Subscribe, Switch within the currency, status chip and members link', async () => {
    const client = new CookieClient(ctx.stack.url);
    const { customerId } = await subscribe(client, ctx.stack.emulator, {
      price: seededPrice(ctx.stack.emulator, 1500),
    });
    const response = await client.get('/en/');
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    const html = await response.text();
    expect(html).not.toContain('action="/en/checkout"');
    expect(textOf(html)).toMatch(/Your plan · Free trial .*Monthly Coffee Beans.*Trial ends on \w+ \d+, \d{4}/);
    expect(html.match(/href="\/en\/mypage\?flow=subscription_update"/g)?.length).toBeGreaterThanOrEqual(2);
    expect(html).toContain('data-testid="status-chip"');
    expect(html).toContain('href="/en/members"');
    expect((await client.get('/en/members')).status).toBe(200);
    expect(customerId).toMatch(/^cus_/);
  });

  it('a payment-trouble banner, an ending notice, and /members for each status', async () => {
    const client = new CookieClient(ctx.stack.url);
    const { customerId } = await subscribe(client, ctx.stack.emulator, {
      price: seededPrice(ctx.stack.emulator, 1500),
    });
    const subscriptionId =
      [...ctx.stack.emulator.state.subscriptions.values()].find((s) => s.customer === customerId)?.id ?? '';
    await ctx.stack.emulator.endTrial(subscriptionId);
    await ctx.stack.emulator.failNextRenewal(subscriptionId);
    await ctx.stack.emulator.settle();
    const troubled = await (await client.get('/', { 'accept-language': 'ja' })).text();
    expect(troubled).toContain('data-testid="payment-banner"');
    expect(troubled).toContain('href="/mypage?flow=payment_method_update"');
    expect(textOf(troubled)).toContain('前回のお支払いができませんでした');
    expect((await client.get('/en/members')).status).toBe(200);

    await ctx.stack.emulator.updateCard(customerId, '4242424242424242');
    await ctx.stack.emulator.cancelAtPeriodEnd(subscriptionId);
    await ctx.stack.emulator.settle();
    const ending = textOf(await (await client.get('/en/')).text());
    expect(ending).not.toContain('Your last payment failed');
    expect(ending).toMatch(/Ends on \w+ \d+, \d{4}: you can renew in My Page/);

    await ctx.stack.emulator.cancelNow(subscriptionId);
    await ctx.stack.emulator.settle();
    const members = await client.get('/en/members');
    expect(members.status).toBe(403);
    expect(textOf(await members.text())).toContain('For subscribers only');
    const plansAgain = await (await client.get('/en/')).text();
    expect(plansAgain).toContain('action="/en/checkout"');
  });

  it('/members is 403 for strangers and for subscriptions that are unpaid', async () => {
    const stranger = await new CookieClient(ctx.stack.url).get('/en/members');
    expect(stranger.status).toBe(403);
    expect(stranger.headers.get('cache-control')).toBe('private, no-store');
  });
});
