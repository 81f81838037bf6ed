import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { CATALOG_KEY, parseCatalog, planCatalog, type CatalogProduct } from '../../../src/lib/setup/catalog.ts';

const monthly = {
  lookup_key: 'beans_1m_jpy',
  unit_amount: 1500,
  currency: 'jpy',
  interval: 'month',
  interval_count: 1,
  tax_behavior: 'inclusive',
} as const;
const yearly = { ...monthly, lookup_key: 'beans_1y_jpy', unit_amount: 15000, interval: 'year' } as const;
const beans: CatalogProduct = {
  key: 'beans',
  name: '毎月のコーヒー豆',
  description: '焙煎したての豆',
  metadata: { name_en: 'Monthly Beans', per_delivery: '200 g × 2袋' },
  prices: [monthly, yearly],
  shipping: false,
};

function product(overrides: Partial<Stripe.Product> = {}): Stripe.Product {
  return {
    id: 'prod_beans',
    active: true,
    name: beans.name,
    description: beans.description,
    metadata: { ...beans.metadata, [CATALOG_KEY]: 'beans' },
    default_price: 'price_1m',
    ...overrides,
  } as Stripe.Product;
}

function price(id: string, from: (typeof beans.prices)[number], overrides: Partial<Stripe.Price> = {}): Stripe.Price {
  return {
    id,
    active: true,
    product: 'prod_beans',
    currency: from.currency,
    unit_amount: from.unit_amount,
    billing_scheme: 'per_unit',
    tax_behavior: from.tax_behavior,
    lookup_key: from.lookup_key,
    recurring: { interval: from.interval, interval_count: from.interval_count, usage_type: 'licensed' },
    ...overrides,
  } as Stripe.Price;
}

const inStripe = [price('price_1m', monthly), price('price_1y', yearly)];

describe('planCatalog: the catalog file against an account', () => {
  it('creates every product and price in an empty account, the first price as the default', () => {
    const actions = planCatalog([beans], [], []);
    expect(actions.map((action) => action.kind)).toEqual([
      'create-product',
      'create-price',
      'create-price',
      'set-default-price',
    ]);
    expect(actions[0]).toMatchObject({ params: { metadata: { name_en: 'Monthly Beans', catalog_key: 'beans' } } });
    expect(actions[1]).toMatchObject({
      params: {
        lookup_key: 'beans_1m_jpy',
        unit_amount: 1500,
        currency: 'jpy',
        tax_behavior: 'inclusive',
        recurring: { interval: 'month', interval_count: 1 },
      },
    });
    expect(actions[1]).not.toHaveProperty('params.transfer_lookup_key');
    expect(actions[3]).toMatchObject({ lookupKey: 'beans_1m_jpy' });
  });

  it('does nothing when the account already holds the file', () => {
    expect(planCatalog([beans], [product()], inStripe)).toEqual([]);
  });

  it('makes a new price for a changed amount, moves the lookup key, and archives the old price after the default moves', () => {
    const dearer = { ...beans, prices: [{ ...monthly, unit_amount: 1800 }, yearly] };
    const actions = planCatalog([dearer], [product()], inStripe);
    expect(actions).toEqual([
      expect.objectContaining({
        kind: 'create-price',
        lookupKey: 'beans_1m_jpy',
        replaces: 'price_1m',
        params: expect.objectContaining({ unit_amount: 1800, transfer_lookup_key: true }),
      }),
      { kind: 'set-default-price', productKey: 'beans', lookupKey: 'beans_1m_jpy' },
      { kind: 'archive-price', lookupKey: 'beans_1m_jpy', priceId: 'price_1m' },
    ]);
  });

  it('treats a changed tax behaviour or interval as a new price too', () => {
    const exclusive = { ...beans, prices: [monthly, { ...yearly, tax_behavior: 'exclusive' as const }] };
    expect(planCatalog([exclusive], [product()], inStripe).map((action) => action.kind)).toEqual([
      'create-price',
      'archive-price',
    ]);
  });

  it('updates changed words and metadata, unsetting keys the file dropped, and restores an archived product', () => {
    const stale = product({ active: false, name: 'old', metadata: { ...product().metadata, old_key: 'x' } });
    expect(planCatalog([beans], [stale], inStripe)).toEqual([
      {
        kind: 'update-product',
        productKey: 'beans',
        productId: 'prod_beans',
        params: { name: beans.name, active: true, metadata: { old_key: '' } },
      },
    ]);
  });

  it('reactivates an archived price whose terms still match', () => {
    const archived = [price('price_1m', monthly), price('price_1y', yearly, { active: false })];
    expect(planCatalog([beans], [product()], archived)).toEqual([
      { kind: 'reactivate-price', lookupKey: 'beans_1y_jpy', priceId: 'price_1y' },
    ]);
  });

  it('leaves products and prices the file does not name alone', () => {
    const other = product({ id: 'prod_other', metadata: {} });
    expect(
      planCatalog([beans], [product(), other], [...inStripe, price('price_x', monthly, { lookup_key: null })]),
    ).toEqual([]);
  });
});

describe('parseCatalog', () => {
  it('reads the shop’s catalog file', async () => {
    const { default: file } = await import('../../../src/content/shop/catalog.json');
    const parsed = parseCatalog(file);
    expect(parsed.ok && parsed.products.map((entry) => entry.key)).toEqual([
      'monthly-coffee-beans',
      'yearly-coffee-beans',
      'gold-blend',
    ]);
  });

  it('names the first wrong field', () => {
    expect(parseCatalog({ products: [{ ...beans, prices: [{ ...monthly, interval: 'fortnight' }] }] })).toEqual({
      ok: false,
      error: 'Invalid catalog file: products[0].prices[0].interval must be one of day, week, month, year',
    });
    expect(parseCatalog({ products: [beans, { ...beans, key: 'again' }] })).toEqual({
      ok: false,
      error: 'Invalid catalog file: the lookup_key beans_1m_jpy is used twice',
    });
    expect(parseCatalog({ products: [{ ...beans, metadata: { catalog_key: 'x' } }] })).toMatchObject({ ok: false });
    expect(parseCatalog({ products: [{ ...beans, shipping: 'yes' }] })).toEqual({
      ok: false,
      error: 'Invalid catalog file: products[0].shipping must be true or false',
    });
  });

  it('reads the shipping product, one at most', () => {
    const postage = {
      ...beans,
      key: 'postage',
      prices: [{ ...monthly, lookup_key: 'postage_1m_jpy' }],
      shipping: true,
    };
    const parsed = parseCatalog({ products: [beans, postage] });
    expect(parsed.ok && parsed.products.map((product) => product.shipping)).toEqual([false, true]);
    expect(parseCatalog({ products: [postage, { ...postage, key: 'again', prices: [yearly] }] })).toMatchObject({
      ok: false,
      error: 'Invalid catalog file: only one product can be the shipping',
    });
  });
});
