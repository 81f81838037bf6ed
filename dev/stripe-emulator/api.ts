/**
 * The REST API (/v1/...): routing, parameter validation, pagination and `expand`.
 * Handlers are synchronous; they throw StripeApiError for anything Stripe would reject.
 */
import type Stripe from 'stripe';
import {
  clashingCurrency,
  createCheckoutSession,
  createPortalSession,
  ENDED_STATUSES,
  refreshExpiry,
  type CheckoutInput,
} from './billing.ts';
import { invalidRequest, missingParam, noSuch, StripeApiError } from './errors.ts';
import { deleteCustomer } from './lifecycle.ts';
import { type EmulatorState, type EventContext, ID_PREFIX, idOf, newId, nowSeconds } from './state.ts';

/** One parsed API request. */
export interface ApiRequest {
  method: string;
  /** Path without the query string, e.g. `/v1/prices`. */
  path: string;
  /** Query string and form body, parsed (the body wins on a clash). */
  params: Record<string, unknown>;
  requestId: string;
  idempotencyKey: string | null;
}

/** What a handler needs besides the request. */
export interface ApiContext {
  state: EmulatorState;
  /** Base of the URLs handed to browsers (hosted pages). */
  publicUrl: string;
  /** 1 when a webhook endpoint is configured (copied into events), else 0. */
  pendingWebhooks: number;
}

/** A handler's answer; `events` are delivered by the server after the response. */
export interface ApiResponse {
  status: number;
  body: unknown;
  events: Stripe.Event[];
}

type Params = Record<string, unknown>;
type Handler = (ctx: ApiContext, req: ApiRequest, ids: string[]) => ApiResponse;

// ---------------------------------------------------------------- parameter helpers

function ok(body: unknown, events: Stripe.Event[] = []): ApiResponse {
  return { status: 200, body, events };
}

/** Rejects parameters Stripe would not know, like Stripe does ("Received unknown parameter"). */
function allowOnly(params: Params, allowed: readonly string[], prefix?: string): void {
  for (const key of Object.keys(params)) {
    const name = prefix === undefined ? key : `${prefix}[${key}]`;
    if (!allowed.includes(key)) throw invalidRequest(`Received unknown parameter: ${name}`, name);
  }
}

/** A string parameter; `''` counts as absent (Stripe's way of unsetting). */
function optionalString(params: Params, name: string, label = name): string | undefined {
  const value = params[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw invalidRequest(`Invalid string: ${label} must be a string.`, label);
  return value;
}

function requiredString(params: Params, name: string, label = name): string {
  const value = optionalString(params, name, label);
  if (value === undefined) throw missingParam(label);
  return value;
}

function optionalBoolean(params: Params, name: string, label = name): boolean | undefined {
  const value = optionalString(params, name, label);
  if (value === undefined) return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw invalidRequest(`Invalid boolean: ${value}`, label);
}

function optionalInteger(params: Params, name: string, min: number, max: number, label = name): number | undefined {
  const value = optionalString(params, name, label);
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value)) throw invalidRequest(`Invalid integer: ${value}`, label);
  const number = Number(value);
  if (number < min) throw invalidRequest(`This value must be greater than or equal to ${min}.`, label);
  if (number > max) throw invalidRequest(`This value must be less than or equal to ${max}.`, label);
  return number;
}

function optionalEnum<T extends string>(params: Params, name: string, values: readonly T[]): T | undefined {
  const value = optionalString(params, name);
  if (value === undefined) return undefined;
  const match = values.find((candidate) => candidate === value);
  if (match === undefined) throw invalidRequest(`Invalid ${name}: must be one of ${values.join(', ')}`, name);
  return match;
}

function optionalObject(params: Params, name: string, label = name): Params | undefined {
  const value = params[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalidRequest(`Invalid object`, label);
  return value as Params;
}

/** A list parameter (`a[0]=x` or `a[]=x`); a lone string counts as one item. */
function optionalStringArray(params: Params, name: string): string[] | undefined {
  const value = params[name];
  if (value === undefined || value === '') return undefined;
  const items = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(items) || !items.every((item): item is string => typeof item === 'string')) {
    throw invalidRequest('Invalid array', name);
  }
  return items;
}

/** `metadata[key]=value` → a metadata object, with Stripe's limits. */
function metadataParam(params: Params, name: string): Record<string, string> {
  const value = optionalObject(params, name);
  if (!value) return {};
  const result: Record<string, string> = {};
  const entries = Object.entries(value);
  if (entries.length > 50) throw invalidRequest('Metadata can have at most 50 keys.', name);
  for (const [key, item] of entries) {
    if (typeof item !== 'string') throw invalidRequest('Invalid string', `${name}[${key}]`);
    if (key.length > 40) throw invalidRequest('Metadata keys can be at most 40 characters long.', `${name}[${key}]`);
    if (item.length > 500)
      throw invalidRequest('Metadata values can be at most 500 characters long.', `${name}[${key}]`);
    if (item !== '') result[key] = item;
  }
  return result;
}

