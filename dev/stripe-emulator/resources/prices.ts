/**
 * Prices: POST /v1/prices, POST /v1/prices/:id (only what Stripe lets change on a price), GET /v1/prices (`active`,
 * `type`, `product`, `currency`, `lookup_keys[]`), GET /v1/prices/:id; lookup keys unique among prices (moved with
 * `transfer_lookup_key`); and what a line of a price costs. The catalog itself is seeded by seed.ts.
 */
import type Stripe from 'stripe';
import { invalidRequest, missingParam, noSuch } from '../errors.ts';
import { priceObject } from '../objects.ts';
import {
  allowOnly,
  expand,
  metadataChange,
  newestFirst,
  optionalBoolean,
  optionalEnum,
  optionalInteger,
  optionalObject,
  optionalStringArray,
  paginate,
  PAGE_PARAMS,
  settableString,
  type Params,
} from '../params.ts';
import { ok, type Handler } from '../api.ts';
import { type EmulatorState, type EventContext, ID_PREFIX, idOf, newId, nowSeconds, snapshot } from '../state.ts';

/** Stripe.PriceListParams.lookup_keys: "You can specify up to 10 lookup_keys." */
const MAX_LOOKUP_KEYS = 10;
/** Stripe.PriceCreateParams.lookup_key: "This may be up to 200 characters." */
const MAX_LOOKUP_KEY_LENGTH = 200;
const TAX_BEHAVIORS = ['exclusive', 'inclusive', 'unspecified'] as const;
const INTERVALS = ['day', 'week', 'month', 'year'] as const;
/** Stripe.PriceCreateParams.Recurring.interval_count: "Maximum of three years interval allowed (3 years, 36 months, or 156 weeks)." */
const MAX_INTERVAL_COUNT: Readonly<Record<(typeof INTERVALS)[number], number>> = {
  day: 1095,
  week: 156,
  month: 36,
  year: 3,
};

/**
 * ISO 4217 codes as Node knows them, lowercase. Stripe's own list is shorter, so a code it does not take may pass here
 * (docs.stripe.com/currencies); the refusal is Stripe's wording ("Invalid currency: x. Stripe currently supports these
 * currencies: …", quoted in public issues).
 */
const CURRENCIES: readonly string[] = Intl.supportedValuesOf('currency').map((code) => code.toLowerCase());

