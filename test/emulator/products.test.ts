/**
 * Products and prices through the API, as a setup script keeps the catalog file in step with an account: created,
 * updated, listed; lookup keys unique and moved with transfer_lookup_key; prices immutable but for what Stripe allows.
 */
import { randomBytes } from 'node:crypto';
import type Stripe from 'stripe';
import { beforeEach, describe, expect, it } from 'vitest';
import { createSession, seeded, stripeError, typesSince, useEmulator } from '../support/emulator.ts';
import { idOf } from '../../dev/stripe-emulator/state.ts';

const h = useEmulator();
beforeEach(() => h.emulator.reset());

/** A lookup key no other test uses. */
const freshKey = (name: string) => `${name}_${randomBytes(4).toString('hex')}`;

async function product(extra: Partial<Stripe.ProductCreateParams> = {}): Promise<Stripe.Product> {
  return h.stripe.products.create({
    name: '季節のブレンド',
    metadata: { catalog_key: freshKey('seasonal') },
    ...extra,
  });
}

async function monthlyPrice(productId: string, extra: Partial<Stripe.PriceCreateParams> = {}): Promise<Stripe.Price> {
  return h.stripe.prices.create({
    product: productId,
    currency: 'jpy',
    unit_amount: 1800,
    recurring: { interval: 'month' },
    tax_behavior: 'inclusive',
    ...extra,
  });
}

describe('POST /v1/products and /v1/prices', () => {
  it('create what Checkout then sells, with product.created and price.created', async () => {
    const from = h.events.length;
    const created = await product({
      description: '季節ごとに替わるブレンドです。',
      images: ['https://example.com/seasonal.png'],
      tax_code: 'txcd_40060003',
    });
    expect(created).toMatchObject({
      object: 'product',
      active: true,
      default_price: null,
      images: ['https://example.com/seasonal.png'],
      tax_code: 'txcd_40060003',
      updated: created.created,
    });
    const lookupKey = freshKey('seasonal_1m_jpy');
    const price = await monthlyPrice(created.id, { lookup_key: lookupKey, nickname: 'monthly', metadata: { a: '1' } });
    expect(price).toMatchObject({
      product: created.id,
      currency: 'jpy',
      unit_amount: 1800,
      type: 'recurring',
      recurring: { interval: 'month', interval_count: 1, usage_type: 'licensed', meter: null },
      tax_behavior: 'inclusive',
      lookup_key: lookupKey,
      nickname: 'monthly',
      metadata: { a: '1' },
      active: true,
    });
    expect(String(price.unit_amount_decimal)).toBe('1800');
    await h.emulator.settle();
    expect(typesSince(h, from)).toEqual(['product.created', 'price.created']);

    const session = await createSession(h.stripe, price.id);
    const paid = await h.emulator.completeCheckout(session.id);
    const subscription = await h.stripe.subscriptions.retrieve(idOf(paid.subscription));
    expect(subscription.items.data[0]?.price.id).toBe(price.id);
  });

  it('refuse what Stripe refuses, as Stripe words it', async () => {
    const created = await product();
    const cases: Array<[() => Promise<unknown>, { code?: string; param?: string; message?: string | RegExp }]> = [
      [() => h.stripe.products.create({} as Stripe.ProductCreateParams), { code: 'parameter_missing', param: 'name' }],
      [
        () => h.stripe.products.create({ name: 'X', description: '' }),
        {
          code: 'parameter_invalid_empty',
          param: 'description',
          message:
            "You passed an empty string for 'description'. We assume empty values are an attempt to unset a parameter; however 'description' cannot be unset. You should remove 'description' from your request or supply a non-empty value.",
        },
      ],
      [
        () =>
          h.stripe.products.create({
            name: 'X',
            images: Array.from({ length: 9 }, (_, i) => `https://e.com/${i}.png`),
          }),
        { param: 'images' },
      ],
      [
        () => h.stripe.products.create({ name: 'X', metadata: { ['k'.repeat(41)]: 'v' } }),
        { param: `metadata[${'k'.repeat(41)}]` },
      ],
      [() => h.stripe.products.create({ name: 'X', metadata: { note: 'v'.repeat(501) } }), { param: 'metadata[note]' }],
      [
        () => monthlyPrice(created.id, { currency: 'yen' }),
        { param: 'currency', message: /^Invalid currency: yen\. Stripe currently supports these currencies: / },
      ],
      [
        () => monthlyPrice('prod_missing'),
        { code: 'resource_missing', param: 'product', message: "No such product: 'prod_missing'" },
      ],
      [() => monthlyPrice(created.id, { unit_amount: undefined }), { code: 'parameter_missing', param: 'unit_amount' }],
      [
        () => monthlyPrice(created.id, { recurring: { interval: 'month', interval_count: 37 } }),
        { param: 'recurring[interval_count]' },
      ],
      [
        () => monthlyPrice(created.id, { recurring: { interval: 'month', usage_type: 'metered' } }),
        { param: 'recurring[usage_type]' },
      ],
      [
        () =>
          monthlyPrice(created.id, { unit_amount_decimal: '1800.5' } as unknown as Partial<Stripe.PriceCreateParams>),
        { message: 'Received unknown parameter: unit_amount_decimal' },
      ],
      [
        () => h.stripe.prices.list({ lookup_keys: Array.from({ length: 11 }, (_, i) => `k${i}`) }),
        { param: 'lookup_keys' },
      ],
    ];
    for (const [call, expected] of cases) {
      const error = await stripeError(call());
      expect(error.statusCode).toBe(400);
      expect(error.type).toBe('StripeInvalidRequestError');
      if (expected.code) expect(error.code).toBe(expected.code);
      if (expected.param) expect(error.param).toBe(expected.param);
      if (typeof expected.message === 'string') expect(error.message).toBe(expected.message);
      if (expected.message instanceof RegExp) expect(error.message).toMatch(expected.message);
    }
  });
});

