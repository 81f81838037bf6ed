/**
 * The seeded catalog: the shop's catalog file (src/content/shop/catalog.json, data the emulator reads,
 * as the setup CLI will push it to a real account), the odd products only tests need, the 100%-off
 * promotion code, and the helpers tests use to add products and prices.
 */
import { readFileSync } from 'node:fs';
import type Stripe from 'stripe';
import { productImage } from './images.ts';
import { couponObject, decimal, priceObject, productObject, promotionCodeObject } from './objects.ts';
import { type EmulatorState, ID_PREFIX, newId, nowSeconds } from './state.ts';

/** Billing interval of a recurring price. */
type Interval = 'day' | 'week' | 'month' | 'year';

/** One price to create. `interval: null` makes a one-time price. */
interface PriceInput {
  /** In the currency's smallest unit (JPY: yen; USD: cents); null with `tiers`. */
  unit_amount: number | null;
  /** Lowercase ISO code; default 'jpy'. */
  currency?: string;
  /** Default 'month'; null for a one-time price. */
  interval?: Interval | null;
  interval_count?: number;
  /** Default true. */
  active?: boolean;
  nickname?: string | null;
  lookup_key?: string | null;
  /** A merchant-chosen id, as legacy Plans have (default `price_…`). */
  id?: string;
  /** Metered usage: billed in arrears from this Billing Meter's events. */
  meter?: string;
  /** Stripe.Price.tax_behavior; default 'unspecified' (seeded prices are 'inclusive', as a Japanese shop's are). */
  tax_behavior?: Stripe.Price.TaxBehavior;
  /** `billing_scheme: 'tiered'`. */
  tiers?: { mode: Stripe.Price.TiersMode; tiers: Array<{ up_to: number | null; unit_amount: number }> };
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

/** The legacy Plan id the test fixtures give the Gold Blend's monthly price, as if it was made with the Plans API. */
export const LEGACY_PLAN_ID = 'gold-blend-monthly';
/** The seeded promotion code: 100% off, forever. */
export const FREE_PROMOTION_CODE = 'FREE100';

/** Builds a Stripe.Price for a product (not stored). */
function buildPrice(productId: string, input: PriceInput): Stripe.Price {
  const amount = input.tiers ? null : input.unit_amount;
  if (amount !== null && (!Number.isInteger(amount) || amount < 0))
    throw new Error('unit_amount must be a non-negative integer');
  const interval = input.interval === undefined ? 'month' : input.interval;
  return priceObject({
    id: input.id ?? newId(ID_PREFIX.price),
    created: nowSeconds(),
    currency: (input.currency ?? 'jpy').toLowerCase(),
    product: productId,
    unit_amount: amount,
    active: input.active ?? true,
    billing_scheme: input.tiers ? 'tiered' : 'per_unit',
    lookup_key: input.lookup_key ?? null,
    nickname: input.nickname ?? null,
    ...(input.tax_behavior && { tax_behavior: input.tax_behavior }),
    recurring: interval
      ? {
          interval,
          interval_count: input.interval_count ?? 1,
          meter: input.meter ?? null,
          trial_period_days: null,
          usage_type: input.meter ? 'metered' : 'licensed',
        }
      : null,
    // Stripe.Price `tiers`: returned only when expanded (`expand[]=tiers`), so the emulator adds it then.
    tiers_mode: input.tiers?.mode ?? null,
  });
}

/** The `tiers` of a tiered price, in Stripe's shape. */
function priceTiers(input: NonNullable<PriceInput['tiers']>): Stripe.Price.Tier[] {
  return input.tiers.map((tier) => ({
    flat_amount: null,
    flat_amount_decimal: null,
    unit_amount: tier.unit_amount,
    unit_amount_decimal: decimal(tier.unit_amount),
    up_to: tier.up_to,
  }));
}

/** Builds a Stripe.Product (not stored). */
function buildProduct(input: ProductInput): Stripe.Product {
  return productObject({
    id: newId(ID_PREFIX.product),
    created: nowSeconds(),
    name: input.name,
    active: input.active ?? true,
    description: input.description ?? null,
    images: [...(input.images ?? [])],
    metadata: { ...input.metadata },
  });
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
  const prices = priceInputs.map((priceInput) => {
    const price = buildPrice(product.id, priceInput);
    if (priceInput.tiers) state.priceTiers.set(price.id, priceTiers(priceInput.tiers));
    return price;
  });
  product.default_price = prices[0]?.id ?? null;
  state.products.set(product.id, product);
  for (const price of prices) state.prices.set(price.id, price);
  return { product, prices };
}

/** Adds `count` products with one monthly JPY price each ("Extra Beans #1" ... at 1000 + i yen), for pagination tests. */
export function addManyProducts(state: EmulatorState, count: number): CreatedProduct[] {
  const created: CreatedProduct[] = [];
  for (let i = 0; i < count; i++) {
    created.push(
      addProduct(state, {
        name: `Extra Beans #${i + 1}`,
        description: `Extra test product ${i + 1}.`,
        unit_amount: 1000 + i,
      }),
    );
  }
  return created;
}

// ---------------------------------------------------------------- the catalog file

/** The shop's catalog file, read at every seeding (never cached: the owner edits it). */
const CATALOG_FILE = new URL('../../src/content/shop/catalog.json', import.meta.url);

/** One price of the catalog file, matched at Stripe by its `lookup_key`. */
interface CatalogPrice {
  lookup_key: string;
  unit_amount: number;
  currency: string;
  interval: Interval;
  interval_count: number;
  tax_behavior: Stripe.Price.TaxBehavior;
}

/** One product of the catalog file, matched at Stripe by `metadata.catalog_key`. */
interface CatalogProduct {
  key: string;
  name: string;
  description: string;
  metadata: Record<string, string>;
  prices: CatalogPrice[];
}

const INTERVALS: readonly Interval[] = ['day', 'week', 'month', 'year'];
const TAX_BEHAVIORS: readonly Stripe.Price.TaxBehavior[] = ['exclusive', 'inclusive', 'unspecified'];

/** Reads and checks the catalog file; throws an Error naming the file and the first field that is wrong. */
export function readCatalog(file: URL = CATALOG_FILE): CatalogProduct[] {
  const where = decodeURIComponent(file.pathname);
  const fail = (message: string): never => {
    throw new Error(`Stripe emulator: the catalog file ${where} is not valid: ${message}`);
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
  const record = (value: unknown, path: string): Record<string, unknown> =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : fail(`${path} must be an object`);
  const text = (value: unknown, path: string): string =>
    typeof value === 'string' && value.trim() !== '' ? value : fail(`${path} must be a non-empty string`);
  const count = (value: unknown, path: string, min: number): number =>
    Number.isInteger(value) && (value as number) >= min
      ? (value as number)
      : fail(`${path} must be an integer ≥ ${min}`);
  const oneOf = <T extends string>(value: unknown, values: readonly T[], path: string): T =>
    values.find((candidate) => candidate === value) ?? fail(`${path} must be one of ${values.join(', ')}`);
  const list = (value: unknown, path: string): unknown[] =>
    Array.isArray(value) && value.length > 0 ? value : fail(`${path} must be a non-empty array`);

  return list(record(parsed, 'the file').products, 'products').map((item, index) => {
    const path = `products[${index}]`;
    const product = record(item, path);
    const metadata = record(product.metadata ?? {}, `${path}.metadata`);
    return {
      key: text(product.key, `${path}.key`),
      name: text(product.name, `${path}.name`),
      description: text(product.description, `${path}.description`),
      metadata: Object.fromEntries(
        Object.entries(metadata).map(([name, value]) => [name, text(value, `${path}.metadata.${name}`)]),
      ),
      prices: list(product.prices, `${path}.prices`).map((entry, priceIndex) => {
        const at = `${path}.prices[${priceIndex}]`;
        const price = record(entry, at);
        return {
          lookup_key: text(price.lookup_key, `${at}.lookup_key`),
          unit_amount: count(price.unit_amount, `${at}.unit_amount`, 0),
          currency: text(price.currency, `${at}.currency`).toLowerCase(),
          interval: oneOf(price.interval, INTERVALS, `${at}.interval`),
          interval_count: count(price.interval_count, `${at}.interval_count`, 1),
          tax_behavior: oneOf(price.tax_behavior, TAX_BEHAVIORS, `${at}.tax_behavior`),
        };
      }),
    };
  });
}

// ---------------------------------------------------------------- seeding

/** The products only tests need: another currency, a tiered and a metered price (oldest first). */
function testFixtureProducts(baseUrl: string): ProductInput[] {
  return [
    {
      name: 'エスプレッソバー・ショット（従量課金）',
      description: '提携エスプレッソバーで抽出した杯数を、メーターのイベントから月末に請求します。',
      metadata: {
        name_en: 'Espresso Bar Shots (metered)',
        description_en: 'Shots pulled at the partner espresso bars, billed monthly in arrears from meter events.',
      },
      // docs.stripe.com/changelog/basil/2025-03-31/deprecate-legacy-usage-based-billing: metered prices need a meter
      prices: [{ unit_amount: 50, currency: 'jpy', interval: 'month', meter: newId(ID_PREFIX.meter, 32) }],
    },
    {
      name: 'オフィス用コーヒー豆（数量割引）',
      description: 'オフィス向けの袋売り。袋数が多いほど、1袋あたりの価格が下がります。',
      metadata: {
        name_en: 'Office Beans (volume pricing)',
        description_en: 'Bags for the office: the more bags, the lower the price of every bag.',
      },
      prices: [
        {
          unit_amount: null,
          currency: 'jpy',
          interval: 'month',
          tax_behavior: 'inclusive',
          tiers: {
            mode: 'volume',
            tiers: [
              { up_to: 10, unit_amount: 1200 },
              { up_to: null, unit_amount: 1000 },
            ],
          },
        },
      ],
    },
    {
      name: 'エスプレッソクラブ（米ドル）',
      description: '深煎りのエスプレッソ豆を毎月1袋お届けします。お支払いは米ドルです。',
      images: [`${baseUrl}/images/espresso-club.svg`],
      metadata: {
        name_en: 'Espresso Club (USD)',
        description_en: 'A bag of dark-roast espresso beans every month, billed in US dollars.',
        per_delivery: '250 g × 1袋（豆のまま）',
        per_delivery_en: 'one 250 g bag (whole beans)',
        reduced_tax_rate: 'true',
        // A price outside the shop's currency says which tax it includes (the site labels it with this).
        tax_label: '（日本の消費税込み）',
        tax_label_en: ' (incl. Japanese consumption tax)',
      },
      prices: [
        {
          unit_amount: 999,
          currency: 'usd',
          interval: 'month',
          lookup_key: 'espresso_club_monthly_usd',
          tax_behavior: 'inclusive',
        },
      ],
    },
  ];
}

/** Merchant-chosen ids the test fixtures give catalog prices (by lookup key): a legacy Plan among them. */
const TEST_FIXTURE_PRICE_IDS: Readonly<Record<string, string>> = { gold_blend_1m_jpy: LEGACY_PLAN_ID };

/** A catalog product as stored: its key in metadata (`catalog_key`), its picture when the emulator has one. */
function catalogProductInput(item: CatalogProduct, baseUrl: string, testFixtures: boolean): ProductInput {
  return {
    name: item.name,
    description: item.description,
    images: productImage(item.key) ? [`${baseUrl}/images/${item.key}.svg`] : [],
    metadata: { ...item.metadata, catalog_key: item.key },
    // Listed newest first: stored last to first, so lists show the file's order.
    prices: [...item.prices].reverse().map((price) => ({
      ...price,
      ...(testFixtures && TEST_FIXTURE_PRICE_IDS[price.lookup_key] && { id: TEST_FIXTURE_PRICE_IDS[price.lookup_key] }),
    })),
  };
}

/**
 * Stores the seeded catalog: with `testFixtures`, the odd products first (listed last), then the
 * catalog file's products, stored last to first so that lists show the file's order; the promotion
 * code FREE100 (a 100%-off-forever coupon). Answers the catalog's products as stored, in file order.
 */
export function seedCatalog(
  state: EmulatorState,
  baseUrl: string,
  options: { testFixtures?: boolean } = {},
): CreatedProduct[] {
  const testFixtures = options.testFixtures === true;
  if (testFixtures) for (const input of testFixtureProducts(baseUrl)) addProduct(state, input);
  const created = readCatalog()
    .reverse()
    .map((item) => {
      const stored = addProduct(state, catalogProductInput(item, baseUrl, testFixtures));
      // The product's default price is the file's first price.
      stored.product.default_price = stored.prices.at(-1)?.id ?? null;
      return { product: stored.product, prices: [...stored.prices].reverse() };
    })
    .reverse();
  const now = nowSeconds();
  const coupon = couponObject({
    id: newId('', 8),
    created: now,
    duration: 'forever',
    name: '100% off',
    percent_off: 100,
  });
  state.coupons.set(coupon.id, coupon);
  const promotionCode = promotionCodeObject({
    id: newId(ID_PREFIX.promotionCode),
    created: now,
    code: FREE_PROMOTION_CODE,
    promotion: { coupon: coupon.id, type: 'coupon' },
  });
  state.promotionCodes.set(promotionCode.id, promotionCode);
  return created;
}
