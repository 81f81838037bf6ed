import type Stripe from 'stripe';
import { isStripeId } from './ids';

/** Billing interval of a recurring price. */
export type IntervalUnit = 'day' | 'week' | 'month' | 'year';

/** One purchasable plan: an active, licensed, per-unit recurring price of an active product. */
export interface Plan {
  priceId: string;
  productId: string;
  name: string;
  description: string | null;
  image: string | null;
  unitAmount: number;
  currency: string;
  interval: IntervalUnit;
  intervalCount: number;
}

/** Stripe's list page size maximum; fewer round trips for larger catalogs. */
const PAGE_SIZE = 100;

const INTERVAL_UNITS: readonly string[] = ['day', 'week', 'month', 'year'] satisfies IntervalUnit[];

function isIntervalUnit(value: string): value is IntervalUnit {
  return INTERVAL_UNITS.includes(value);
}

/**
 * Converts a price (with its product expanded) to a plan, or null when this site cannot sell it:
 * metered prices need usage reporting and refuse a quantity (Stripe.Price.Recurring.usage_type),
 * tiered and custom-amount prices have no single unit_amount to show.
 */
function toPlan(price: Stripe.Price): Plan | null {
  const product = price.product;
  if (!price.active || !price.recurring || price.recurring.usage_type !== 'licensed') return null;
  if (price.billing_scheme !== 'per_unit' || price.custom_unit_amount !== null || price.unit_amount === null)
    return null;
  const interval = price.recurring.interval;
  if (!isIntervalUnit(interval)) return null;
  if (typeof product === 'string' || product.deleted || !product.active) return null;
  return {
    priceId: price.id,
    productId: product.id,
    name: product.name,
    description: product.description ?? null,
    image: product.images?.find((url) => /^https?:\/\//.test(url)) ?? null,
    unitAmount: price.unit_amount,
    currency: price.currency,
    interval,
    intervalCount: price.recurring.interval_count,
  };
}

/**
 * Lists every active recurring price of an active product, following Stripe's pagination to
 * the end. Order: by product, then by amount, so a product's plans sit together.
 */
export async function fetchPlans(stripe: Stripe): Promise<Plan[]> {
  const plans: Plan[] = [];
  const productOrder = new Map<string, number>();
  for await (const price of stripe.prices.list({
    active: true,
    type: 'recurring',
    expand: ['data.product'],
    limit: PAGE_SIZE,
  })) {
    const plan = toPlan(price);
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
