import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { KV_KEYS, Store } from '../../src/lib/store';
import { toRecord } from '../../src/lib/subscriptions/record';
import { newVisitorId } from '../../src/lib/visitor';
import { createTestKv, failingKv, type TestKv } from '../support/kv';
import { subscriptionFixture } from '../support/stripe-fixtures.ts';

let testKv: TestKv;
let store: Store;
beforeAll(async () => {
  testKv = await createTestKv();
});
beforeEach(async () => {
  for (const key of (await testKv.kv.list()).keys) await testKv.kv.delete(key.name);
  store = new Store(testKv.kv);
});
afterAll(() => testKv.dispose());

const keys = async () => (await testKv.kv.list()).keys.map((key) => key.name).sort();

describe('Store', () => {
  it('keeps the newest customer in customer_id whatever the order', async () => {
    await store.setSharedCustomer('cus_new', 200);
    await store.setSharedCustomer('cus_old', 100);
    expect(await store.getSharedCustomer()).toBe('cus_new');
    await store.clearSharedCustomer('cus_other');
    expect(await store.getSharedCustomer()).toBe('cus_new');
  });

  it('binds visitors with a reverse index, and forgets a deleted customer everywhere', async () => {
    const [a, b, c] = [newVisitorId(), newVisitorId(), newVisitorId()];
    expect(await store.bindVisitor(a, 'cus_1')).toBe('bound');
    expect(await store.bindVisitor(a, 'cus_1')).toBe('unchanged');
    await store.bindVisitor(b, 'cus_1');
    await store.bindVisitor(c, 'cus_2');
    await store.putSubscription(toRecord('cus_1', [], 1));
    expect(await store.dropCustomer('cus_1')).toBe(2);
    expect(await store.getVisitorCustomer(a)).toBeNull();
    expect(await store.getVisitorCustomer(b)).toBeNull();
    expect(await store.getVisitorCustomer(c)).toBe('cus_2');
    expect(await keys()).toEqual([KV_KEYS.customerVisitor('cus_2', c), KV_KEYS.visitor(c)].sort());
  });

  it('never lets an earlier read of Stripe replace a later one, and skips writes that change nothing', async () => {
    const active = toRecord('cus_1', [subscriptionFixture({ id: 'sub_1', status: 'active', created: 1 })], 2000);
    const pastDue = toRecord('cus_1', [subscriptionFixture({ id: 'sub_1', status: 'past_due', created: 1 })], 1000);
    expect(await store.putSubscription(active)).toBe('written');
    expect(await store.putSubscription(pastDue)).toBe('stale');
    expect(await store.putSubscription({ ...active, readAt: 3000 })).toBe('unchanged');
    expect((await store.getSubscription('cus_1'))?.status).toBe('active');
  });

  it('marks processed events with an expiry, and only after the work succeeded', async () => {
    await expect(store.applyOnce('evt_fail', () => Promise.reject(new Error('Stripe down')))).rejects.toThrow(
      'Stripe down',
    );
    expect(await store.isEventProcessed('evt_fail')).toBe(false);
    expect(await store.applyOnce('evt_1', () => Promise.resolve())).toBe('processed');
    expect(await store.applyOnce('evt_1', () => Promise.resolve())).toBe('duplicate');
    const expiration =
      (await testKv.kv.list({ prefix: 'event:' })).keys.find((key) => key.name === 'event:evt_1')?.expiration ?? 0;
    expect(expiration - Date.now() / 1000).toBeGreaterThan(6.9 * 24 * 3600);
  });

  it('lets KV failures propagate so the webhook answers 5xx', async () => {
    await expect(new Store(failingKv(testKv.kv)).markEventProcessed('evt_x')).rejects.toThrow(/KV put failed/);
  });
});

describe('page reads', () => {
  it('are reused for two seconds in this isolate, and dropped at once by this Store’s writes', async () => {
    let clock = 5_000_000;
    const pageStore = new Store(testKv.kv, () => clock);
    const visitor = newVisitorId();
    expect(await pageStore.getVisitorCustomer(visitor)).toBeNull();
    // Another isolate binds the browser: this one keeps its copy for up to two seconds…
    await testKv.kv.put(`visitor:${visitor}`, 'cus_elsewhere');
    expect(await pageStore.getVisitorCustomer(visitor)).toBeNull();
    clock += 2_001;
    expect(await pageStore.getVisitorCustomer(visitor)).toBe('cus_elsewhere');
    // …but its own writes are seen at once.
    await pageStore.bindVisitor(visitor, 'cus_here');
    expect(await pageStore.getVisitorCustomer(visitor)).toBe('cus_here');
    await pageStore.putSubscription(toRecord('cus_here', [], clock));
    expect(await pageStore.getSubscription('cus_here')).toMatchObject({ status: 'none' });
    await pageStore.dropCustomer('cus_here');
    expect(await pageStore.getVisitorCustomer(visitor)).toBeNull();
    expect(await pageStore.getSubscription('cus_here')).toBeNull();
  });
});