describe('lookup keys', () => {
  it('are unique among prices, archived ones too', async () => {
    const created = await product();
    const lookupKey = freshKey('unique');
    const holder = await monthlyPrice(created.id, { lookup_key: lookupKey, active: false });
    const error = await stripeError(monthlyPrice(created.id, { lookup_key: lookupKey }));
    expect(error).toMatchObject({
      statusCode: 400,
      param: 'lookup_key',
      message: `A price (\`${holder.id}\`) already uses that lookup key.`,
    });
    const other = await monthlyPrice(created.id);
    const onUpdate = await stripeError(h.stripe.prices.update(other.id, { lookup_key: lookupKey }));
    expect(onUpdate.message).toBe(`A price (\`${holder.id}\`) already uses that lookup key.`);
  });

  it('move with transfer_lookup_key: a changed price is a new price, the old one archived once no longer the default', async () => {
    const created = await product();
    const lookupKey = freshKey('changed_1m_jpy');
    const old = await monthlyPrice(created.id, { lookup_key: lookupKey });
    await h.stripe.products.update(created.id, { default_price: old.id });
    await h.emulator.settle();

    const from = h.events.length;
    const replacement = await monthlyPrice(created.id, {
      unit_amount: 2000,
      lookup_key: lookupKey,
      transfer_lookup_key: true,
    });
    expect(replacement.lookup_key).toBe(lookupKey);
    expect((await h.stripe.prices.retrieve(old.id)).lookup_key).toBeNull();
    const found = await h.stripe.prices.list({ lookup_keys: [lookupKey] });
    expect(found.data.map((price) => price.id)).toEqual([replacement.id]);
    await h.emulator.settle();
    expect(typesSince(h, from)).toEqual(['price.updated', 'price.created']);
    expect(h.events[from]?.data).toMatchObject({
      object: { id: old.id },
      previous_attributes: { lookup_key: lookupKey },
    });

    // Stripe keeps a product's default price active.
    const refused = await stripeError(h.stripe.prices.update(old.id, { active: false }));
    expect(refused.message).toBe('This price cannot be archived because it is the default price of its product.');
    const moved = await h.stripe.products.update(created.id, { default_price: replacement.id });
    expect(moved.default_price).toBe(replacement.id);
    const archived = await h.stripe.prices.update(old.id, { active: false });
    expect(archived.active).toBe(false);
    const active = await h.stripe.prices.list({ product: created.id, active: true });
    expect(active.data.map((price) => price.id)).toEqual([replacement.id]);
  });

  it('can also be moved by an update', async () => {
    const created = await product();
    const lookupKey = freshKey('moved_by_update');
    const holder = await monthlyPrice(created.id, { lookup_key: lookupKey });
    const other = await monthlyPrice(created.id);
    const updated = await h.stripe.prices.update(other.id, { lookup_key: lookupKey, transfer_lookup_key: true });
    expect(updated.lookup_key).toBe(lookupKey);
    expect((await h.stripe.prices.retrieve(holder.id)).lookup_key).toBeNull();
  });
});

