import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../../dev/stripe-emulator/server.ts';
import { fetchPlans, findPlan, productText, type CatalogOptions } from '../../../src/lib/stripe/catalog.ts';
import { planPriceLabel } from '../../../src/lib/subscriptions/plan-view.ts';
import { createStripeClient } from '../../../src/lib/stripe/client.ts';
import { planFixture, planText } from '../../support/stripe-fixtures.ts';

let emulator: Emulator;
const problems: Array<{ msg: string; priceId: string }> = [];
const JA_SHOP: CatalogOptions = {
  shopLanguage: 'ja',
  ships: false,
  automaticTax: false,
  onProblem: (problem) => problems.push(problem),
};
const client = () => createStripeClient({ apiKey: emulator.apiKey, apiBase: new URL(emulator.url) });
beforeAll(async () => {
  emulator = await startEmulator({ log: false, testFixtures: true });
});
afterAll(() => emulator.close());

describe('fetchPlans', () => {
  it('follows pagination and keeps only licensed per-unit recurring prices of active products', async () => {
    const seeded = await fetchPlans(client(), JA_SHOP);
    emulator.addManyProducts(230);
    emulator.addProduct({ name: 'One-off Grinder', unit_amount: 5000, interval: null });
    emulator.addProduct({ name: 'Hidden Product', active: false, unit_amount: 100 });
    emulator.addProduct({ name: 'Retired Price', unit_amount: 100, price_active: false });
    emulator.reset();
    const stripe = createStripeClient({ apiKey: emulator.apiKey, apiBase: new URL(emulator.url) });

    const plans = await fetchPlans(stripe, JA_SHOP);
    expect(plans).toHaveLength(seeded.length + 230);
    const names = plans.map((plan) => plan.text.ja.name);
    expect(names).not.toContain('One-off Grinder');
    expect(names).not.toContain('Hidden Product');
    expect(names).not.toContain('Retired Price');
    expect(emulator.requests.filter((r) => r.path === '/v1/prices').length).toBe(3);

    const monthly = plans.find((plan) => plan.text.en.name === 'Monthly Coffee Beans');
    expect(monthly).toMatchObject({
      unitAmount: 1500,
      currency: 'jpy',
      interval: 'month',
      intervalCount: 1,
      taxBehavior: 'inclusive',
      reducedTaxRate: true,
      shipping: { kind: 'none' },
      text: {
        ja: { name: '毎月のコーヒー豆', perDelivery: '200 g × 2袋（豆のまま）' },
        en: { name: 'Monthly Coffee Beans', perDelivery: 'two 200 g bags (whole beans)' },
      },
    });
    expect(monthly?.image).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/images\/.+\.svg$/);
  });

  it('offers the legacy Plan but no metered or tiered price', async () => {
    const stripe = createStripeClient({ apiKey: emulator.apiKey, apiBase: new URL(emulator.url) });
    const plans = await fetchPlans(stripe, JA_SHOP);
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

describe('productText', () => {
  const product = {
    name: '毎月のコーヒー豆',
    description: '毎月2袋',
    metadata: { name_en: 'Monthly Beans', per_delivery: '200 g × 2袋' },
  };

  it('takes the shop language from Stripe and the other from metadata, falling back to the shop language', () => {
    expect(productText(product, 'ja')).toEqual({
      ja: { name: '毎月のコーヒー豆', description: '毎月2袋', perDelivery: '200 g × 2袋' },
      en: { name: 'Monthly Beans', description: '毎月2袋', perDelivery: '200 g × 2袋' },
    });
  });

  it('reads the _ja keys for an English-first shop', () => {
    const english = { name: 'Beans', description: null, metadata: { name_ja: '豆', description_ja: ' ' } };
    expect(productText(english, 'en')).toEqual({
      en: { name: 'Beans', description: null, perDelivery: null },
      ja: { name: '豆', description: null, perDelivery: null },
    });
  });
});

describe('fetchPlans: tax and shipping', () => {
  it('does not offer a tax-exclusive price without Stripe Tax, and says so to the owner', async () => {
    const { prices } = emulator.addProduct({
      name: '税抜の豆',
      prices: [{ unit_amount: 1000, tax_behavior: 'exclusive' }],
    });
    const exclusive = prices[0]?.id ?? '';
    problems.length = 0;
    expect((await fetchPlans(client(), JA_SHOP)).map((plan) => plan.priceId)).not.toContain(exclusive);
    expect(problems).toEqual([{ msg: expect.stringMatching(/STRIPE_AUTOMATIC_TAX/), priceId: exclusive }]);
    const taxed = await fetchPlans(client(), { ...JA_SHOP, automaticTax: true });
    expect(taxed.find((plan) => plan.priceId === exclusive)?.taxBehavior).toBe('exclusive');
    emulator.reset();
  });

  it('offers a price outside the shop’s currency only when it says which tax it includes, and labels it so', async () => {
    const silent = emulator.addProduct({
      name: 'ソウル・ロースト',
      prices: [{ unit_amount: 15000, currency: 'krw', tax_behavior: 'inclusive' }],
    }).prices[0]?.id;
    const stated = emulator.addProduct({
      name: 'ユーロ・ロースト',
      metadata: { tax_label: '（輸出免税）', tax_label_en: ' (tax-free export)' },
      prices: [{ unit_amount: 1200, currency: 'eur', tax_behavior: 'inclusive' }],
    }).prices[0]?.id;
    problems.length = 0;
    const plans = await fetchPlans(client(), JA_SHOP);
    expect(plans.map((plan) => plan.priceId)).not.toContain(silent);
    expect(problems.filter((problem) => problem.priceId === silent)).toEqual([
      { msg: expect.stringMatching(/KRW .*tax_label/), priceId: silent },
    ]);
    const euro = plans.find((plan) => plan.priceId === stated);
    expect(euro?.taxNote).toEqual({ ja: '（輸出免税）', en: ' (tax-free export)' });
    expect(euro && planPriceLabel(euro, 'ja').text).toContain('（輸出免税）');
    expect(euro && planPriceLabel(euro, 'ja').text).not.toContain('税込');
    // A yen price is labelled 税込 without a statement (総額表示).
    expect(plans.find((plan) => plan.currency === 'jpy')?.taxNote).toBeNull();
    emulator.reset();
  });

  it('includes shipping in each plan when nothing else is configured, and nothing for a digital shop', async () => {
    const plans = await fetchPlans(client(), { ...JA_SHOP, ships: true });
    expect(new Set(plans.map((plan) => plan.shipping.kind))).toEqual(new Set(['included']));
  });

  it('attaches SHIPPING_PRICE to the plans of its cycle, leaves its product out, and refuses the others', async () => {
    const { prices } = emulator.addProduct({
      name: '送料',
      prices: [
        { unit_amount: 500, tax_behavior: 'inclusive' },
        { unit_amount: 5000, interval: 'year' },
      ],
    });
    const shippingPriceId = prices[0]?.id ?? '';
    problems.length = 0;
    const plans = await fetchPlans(client(), { ...JA_SHOP, ships: true, shippingPriceId });
    expect(plans.map((plan) => plan.text.ja.name)).not.toContain('送料');
    const monthly = plans.find((plan) => plan.text.en.name === 'Monthly Coffee Beans');
    expect(monthly?.shipping).toEqual({
      kind: 'fee',
      priceId: shippingPriceId,
      unitAmount: 500,
      taxBehavior: 'inclusive',
    });
    // The yearly plan and the USD plan bill on another cycle or currency: one subscription cannot carry both.
    expect(plans.map((plan) => plan.text.en.name)).not.toContain('Yearly Coffee Beans');
    expect(plans.map((plan) => plan.text.en.name)).not.toContain('Espresso Club (USD)');
    expect(problems).toContainEqual({
      msg: expect.stringMatching(/SHIPPING_PRICE is not an active recurring price/),
      priceId: expect.any(String),
    });
    emulator.reset();
  });

  it('does not add a tax-exclusive SHIPPING_PRICE without Stripe Tax, and labels it with its own tax when it may', async () => {
    const { prices } = emulator.addProduct({
      name: '送料（税抜）',
      prices: [{ unit_amount: 500, tax_behavior: 'exclusive' }],
    });
    const shippingPriceId = prices[0]?.id ?? '';
    problems.length = 0;
    expect(await fetchPlans(client(), { ...JA_SHOP, ships: true, shippingPriceId })).toEqual([]);
    expect(problems).toContainEqual({
      msg: expect.stringMatching(/SHIPPING_PRICE is tax-exclusive/),
      priceId: expect.any(String),
    });
    const taxed = await fetchPlans(client(), { ...JA_SHOP, ships: true, shippingPriceId, automaticTax: true });
    const monthly = taxed.find((plan) => plan.text.en.name === 'Monthly Coffee Beans');
    expect(monthly && planPriceLabel(monthly, 'ja').notes[0]).toBe('＋送料 ￥500（税抜・消費税はお支払い画面で計算）');
    emulator.reset();
  });

  it('offers nothing when SHIPPING_PRICE names no active recurring price (selling without shipping would undercharge)', async () => {
    problems.length = 0;
    const plans = await fetchPlans(client(), { ...JA_SHOP, ships: true, shippingPriceId: 'price_missing' });
    expect(plans).toEqual([]);
    expect(problems.length).toBeGreaterThan(0);
  });
});

describe('findPlan', () => {
  const plans = [
    planFixture('price_abc', { text: planText('A') }),
    planFixture('gold-monthly', { text: planText('Gold') }),
  ];

  it('accepts any id the catalog offers, legacy Plan ids included', () => {
    expect(findPlan(plans, 'price_abc')?.text.en.name).toBe('A');
    expect(findPlan(plans, 'gold-monthly')?.text.en.name).toBe('Gold');
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
