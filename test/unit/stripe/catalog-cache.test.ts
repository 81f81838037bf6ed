import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Plan } from '../../../src/lib/stripe/catalog.ts';
import { planFixture } from '../../support/stripe-fixtures.ts';
import { CatalogCache, MEMORY_TTL_MS } from '../../../src/lib/stripe/catalog-cache.ts';
import type { LogFields, Logger } from '../../../src/lib/log/log.ts';
import { createTestStorage, type TestStorage } from '../../support/storage.ts';

const plan = (priceId: string) => planFixture(priceId);

let storage: TestStorage;
let clock: number;
let fetches: number;
let stripeDown: boolean;
let background: Array<Promise<unknown>>;
let lines: LogFields[];
let catalog: Plan[];

const logger: Logger = { info: (f) => lines.push(f), warn: (f) => lines.push(f), error: (f) => lines.push(f) };

function cache(ttlSeconds = 60): CatalogCache {
  return new CatalogCache({
    kv: storage.kv,
    apiKey: 'rk_test_catalogcache',
    ttlSeconds,
    log: logger,
    now: () => clock,
    waitUntil: (promise) => background.push(promise),
    fetchPlans: () => {
      fetches += 1;
      return stripeDown ? Promise.reject(new Error('Stripe unreachable')) : Promise.resolve(catalog);
    },
  });
}

beforeAll(async () => {
  storage = await createTestStorage();
});
beforeEach(async () => {
  for (const key of (await storage.kv.list({ prefix: 'catalog:' })).keys) await storage.kv.delete(key.name);
  // Each test starts far from the last one, so no isolate memory or background refresh carries over.
  clock = (clock ?? 1_000_000) + 10_000_000;
  fetches = 0;
  stripeDown = false;
  background = [];
  lines = [];
  catalog = [plan('price_a')];
});
afterAll(() => storage.dispose());

describe('CatalogCache', () => {
  it('asks Stripe once, then serves memory and KV until the TTL', async () => {
    expect(await cache().get()).toEqual([plan('price_a')]);
    clock += MEMORY_TTL_MS + 1;
    expect(await cache().get()).toEqual([plan('price_a')]);
    expect(fetches).toBe(1);
  });

  it('serves the expired copy at once and refreshes it in the background', async () => {
    await cache(60).get();
    catalog = [plan('price_b')];
    clock += 61_000;
    expect(await cache(60).get()).toEqual([plan('price_a')]);
    await Promise.all(background);
    expect(fetches).toBe(2);
    clock += MEMORY_TTL_MS + 1;
    expect(await cache(60).get()).toEqual([plan('price_b')]);
  });

  it('keeps serving the stale copy while Stripe is down, and logs the failure', async () => {
    await cache(60).get();
    clock += 61_000;
    stripeDown = true;
    expect(await cache(60).get()).toEqual([plan('price_a')]);
    await Promise.all(background);
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'catalog refresh failed' }));
    expect(await cache(60).get()).toEqual([plan('price_a')]);
  });

  it('coalesces a burst of change notices into one more refresh', async () => {
    await cache().get();
    const fetchesBefore = fetches;
    for (let i = 0; i < 20; i++) cache().changed();
    await Promise.all(background);
    // The first notice starts a refresh; the other 19 arrive while it runs and ask for one more.
    expect(fetches - fetchesBefore).toBe(2);
  });

  it('with a TTL of 0 asks Stripe every time', async () => {
    await cache(0).get();
    await cache(0).get();
    expect(fetches).toBe(2);
  });

  it('keeps each account’s copy apart: another key never reads it, and the key itself is never stored', async () => {
    await cache().get();
    const other = new CatalogCache({
      kv: storage.kv,
      apiKey: 'rk_test_anotheraccount',
      ttlSeconds: 60,
      log: logger,
      now: () => clock + MEMORY_TTL_MS + 1,
      waitUntil: (promise) => background.push(promise),
      fetchPlans: () => {
        fetches += 1;
        return Promise.resolve([plan('price_other')]);
      },
    });
    const before = fetches;
    expect(await other.get()).toEqual([plan('price_other')]);
    expect(fetches - before).toBe(1);
    const keys = (await storage.kv.list()).keys.map((key) => key.name);
    expect(keys.filter((key) => key.startsWith('catalog:'))).toHaveLength(2);
    expect(keys.join(' ')).not.toContain('rk_test');
  });
});
