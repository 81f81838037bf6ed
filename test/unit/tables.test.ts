import { describe, expect, it } from 'vitest';
import { deleteLegacyKvKeys, LEGACY_KV_PREFIXES } from '../../src/lib/housekeeping/legacy-kv.ts';
import { deleteExpiredRows } from '../../src/lib/storage/tables.ts';
import { buildTables } from '../../src/tables.ts';
import { toRecord, type SubscriptionRecord } from '../../src/lib/subscriptions/record.ts';
import { newVisitorSecret as newVisitorId } from '../../src/lib/visitor/cookie.ts';
import { clearStorage, eventState, failingDb, failingKv, storedState, useTestStorage } from '../support/storage.ts';
import { subscriptionFixture } from '../support/stripe-fixtures.ts';
import { RECIPIENT, SHIBUYA_ADDRESS } from '../support/addresses.ts';

/** How a purchase through the site binds a browser. */
const PAID = { via: 'checkout', email: 'a@example.com' } as const;

const ctx = useTestStorage();

const DAY = 24 * 60 * 60 * 1000;
const record = (status: SubscriptionRecord['status'], readAt: number) =>
  toRecord('cus_1', [subscriptionFixture({ id: 'sub_1', status, created: 1 })], readAt);

describe('the site’s tables', () => {
  it('keeps the newest customer in customer_id whatever the order (KV)', async () => {
    await ctx.tables.sharedCustomer.set('cus_new', 200);
    await ctx.tables.sharedCustomer.set('cus_old', 100);
    expect(await ctx.tables.sharedCustomer.get()).toBe('cus_new');
    await ctx.tables.sharedCustomer.clear('cus_other');
    expect(await ctx.tables.sharedCustomer.get()).toBe('cus_new');
  });

  it('records how a binding was proved: a Checkout outranks a sign-in to the same customer, never the reverse', async () => {
    const visitor = newVisitorId();
    const signIn = { via: 'sign-in', email: 'a@example.com' } as const;
    expect(await ctx.tables.bindings.bind(visitor, 'cus_1', signIn)).toBe('bound');
    expect(await ctx.tables.bindings.get(visitor)).toEqual({
      customerId: 'cus_1',
      via: 'sign-in',
      email: 'a@example.com',
    });
    expect(await ctx.tables.bindings.bind(visitor, 'cus_1', signIn)).toBe('unchanged');
    expect(await ctx.tables.bindings.bind(visitor, 'cus_1', PAID)).toBe('bound');
    expect((await ctx.tables.bindings.get(visitor))?.via).toBe('checkout');
    // Signing in again to the customer it paid for keeps the stronger proof.
    await ctx.tables.bindings.bind(visitor, 'cus_1', signIn);
    expect((await ctx.tables.bindings.get(visitor))?.via).toBe('checkout');
    // Another customer by link: the proof is the link's.
    await ctx.tables.bindings.bind(visitor, 'cus_2', { via: 'sign-in', email: 'b@example.com' });
    expect(await ctx.tables.bindings.get(visitor)).toEqual({
      customerId: 'cus_2',
      via: 'sign-in',
      email: 'b@example.com',
    });
    expect((await ctx.tables.viewerReads.read(visitor)).proof).toEqual({ via: 'sign-in', email: 'b@example.com' });
    await ctx.tables.bindings.unbind(visitor);
    expect(await ctx.tables.bindings.get(visitor)).toBeNull();
  });

  it('binds visitors, and forgets a deleted customer everywhere', async () => {
    const [a, b, c] = [newVisitorId(), newVisitorId(), newVisitorId()];
    expect(await ctx.tables.bindings.bind(a, 'cus_1', PAID)).toBe('bound');
    expect(await ctx.tables.bindings.bind(a, 'cus_1', PAID)).toBe('unchanged');
    await ctx.tables.bindings.bind(b, 'cus_1', PAID);
    await ctx.tables.bindings.bind(c, 'cus_2', PAID);
    await ctx.tables.records.put(toRecord('cus_1', [], 1));
    await ctx.tables.forgetCustomer('cus_1');
    expect(await ctx.tables.bindings.customerOf(a)).toBeNull();
    expect(await ctx.tables.bindings.customerOf(b)).toBeNull();
    expect(await ctx.tables.bindings.customerOf(c)).toBe('cus_2');
    const state = await storedState(ctx.storage);
    expect(state.bindings).toEqual([expect.objectContaining({ visitor_ref: c, customer_id: 'cus_2' })]);
    expect(state.subscriptions).toEqual([]);
  });

  it('never lets an earlier read of Stripe replace a later one', async () => {
    expect(await ctx.tables.records.put(record('active', 2000))).toBe('written');
    expect(await ctx.tables.records.put(record('past_due', 1000))).toBe('stale');
    expect(await ctx.tables.records.put(record('active', 2000))).toBe('stale');
    expect((await ctx.tables.records.get('cus_1'))?.status).toBe('active');
    expect(await ctx.tables.records.put(record('canceled', 3000))).toBe('written');
    expect(await ctx.tables.records.get('cus_1')).toEqual(record('canceled', 3000));
  });

  it('keeps the delivery name and address, a later read replacing or clearing them', async () => {
    const delivery = { name: RECIPIENT, address: { ...SHIBUYA_ADDRESS, line2: null } };
    const withDelivery = { ...record('active', 1000), delivery };
    await ctx.tables.records.put(withDelivery);
    expect(await ctx.tables.records.get('cus_1')).toEqual(withDelivery);
    const visitor = newVisitorId();
    await ctx.tables.bindings.bind(visitor, 'cus_1', PAID);
    expect((await ctx.tables.viewerReads.read(visitor)).subscription?.delivery).toEqual(delivery);
    await ctx.tables.records.put(record('active', 2000));
    expect((await ctx.tables.records.get('cus_1'))?.delivery).toBeNull();
  });

  it('keeps the newest read when two locations write interleaved on one real D1', async () => {
    // Two isolates (two Stores on the same database) read Stripe at t=1000 ("active") and t=2000
    // ("canceled"); the slower one writes last. In every order the later read stays.
    const elsewhere = buildTables(ctx.storage.db, ctx.storage.kv);
    const older = record('active', 1000);
    const newer = record('canceled', 2000);
    for (const [first, second] of [
      [() => ctx.tables.records.put(newer), () => elsewhere.records.put(older)],
      [() => elsewhere.records.put(older), () => ctx.tables.records.put(newer)],
    ] as const) {
      await clearStorage(ctx.storage);
      await first();
      await second();
      expect((await elsewhere.records.get('cus_1'))?.status).toBe('canceled');
    }
    await clearStorage(ctx.storage);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? ctx.tables : elsewhere).records.put(record(i === 13 ? 'canceled' : 'active', 1000 + i)),
      ),
    );
    expect(await ctx.tables.records.get('cus_1')).toMatchObject({ status: 'active', readAt: 1019 });
  });

  it('applies an event once: the claim is atomic, final only after the work succeeded', async () => {
    await expect(
      ctx.tables.processedEvents.applyOnce('evt_fail', 'invoice.paid', () => Promise.reject(new Error('Stripe down'))),
    ).rejects.toThrow('Stripe down');
    expect(await eventState(ctx.storage.db, 'evt_fail')).toBeNull();
    let runs = 0;
    const work = () => {
      runs += 1;
      return new Promise((resolve) => setTimeout(resolve, 20));
    };
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () =>
        buildTables(ctx.storage.db, ctx.storage.kv).processedEvents.applyOnce('evt_1', 'invoice.paid', work),
      ),
    );
    expect(runs).toBe(1);
    expect(outcomes.filter((outcome) => outcome === 'processed')).toHaveLength(1);
    // The others found it being applied (Stripe is asked to retry) or already applied.
    expect(
      outcomes.filter((outcome) => outcome !== 'processed').every((o) => o === 'in-progress' || o === 'duplicate'),
    ).toBe(true);
    expect(await ctx.tables.processedEvents.applyOnce('evt_1', 'invoice.paid', work)).toBe('duplicate');
    const [row] = (await storedState(ctx.storage)).processed_events as { expires_at: number }[];
    expect((row?.expires_at ?? 0) - Date.now()).toBeGreaterThan(6.9 * DAY);
  });

  it('takes over a claim whose delivery vanished, after the lease', async () => {
    let clock = 1_000_000;
    const crashed = buildTables(ctx.storage.db, ctx.storage.kv, () => clock).processedEvents;
    void crashed.applyOnce('evt_lost', 'invoice.paid', () => new Promise(() => undefined));
    await expect.poll(() => eventState(ctx.storage.db, 'evt_lost')).toBe('claimed');
    expect(await crashed.applyOnce('evt_lost', 'invoice.paid', () => Promise.resolve())).toBe('in-progress');
    clock += 60_001;
    expect(await crashed.applyOnce('evt_lost', 'invoice.paid', () => Promise.resolve())).toBe('processed');
  });

  it('lets D1 and KV failures propagate so callers answer 5xx', async () => {
    await expect(
      buildTables(failingDb(ctx.storage.db), ctx.storage.kv).bindings.bind(newVisitorId(), 'cus_1', PAID),
    ).rejects.toThrow(/D1_ERROR/);
    await expect(buildTables(ctx.storage.db, failingKv(ctx.storage.kv)).sharedCustomer.set('cus_1', 1)).rejects.toThrow(
      /KV put failed/,
    );
  });

  it('expires pending checkouts, declared e-mails and bindings, and deletes them when asked', async () => {
    let clock = 10 * DAY;
    const timed = buildTables(ctx.storage.db, ctx.storage.kv, () => clock);
    const visitor = newVisitorId();
    await timed.pendingCheckouts.put('cs_test_1', { visitorRef: visitor, email: 'a@example.com', customerId: null });
    await timed.declaredEmails.declare(visitor, 'a@example.com');
    await timed.bindings.bind(visitor, 'cus_1', PAID);
    clock += 5 * DAY;
    expect(await timed.pendingCheckouts.get('cs_test_1')).toBeNull();
    expect(await timed.declaredEmails.get(visitor)).toBe('a@example.com');
    clock += 30 * DAY;
    expect(await timed.declaredEmails.get(visitor)).toBeNull();
    expect(await timed.bindings.customerOf(visitor)).toBe('cus_1');
    expect(await deleteExpiredRows(ctx.storage.db, timed.expiring, clock)).toBe(2);
    clock += 365 * DAY;
    expect(await timed.bindings.customerOf(visitor)).toBeNull();
    expect(await deleteExpiredRows(ctx.storage.db, timed.expiring, clock)).toBe(1);
  });

  it('lists for reconciliation the live records past their period and those not read for a day, oldest first', async () => {
    const nowMs = 100 * DAY;
    const timed = buildTables(ctx.storage.db, ctx.storage.kv, () => nowMs);
    const put = (
      customerId: string,
      status: SubscriptionRecord['status'],
      periodEndMs: number | null,
      readAt: number,
    ) =>
      timed.records.put({
        ...toRecord(customerId, [], readAt),
        status,
        currentPeriodEnd: periodEndMs === null ? null : periodEndMs / 1000,
      });
    await put('cus_fresh', 'active', nowMs + DAY, nowMs - 1000);
    await put('cus_ended', 'active', nowMs - 1000, nowMs - 2000);
    await put('cus_canceled_ended', 'canceled', nowMs - 1000, nowMs - 3000);
    await put('cus_stale', 'canceled', null, nowMs - 2 * DAY);
    await put('cus_staler', 'none', null, nowMs - 3 * DAY);
    const options = { staleBefore: nowMs - DAY, liveStatuses: ['active', 'trialing'], limit: 10 };
    expect(await timed.records.toReconcile(options)).toEqual(['cus_staler', 'cus_stale', 'cus_ended']);
    expect(await timed.records.toReconcile({ ...options, limit: 2 })).toEqual(['cus_staler', 'cus_stale']);
  });
});