function optionalUrl(params: Params, name: string): string | undefined {
  const value = optionalString(params, name);
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidRequest('Not a valid URL', name, 'url_invalid');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw invalidRequest('Not a valid URL', name, 'url_invalid');
  return value;
}

const EMAIL_PATTERN = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/** Loose e-mail check in the spirit of Stripe's (something@domain.tld). */
export function isEmail(value: string): boolean {
  return value.length <= 512 && EMAIL_PATTERN.test(value);
}

/** `created` filters: a timestamp or `created[gt|gte|lt|lte]`. */
function createdFilter(params: Params): (created: number) => boolean {
  const value = params['created'];
  if (value === undefined || value === '') return () => true;
  if (typeof value === 'string') {
    const exact = optionalInteger(params, 'created', 0, Number.MAX_SAFE_INTEGER);
    return (created) => created === exact;
  }
  const range = optionalObject(params, 'created') ?? {};
  allowOnly(range, ['gt', 'gte', 'lt', 'lte']);
  const bound = (key: string) => optionalInteger(range, key, 0, Number.MAX_SAFE_INTEGER, `created[${key}]`);
  const [gt, gte, lt, lte] = [bound('gt'), bound('gte'), bound('lt'), bound('lte')];
  return (created) =>
    (gt === undefined || created > gt) &&
    (gte === undefined || created >= gte) &&
    (lt === undefined || created < lt) &&
    (lte === undefined || created <= lte);
}

// ---------------------------------------------------------------- expand

function cannotExpand(path: string): StripeApiError {
  return invalidRequest(`This property cannot be expanded (${path}).`, 'expand');
}

/** Fields that exist only when expanded: a Checkout Session's `line_items`, a tiered price's `tiers`. */
function includable(state: EmulatorState, object: Record<string, unknown>, key: string): (() => unknown) | undefined {
  const id = String(object['id']);
  if (object['object'] === 'checkout.session' && key === 'line_items') return () => lineItemsList(state, id);
  // Stripe.Price `tiers`: "requires billing_scheme tiered"; returned when expanded
  const tiers = state.priceTiers.get(id);
  if (object['object'] === 'price' && key === 'tiers' && tiers) return () => tiers;
  return undefined;
}

function expandValue(state: EmulatorState, value: unknown, rest: string[], path: string): unknown {
  if (Array.isArray(value)) return value.map((item: unknown) => expandValue(state, item, rest, path));
  let current = value;
  if (typeof current === 'string') {
    // Any stored id, whatever its prefix (legacy Plan ids are merchant-chosen).
    current = state.find(current);
    if (current === undefined) throw cannotExpand(path);
  }
  if (rest.length === 0 || current === null) return current;
  if (typeof current !== 'object') throw cannotExpand(path);
  return expandField(state, current, rest, path);
}

function expandField(state: EmulatorState, object: object, segments: string[], path: string): Record<string, unknown> {
  const [key, ...rest] = segments;
  // A shallow copy, so the stored object is untouched.
  const copy: Record<string, unknown> = { ...(object as Record<string, unknown>) };
  const include = key === undefined || key in copy ? undefined : includable(state, copy, key);
  if (include && key !== undefined) copy[key] = include();
  if (key === undefined || !(key in copy)) throw cannotExpand(path);
  const value = copy[key];
  if (value !== null && value !== undefined) copy[key] = expandValue(state, value, rest, path);
  return copy;
}

/** Applies `expand` paths to an object (or list); docs.stripe.com/expand: at most 4 levels. */
function expand(state: EmulatorState, object: object, params: Params): unknown {
  let result: object = object;
  for (const path of optionalStringArray(params, 'expand') ?? []) {
    const segments = path.split('.');
    if (segments.length > 4)
      throw invalidRequest(`You cannot expand more than 4 levels of a property (${path}).`, 'expand');
    result = expandField(state, result, segments, path);
  }
  return result;
}

// ---------------------------------------------------------------- lists

const PAGE_PARAMS = ['limit', 'starting_after', 'ending_before', 'expand'] as const;

/**
 * One page of `all` (newest first) after filtering, Stripe-style: `starting_after` pages toward
 * older items, `ending_before` toward newer ones; both return items newest first.
 */
