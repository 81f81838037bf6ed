import type Stripe from 'stripe';
import type { Language } from '../language/languages.ts';
import { isStripeId } from './ids.ts';

/** Billing interval of a recurring price. */
export type IntervalUnit = 'day' | 'week' | 'month' | 'year';

/** What a product says about itself in one language. */
export interface PlanText {
  name: string;
  description: string | null;
  /** What one delivery holds ("200 g × 2袋"), from product metadata `per_delivery`; null when not given. */
  perDelivery: string | null;
}

/**
 * How a plan's goods reach the subscriber: nothing is shipped (a digital subscription), shipping
 * is included in the plan price (送料込み), or a recurring shipping price is its second line item.
 */
type PlanShipping =
  | { kind: 'none' }
  | { kind: 'included' }
  | { kind: 'fee'; priceId: string; unitAmount: number; taxBehavior: TaxBehavior };

export type TaxBehavior = 'inclusive' | 'exclusive' | 'unspecified';

/** One purchasable plan: an active, licensed, per-unit recurring price of an active product. */
export interface Plan {
  priceId: string;
  productId: string;
  /** The product's words in both languages (the shop's language from Stripe, the other from metadata). */
  text: Record<Language, PlanText>;
  image: string | null;
  unitAmount: number;
  currency: string;
  interval: IntervalUnit;
  intervalCount: number;
  /** `unspecified` and `inclusive` prices charge their amount as the total; `exclusive` adds Stripe Tax on top. */
  taxBehavior: TaxBehavior;
  /** Product metadata `reduced_tax_rate=true`: food taxed at the reduced rate (軽減税率対象); Stripe holds the rate. */
  reducedTaxRate: boolean;
  /**
   * What tax the price includes, as the owner stated it (metadata `tax_label` / `tax_label_en` on the price
   * or its product); null for a yen price, which is labelled 税込 (総額表示). A price in another currency
   * is offered only with a statement: 税込 would be a guess about a tax the shop may not charge.
   */
  taxNote: Record<Language, string> | null;
  shipping: PlanShipping;
}

/** What the shop's configuration decides about the catalog. */
export interface CatalogOptions {
  /** SHOP_LANGUAGE: the language product names are entered in, in Stripe. */
  shopLanguage: Language;
  /** SHIPPING_COUNTRIES is set: the plans are goods delivered by post. */
  ships: boolean;
  /** SHIPPING_PRICE: the recurring price every subscription carries as its shipping line. */
  shippingPriceId?: string;
  /** STRIPE_AUTOMATIC_TAX=true: the only way a tax-exclusive price can be charged correctly. */
  automaticTax: boolean;
  /** A price the configuration makes unsellable: the owner must fix it (logged, never shown). */
  onProblem: (problem: { msg: string; priceId: string }) => void;
}

/** The shop's own currency: a price in it is labelled 税込 unless it says otherwise. */
const HOME_CURRENCY = 'jpy';

/** Stripe's list page size maximum; fewer round trips for larger catalogs. */
const PAGE_SIZE = 100;

const INTERVAL_UNITS: readonly string[] = ['day', 'week', 'month', 'year'] satisfies IntervalUnit[];

function isIntervalUnit(value: string): value is IntervalUnit {
  return INTERVAL_UNITS.includes(value);
}

const OTHER_LANGUAGE: Record<Language, Language> = { ja: 'en', en: 'ja' };

/**
 * A product's words in both languages: the shop's language as entered in Stripe, the other from
 * metadata (`name_en`, `description_en`, `per_delivery_en`, or the `_ja` keys for an English-first
 * shop), falling back to the shop's language when a key is missing.
 */
export function productText(
  product: Pick<Stripe.Product, 'name' | 'description' | 'metadata'>,
  shopLanguage: Language,
): Record<Language, PlanText> {
  const other = OTHER_LANGUAGE[shopLanguage];
  const metadata = product.metadata;
  const value = (key: string) => metadata[key]?.trim() || null;
  const primary: PlanText = {
    name: product.name,
    description: product.description || null,
    perDelivery: value('per_delivery'),
  };
  const secondary: PlanText = {
    name: value(`name_${other}`) ?? primary.name,
    description: value(`description_${other}`) ?? primary.description,
    perDelivery: value(`per_delivery_${other}`) ?? primary.perDelivery,
  };
  return { [shopLanguage]: primary, [other]: secondary } as Record<Language, PlanText>;
}

/** A price narrowed to what isSellablePrice checked. */
type SellablePrice = Stripe.Price & {
  recurring: Stripe.Price.Recurring & { interval: IntervalUnit };
  unit_amount: number;
};

/** A recurring price this site can charge a fixed amount for: licensed, per unit, one amount. */
function isSellablePrice(price: Stripe.Price): price is SellablePrice {
  // Metered prices need usage reporting and refuse a quantity (Stripe.Price.Recurring.usage_type);
  // tiered and custom-amount prices have no single unit_amount to show.
  return (
    price.active &&
    price.recurring?.usage_type === 'licensed' &&
    price.billing_scheme === 'per_unit' &&
    price.custom_unit_amount === null &&
    price.unit_amount !== null &&
    isIntervalUnit(price.recurring.interval)
  );
}

/** Stripe.Price.tax_behavior; null (never set) charges like `unspecified`. */
function taxBehaviorOf(price: Stripe.Price): TaxBehavior {
  if (price.tax_behavior === 'inclusive') return 'inclusive';
  return price.tax_behavior === 'exclusive' ? 'exclusive' : 'unspecified';
}

function productOf(price: Stripe.Price): Stripe.Product | null {
  const product = price.product;
  if (typeof product === 'string' || product.deleted || !product.active) return null;
  return product;
}

