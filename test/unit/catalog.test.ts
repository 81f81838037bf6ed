import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../dev/stripe-emulator/server.ts';
import { fetchPlans, findPlan } from '../../src/lib/catalog';
import { validatePriceId } from '../../src/lib/checkout';
import { createStripeClient } from '../../src/lib/stripe';
import { fakeStripeSecret } from '../support/fake-secrets.ts';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ log: false });
});
afterAll(() => emulator.close());

describe('fetchPlans', () => {
  it('follows pagination and keeps only active recurring prices of active products', async () => {
    emulator.addManyProducts(230);
    emulator.addProduct({ name: 'One-off Grinder', unit_amount: 5000, interval: null });
    emulator.addProduct({ name: 'Hidden Product', active: false, unit_amount: 100 });
    emulator.addProduct({ name: 'Retired Price', unit_amount: 100, price_active: false });
    const stripe = createStripeClient({ apiKey: fakeStripeSecret('rk_test'), apiBase: new URL(emulator.url) });

    const plans = await fetchPlans(stripe);
    expect(plans).toHaveLength(3 + 230);
    const names = plans.map((plan) => plan.name);
    expect(names).not.toContain('One-off Grinder');
    expect(names).not.toContain('Hidden Product');
    expect(names).not.toContain('Retired Price');
    expect(emulator.requests.filter((r) => r.path === '/v1/prices').length).toBe(3);

    const monthly = plans.find((plan) => plan.name === 'Monthly Coffee Beans');
    expect(monthly).toMatchObject({ unitAmount: 1500, currency: 'jpy', interval: 'month', intervalCount: 1 });
    expect(monthly?.image).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/images\/.+\.svg$/);
  });
});

describe('validatePriceId', () => {
  const plans = [{ priceId: 'price_abc', productId: 'prod_1', name: 'A', description: null, image: null, unitAmount: 1, currency: 'jpy', interval: 'month' as const, intervalCount: 1 }];

  it('accepts only well-formed ids the catalog offers', () => {
    expect(validatePriceId('price_abc', plans)?.name).toBe('A');
    expect(findPlan(plans, 'price_abc')).toBeDefined();
    for (const bad of ['price_other', 'price_', 'prod_1', '', 42, null, undefined, ['price_abc'], 'price_abc\n']) {
      expect(validatePriceId(bad, plans)).toBeUndefined();
    }
  });
});
