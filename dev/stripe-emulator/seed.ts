/**
 * The seeded catalog and helpers that add products and prices (for pagination/currency tests).
 */
import Stripe from 'stripe';
import { EmulatorState, ID_PREFIX, newId, nowSeconds } from './state.ts';

/** Billing interval of a recurring price. */
export type Interval = 'day' | 'week' | 'month' | 'year';

/** One price to create. `interval: null` makes a one-time price. */
export interface PriceInput {
  /** In the currency's smallest unit (JPY: yen; USD: cents). */
  unit_amount: number;
  /** Lowercase ISO code; default 'jpy'. */
  currency?: string;
  /** Default 'month'; null for a one-time price. */
  interval?: Interval | null;
  interval_count?: number;
  /** Default true. */
  active?: boolean;
  nickname?: string | null;
  lookup_key?: string | null;
  metadata?: Record<string, string>;
}

/**
 * A product to create with its prices. Either list `prices`, or give the single-price shorthand
 * (`unit_amount`, `currency`, `interval`, `interval_count`, `price_active`).
 */
export interface ProductInput {
  name: string;
  description?: string | null;
  /** Absolute image URLs; default none (seeded products use `${baseUrl}/images/<slug>.svg`). */
  images?: string[];
  /** Default true. */
  active?: boolean;
  metadata?: Record<string, string>;
  prices?: PriceInput[];
  unit_amount?: number;
  currency?: string;
  interval?: Interval | null;
  interval_count?: number;
  price_active?: boolean;
}

/** A product and the prices created with it. */
export interface CreatedProduct {
  product: Stripe.Product;
  prices: Stripe.Price[];
}

/** Image slugs of the seeded products, served by images.ts. */
export const SEED_SLUGS = {
  monthly: 'monthly-coffee-beans',
  yearly: 'yearly-coffee-beans',
  espresso: 'espresso-club',
} as const;

/** Builds a Stripe.Price for a product (not stored). */
export function buildPrice(productId: string, input: PriceInput): Stripe.Price {
  if (!Number.isInteger(input.unit_amount) || input.unit_amount < 0) throw new Error(`unit_amount must be a non-negative integer`);
  const interval = input.interval === undefined ? 'month' : input.interval;
  return {
    id: newId(ID_PREFIX.price),
    object: 'price',
    active: input.active ?? true,
    billing_scheme: 'per_unit',
    created: nowSeconds(),
    currency: (input.currency ?? 'jpy').toLowerCase(),
    custom_unit_amount: null,
    livemode: false,
    lookup_key: input.lookup_key ?? null,
    metadata: { ...input.metadata },
    nickname: input.nickname ?? null,
    product: productId,
    recurring: interval
      ? { interval, interval_count: input.interval_count ?? 1, meter: null, trial_period_days: null, usage_type: 'licensed' }
      : null,
    tax_behavior: 'unspecified',
    tiers_mode: null,
    transform_quantity: null,
    type: interval ? 'recurring' : 'one_time',
    unit_amount: input.unit_amount,
    unit_amount_decimal: Stripe.Decimal.from(String(input.unit_amount)),
  };
}

/** Builds a Stripe.Product (not stored). */
export function buildProduct(input: ProductInput): Stripe.Product {
  const created = nowSeconds();
  return {
    id: newId(ID_PREFIX.product),
    object: 'product',
    active: input.active ?? true,
    created,
    default_price: null,
    description: input.description ?? null,
    images: [...(input.images ?? [])],
    livemode: false,
    marketing_features: [],
    metadata: { ...input.metadata },
    name: input.name,
    package_dimensions: null,
    shippable: null,
    statement_descriptor: null,
    tax_code: null,
    tax_details: null,
    type: 'service',
    unit_label: null,
    updated: created,
    url: null,
  };
}

/**
 * Creates and stores a product and its prices; the product's `default_price` is the first price.
 * Products and prices are listed newest first, so what is added later is listed earlier.
 */
export function addProduct(state: EmulatorState, input: ProductInput): CreatedProduct {
  const priceInputs: PriceInput[] =
    input.prices ??
    (input.unit_amount === undefined
      ? []
      : [
          {
            unit_amount: input.unit_amount,
            currency: input.currency,
            interval: input.interval,
            interval_count: input.interval_count,
            active: input.price_active,
          },
        ]);
  const product = buildProduct(input);
  const prices = priceInputs.map((priceInput) => buildPrice(product.id, priceInput));
  product.default_price = prices[0]?.id ?? null;
  state.products.set(product.id, product);
  for (const price of prices) state.prices.set(price.id, price);
  return { product, prices };
}

/**
 * Adds `count` products with one monthly JPY price each ("Extra Beans #1" ... at 1000 + i yen),
 * or whatever `make(i)` returns. For pagination tests.
 */
export function addManyProducts(
  state: EmulatorState,
  count: number,
  make: (index: number) => ProductInput = (index) => ({
    name: `Extra Beans #${index + 1}`,
    description: `Extra test product ${index + 1}.`,
    unit_amount: 1000 + index,
    currency: 'jpy',
    interval: 'month',
  }),
): CreatedProduct[] {
  const created: CreatedProduct[] = [];
  for (let i = 0; i < count; i++) created.push(addProduct(state, make(i)));
  return created;
}

/** The three seeded products, in creation order (the monthly plan last, so lists show it first). */
export function seedProductInputs(baseUrl: string): ProductInput[] {
  const image = (slug: string) => [`${baseUrl}/images/${slug}.svg`];
  return [
    {
      name: 'Espresso Club (USD)',
      description: 'A bag of dark-roast espresso beans every month, shipped worldwide. Billed in US dollars.',
      images: image(SEED_SLUGS.espresso),
      metadata: { slug: SEED_SLUGS.espresso },
      prices: [{ unit_amount: 999, currency: 'usd', interval: 'month', lookup_key: 'espresso_club_monthly_usd' }],
    },
    {
      name: 'Yearly Coffee Beans',
      description: 'A year of monthly deliveries, two bags each month, with two months free.',
      images: image(SEED_SLUGS.yearly),
      metadata: { slug: SEED_SLUGS.yearly },
      prices: [{ unit_amount: 15000, currency: 'jpy', interval: 'year', lookup_key: 'yearly_coffee_beans_jpy' }],
    },
    {
      name: 'Monthly Coffee Beans',
      description: 'Two bags of freshly roasted single-origin beans every month.',
      images: image(SEED_SLUGS.monthly),
      metadata: { slug: SEED_SLUGS.monthly },
      prices: [{ unit_amount: 1500, currency: 'jpy', interval: 'month', lookup_key: 'monthly_coffee_beans_jpy' }],
    },
  ];
}

/** Stores the seeded catalog; returns it in creation order (Espresso Club, Yearly, Monthly). */
export function seedCatalog(state: EmulatorState, baseUrl: string): CreatedProduct[] {
  return seedProductInputs(baseUrl).map((input) => addProduct(state, input));
}
