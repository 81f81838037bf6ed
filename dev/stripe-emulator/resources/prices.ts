/**
 * Prices (and the products they belong to): GET /v1/prices, GET /v1/prices/:id, and what a line
 * of a price costs. The catalog itself is seeded by seed.ts.
 */
import type Stripe from 'stripe';
import { noSuch } from '../errors.ts';
import { allowOnly, expand, newestFirst, optionalBoolean, optionalEnum, paginate, PAGE_PARAMS } from '../params.ts';
import { ok, type Handler } from '../api.ts';
import { type EmulatorState, idOf } from '../state.ts';

/** GET /v1/prices: the filters the site sends (`active`, `type`), newest first. */
export const list: Handler = ({ state }, { params }) => {
  allowOnly(params, [...PAGE_PARAMS, 'active', 'type']);
  const active = optionalBoolean(params, 'active');
  const type = optionalEnum(params, 'type', ['one_time', 'recurring'] as const);
  const page = paginate(
    newestFirst(state.prices),
    (price) => (active === undefined || price.active === active) && (type === undefined || price.type === type),
    params,
    '/v1/prices',
    'price',
  );
  return ok(expand(state, page, params));
};

/** GET /v1/prices/:id; any stored id, legacy Plan ids included; `expand[]=tiers` for tiered prices. */
export const retrieve: Handler = ({ state }, { params }, [id = '']) => {
  allowOnly(params, ['expand']);
  const price = state.prices.get(id);
  if (!price) throw noSuch('price', id);
  return ok(expand(state, price, params));
};

/** A product's name for a price. */
export function productName(state: EmulatorState, price: Stripe.Price): string {
  return state.products.get(idOf(price.product))?.name ?? price.nickname ?? price.id;
}

/** What one line costs now: metered prices bill in arrears (0 up front); tiered prices by their tiers. */
export function lineAmount(state: EmulatorState, price: Stripe.Price, quantity: number | null): number {
  if (price.recurring?.usage_type === 'metered') return 0;
  const count = quantity ?? 1;
  const tiers = state.priceTiers.get(price.id);
  if (!tiers) return (price.unit_amount ?? 0) * count;
  if (price.tiers_mode === 'volume') {
    const tier = tiers.find((candidate) => candidate.up_to === null || count <= candidate.up_to) ?? tiers.at(-1);
    return (tier?.unit_amount ?? 0) * count + (tier?.flat_amount ?? 0);
  }
  let total = 0;
  let previous = 0;
  for (const tier of tiers) {
    const upTo = tier.up_to ?? Infinity;
    if (count > previous)
      total += (Math.min(count, upTo) - previous) * (tier.unit_amount ?? 0) + (tier.flat_amount ?? 0);
    previous = upTo;
  }
  return total;
}

/** A coupon's discount on an amount (percentages rounded to the nearest minor unit). */
export function discountAmount(coupon: Stripe.Coupon | null, amount: number): number {
  if (!coupon) return 0;
  if (coupon.percent_off !== null) return Math.round((amount * coupon.percent_off) / 100);
  return Math.min(amount, coupon.amount_off ?? 0);
}