function paginate<T extends { id: string }>(
  all: readonly T[],
  keep: (item: T) => boolean,
  params: Params,
  url: string,
  kind: string,
): Stripe.ApiList<T> {
  const limit = optionalInteger(params, 'limit', 1, 100) ?? 10;
  const startingAfter = optionalString(params, 'starting_after');
  const endingBefore = optionalString(params, 'ending_before');
  if (startingAfter !== undefined && endingBefore !== undefined) {
    throw invalidRequest(
      'You may only specify one of these parameters: ending_before, starting_after.',
      'ending_before',
    );
  }
  const cursor = startingAfter ?? endingBefore;
  const position = cursor === undefined ? -1 : all.findIndex((item) => item.id === cursor);
  if (cursor !== undefined && position === -1) {
    throw noSuch(kind, cursor, startingAfter !== undefined ? 'starting_after' : 'ending_before');
  }
  let data: T[];
  let hasMore: boolean;
  if (endingBefore !== undefined) {
    const candidates = all.slice(0, position).filter(keep);
    data = candidates.slice(-limit);
    hasMore = candidates.length > limit;
  } else {
    const candidates = all.slice(position + 1).filter(keep);
    data = candidates.slice(0, limit);
    hasMore = candidates.length > limit;
  }
  return { object: 'list', data, has_more: hasMore, url };
}

function newestFirst<T>(map: Map<string, T>): T[] {
  return [...map.values()].reverse();
}

function eventContext(ctx: ApiContext, req: ApiRequest): EventContext {
  return { requestId: req.requestId, idempotencyKey: req.idempotencyKey, pendingWebhooks: ctx.pendingWebhooks };
}

// ---------------------------------------------------------------- prices

const listPrices: Handler = ({ state }, { params }) => {
  allowOnly(params, [...PAGE_PARAMS, 'active', 'currency', 'product', 'type', 'recurring', 'lookup_keys', 'created']);
  const active = optionalBoolean(params, 'active');
  const currency = optionalString(params, 'currency')?.toLowerCase();
  const product = optionalString(params, 'product');
  const type = optionalEnum(params, 'type', ['one_time', 'recurring'] as const);
  const recurring = optionalObject(params, 'recurring') ?? {};
  allowOnly(recurring, ['interval', 'meter', 'usage_type']);
  const interval = optionalString(recurring, 'interval', 'recurring[interval]');
  const usageType = optionalString(recurring, 'usage_type', 'recurring[usage_type]');
  const lookupKeys = optionalStringArray(params, 'lookup_keys');
  const created = createdFilter(params);
  const list = paginate(
    newestFirst(state.prices),
    (price) =>
      (active === undefined || price.active === active) &&
      (currency === undefined || price.currency === currency) &&
      (product === undefined || price.product === product) &&
      (type === undefined || price.type === type) &&
      (interval === undefined || price.recurring?.interval === interval) &&
      (usageType === undefined || price.recurring?.usage_type === usageType) &&
      (lookupKeys === undefined || (price.lookup_key !== null && lookupKeys.includes(price.lookup_key))) &&
      created(price.created),
    params,
    '/v1/prices',
    'price',
  );
  return ok(expand(state, list, params));
};

const retrievePrice: Handler = ({ state }, { params }, [id = '']) => {
  allowOnly(params, ['expand']);
  const price = state.prices.get(id);
  if (!price) throw noSuch('price', id);
  return ok(expand(state, price, params));
};

// ---------------------------------------------------------------- customers

const listCustomers: Handler = ({ state }, { params }) => {
  allowOnly(params, [...PAGE_PARAMS, 'email', 'created', 'test_clock']);
  const email = optionalString(params, 'email');
  const created = createdFilter(params);
  // docs.stripe.com/api/customers/list: "sorted by creation date, with the most recent customers appearing first"
  const list = paginate(
    newestFirst(state.customers),
    (customer) => (email === undefined || customer.email === email) && created(customer.created),
    params,
    '/v1/customers',
    'customer',
  );
  return ok(expand(state, list, params));
};

const retrieveCustomer: Handler = ({ state }, { params }, [id = '']) => {
  allowOnly(params, ['expand']);
  // Stripe.DeletedCustomer: a deleted customer is still retrievable, as `{ id, object, deleted: true }`
  const customer = state.customers.get(id) ?? state.deletedCustomers.get(id);
  if (!customer) throw noSuch('customer', id);
  return ok(expand(state, customer, params));
};

const deleteCustomerHandler: Handler = (ctx, req, [id = '']) => {
  allowOnly(req.params, []);
  if (!ctx.state.customers.has(id)) throw noSuch('customer', id);
  const result = deleteCustomer(ctx.state, id, eventContext(ctx, req));
  return ok(result.deleted, result.events);
};

/** A live customer named by a parameter; deleted and unknown customers are both "No such customer". */
function customerParam(state: EmulatorState, params: Params, name = 'customer'): Stripe.Customer | undefined {
  const id = optionalString(params, name);
  if (id === undefined) return undefined;
  const customer = state.customers.get(id);
  if (!customer) throw noSuch('customer', id, name);
  return customer;
}