describe('POST /v1/prices/:id', () => {
  it('changes only what Stripe lets change: amounts, currency and interval are unknown parameters', async () => {
    const created = await product();
    const price = await monthlyPrice(created.id, { tax_behavior: 'unspecified' });
    await h.emulator.settle();
    for (const [name, value] of [
      ['unit_amount', 2000],
      ['currency', 'usd'],
      ['recurring', { interval: 'year' }],
      ['product', created.id],
    ] as const) {
      const error = await stripeError(h.stripe.prices.update(price.id, { [name]: value }));
      expect(error).toMatchObject({ statusCode: 400, message: `Received unknown parameter: ${name}`, param: name });
    }
    const from = h.events.length;
    const named = await h.stripe.prices.update(price.id, {
      nickname: 'renamed',
      metadata: { note: 'x' },
      tax_behavior: 'inclusive',
    });
    expect(named).toMatchObject({
      nickname: 'renamed',
      metadata: { note: 'x' },
      tax_behavior: 'inclusive',
      unit_amount: 1800,
    });
    await h.emulator.settle();
    expect(typesSince(h, from)).toEqual(['price.updated']);
    expect(h.events.at(-1)?.data.previous_attributes).toEqual({
      nickname: null,
      metadata: {},
      tax_behavior: 'unspecified',
    });
    // Stripe.PriceUpdateParams.tax_behavior: "Once specified as either inclusive or exclusive, it cannot be changed."
    const fixed = await stripeError(h.stripe.prices.update(price.id, { tax_behavior: 'exclusive' }));
    expect(fixed.param).toBe('tax_behavior');
    // The same values again change nothing and send nothing.
    const before = h.events.length;
    await h.stripe.prices.update(price.id, { nickname: 'renamed' });
    await h.emulator.settle();
    expect(h.events).toHaveLength(before);
  });
});

describe('POST /v1/products/:id and the lists', () => {
  it('updates with product.updated and its previous attributes, and unsets what may be unset', async () => {
    const created = await product({ description: 'old', metadata: { catalog_key: 'k', keep: 'y' } });
    await h.emulator.settle();
    const from = h.events.length;
    const updated = await h.stripe.products.update(created.id, {
      name: 'Seasonal Blend',
      description: '',
      metadata: { keep: '' },
    });
    expect(updated).toMatchObject({ name: 'Seasonal Blend', description: null, metadata: { catalog_key: 'k' } });
    await h.emulator.settle();
    expect(typesSince(h, from)).toEqual(['product.updated']);
    expect(h.events.at(-1)?.data.previous_attributes).toEqual({
      name: '季節のブレンド',
      description: 'old',
      metadata: { catalog_key: 'k', keep: 'y' },
    });
  });

  it('a default price must be one of the product’s own prices', async () => {
    const created = await product();
    const { gold } = seeded(h.emulator);
    const error = await stripeError(h.stripe.products.update(created.id, { default_price: gold.id }));
    expect(error).toMatchObject({ statusCode: 400, param: 'default_price' });
    const missing = await stripeError(h.stripe.products.update(created.id, { default_price: 'price_missing' }));
    expect(missing).toMatchObject({ code: 'resource_missing', param: 'default_price' });
  });

  it('lists by ids[] and active, and finds prices by product, currency and lookup_keys[]', async () => {
    const kept = await product();
    const archived = await product({ active: false });
    const listed = await h.stripe.products.list({ ids: [kept.id, archived.id] });
    expect(listed.data.map((item) => item.id)).toEqual([archived.id, kept.id]);
    const active = await h.stripe.products.list({ ids: [kept.id, archived.id], active: true });
    expect(active.data.map((item) => item.id)).toEqual([kept.id]);
    expect((await h.stripe.products.retrieve(kept.id)).name).toBe('季節のブレンド');
    expect((await stripeError(h.stripe.products.retrieve('prod_missing'))).statusCode).toBe(404);

    const { monthly, yearly, usd } = seeded(h.emulator);
    const byKeys = await h.stripe.prices.list({
      lookup_keys: [monthly.lookup_key ?? '', yearly.lookup_key ?? '', 'no_such_key'],
    });
    expect(byKeys.data.map((price) => price.id).sort()).toEqual([monthly.id, yearly.id].sort());
    const inDollars = await h.stripe.prices.list({ currency: 'usd' });
    expect(inDollars.data.map((price) => price.id)).toEqual([usd.id]);
    const ofProduct = await h.stripe.prices.list({ product: idOf(yearly.product) });
    expect(ofProduct.data.map((price) => price.id)).toEqual([yearly.id]);
  });
});
