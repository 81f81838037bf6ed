/** A subscriber's skip, pause and frequency change (docs/changes.md): the routes, Stripe, shipments and the storefront. */
import type Stripe from 'stripe';
import { beforeEach, describe, expect, it } from 'vitest';
import { CookieClient } from '../support/client.ts';
import { stripeOn } from '../support/emulator.ts';
import { eventually, seededPrice, subscribe, subscriptionOf, textOf } from '../support/shop.ts';
import { TEST_SIGN_IN_FROM, useStack } from '../support/stack.ts';

// DEMO_MODE lets the owner in on loopback (the stand-in for Cloudflare Access), for the owner's list.
const ctx = useStack({ DEMO_MODE: 'true', SHIPPING_COUNTRIES: 'JP', SIGN_IN_EMAIL_FROM: TEST_SIGN_IN_FROM });
beforeEach(() => ctx.stack.emulator.reset());

const DAY = 86_400;
/** A catalog price by its lookup key (the coffee's three frequencies cost the same). */
function priceByLookup(key: string): string {
  const price = [...ctx.stack.emulator.state.prices.values()].find((candidate) => candidate.lookup_key === key);
  if (!price) throw new Error(`no price ${key}`);
  return price.id;
}
const monthly = () => priceByLookup('monthly_coffee_beans_1m_jpy');
const periodEnd = (subscription: Stripe.Subscription | undefined) =>
  subscription?.items.data[0]?.current_period_end ?? 0;
const KEY = 'double-click-key-0001';

async function subscriber() {
  const client = new CookieClient(ctx.stack.url);
  const { customerId } = await subscribe(client, ctx.stack.emulator, { price: monthly() });
  await ctx.stack.emulator.settle();
  const subscription = subscriptionOf(ctx.stack.emulator, customerId);
  if (!subscription) throw new Error('no subscription');
  return { client, customerId, subscriptionId: subscription.id, next: periodEnd(subscription) };
}

/** Moves the emulator's subscription so that its next renewal is `days` days from now (and its record follows). */
function renewingIn(subscriptionId: string, days: number): number {
  const stored = ctx.stack.emulator.state.subscriptions.get(subscriptionId);
  const next = Math.floor(Date.now() / 1000) + days * DAY;
  for (const item of stored?.items.data ?? []) item.current_period_end = next;
  return next;
}

/** The statuses of a subscription's invoices, oldest first. */
async function invoiceStatuses(subscriptionId: string) {
  const invoices = await stripeOn(ctx.stack.emulator).invoices.list({ subscription: subscriptionId });
  return invoices.data.map((invoice) => [invoice.billing_reason, invoice.status]).reverse();
}

async function shipmentsOf(customerId: string) {
  return (await ctx.inspect.shipments()).filter((shipment) => shipment.customerId === customerId);
}

