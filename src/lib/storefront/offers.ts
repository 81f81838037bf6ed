/**
 * The storefront shows one card per product: its prices (every month, every 2 months, every year…)
 * are the choices of one form, not cards of their own. What each card offers depends on the
 * visitor's subscription.
 */
import type { Plan } from '../stripe/catalog.ts';
import { isLive, type SubscriptionRecord } from '../subscriptions/record.ts';

/** One product and its plans, the shortest interval first. */
export interface Offer {
  productId: string;
  plans: Plan[];
}

export type OfferAction =
  /** No live subscription: choose a plan of this product and subscribe. */
  | { kind: 'subscribe' }
  /** The subscriber's own product: which plan, and the way to change it. */
  | { kind: 'current'; priceId: string }
  /** Another product in the subscription's currency: switched in the portal. */
  | { kind: 'switch' }
  /** Another currency: Stripe keeps one currency per customer, so not until the subscription ends. */
  | { kind: 'other-currency' }
  /** The shop takes no orders yet (legal/opening.ts). */
  | { kind: 'closed' };

const MONTHS: Record<Plan['interval'], number> = { day: 1 / 30, week: 7 / 30, month: 1, year: 12 };

/** The catalog's plans grouped by product, in the catalog's order of products, each product's plans shortest interval first. */
export function groupByProduct(plans: readonly Plan[]): Offer[] {
  const offers = new Map<string, Plan[]>();
  for (const plan of plans) offers.set(plan.productId, [...(offers.get(plan.productId) ?? []), plan]);
  return [...offers].map(([productId, grouped]) => ({
    productId,
    plans: grouped.sort((a, b) => MONTHS[a.interval] * a.intervalCount - MONTHS[b.interval] * b.intervalCount),
  }));
}

/** What a product's card offers this visitor. */
export function offerAction(offer: Offer, subscription: SubscriptionRecord | null, open: boolean): OfferAction {
  if (!subscription || !isLive(subscription.status)) return open ? { kind: 'subscribe' } : { kind: 'closed' };
  const current = offer.plans.find((plan) => plan.priceId === subscription.priceId);
  if (current) return { kind: 'current', priceId: current.priceId };
  return offer.plans.some((plan) => plan.currency === subscription.currency)
    ? { kind: 'switch' }
    : { kind: 'other-currency' };
}