describe('page reads', () => {
  it('read binding and record in one statement, reused for two seconds, dropped at once by this isolate’s writes', async () => {
    let clock = 5_000_000;
    const pageStore = buildTables(ctx.storage.db, ctx.storage.kv, () => clock);
    const elsewhere = buildTables(ctx.storage.db, ctx.storage.kv, () => clock);
    const visitor = newVisitorId();
    expect(await pageStore.viewerReads.read(visitor)).toEqual({
      customerId: null,
      proof: null,
      subscription: null,
      shipment: null,
    });
    // Another isolate binds the browser: this one keeps its copy for up to two seconds…
    await elsewhere.bindings.bind(visitor, 'cus_elsewhere', PAID);
    expect((await pageStore.viewerReads.read(visitor)).customerId).toBeNull();
    clock += 2_001;
    expect((await pageStore.viewerReads.read(visitor)).customerId).toBe('cus_elsewhere');
    // …but its own writes are seen at once.
    await pageStore.bindings.bind(visitor, 'cus_here', PAID);
    await pageStore.records.put(toRecord('cus_here', [], clock));
    expect(await pageStore.viewerReads.read(visitor)).toMatchObject({
      customerId: 'cus_here',
      subscription: { status: 'none' },
    });
    await pageStore.forgetCustomer('cus_here');
    expect(await pageStore.viewerReads.read(visitor)).toEqual({
      customerId: null,
      proof: null,
      subscription: null,
      shipment: null,
    });
  });
});