// ---------------------------------------------------------------- subscriptions, invoices, payment methods

const SUBSCRIPTION_STATUSES = [
  'active',
  'all',
  'canceled',
  'ended',
  'incomplete',
  'incomplete_expired',
  'past_due',
  'paused',
  'trialing',
  'unpaid',
] as const;

const listSubscriptions: Handler = ({ state }, { params }) => {
  allowOnly(params, [
    ...PAGE_PARAMS,
    'automatic_tax',
    'collection_method',
    'created',
    'current_period_end',
    'current_period_start',
    'customer',
    'customer_account',
    'price',
    'status',
    'test_clock',
  ]);
  const customer = customerParam(state, params);
  const price = optionalString(params, 'price');
  const status = optionalEnum(params, 'status', SUBSCRIPTION_STATUSES);
  const created = createdFilter(params);
  const statusMatches = (value: string) => {
    // docs.stripe.com/api/subscriptions/list: "If no value is supplied, all subscriptions that have not been canceled are returned."
    if (status === undefined) return value !== 'canceled';
    if (status === 'all') return true;
    if (status === 'ended') return ENDED_STATUSES.has(value);
    return value === status;
  };
  const list = paginate(
    newestFirst(state.subscriptions),
    (sub) =>
      (customer === undefined || sub.customer === customer.id) &&
      (price === undefined || sub.items.data.some((item) => item.price.id === price)) &&
      statusMatches(sub.status) &&
      created(sub.created),
    params,
    '/v1/subscriptions',
    'subscription',
  );
  return ok(expand(state, list, params));
};

/** GET /v1/<kind>/:id for stored objects with nothing else to it. */
function retrieveFrom<T extends object>(kind: string, map: (state: EmulatorState) => Map<string, T>): Handler {
  return ({ state }, { params }, [id = '']) => {
    allowOnly(params, ['expand']);
    const object = map(state).get(id);
    if (!object) throw noSuch(kind, id);
    return ok(expand(state, object, params));
  };
}

// ---------------------------------------------------------------- Checkout

/** Every top-level parameter of POST /v1/checkout/sessions that stripe-node's types list. */
const CHECKOUT_CREATE_PARAMS = [
  'adaptive_pricing',
  'after_expiration',
  'allow_promotion_codes',
  'allowed_payment_method_types',
  'automatic_tax',
  'billing_address_collection',
  'branding_settings',
  'cancel_url',
  'client_reference_id',
  'consent_collection',
  'currency',
  'custom_fields',
  'custom_text',
  'customer',
  'customer_account',
  'customer_creation',
  'customer_email',
  'customer_update',
  'discounts',
  'excluded_payment_method_types',
  'expand',
  'expires_at',
  'integration_identifier',
  'invoice_creation',
  'line_items',
  'locale',
  'managed_payments',
  'metadata',
  'mode',
  'name_collection',
  'optional_items',
  'origin_context',
  'payment_intent_data',
  'payment_method_collection',
  'payment_method_configuration',
  'payment_method_data',
  'payment_method_options',
  'payment_method_types',
  'permissions',
  'phone_number_collection',
  'redirect_on_completion',
  'return_url',
  'saved_payment_method_options',
  'setup_intent_data',
  'shipping_address_collection',
  'shipping_options',
  'submit_type',
  'subscription_data',
  'success_url',
  'tax_id_collection',
  'ui_mode',
  'wallet_options',
] as const;

