/**
 * The seeded catalog (products, prices, a 100%-off promotion code) and the helpers tests use to add
 * products and prices.
 */
import type Stripe from 'stripe';
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

/** Image slugs of the seeded products, served by images.ts. */
export const SEED_SLUGS = {
  monthly: 'monthly-coffee-beans',
  yearly: 'yearly-coffee-beans',
  espresso: 'espresso-club',
  gold: 'gold-blend',
} as const;

/** The legacy Plan id of the seeded Gold Blend price. */
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

/**
 * The seeded products, oldest first (lists show them newest first: Monthly, Yearly, Espresso, Gold,
 * tiered, metered). Japanese first, as a Japanese shop enters them (SHOP_LANGUAGE=ja), with the
 * English in metadata; coffee beans are food, taxed at the reduced rate; prices include the tax.
 */
function seedProductInputs(baseUrl: string): ProductInput[] {
  const image = (slug: string) => [`${baseUrl}/images/${slug}.svg`];
  const beans = (slug: string, english: Record<string, string>) => ({
    slug,
    reduced_tax_rate: 'true',
    ...english,
  });
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
      name: 'ゴールドブレンド',
      description: '創業以来のハウスブレンド。旧 Plans API で作成したプランです。',
      images: image(SEED_SLUGS.gold),
      metadata: beans(SEED_SLUGS.gold, {
        name_en: 'Gold Blend',
        description_en: 'Our house blend since the beginning, on a plan created with the legacy Plans API.',
        per_delivery: '200 g × 1袋（豆のまま）',
        per_delivery_en: 'one 200 g bag (whole beans)',
      }),
      prices: [
        { id: LEGACY_PLAN_ID, unit_amount: 2000, currency: 'jpy', interval: 'month', tax_behavior: 'inclusive' },
      ],
    },
    {
      name: 'エスプレッソクラブ（米ドル）',
      description: '深煎りのエスプレッソ豆を毎月1袋、世界中へお届けします。お支払いは米ドルです。',
      images: image(SEED_SLUGS.espresso),
      metadata: beans(SEED_SLUGS.espresso, {
        name_en: 'Espresso Club (USD)',
        description_en: 'A bag of dark-roast espresso beans every month, shipped worldwide. Billed in US dollars.',
        per_delivery: '250 g × 1袋（豆のまま）',
        per_delivery_en: 'one 250 g bag (whole beans)',
      }),
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
    {
      name: '年間コーヒー豆',
      description: '毎月2袋を1年間お届けします。2か月分お得な年払いです。',
      images: image(SEED_SLUGS.yearly),
      metadata: beans(SEED_SLUGS.yearly, {
        name_en: 'Yearly Coffee Beans',
        description_en: 'A year of monthly deliveries, two bags each month, with two months free.',
        per_delivery: '200 g × 2袋（豆のまま）を毎月',
        per_delivery_en: 'two 200 g bags (whole beans), every month',
      }),
      prices: [
        {
          unit_amount: 15000,
          currency: 'jpy',
          interval: 'year',
          lookup_key: 'yearly_coffee_beans_jpy',
          tax_behavior: 'inclusive',
        },
      ],
    },
    {
      name: '毎月のコーヒー豆',
      description: '焙煎したてのシングルオリジン豆を、毎月2袋お届けします。',
      images: image(SEED_SLUGS.monthly),
      metadata: beans(SEED_SLUGS.monthly, {
        name_en: 'Monthly Coffee Beans',
        description_en: 'Two bags of freshly roasted single-origin beans every month.',
        per_delivery: '200 g × 2袋（豆のまま）',
        per_delivery_en: 'two 200 g bags (whole beans)',
      }),
      prices: [
        {
          unit_amount: 1500,
          currency: 'jpy',
          interval: 'month',
          lookup_key: 'monthly_coffee_beans_jpy',
          tax_behavior: 'inclusive',
        },
      ],
    },
  ];
}

/** Stores the seeded catalog and the promotion code FREE100 (a 100%-off-forever coupon). */
export function seedCatalog(state: EmulatorState, baseUrl: string): void {
  for (const input of seedProductInputs(baseUrl)) addProduct(state, input);
  const created = nowSeconds();
  const coupon = couponObject({
    id: newId('', 8),
    created,
    duration: 'forever',
    name: '100% off',
    percent_off: 100,
  });
  state.coupons.set(coupon.id, coupon);
  const promotionCode = promotionCodeObject({
    id: newId(ID_PREFIX.promotionCode),
    created,
    code: FREE_PROMOTION_CODE,
    promotion: { coupon: coupon.id, type: 'coupon' },
  });
  state.promotionCodes.set(promotionCode.id, promotionCode);
}