describe('skip the next delivery', () => {
  it('voids the next renewal (no charge, no parcel), charges and ships the one after; a double click skips once', async () => {
    const { client, customerId, subscriptionId, next } = await subscriber();
    const page = await (await client.get('/', { 'accept-language': 'ja' })).text();
    expect(page).toContain('data-testid="delivery-changes"');
    expect(page).toContain(`name="date" value="${next}"`);
    expect(textOf(page)).toMatch(
      /次回のお届け（\d{4}年\d{1,2}月\d{1,2}日）をスキップ（次は\d{4}年\d{1,2}月\d{1,2}日）/,
    );

    const form = { key: KEY, date: String(next) };
    const [first, second] = await Promise.all([
      client.postForm('/subscription/skip', form),
      client.postForm('/subscription/skip', form),
    ]);
    for (const answer of [first, second]) {
      expect(answer.status).toBe(303);
      expect(answer.headers.get('location')).toBe('/?changed=skip');
    }
    const paused = ctx.stack.emulator.state.subscriptions.get(subscriptionId)?.pause_collection;
    expect(paused).toMatchObject({ behavior: 'void' });
    expect(paused?.resumes_at).toBeGreaterThan(next);
    expect(paused?.resumes_at).toBeLessThan(next + 28 * DAY);
    // The same key twice is one change at Stripe (an idempotent replay or "already skipped").
    const updates = ctx.stack.emulator.requests.filter(
      (request) => request.method === 'POST' && request.path === `/v1/subscriptions/${subscriptionId}`,
    );
    expect(updates.length).toBeGreaterThanOrEqual(1);
    expect(new Set(updates.map((request) => request.idempotencyKey)).size).toBe(1);
    expect((await ctx.inspect.record(customerId))?.cycle?.pause).toMatchObject({ behavior: 'void' });
    const after = textOf(await (await client.get('/?changed=skip', { 'accept-language': 'ja' })).text());
    expect(after).toContain('次回のお届けをスキップしました');
    expect(after).toContain('お休みするお届け');
    expect(after).toContain('スキップを取り消す');
    await eventually(async () => (await ctx.inspect.outbox()).some((mail) => mail.subject.includes('スキップ')));

    const shippedBefore = (await shipmentsOf(customerId)).length;
    await ctx.stack.emulator.advanceTo(next + 40 * DAY);
    await ctx.stack.emulator.settle();
    expect(await invoiceStatuses(subscriptionId)).toEqual([
      ['subscription_create', 'paid'],
      ['subscription_cycle', 'void'],
      ['subscription_cycle', 'paid'],
    ]);
    await eventually(async () => (await shipmentsOf(customerId)).length === shippedBefore + 1);
    expect(await shipmentsOf(customerId)).toHaveLength(2);
  });

  it('is refused by the server after the cutoff, and changes nothing', async () => {
    const { client, subscriptionId } = await subscriber();
    const next = renewingIn(subscriptionId, 2);
    const answer = await client.postForm('/subscription/skip', { key: KEY, date: String(next) });
    expect(answer.status).toBe(409);
    expect(textOf(await answer.text())).toContain('受付締切を過ぎた');
    expect(ctx.stack.emulator.state.subscriptions.get(subscriptionId)?.pause_collection).toBeNull();
  });

  it('cannot be done from another browser, nor without a form key', async () => {
    const { client, subscriptionId, next } = await subscriber();
    const stranger = new CookieClient(ctx.stack.url);
    await stranger.get('/');
    const answer = await stranger.postForm('/subscription/skip', { key: KEY, date: String(next) });
    expect(answer.status).toBe(403);
    expect((await client.postForm('/subscription/skip', { date: String(next) })).status).toBe(400);
    // A cross-site post is refused before anything runs (Astro's origin check).
    const crossSite = await client.postForm(
      '/subscription/skip',
      { key: KEY, date: String(next) },
      { origin: 'https://evil.example' },
    );
    expect(crossSite.status).toBe(403);
    expect(ctx.stack.emulator.state.subscriptions.get(subscriptionId)?.pause_collection).toBeNull();
  });

  it('answers a clear page when Stripe fails, and stores nothing', async () => {
    const { client, customerId, subscriptionId, next } = await subscriber();
    const before = await ctx.inspect.record(customerId);
    ctx.stack.emulator.failNext({ method: 'POST', path: `/v1/subscriptions/${subscriptionId}`, status: 500, count: 5 });
    const answer = await client.postForm('/subscription/skip', { key: KEY, date: String(next) });
    expect(answer.status).toBeGreaterThanOrEqual(500);
    const text = textOf(await answer.text());
    expect(text).toContain('変更できませんでした');
    expect(text).toContain('お問い合わせ番号');
    expect(await ctx.inspect.record(customerId)).toEqual(before);
  });
});

describe('the owner’s list', () => {
  it('shows who skips or pauses, with the next shipment date; the skipped cycle never reaches the packing list', async () => {
    const { client, customerId, next } = await subscriber();
    const owner = new CookieClient(ctx.stack.url);
    owner.cookies.set('lang', 'ja');
    expect(textOf(await (await owner.get('/admin')).text())).toContain('スキップや一時停止中のご契約はありません');
    await client.postForm('/subscription/skip', { key: KEY, date: String(next) });
    const html = await (await owner.get('/admin')).text();
    expect(html).toContain('data-testid="changed-subscriptions"');
    const following = new Intl.DateTimeFormat('ja', { dateStyle: 'long', timeZone: 'Asia/Tokyo' });
    const skipped = following.format(next * 1000);
    const text = textOf(html);
    expect(text).toContain(`お休み：${skipped}`);
    const nextShipment = /data-testid="next-shipment">\s*([^<]+?)\s*</.exec(html)?.[1];
    expect(nextShipment).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日$/);
    expect(nextShipment).not.toBe(skipped);
    // The skipped renewal is voided: it makes no parcel to pack.
    const before = (await shipmentsOf(customerId)).length;
    await ctx.stack.emulator.advanceTo(next + DAY);
    await ctx.stack.emulator.settle();
    expect(await shipmentsOf(customerId)).toHaveLength(before);
  });
});

describe('My Page’s fallback', () => {
  it('offers the skip when the portal cannot open', async () => {
    const { client, next } = await subscriber();
    ctx.stack.emulator.failNext({ method: 'POST', path: '/v1/billing_portal/sessions', status: 400 });
    const page = await client.get('/mypage');
    expect(page.status).toBe(502);
    const html = await page.text();
    expect(html).toContain('data-testid="skip-next"');
    expect(html).toContain(`name="date" value="${next}"`);
  });
});