/** `line_items` of a subscription Checkout: `[{ price, quantity }]`, active recurring prices, one currency and interval. */
function checkoutLineItems(state: EmulatorState, params: Params): CheckoutInput['lineItems'] {
  const raw = params['line_items'];
  if (raw === undefined || raw === '') throw missingParam('line_items');
  if (!Array.isArray(raw)) throw invalidRequest('Invalid array', 'line_items');
  if (raw.length === 0) throw missingParam('line_items');
  const items = raw.map((entry: unknown, index) => {
    const label = `line_items[${index}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
      throw invalidRequest('Invalid object', label);
    const item = entry as Params;
    if ('price_data' in item) {
      throw invalidRequest(
        `The emulator does not support ${label}[price_data]; pass a price id in ${label}[price].`,
        `${label}[price_data]`,
      );
    }
    allowOnly(item, ['price', 'quantity'], label);
    const priceId = requiredString(item, 'price', `${label}[price]`);
    // docs.stripe.com/api/checkout/sessions/create: line_items.price is "The ID of the Price or Plan object"
    const price = state.prices.get(priceId);
    if (!price) throw noSuch('price', priceId, `${label}[price]`);
    if (!price.active) {
      throw invalidRequest(
        `The price specified is inactive. This field only accepts active prices.`,
        `${label}[price]`,
      );
    }
    const product = state.products.get(idOf(price.product));
    if (!product?.active) {
      throw invalidRequest(
        `The price specified is set to \`product: ${product?.id ?? 'unknown'}\`, which is not active.`,
        `${label}[price]`,
      );
    }
    const quantity = optionalInteger(item, 'quantity', 0, 999_999, `${label}[quantity]`);
    // Messages as Stripe answers them (quoted in stripe-java#1584, invertase/stripe-firebase-extensions#134); the param is not confirmed.
    if (price.recurring?.usage_type === 'metered') {
      if (quantity !== undefined) {
        throw invalidRequest(
          `Quantity should not be specified where usage_type is \`metered\`. Remove quantity from \`${label}\``,
          `${label}[quantity]`,
        );
      }
      return { price, quantity: null };
    }
    if (quantity === undefined)
      throw invalidRequest(`Quantity is required. Add \`quantity\` to \`${label}\``, `${label}[quantity]`);
    if (quantity < 1) throw invalidRequest('This value must be greater than or equal to 1.', `${label}[quantity]`);
    return { price, quantity };
  });
  const recurring = items.filter(({ price }) => price.recurring);
  if (recurring.length === 0) {
    throw invalidRequest(
      'You must provide at least one recurring price in `subscription` mode when using prices.',
      'line_items',
    );
  }
  if (new Set(items.map(({ price }) => price.currency)).size > 1) {
    throw invalidRequest('Checkout does not support multiple prices with different currencies.', 'line_items');
  }
  const intervals = new Set(
    recurring.map(({ price }) => `${price.recurring?.interval}/${price.recurring?.interval_count}`),
  );
  if (intervals.size > 1) {
    throw invalidRequest('Checkout does not support multiple prices with different billing intervals.', 'line_items');
  }
  return items;
}

/** `discounts`: at most one coupon or promotion code (Stripe.Checkout.SessionCreateParams.discounts). */
function checkoutDiscount(state: EmulatorState, params: Params): CheckoutInput['discount'] {
  const raw = params['discounts'];
  if (raw === undefined || raw === '') return null;
  if (!Array.isArray(raw)) throw invalidRequest('Invalid array', 'discounts');
  if (raw.length === 0) return null;
  if (raw.length > 1) throw invalidRequest('You may only specify one discount.', 'discounts');
  const entry = raw[0] as unknown;
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
    throw invalidRequest('Invalid object', 'discounts[0]');
  const item = entry as Params;
  allowOnly(item, ['coupon', 'promotion_code'], 'discounts[0]');
  const promotionId = optionalString(item, 'promotion_code', 'discounts[0][promotion_code]');
  const couponId = optionalString(item, 'coupon', 'discounts[0][coupon]');
  if (promotionId !== undefined) {
    const promotionCode = state.promotionCodes.get(promotionId);
    if (!promotionCode) throw noSuch('promotion_code', promotionId, 'discounts[0][promotion_code]');
    const coupon = state.coupons.get(idOf(promotionCode.promotion.coupon ?? ''));
    if (!coupon) throw noSuch('coupon', idOf(promotionCode.promotion.coupon ?? ''), 'discounts[0][promotion_code]');
    return { coupon, promotionCode };
  }
  if (couponId === undefined) throw missingParam('discounts[0][coupon]');
  const coupon = state.coupons.get(couponId);
  if (!coupon) throw noSuch('coupon', couponId, 'discounts[0][coupon]');
  return { coupon, promotionCode: null };
}

function lineItemsList(state: EmulatorState, sessionId: string): Stripe.ApiList<Stripe.LineItem> {
  return {
    object: 'list',
    data: state.checkoutLineItems.get(sessionId) ?? [],
    has_more: false,
    url: `/v1/checkout/sessions/${sessionId}/line_items`,
  };
}