/** True when the two prices bill on the same cycle in the same currency (one subscription, one invoice). */
function sameCycle(a: Stripe.Price, b: Stripe.Price): boolean {
  return (
    a.currency === b.currency &&
    a.recurring?.interval === b.recurring?.interval &&
    a.recurring?.interval_count === b.recurring?.interval_count
  );
}

/**
 * Converts a price (with its product expanded) to a plan, or null when this site cannot sell it
 * (reported through `onProblem` when the cause is the shop's configuration, not the price's kind).
 */
function toPlan(price: Stripe.Price, shippingPrice: SellablePrice | undefined, options: CatalogOptions): Plan | null {
  const product = productOf(price);
  if (!product || !isSellablePrice(price)) return null;
  const taxBehavior = taxBehaviorOf(price);
  // Without Stripe Tax nothing is added to an exclusive price: the shop would charge less than it meant.
  if (taxBehavior === 'exclusive' && !options.automaticTax) {
    options.onProblem({
      msg: 'catalog: a tax-exclusive price is not offered without STRIPE_AUTOMATIC_TAX=true',
      priceId: price.id,
    });
    return null;
  }
  const taxNote = statedTax(price, product, options.shopLanguage);
  if (price.currency !== HOME_CURRENCY && !taxNote) {
    options.onProblem({
      msg: `catalog: a price in ${price.currency.toUpperCase()} is not offered until it says which tax it includes (metadata tax_label and tax_label_en on the price or its product)`,
      priceId: price.id,
    });
    return null;
  }
  let shipping: PlanShipping = { kind: options.ships ? 'included' : 'none' };
  if (options.ships && options.shippingPriceId) {
    if (!shippingPrice || !sameCycle(price, shippingPrice)) {
      options.onProblem({
        msg: 'catalog: a plan is not offered because SHIPPING_PRICE is not an active recurring price in its currency and billing cycle',
        priceId: price.id,
      });
      return null;
    }
    if (taxBehaviorOf(shippingPrice) === 'exclusive' && !options.automaticTax) {
      options.onProblem({
        msg: 'catalog: a plan is not offered because SHIPPING_PRICE is tax-exclusive and STRIPE_AUTOMATIC_TAX is not true',
        priceId: price.id,
      });
      return null;
    }
    shipping = {
      kind: 'fee',
      priceId: shippingPrice.id,
      unitAmount: shippingPrice.unit_amount,
      taxBehavior: taxBehaviorOf(shippingPrice),
    };
  }
  return {
    priceId: price.id,
    productId: product.id,
    text: productText(product, options.shopLanguage),
    image: product.images?.find((url) => /^https?:\/\//.test(url)) ?? null,
    unitAmount: price.unit_amount,
    currency: price.currency,
    interval: price.recurring.interval,
    intervalCount: price.recurring.interval_count,
    taxBehavior,
    reducedTaxRate: product.metadata.reduced_tax_rate === 'true',
    taxNote,
    shipping,
  };
}

/** The tax the owner says a price includes (the price's metadata first, then its product's), in both languages. */
function statedTax(
  price: Stripe.Price,
  product: Stripe.Product,
  shopLanguage: Language,
): Record<Language, string> | null {
  const other = OTHER_LANGUAGE[shopLanguage];
  // Kept as written: an English label carries its own leading space (" (incl. tax)"), as the site's do.
  const given = (text: string | undefined) => (text?.trim() ? text : null);
  const value = (key: string) => given(price.metadata[key]) ?? given(product.metadata[key]);
  const primary = value('tax_label');
  if (!primary) return null;
  return { [shopLanguage]: primary, [other]: value(`tax_label_${other}`) ?? primary } as Record<Language, string>;
}

/**
 * Lists every active recurring price of an active product, following Stripe's pagination to
 * the end. Order: by product, then by amount, so a product's plans sit together. The shipping
 * price's product is not a plan: it rides along as each plan's shipping line.
 */
export async function fetchPlans(stripe: Stripe, options: CatalogOptions): Promise<Plan[]> {
  const prices: Stripe.Price[] = [];
  for await (const price of stripe.prices.list({
    active: true,
    type: 'recurring',
    expand: ['data.product'],
    limit: PAGE_SIZE,
  }))
    prices.push(price);

  const wanted = options.ships ? options.shippingPriceId : undefined;
  const listedShipping = wanted ? prices.find((price) => price.id === wanted) : undefined;
  const shippingProduct = listedShipping ? productOf(listedShipping) : null;
  const shippingPrice =
    shippingProduct && listedShipping && isSellablePrice(listedShipping) ? listedShipping : undefined;

  const plans: Plan[] = [];
  const productOrder = new Map<string, number>();
  for (const price of prices) {
    if (price.id === wanted || (shippingProduct && productOf(price)?.id === shippingProduct.id)) continue;
    const plan = toPlan(price, shippingPrice, options);
    if (!plan) continue;
    if (!productOrder.has(plan.productId)) productOrder.set(plan.productId, productOrder.size);
    plans.push(plan);
  }
  return plans.sort(
    (a, b) =>
      (productOrder.get(a.productId) ?? 0) - (productOrder.get(b.productId) ?? 0) || a.unitAmount - b.unitAmount,
  );
}

/**
 * The plan the catalog offers under this posted id, if any. A legacy Plan keeps the id the
 * merchant chose, and `line_items[].price` takes "the ID of the Price or Plan object", so a posted
 * id is checked by catalog membership, after a cheap shape guard.
 */
export function findPlan(plans: readonly Plan[], priceId: unknown): Plan | undefined {
  if (!isStripeId('priceOrPlan', priceId)) return undefined;
  return plans.find((plan) => plan.priceId === priceId);
}