describe('pause and resume', () => {
  it('shows the dates, then pauses two renewals (no charges, no parcels) and resumes by itself', async () => {
    const { client, customerId, subscriptionId, next } = await subscriber();
    const form = { key: KEY, from: String(next), months: '2' };
    const preview = await client.postForm('/subscription/pause', form);
    expect(preview.status).toBe(200);
    const previewText = textOf(await preview.text());
    expect(previewText).toContain('2か月のあいだ一時停止します');
    expect(previewText).toMatch(/お休みするお届け：.+・.+/);
    expect(ctx.stack.emulator.state.subscriptions.get(subscriptionId)?.pause_collection).toBeNull();

    const confirmed = await client.postForm('/subscription/pause', { ...form, confirm: 'yes' });
    expect(confirmed.status).toBe(303);
    expect(textOf(await (await client.get('/')).text())).toMatch(/お休みするお届け：.+・.+/);
    await ctx.stack.emulator.advanceTo(next + 70 * DAY);
    await ctx.stack.emulator.settle();
    expect(await invoiceStatuses(subscriptionId)).toEqual([
      ['subscription_create', 'paid'],
      ['subscription_cycle', 'void'],
      ['subscription_cycle', 'void'],
      ['subscription_cycle', 'paid'],
    ]);
    await eventually(async () => (await shipmentsOf(customerId)).length === 2);
  });

  it('resumes early before the cutoff: the next renewal is charged again', async () => {
    const { client, subscriptionId, next } = await subscriber();
    await client.postForm('/subscription/pause', { key: KEY, from: String(next), months: '3', confirm: 'yes' });
    expect(ctx.stack.emulator.state.subscriptions.get(subscriptionId)?.pause_collection).not.toBeNull();
    const resumed = await client.postForm('/subscription/resume', { key: 'resume-key-000000001' });
    expect(resumed.status).toBe(303);
    expect(ctx.stack.emulator.state.subscriptions.get(subscriptionId)?.pause_collection).toBeNull();
  });

  it('a pause made in the portal or the Dashboard shows on the storefront after the webhook', async () => {
    const { client, customerId, subscriptionId } = await subscriber();
    await stripeOn(ctx.stack.emulator).subscriptions.update(subscriptionId, { pause_collection: { behavior: 'void' } });
    await ctx.stack.emulator.settle();
    await eventually(async () => (await ctx.inspect.record(customerId))?.cycle?.pause !== null);
    const page = textOf(await (await client.get('/en/', { 'accept-language': 'en' })).text());
    expect(page).toContain('Paused (no resume date set)');
    expect(page).toContain('Resume deliveries');
  });
});

describe('change how often', () => {
  it('follows a schedule released in the Dashboard (subscription_schedule.released)', async () => {
    const { client, customerId, subscriptionId, next } = await subscriber();
    const form = { key: KEY, from: String(next), price: priceByLookup('monthly_coffee_beans_3m_jpy'), confirm: 'yes' };
    expect((await client.postForm('/subscription/frequency', form)).status).toBe(303);
    expect((await ctx.inspect.record(customerId))?.cycle?.nextPrice).toMatchObject({ at: next });
    const schedule = ctx.stack.emulator.state.subscriptions.get(subscriptionId)?.schedule;
    await stripeOn(ctx.stack.emulator).subscriptionSchedules.release(typeof schedule === 'string' ? schedule : '');
    await ctx.stack.emulator.settle();
    await eventually(async () => (await ctx.inspect.record(customerId))?.cycle?.nextPrice === null);
    expect(textOf(await (await client.get('/')).text())).not.toContain('に変更されます');
  });

  it('shows the dates, then bills the new price from the next renewal, with nothing charged now', async () => {
    const { client, subscriptionId, next } = await subscriber();
    const bimonthly = priceByLookup('monthly_coffee_beans_2m_jpy');
    const page = await (await client.get('/en/', { 'accept-language': 'en' })).text();
    expect(page).toContain(`value="${bimonthly}"`);
    const form = { key: KEY, from: String(next), price: bimonthly };
    const preview = await client.postForm('/en/subscription/frequency', form);
    expect(preview.status).toBe(200);
    expect(textOf(await preview.text())).toContain('every 2 months');
    const confirmed = await client.postForm('/en/subscription/frequency', { ...form, confirm: 'yes' });
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get('location')).toBe('/en/?changed=frequency');
    expect(await invoiceStatuses(subscriptionId)).toEqual([['subscription_create', 'paid']]);
    expect(textOf(await (await client.get('/en/')).text())).toContain('Changes to every 2 months');

    const renewed = await ctx.stack.emulator.renewNow(subscriptionId);
    expect(renewed.items.data[0]?.price.id).toBe(bimonthly);
    // A price of another product is refused.
    const other = seededPrice(ctx.stack.emulator, 2000);
    const refused = await client.postForm('/en/subscription/frequency', {
      key: 'other-key-0000000001',
      from: String(periodEnd(renewed)),
      price: other,
      confirm: 'yes',
    });
    expect(refused.status).toBe(400);
  });
});