const createCheckout: Handler = (ctx, { params }) => {
  const { state } = ctx;
  allowOnly(params, CHECKOUT_CREATE_PARAMS);
  const mode = requiredString(params, 'mode');
  if (mode !== 'subscription') {
    throw invalidRequest(`The emulator supports only mode=subscription (got '${mode}').`, 'mode');
  }
  const lineItems = checkoutLineItems(state, params);
  const successUrl = optionalUrl(params, 'success_url');
  if (successUrl === undefined) throw missingParam('success_url');
  // Stripe.Checkout.SessionCreateParams.cancel_url is optional: without it Checkout shows no back button.
  const cancelUrl = optionalUrl(params, 'cancel_url') ?? null;
  const clientReferenceId = optionalString(params, 'client_reference_id') ?? null;
  if (clientReferenceId !== null && clientReferenceId.length > 200) {
    throw invalidRequest('client_reference_id can be at most 200 characters long.', 'client_reference_id');
  }
  const customerEmail = optionalString(params, 'customer_email') ?? null;
  if (params['customer'] !== undefined && customerEmail !== null) {
    throw invalidRequest('You may only specify one of these parameters: customer, customer_email.', 'customer_email');
  }
  if (customerEmail !== null && !isEmail(customerEmail)) {
    throw invalidRequest(`Invalid email address: ${customerEmail}`, 'customer_email', 'email_invalid');
  }
  const customer = customerParam(state, params) ?? null;
  const currency = lineItems[0]?.price.currency ?? '';
  const clash = customer ? clashingCurrency(state, customer.id, currency) : null;
  if (clash !== null) {
    // The message Stripe sends (quoted verbatim in public code, 2026); Stripe sends no code or param with it.
    throw invalidRequest(
      `You cannot combine currencies on a single customer. This customer has an active subscription, subscription schedule, discount, quote, invoice item or active subscription mode checkout session with currency ${clash}.`,
    );
  }
  const subscriptionData = optionalObject(params, 'subscription_data') ?? {};
  // Stripe.Checkout.SessionCreateParams.SubscriptionData.trial_period_days: "Has to be at least 1."
  const trialPeriodDays =
    optionalInteger(
      subscriptionData,
      'trial_period_days',
      1,
      Number.MAX_SAFE_INTEGER,
      'subscription_data[trial_period_days]',
    ) ?? null;
  if (trialPeriodDays !== null && trialPeriodDays > 730) {
    // Stripe's message (quoted in arlyon/async-stripe#445, stripe/stripe-ruby#804); the param is not confirmed.
    throw invalidRequest(
      'The maximum number of trial period days is 730 (2 years).',
      'subscription_data[trial_period_days]',
    );
  }
  const allowPromotionCodes = optionalBoolean(params, 'allow_promotion_codes');
  if (allowPromotionCodes !== undefined && params['discounts'] !== undefined) {
    // stripe/stripe-node#2248: Stripe refuses both together, even allow_promotion_codes=false (laravel/cashier-stripe#1164)
    throw invalidRequest(
      'You may only specify one of these parameters: allow_promotion_codes, discounts.',
      'allow_promotion_codes',
    );
  }
  const now = nowSeconds();
  const session = createCheckoutSession(state, ctx.publicUrl, {
    lineItems,
    successUrl,
    cancelUrl,
    clientReferenceId,
    customer,
    customerEmail,
    locale: optionalEnum(params, 'locale', CHECKOUT_LOCALES) ?? null,
    metadata: metadataParam(params, 'metadata'),
    subscriptionMetadata: metadataParam(subscriptionData, 'metadata'),
    trialPeriodDays,
    allowPromotionCodes: allowPromotionCodes === true,
    discount: checkoutDiscount(state, params),
    expiresAt: optionalInteger(params, 'expires_at', now + 30 * 60, now + 24 * 60 * 60) ?? null,
  });
  return ok(expand(state, session, params));
};

const retrieveCheckout: Handler = ({ state }, { params }, [id = '']) => {
  allowOnly(params, ['expand']);
  const session = state.checkoutSessions.get(id);
  if (!session) throw noSuch('checkout.session', id);
  return ok(expand(state, refreshExpiry(session), params));
};

// ---------------------------------------------------------------- customer portal

const CHECKOUT_LOCALES = [
  'auto',
  'bg',
  'cs',
  'da',
  'de',
  'el',
  'en',
  'en-GB',
  'es',
  'es-419',
  'et',
  'fi',
  'fil',
  'fr',
  'fr-CA',
  'hi-IN',
  'hr',
  'hu',
  'id',
  'it',
  'ja',
  'ko',
  'lt',
  'lv',
  'ms',
  'mt',
  'nb',
  'nl',
  'pl',
  'pt',
  'pt-BR',
  'ro',
  'ru',
  'sk',
  'sl',
  'sv',
  'th',
  'tr',
  'vi',
  'zh',
  'zh-HK',
  'zh-TW',
] as const;

const PORTAL_LOCALES = [
  'auto',
  'bg',
  'cs',
  'da',
  'de',
  'el',
  'en',
  'en-AU',
  'en-CA',
  'en-GB',
  'en-IE',
  'en-IN',
  'en-NZ',
  'en-SG',
  'es',
  'es-419',
  'et',
  'fi',
  'fil',
  'fr',
  'fr-CA',
  'hr',
  'hu',
  'id',
  'it',
  'ja',
  'ko',
  'lt',
  'lv',
  'ms',
  'mt',
  'nb',
  'nl',
  'pl',
  'pt',
  'pt-BR',
  'ro',
  'ru',
  'sk',
  'sl',
  'sv',
  'th',
  'tr',
  'vi',
  'zh',
  'zh-HK',
  'zh-TW',
] as const;

