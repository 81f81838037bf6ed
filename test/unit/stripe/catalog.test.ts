import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../../dev/stripe-emulator/server.ts';
import { fetchPlans, findPlan } from '../../../src/lib/stripe/catalog';
import { createStripeClient } from '../../../src/lib/stripe/client';
import { planFixture } from '../../support/stripe-fixtures.ts';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ log: false });
});
afterAll(() => emulator.close());

describe('fetchPlans', () => {
  it('follows pagination and keeps only licensed per-unit recurring prices of active products', async () => {
    const seeded = await fetchPlans(createStripeClient({ apiKey: emulator.apiKey, apiBase: new URL(emulator.url) }));
    emulator.addManyProducts(230);
    emulator.addProduct({ name: 'One-off Grinder', unit_amount: 5000, interval: null });
    emulator.addProduct({ name: 'Hidden Product', active: false, unit_amount: 100 });
    emulator.addProduct({ name: 'Retired Price', unit_amount: 100, price_active: false });
    emulator.reset();
    const stripe = createStripeClient({ apiKey: emulator.apiKey, apiBase: new URL(emulator.url) });

    const plans = await fetchPlans(stripe);
    expect(plans).toHaveLength(seeded.length + 230);
    const names = plans.map((plan) => plan.name);
    expect(names).not.toContain('One-off Grinder');
    expect(names).not.toContain('Hidden Product');
    expect(names).not.toContain('Retired Price');
    expect(emulator.requests.filter((r) => r.path === '/v1/prices').length).toBe(3);

    const monthly = plans.find((plan) => plan.name === 'Monthly Coffee Beans');
    expect(monthly).toMatchObject({ unitAmount: 1500, currency: 'jpy', interval: 'month', intervalCount: 1 });
    expect(monthly?.image).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/images\/.+\.svg$/);
  });

  it('offers the legacy Plan but no metered or tiered price', async () => {
    const stripe = createStripeClient({ apiKey: emulator.apiKey, apiBase: new URL(emulator.url) });
    const plans = await fetchPlans(stripe);
    const prices = [...emulator.state.prices.values()];
    const metered = prices.filter((price) => price.recurring?.usage_type === 'metered');
    const tiered = prices.filter((price) => price.billing_scheme === 'tiered');
    const legacy = prices.filter((price) => !price.id.startsWith('price_'));
    expect(metered.length).toBeGreaterThan(0);
    expect(tiered.length).toBeGreaterThan(0);
    expect(legacy.length).toBeGreaterThan(0);
    const offered = new Set(plans.map((plan) => plan.priceId));
    for (const price of [...metered, ...tiered]) expect(offered.has(price.id)).toBe(false);
    for (const price of legacy) expect(offered.has(price.id)).toBe(true);
  });
});

describe('findPlan', () => {
  const plans = [planFixture('price_abc', { name: 'A' }), planFixture('gold-monthly', { name: 'Gold' })];

  it('accepts any id the catalog offers, legacy Plan ids included', () => {
    expect(findPlan(plans, 'price_abc')?.name).toBe('A');
    expect(findPlan(plans, 'gold-monthly')?.name).toBe('Gold');
  });

  it('refuses ids it does not offer and anything not shaped like an id', () => {
    for (const bad of [
      'price_other',
      'prod_1',
      '',
      42,
      null,
      undefined,
      ['price_abc'],
      'price_abc\n',
      'gold monthly',
      'x'.repeat(256),
    ]) {
      expect(findPlan(plans, bad)).toBeUndefined();
    }
  });
});