describe('an earlier version’s KV keys', () => {
  it('are never read as bindings, and the run deletes them in batches, then stops listing', async () => {
    const visitor = newVisitorId();
    for (const prefix of LEGACY_KV_PREFIXES) await ctx.storage.kv.put(`${prefix}${visitor}`, 'cus_old');
    await ctx.storage.kv.put('customer_id', 'cus_old');
    // The old version keyed bindings by the cookie's own value, which Stripe and ctx.storage exposed.
    expect(await ctx.tables.viewerReads.read(visitor)).toEqual({
      customerId: null,
      proof: null,
      subscription: null,
      shipment: null,
    });
    expect(await deleteLegacyKvKeys(ctx.storage, 4)).toEqual({ deleted: 4, done: false });
    expect(await deleteLegacyKvKeys(ctx.storage, 4)).toEqual({ deleted: 2, done: false });
    expect(await deleteLegacyKvKeys(ctx.storage, 4)).toEqual({ deleted: 0, done: true });
    expect((await ctx.storage.kv.list()).keys.map((key) => key.name)).toEqual(['customer_id']);
    await ctx.storage.kv.put(`visitor:${visitor}`, 'cus_planted');
    expect(await deleteLegacyKvKeys(ctx.storage, 4)).toEqual({ deleted: 0, done: true });
  });
});