const FLOW_TYPES = [
  'customer_update',
  'payment_method_update',
  'subscription_cancel',
  'subscription_pause',
  'subscription_update',
  'subscription_update_confirm',
] as const;

/** `flow_data` → the session's `flow`; subscription flows must name one of the customer's subscriptions. */
function portalFlow(
  state: EmulatorState,
  customerId: string,
  params: Params,
): Stripe.BillingPortal.Session.Flow | null {
  const data = optionalObject(params, 'flow_data');
  if (!data) return null;
  allowOnly(data, [
    'type',
    'after_completion',
    'subscription_cancel',
    'subscription_pause',
    'subscription_update',
    'subscription_update_confirm',
  ]);
  const type = optionalEnum(data, 'type', FLOW_TYPES);
  if (type === undefined) throw missingParam('flow_data[type]');
  const subscriptionOf = (
    key: 'subscription_cancel' | 'subscription_pause' | 'subscription_update' | 'subscription_update_confirm',
  ) => {
    const inner = optionalObject(data, key, `flow_data[${key}]`);
    if (!inner) throw missingParam(`flow_data[${key}]`);
    const id = requiredString(inner, 'subscription', `flow_data[${key}][subscription]`);
    const subscription = state.subscriptions.get(id);
    if (!subscription || subscription.customer !== customerId)
      throw noSuch('subscription', id, `flow_data[${key}][subscription]`);
    return id;
  };
  const after = optionalObject(data, 'after_completion', 'flow_data[after_completion]');
  let afterCompletion: Stripe.BillingPortal.Session.Flow.AfterCompletion = {
    hosted_confirmation: null,
    redirect: null,
    type: 'portal_homepage',
  };
  if (after) {
    const afterType = optionalEnum(after, 'type', ['hosted_confirmation', 'portal_homepage', 'redirect'] as const);
    if (afterType === undefined) throw missingParam('flow_data[after_completion][type]');
    const redirect = optionalObject(after, 'redirect', 'flow_data[after_completion][redirect]');
    const hosted = optionalObject(after, 'hosted_confirmation', 'flow_data[after_completion][hosted_confirmation]');
    const returnUrl = redirect ? optionalUrl(redirect, 'return_url') : undefined;
    if (afterType === 'redirect' && returnUrl === undefined)
      throw missingParam('flow_data[after_completion][redirect][return_url]');
    afterCompletion = {
      type: afterType,
      redirect: afterType === 'redirect' && returnUrl !== undefined ? { return_url: returnUrl } : null,
      hosted_confirmation:
        afterType === 'hosted_confirmation'
          ? { custom_message: (hosted && optionalString(hosted, 'custom_message')) ?? null }
          : null,
    };
  }
  return {
    after_completion: afterCompletion,
    customer_update: null,
    subscription_cancel:
      type === 'subscription_cancel' ? { retention: null, subscription: subscriptionOf('subscription_cancel') } : null,
    subscription_pause: type === 'subscription_pause' ? { subscription: subscriptionOf('subscription_pause') } : null,
    subscription_update:
      type === 'subscription_update' ? { subscription: subscriptionOf('subscription_update') } : null,
    subscription_update_confirm:
      type === 'subscription_update_confirm'
        ? { discounts: null, items: [], subscription: subscriptionOf('subscription_update_confirm') }
        : null,
    type,
  };
}

const createPortal: Handler = (ctx, { params }) => {
  const { state } = ctx;
  allowOnly(params, [
    'after_expiration',
    'configuration',
    'customer',
    'customer_account',
    'expand',
    'flow_data',
    'locale',
    'on_behalf_of',
    'return_url',
  ]);
  if (params['customer'] === undefined) throw missingParam('customer');
  const customer = customerParam(state, params);
  if (!customer) throw missingParam('customer');
  const configuration = optionalString(params, 'configuration');
  if (configuration !== undefined && configuration !== state.portalConfiguration.id) {
    throw noSuch('billing_portal.configuration', configuration, 'configuration');
  }
  const flow = portalFlow(state, customer.id, params);
  if (flow?.type === 'subscription_update' && !state.portalConfiguration.subscriptionUpdate) {
    // Stripe's message (quoted in public code); no param is sent with it.
    throw invalidRequest(
      'This subscription cannot be updated because the subscription update feature in the portal configuration is disabled.',
    );
  }
  const session = createPortalSession(state, ctx.publicUrl, {
    customer,
    returnUrl: optionalUrl(params, 'return_url') ?? null,
    locale: optionalEnum(params, 'locale', PORTAL_LOCALES) ?? null,
    flow,
  });
  return ok(expand(state, session, params));
};

// ---------------------------------------------------------------- customer sessions

/** Stripe.CustomerSessionCreateParams.Components; the last three carry `features`. */
const COMPONENTS = [
  'active_entitlements',
  'buy_button',
  'customer_portal',
  'pricing_table',
  'customer_sheet',
  'mobile_payment_element',
  'payment_element',
] as const;

