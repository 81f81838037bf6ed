/**
 * The seeded catalog (the shop's catalog file, and the test fixtures), legacy Plan ids, metered and tiered prices:
 * seeded, retrievable, expandable, and treated like Stripe in Checkout.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type Stripe from 'stripe';
import { beforeEach, describe, expect, it } from 'vitest';
import { readCatalog } from '../../dev/stripe-emulator/seed.ts';
import { LEGACY_PLAN_ID } from '../../dev/stripe-emulator/server.ts';
import { createSession, seeded, stripeError, paidSubscription, useEmulator } from '../support/emulator.ts';
import { idOf } from '../../dev/stripe-emulator/state.ts';

const h = useEmulator();
beforeEach(() => h.emulator.reset());

/** Each listed price as "product name · lookup key". */
async function listed(stripe: Stripe): Promise<string[]> {
  const list = await stripe.prices.list({ active: true, type: 'recurring', expand: ['data.product'], limit: 100 });
  return list.data.map((price) => `${(price.product as Stripe.Product).name} · ${price.lookup_key ?? price.id}`);
}

describe('the catalog file', () => {
  const demo = useEmulator({ testFixtures: false });

  it("is the whole demo catalog, in the file's order, with each product's key in metadata and its picture", async () => {
    expect(await listed(demo.stripe)).toEqual([
      '毎月のコーヒー豆 · monthly_coffee_beans_1m_jpy',
      '毎月のコーヒー豆 · monthly_coffee_beans_2m_jpy',
      '毎月のコーヒー豆 · monthly_coffee_beans_3m_jpy',
      '年間コーヒー豆 · yearly_coffee_beans_1y_jpy',
      'ゴールドブレンド · gold_blend_1m_jpy',
    ]);
    const products = [...demo.emulator.state.products.values()];
    for (const product of products) {
      expect(product.metadata).toMatchObject({ reduced_tax_rate: 'true', name_en: expect.any(String) });
      expect(product.images[0]).toBe(`${demo.emulator.url}/images/${product.metadata.catalog_key}.svg`);
      expect((await fetch(product.images[0] ?? '')).headers.get('content-type')).toBe('image/svg+xml');
    }
    const monthly = products.find((product) => product.metadata.catalog_key === 'monthly-coffee-beans');
    const first = await demo.stripe.prices.retrieve(idOf(monthly?.default_price));
    expect(first.lookup_key).toBe('monthly_coffee_beans_1m_jpy');
  });

  it('sells in yen only, tax included, every 1, 2 and 3 months at one price per delivery', async () => {
    const prices = await demo.stripe.prices.list({ limit: 100 });
    expect(new Set(prices.data.map((price) => price.currency))).toEqual(new Set(['jpy']));
    expect(prices.data.every((price) => price.tax_behavior === 'inclusive')).toBe(true);
    const monthly = prices.data.filter((price) => price.lookup_key?.startsWith('monthly_coffee_beans_'));
    expect(monthly.map((price) => [price.unit_amount, price.recurring?.interval_count])).toEqual([
      [1500, 1],
      [1500, 2],
      [1500, 3],
    ]);
    expect(demo.emulator.state.prices.has(LEGACY_PLAN_ID)).toBe(false);
  });

  it('a broken file is refused with the file and the field named', () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalog-'));
    const file = join(dir, 'catalog.json');
    writeFileSync(file, JSON.stringify({ products: [{ key: 'x', name: 'X', description: 'X', prices: [{}] }] }));
    expect(() => readCatalog(pathToFileURL(file))).toThrow(
      `the catalog file ${file} is not valid: products[0].prices[0].lookup_key must be a non-empty string`,
    );
    writeFileSync(file, '{ "products": ');
    expect(() => readCatalog(pathToFileURL(file))).toThrow(`the catalog file ${file} is not valid:`);
  });
});

describe('the test fixtures', () => {
  it('list after the catalog: the USD Espresso Club, the tiered and the metered price', async () => {
    expect((await listed(h.stripe)).map((line) => line.split(' · ')[0])).toEqual([
      '毎月のコーヒー豆',
      '毎月のコーヒー豆',
      '毎月のコーヒー豆',
      '年間コーヒー豆',
      'ゴールドブレンド',
      'エスプレッソクラブ（米ドル）',
      'オフィス用コーヒー豆（数量割引）',
      'エスプレッソバー・ショット（従量課金）',
    ]);
  });
});

