import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KV_KEYS, Store } from '../../src/lib/store';
import { createTestKv, type TestKv } from '../support/kv';

let testKv: TestKv;
beforeAll(async () => {
  testKv = await createTestKv();
});
afterAll(() => testKv.dispose());

describe('Store', () => {
  it('keeps the newest shared customer whatever the arrival order', async () => {
    const store = new Store(testKv.kv);
    expect(await store.setSharedCustomer('cus_new', 200)).toBe('written');
    expect(await store.setSharedCustomer('cus_old', 100)).toBe('stale');
    expect(await store.setSharedCustomer('cus_new', 200)).toBe('unchanged');
    expect(await store.getSharedCustomer()).toBe('cus_new');
    const { metadata } = await testKv.kv.getWithMetadata<{ created: number }>(KV_KEYS.sharedCustomer);
    expect(metadata?.created).toBe(200);
  });

  it('serialises concurrent ordered writes so the newest wins', async () => {
    const store = new Store(testKv.kv);
    const order = Array.from({ length: 30 }, (_, i) => i + 1000).sort(() => Math.random() - 0.5);
    await Promise.all(order.map((created) => store.bindVisitor('visitorAAAAAAAAAAAAAAAAA', `cus_${created}`, created)));
    expect(await store.getVisitorCustomer('visitorAAAAAAAAAAAAAAAAA')).toBe('cus_1029');
  });

  it('records processed events with an expiry', async () => {
    const store = new Store(testKv.kv);
    expect(await store.isEventProcessed('evt_1')).toBe(false);
    await store.markEventProcessed('evt_1');
    expect(await store.isEventProcessed('evt_1')).toBe(true);
    const listed = await testKv.kv.list({ prefix: 'event:' });
    const expiration = listed.keys.find((key) => key.name === 'event:evt_1')?.expiration ?? 0;
    expect(expiration - Date.now() / 1000).toBeGreaterThan(6.9 * 24 * 3600);
  });
});
