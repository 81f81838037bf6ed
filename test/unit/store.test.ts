import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KV_KEYS, Store } from '../../src/lib/store';
import { createTestKv, type TestKv } from '../support/kv';

let testKv: TestKv;
beforeAll(async () => {
  testKv = await createTestKv();
});
afterAll(() => testKv.dispose());

describe('Store', () => {
  it('applies ordered events once each, keeping the newest whatever the arrival order', async () => {
    const store = new Store(testKv.kv);
    const key = KV_KEYS.sharedCustomer;
    expect(await store.applyOrderedEvent('evt_new', key, 'cus_new', 200)).toBe('written');
    expect(await store.applyOrderedEvent('evt_old', key, 'cus_old', 100)).toBe('stale');
    expect(await store.applyOrderedEvent('evt_new', key, 'cus_new', 200)).toBe('duplicate');
    expect(await store.applyOrderedEvent('evt_new_copy', key, 'cus_new', 200)).toBe('unchanged');
    expect(await store.getSharedCustomer()).toBe('cus_new');
    const { metadata } = await testKv.kv.getWithMetadata<{ created: number }>(key);
    expect(metadata?.created).toBe(200);
    for (const id of ['evt_new', 'evt_old', 'evt_new_copy']) expect(await store.isEventProcessed(id)).toBe(true);
  });

  it('leaves no marker when the write fails', async () => {
    const failing = new Proxy(testKv.kv, {
      get: (target, property) => (property === 'put' ? () => Promise.reject(new Error('KV down')) : Reflect.get(target, property).bind(target)),
    });
    await expect(new Store(failing).applyOrderedEvent('evt_fail', 'visitor:FailFailFailFailFailFail', 'cus_x', 1)).rejects.toThrow('KV down');
    expect(await new Store(testKv.kv).isEventProcessed('evt_fail')).toBe(false);
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