describe('legacy Plan ids', () => {
  it('retrieve and expand a price whose id has no price_ prefix', async () => {
    const price = await h.stripe.prices.retrieve(LEGACY_PLAN_ID, { expand: ['product'] });
    expect(price).toMatchObject({
      id: 'gold-blend-monthly',
      unit_amount: 2000,
      currency: 'jpy',
      recurring: { interval: 'month' },
    });
    expect((price.product as Stripe.Product).name).toBe('ゴールドブレンド');
    expect((price.product as Stripe.Product).images[0]).toMatch(/\/images\/gold-blend\.svg$/);
    const image = await fetch((price.product as Stripe.Product).images[0] ?? '');
    expect(image.headers.get('content-type')).toBe('image/svg+xml');
  });

  it('work in Checkout, line items and subscriptions', async () => {
    const session = await createSession(h.stripe, LEGACY_PLAN_ID);
    expect(session.amount_total).toBe(2000);
    const retrieved = await h.stripe.checkout.sessions.retrieve(session.id, {
      expand: ['line_items.data.price.product'],
    });
    const item = retrieved.line_items?.data[0];
    expect(item?.price?.id).toBe(LEGACY_PLAN_ID);
    expect((item?.price?.product as Stripe.Product).name).toBe('ゴールドブレンド');
    await h.emulator.completeCheckout(session.id);
    const subscriptions = await h.stripe.subscriptions.list({
      price: LEGACY_PLAN_ID,
      expand: ['data.items.data.price'],
    });
    expect(subscriptions.data).toHaveLength(1);
    expect(subscriptions.data[0]?.items.data[0]?.price.id).toBe(LEGACY_PLAN_ID);
    expect(subscriptions.data[0]?.items.data[0]?.plan.id).toBe(LEGACY_PLAN_ID);
  });

  it('an unknown id is still resource_missing', async () => {
    const error = await stripeError(h.stripe.prices.retrieve('silver-blend-monthly'));
    expect(error).toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
      param: 'id',
      message: "No such price: 'silver-blend-monthly'",
    });
  });
});

describe('metered prices', () => {
  it('are licensed-free: usage_type metered with a Billing Meter', () => {
    const { metered } = seeded(h.emulator);
    expect(metered.recurring).toMatchObject({ usage_type: 'metered', interval: 'month' });
    expect(metered.recurring?.meter).toMatch(/^mtr_test_[A-Za-z0-9]{32}$/);
  });

  it('refuse a quantity in Checkout, as Stripe does', async () => {
    const { metered } = seeded(h.emulator);
    const error = await stripeError(createSession(h.stripe, metered.id));
    expect(error).toMatchObject({
      statusCode: 400,
      rawType: 'invalid_request_error',
      message: 'Quantity should not be specified where usage_type is `metered`. Remove quantity from `line_items[0]`',
      param: 'line_items[0][quantity]',
    });
  });

  it('subscribe without a quantity, with nothing due up front', async () => {
    const { metered } = seeded(h.emulator);
    const session = await createSession(h.stripe, metered.id, { line_items: [{ price: metered.id }] });
    expect(session.amount_total).toBe(0);
    const paid = await h.emulator.completeCheckout(session.id);
    expect(paid.payment_status).toBe('no_payment_required');
    const subscription = await h.stripe.subscriptions.retrieve(idOf(paid.subscription));
    expect(subscription.status).toBe('active');
    expect(subscription.items.data[0]?.quantity).toBeUndefined();
  });

  it('licensed prices still need a quantity', async () => {
    const { monthly } = seeded(h.emulator);
    const error = await stripeError(createSession(h.stripe, monthly.id, { line_items: [{ price: monthly.id }] }));
    expect(error).toMatchObject({
      statusCode: 400,
      message: 'Quantity is required. Add `quantity` to `line_items[0]`',
      param: 'line_items[0][quantity]',
    });
  });
});

describe('tiered prices', () => {
  it('have no unit amount; their tiers come with expand[]=tiers', async () => {
    const { tiered } = seeded(h.emulator);
    expect(tiered).toMatchObject({
      billing_scheme: 'tiered',
      tiers_mode: 'volume',
      unit_amount: null,
      unit_amount_decimal: null,
    });
    expect(tiered.tiers).toBeUndefined();
    const expanded = await h.stripe.prices.retrieve(tiered.id, { expand: ['tiers'] });
    expect(expanded.tiers?.map((tier) => [tier.up_to, tier.unit_amount])).toEqual([
      [10, 1200],
      [null, 1000],
    ]);
  });

  it('are charged by their tiers in Checkout (volume: every unit at the reached tier)', async () => {
    const { tiered } = seeded(h.emulator);
    const few = await createSession(h.stripe, tiered.id, { line_items: [{ price: tiered.id, quantity: 3 }] });
    expect(few.amount_total).toBe(3 * 1200);
    const many = await createSession(h.stripe, tiered.id, { line_items: [{ price: tiered.id, quantity: 12 }] });
    expect(many.amount_total).toBe(12 * 1000);
    const subscription = await paidSubscription(h, tiered.id, { line_items: [{ price: tiered.id, quantity: 12 }] });
    const invoice = await h.stripe.invoices.retrieve(idOf(subscription.latest_invoice));
    expect(invoice.amount_paid).toBe(12_000);
  });
});