/** GET /v1/prices: `active`, `type`, `product`, `currency`, `lookup_keys[]` (up to 10), newest first. */
export const list: Handler = ({ state }, { params }) => {
  allowOnly(params, [...PAGE_PARAMS, 'active', 'currency', 'lookup_keys', 'product', 'type']);
  const active = optionalBoolean(params, 'active');
  const type = optionalEnum(params, 'type', ['one_time', 'recurring'] as const);
  const product = settableString(params, 'product');
  const currency = settableString(params, 'currency')?.toLowerCase();
  const lookupKeys = optionalStringArray(params, 'lookup_keys');
  // wording not confirmed
  if (lookupKeys && lookupKeys.length > MAX_LOOKUP_KEYS)
    throw invalidRequest(`You can specify up to ${MAX_LOOKUP_KEYS} lookup_keys.`, 'lookup_keys');
  const page = paginate(
    newestFirst(state.prices),
    (price) =>
      (active === undefined || price.active === active) &&
      (type === undefined || price.type === type) &&
      (product === undefined || idOf(price.product) === product) &&
      (currency === undefined || price.currency === currency) &&
      (lookupKeys === undefined || (price.lookup_key !== null && lookupKeys.includes(price.lookup_key))),
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

/**
 * `lookup_key` for `price`: unique among all prices, archived ones too (docs.stripe.com/products-prices/manage-prices#lookup-keys).
 * A key another price holds is refused with Stripe's message (quoted in stripe/stripe-ruby#933 and public probes:
 * "A price (`price_…`) already uses that lookup key."), unless `transfer_lookup_key=true`, which "will atomically remove
 * the lookup key from the existing price, and assign it to this price" (Stripe.PriceCreateParams.transfer_lookup_key):
 * the holder loses it (`price.updated`). Answers the key and the holder's events.
 */
function claimLookupKey(
  state: EmulatorState,
  params: Params,
  priceId: string | null,
  context: EventContext,
): { lookupKey: string | undefined; apply: () => Stripe.Event[] } {
  const lookupKey = settableString(params, 'lookup_key');
  const transfer = optionalBoolean(params, 'transfer_lookup_key') ?? false;
  if (lookupKey === undefined) return { lookupKey, apply: () => [] };
  // wording not confirmed
  if (lookupKey.length > MAX_LOOKUP_KEY_LENGTH)
    throw invalidRequest(`lookup_key must be at most ${MAX_LOOKUP_KEY_LENGTH} characters.`, 'lookup_key');
  const holder = [...state.prices.values()].find((price) => price.lookup_key === lookupKey && price.id !== priceId);
  if (holder && !transfer)
    throw invalidRequest(`A price (\`${holder.id}\`) already uses that lookup key.`, 'lookup_key');
  return {
    lookupKey,
    apply: () => {
      if (!holder) return [];
      holder.lookup_key = null;
      return [state.createEvent('price.updated', holder, context, { lookup_key: lookupKey })];
    },
  };
}

/** `recurring[interval|interval_count|usage_type]` (Stripe.PriceCreateParams.Recurring), or null for a one-time price. */
function recurringParam(params: Params): Stripe.Price.Recurring | null {
  const recurring = optionalObject(params, 'recurring');
  if (!recurring) return null;
  allowOnly(recurring, ['interval', 'interval_count', 'usage_type'], 'recurring');
  const interval = optionalEnum(recurring, 'interval', INTERVALS, 'recurring[interval]');
  if (interval === undefined) throw missingParam('recurring[interval]');
  const count =
    optionalInteger(recurring, 'interval_count', 1, Number.MAX_SAFE_INTEGER, 'recurring[interval_count]') ?? 1;
  // wording not confirmed
  if (count > MAX_INTERVAL_COUNT[interval])
    throw invalidRequest(
      'The maximum billing interval is three years (3 years, 36 months, or 156 weeks).',
      'recurring[interval_count]',
    );
  const usage = optionalEnum(recurring, 'usage_type', ['licensed', 'metered'] as const, 'recurring[usage_type]');
  // docs.stripe.com/changelog/basil/2025-03-31/deprecate-legacy-usage-based-billing: a metered price needs a Billing
  // Meter (`recurring[meter]`), which the emulator does not take (wording not confirmed)
  if (usage === 'metered')
    throw invalidRequest('A metered price must be backed by a meter (recurring[meter]).', 'recurring[usage_type]');
  return { interval, interval_count: count, meter: null, trial_period_days: null, usage_type: 'licensed' };
}

/**
 * POST /v1/prices: `product`, `currency`, `unit_amount` (required: the emulator takes no tiers, custom or decimal
 * amounts), `recurring`, `tax_behavior`, `lookup_key` + `transfer_lookup_key`, `nickname`, `metadata`, `active`;
 * `price.created` (after the holder's `price.updated` when a lookup key moves).
 */
export const create: Handler = ({ state, events }, { params }) => {
  allowOnly(params, [
    'active',
    'currency',
    'expand',
    'lookup_key',
    'metadata',
    'nickname',
    'product',
    'recurring',
    'tax_behavior',
    'transfer_lookup_key',
    'unit_amount',
  ]);
  const productId = settableString(params, 'product');
  // Stripe.PriceCreateParams: `product` or `product_data`; the emulator takes `product` only
  if (productId === undefined) throw missingParam('product');
  const product = state.products.get(productId);
  if (!product) throw noSuch('product', productId, 'product');
  const currencyParam = settableString(params, 'currency');
  if (currencyParam === undefined) throw missingParam('currency');
  const currency = currencyParam.toLowerCase();
  if (!CURRENCIES.includes(currency))
    throw invalidRequest(
      `Invalid currency: ${currency}. Stripe currently supports these currencies: ${CURRENCIES.join(', ')}`,
      'currency',
    );
  // Stripe.PriceCreateParams.unit_amount: "A positive integer in cents (or local equivalent) (or 0 for a free price)"
  const unitAmount = optionalInteger(params, 'unit_amount', 0, Number.MAX_SAFE_INTEGER);
  if (unitAmount === undefined) throw missingParam('unit_amount');
  const recurring = recurringParam(params);
  const taxBehavior = optionalEnum(params, 'tax_behavior', TAX_BEHAVIORS) ?? 'unspecified';
  const metadata = metadataChange(params);
  const nickname = settableString(params, 'nickname') ?? null;
  const active = optionalBoolean(params, 'active') ?? true;
  const claim = claimLookupKey(state, params, null, events);
  const price = priceObject({
    id: newId(ID_PREFIX.price),
    created: nowSeconds(),
    currency,
    product: product.id,
    unit_amount: unitAmount,
    active,
    lookup_key: claim.lookupKey ?? null,
    metadata: metadata ? metadata({}) : {},
    nickname,
    recurring,
    tax_behavior: taxBehavior,
  });
  const moved = claim.apply();
  state.prices.set(price.id, price);
  return ok(expand(state, price, params), [...moved, state.createEvent('price.created', price, events)]);
};

/**
 * POST /v1/prices/:id: only what Stripe.PriceUpdateParams lists (`active`, `lookup_key` + `transfer_lookup_key`,
 * `metadata`, `nickname`, `tax_behavior`); amounts, currency and interval are immutable, so those parameters are
 * unknown here as at Stripe. `price.updated` with the changed fields.
 */
export const update: Handler = ({ state, events }, { params }, [id = '']) => {
  allowOnly(params, ['active', 'expand', 'lookup_key', 'metadata', 'nickname', 'tax_behavior', 'transfer_lookup_key']);
  const price = state.prices.get(id);
  if (!price) throw noSuch('price', id);
  const active = optionalBoolean(params, 'active');
  const product = state.products.get(idOf(price.product));
  // Stripe's refusal, quoted in public reports: a product's default price stays active until another one is the default
  if (active === false && price.active && product?.default_price && idOf(product.default_price) === price.id)
    throw invalidRequest('This price cannot be archived because it is the default price of its product.');
  const taxBehavior = optionalEnum(params, 'tax_behavior', TAX_BEHAVIORS);
  // Stripe.PriceUpdateParams.tax_behavior: "Once specified as either `inclusive` or `exclusive`, it cannot be changed."
  // (wording not confirmed)
  if (taxBehavior !== undefined && taxBehavior !== price.tax_behavior && price.tax_behavior !== 'unspecified')
    throw invalidRequest(
      `The tax_behavior of a price cannot be changed once it is \`${price.tax_behavior}\`.`,
      'tax_behavior',
    );
  const metadata = metadataChange(params);
  const nickname = settableString(params, 'nickname');
  const claim = claimLookupKey(state, params, price.id, events);
  const next: Partial<Stripe.Price> = {
    ...(active !== undefined && { active }),
    ...(taxBehavior !== undefined && { tax_behavior: taxBehavior }),
    ...(metadata && { metadata: metadata(price.metadata) }),
    ...(nickname !== undefined && { nickname }),
    ...(claim.lookupKey !== undefined && { lookup_key: claim.lookupKey }),
  };
  const previous: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(next)) {
    const field = key as keyof Stripe.Price;
    if (JSON.stringify(price[field]) !== JSON.stringify(value)) previous[key] = snapshot(price[field]);
  }
  if (Object.keys(previous).length === 0) return ok(expand(state, price, params));
  const moved = claim.apply();
  Object.assign(price, next);
  const event = state.createEvent('price.updated', price, events, previous);
  return ok(expand(state, price, params), [...moved, event]);
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