const createCustomerSession: Handler = ({ state }, { params }) => {
  allowOnly(params, ['components', 'customer', 'customer_account', 'expand']);
  const components = optionalObject(params, 'components');
  if (!components) throw missingParam('components');
  allowOnly(components, COMPONENTS, 'components');
  const enabled = new Set<string>();
  for (const name of Object.keys(components)) {
    const component = optionalObject(components, name, `components[${name}]`) ?? {};
    allowOnly(component, ['enabled', 'features'], `components[${name}]`);
    const value = optionalBoolean(component, 'enabled', `components[${name}][enabled]`);
    if (value === undefined) throw missingParam(`components[${name}][enabled]`);
    if (value) enabled.add(name);
  }
  if (enabled.size === 0) {
    // Stripe.CustomerSessionCreateParams.components: "At least 1 component must be enabled." (Stripe's error text not found)
    throw invalidRequest('At least 1 component must be enabled.', 'components');
  }
  if (params['customer'] === undefined) throw missingParam('customer');
  const customer = customerParam(state, params);
  if (!customer) throw missingParam('customer');
  const created = nowSeconds();
  const on = (name: string) => ({ enabled: enabled.has(name) });
  // Shaped after openapi/fixtures3.json `customer_session`.
  const session: Stripe.CustomerSession = {
    object: 'customer_session',
    client_secret: newId(ID_PREFIX.customerSessionSecret, 47),
    components: {
      active_entitlements: on('active_entitlements'),
      buy_button: on('buy_button'),
      customer_portal: on('customer_portal'),
      customer_sheet: { ...on('customer_sheet'), features: null },
      mobile_payment_element: { ...on('mobile_payment_element'), features: null },
      payment_element: { ...on('payment_element'), features: null },
      pricing_table: on('pricing_table'),
    },
    created,
    customer: customer.id,
    customer_account: null,
    // 30 minutes, as Stripe's pricing-table guide (docs.stripe.com/payments/checkout/pricing-table#customer-session) is said to state; not confirmed here
    expires_at: created + 30 * 60,
    livemode: false,
  };
  state.customerSessions.push(session);
  return ok(expand(state, session, params));
};

// ---------------------------------------------------------------- routing

const ID = '([^/]+)';
const ROUTES: ReadonlyArray<{ method: string; pattern: RegExp; handler: Handler }> = [
  { method: 'GET', pattern: /^\/v1\/prices$/, handler: listPrices },
  { method: 'GET', pattern: new RegExp(`^/v1/prices/${ID}$`), handler: retrievePrice },
  { method: 'GET', pattern: /^\/v1\/customers$/, handler: listCustomers },
  { method: 'GET', pattern: new RegExp(`^/v1/customers/${ID}$`), handler: retrieveCustomer },
  { method: 'DELETE', pattern: new RegExp(`^/v1/customers/${ID}$`), handler: deleteCustomerHandler },
  { method: 'GET', pattern: /^\/v1\/subscriptions$/, handler: listSubscriptions },
  {
    method: 'GET',
    pattern: new RegExp(`^/v1/subscriptions/${ID}$`),
    handler: retrieveFrom('subscription', (state) => state.subscriptions),
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/v1/invoices/${ID}$`),
    handler: retrieveFrom('invoice', (state) => state.invoices),
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/v1/payment_methods/${ID}$`),
    handler: retrieveFrom('payment_method', (state) => state.paymentMethods),
  },
  { method: 'POST', pattern: /^\/v1\/checkout\/sessions$/, handler: createCheckout },
  { method: 'GET', pattern: new RegExp(`^/v1/checkout/sessions/${ID}$`), handler: retrieveCheckout },
  { method: 'POST', pattern: /^\/v1\/billing_portal\/sessions$/, handler: createPortal },
  { method: 'POST', pattern: /^\/v1\/customer_sessions$/, handler: createCustomerSession },
];

/** Stripe's answer for a path or method it does not serve. */
function unrecognizedUrl(method: string, path: string): StripeApiError {
  return new StripeApiError(404, {
    type: 'invalid_request_error',
    message: `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
  });
}

/** Routes and runs one API request. Throws StripeApiError for Stripe-shaped failures. */
export function handleApi(ctx: ApiContext, req: ApiRequest): ApiResponse {
  for (const route of ROUTES) {
    if (route.method !== req.method) continue;
    const match = route.pattern.exec(req.path);
    if (!match) continue;
    let ids: string[];
    try {
      ids = match.slice(1).map((segment) => decodeURIComponent(segment));
    } catch {
      throw unrecognizedUrl(req.method, req.path);
    }
    return route.handler(ctx, req, ids);
  }
  throw unrecognizedUrl(req.method, req.path);
}
