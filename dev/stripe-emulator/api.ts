/**
 * The REST API (/v1/...): routing, parameter validation, pagination and `expand`.
 * Handlers are synchronous; they throw StripeApiError for anything Stripe would reject.
 */
import type Stripe from 'stripe';
import {
  cancelSubscription,
  createCheckoutSession,
  createPortalSession,
  expireCheckoutSession,
  refreshExpiry,
  StateConflictError,
  type CheckoutInput,
  type EventContext,
} from './billing.ts';
import { invalidRequest, missingParam, noSuch, StripeApiError } from './errors.ts';
import type { EmulatorState } from './state.ts';

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
function allowOnly(params: Params, allowed: readonly string[]): void {
  for (const key of Object.keys(params)) {
    if (!allowed.includes(key)) throw invalidRequest(`Received unknown parameter: ${key}`, key);
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

function optionalBoolean(params: Params, name: string): boolean | undefined {
  const value = optionalString(params, name);
  if (value === undefined) return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw invalidRequest(`Invalid boolean: ${value}`, name);
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
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidRequest(`Invalid object`, label);
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
    if (item.length > 500) throw invalidRequest('Metadata values can be at most 500 characters long.', `${name}[${key}]`);
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
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalidRequest('Not a valid URL', name, 'url_invalid');
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

/** Looks an id up by its prefix; undefined for ids the emulator does not store. */
function resolveId(state: EmulatorState, id: string): object | undefined {
  if (id.startsWith('prod_')) return state.products.get(id);
  if (id.startsWith('price_')) return state.prices.get(id);
  if (id.startsWith('cus_')) return state.customers.get(id);
  if (id.startsWith('sub_')) return state.subscriptions.get(id);
  if (id.startsWith('cs_')) return state.checkoutSessions.get(id);
  if (id.startsWith('bps_')) return state.portalSessions.get(id);
  return undefined;
}

/** Fields of an object, as a record to walk (a shallow copy, so the stored object is untouched). */
function fieldsOf(value: object): Record<string, unknown> {
  return { ...(value as Record<string, unknown>) };
}

function cannotExpand(path: string): StripeApiError {
  return invalidRequest(`This property cannot be expanded (${path}).`, 'expand');
}

function expandValue(state: EmulatorState, value: unknown, rest: string[], path: string): unknown {
  if (Array.isArray(value)) return value.map((item: unknown) => expandValue(state, item, rest, path));
  let current = value;
  if (typeof current === 'string') {
    const resolved = resolveId(state, current);
    if (!resolved) throw cannotExpand(path);
    current = resolved;
  }
  if (rest.length === 0 || current === null) return current;
  if (typeof current !== 'object') throw cannotExpand(path);
  return expandField(state, current, rest, path);
}

function expandField(state: EmulatorState, object: object, segments: string[], path: string): Record<string, unknown> {
  const [key, ...rest] = segments;
  const copy = fieldsOf(object);
  if (key === undefined || !(key in copy)) throw cannotExpand(path);
  const value = copy[key];
  if (value !== null && value !== undefined) copy[key] = expandValue(state, value, rest, path);
  return copy;
}

/**
 * Applies `expand` paths to an object (or list). `includable` adds fields that exist only when
 * expanded (a Checkout Session's `line_items`).
 */
function expand(
  state: EmulatorState,
  object: object,
  paths: readonly string[],
  includable: Record<string, () => unknown> = {},
): unknown {
  let result: Record<string, unknown> | object = object;
  for (const path of paths) {
    const segments = path.split('.');
    if (segments.length > 4) throw invalidRequest(`You cannot expand more than 4 levels of a property (${path}).`, 'expand');
    const head = segments[0] ?? '';
    const include = includable[head];
    if (include && !(head in result)) result = { ...fieldsOf(result), [head]: include() };
    result = expandField(state, result, segments, path);
  }
  return result;
}

function expandParam(params: Params): string[] {
  return optionalStringArray(params, 'expand') ?? [];
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
    throw invalidRequest('You may only specify one of these parameters: ending_before, starting_after.', 'ending_before');
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

// ---------------------------------------------------------------- catalog

const listPrices: Handler = ({ state }, { params }) => {
  allowOnly(params, [...PAGE_PARAMS, 'active', 'currency', 'product', 'type', 'recurring', 'lookup_keys', 'created']);
  const active = optionalBoolean(params, 'active');
  const currency = optionalString(params, 'currency')?.toLowerCase();
  const product = optionalString(params, 'product');
  const type = optionalEnum(params, 'type', ['one_time', 'recurring'] as const);
  const recurring = optionalObject(params, 'recurring') ?? {};
  allowOnly(recurring, ['interval', 'meter', 'usage_type']);
  const interval = optionalString(recurring, 'interval', 'recurring[interval]');
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
      (lookupKeys === undefined || (price.lookup_key !== null && lookupKeys.includes(price.lookup_key))) &&
      created(price.created),
    params,
    '/v1/prices',
    'price',
  );
  return ok(expand(state, list, expandParam(params)));
};

const retrievePrice: Handler = ({ state }, { params }, [id = '']) => {
  allowOnly(params, ['expand']);
  const price = state.prices.get(id);
  if (!price) throw noSuch('price', id);
  return ok(expand(state, price, expandParam(params)));
};

const listProducts: Handler = ({ state }, { params }) => {
  allowOnly(params, [...PAGE_PARAMS, 'active', 'ids', 'shippable', 'url', 'created']);
  const active = optionalBoolean(params, 'active');
  const ids = optionalStringArray(params, 'ids');
  const shippable = optionalBoolean(params, 'shippable');
  const url = optionalString(params, 'url');
  const created = createdFilter(params);
  const list = paginate(
    newestFirst(state.products),
    (product) =>
      (active === undefined || product.active === active) &&
      (ids === undefined || ids.includes(product.id)) &&
      (shippable === undefined || product.shippable === shippable) &&
      (url === undefined || product.url === url) &&
      created(product.created),
    params,
    '/v1/products',
    'product',
  );
  return ok(expand(state, list, expandParam(params)));
};

const retrieveProduct: Handler = ({ state }, { params }, [id = '']) => {
  allowOnly(params, ['expand']);
  const product = state.products.get(id);
  if (!product) throw noSuch('product', id);
  return ok(expand(state, product, expandParam(params)));
};

// ---------------------------------------------------------------- customers and subscriptions

const listCustomers: Handler = ({ state }, { params }) => {
  allowOnly(params, [...PAGE_PARAMS, 'email', 'created', 'test_clock']);
  const email = optionalString(params, 'email');
  const created = createdFilter(params);
  const list = paginate(
    newestFirst(state.customers),
    (customer) => (email === undefined || customer.email === email) && created(customer.created),
    params,
    '/v1/customers',
    'customer',
  );
  return ok(expand(state, list, expandParam(params)));
};

const retrieveCustomer: Handler = ({ state }, { params }, [id = '']) => {
  allowOnly(params, ['expand']);
  const customer = state.customers.get(id);
  if (!customer) throw noSuch('customer', id);
  return ok(expand(state, customer, expandParam(params)));
};

const SUBSCRIPTION_STATUSES = [
  'active', 'all', 'canceled', 'ended', 'incomplete', 'incomplete_expired', 'past_due', 'paused', 'trialing', 'unpaid',
] as const;

const listSubscriptions: Handler = ({ state }, { params }) => {
  allowOnly(params, [...PAGE_PARAMS, 'customer', 'price', 'status', 'created', 'collection_method', 'current_period_end', 'current_period_start', 'test_clock', 'automatic_tax']);
  const customer = optionalString(params, 'customer');
  const price = optionalString(params, 'price');
  const status = optionalEnum(params, 'status', SUBSCRIPTION_STATUSES);
  const created = createdFilter(params);
  const statusMatches = (value: string) => {
    if (status === undefined) return value !== 'canceled' && value !== 'incomplete_expired'; // Stripe's default
    if (status === 'all') return true;
    if (status === 'ended') return value === 'canceled' || value === 'incomplete_expired';
    return value === status;
  };
  const list = paginate(
    newestFirst(state.subscriptions),
    (sub) =>
      (customer === undefined || sub.customer === customer) &&
      (price === undefined || sub.items.data.some((item) => item.price.id === price)) &&
      statusMatches(sub.status) &&
      created(sub.created),
    params,
    '/v1/subscriptions',
    'subscription',
  );
  return ok(expand(state, list, expandParam(params)));
};

const retrieveSubscription: Handler = ({ state }, { params }, [id = '']) => {
  allowOnly(params, ['expand']);
  const subscription = state.subscriptions.get(id);
  if (!subscription) throw noSuch('subscription', id);
  return ok(expand(state, subscription, expandParam(params)));
};

const cancelSubscriptionNow: Handler = (ctx, req, [id = '']) => {
  const { params } = req;
  allowOnly(params, ['expand', 'cancellation_details', 'invoice_now', 'prorate']);
  const subscription = ctx.state.subscriptions.get(id);
  if (!subscription) throw noSuch('subscription', id);
  if (subscription.status === 'canceled') {
    throw invalidRequest(`The subscription '${id}' has already been canceled.`, undefined, 'resource_already_canceled');
  }
  const details = optionalObject(params, 'cancellation_details') ?? {};
  allowOnly(details, ['comment', 'feedback']);
  const feedback = optionalEnum(details, 'feedback', [
    'customer_service', 'low_quality', 'missing_features', 'other', 'switched_service', 'too_complex', 'too_expensive', 'unused',
  ] as const);
  const result = cancelSubscription(ctx.state, id, eventContext(ctx, req), {
    comment: optionalString(details, 'comment', 'cancellation_details[comment]') ?? null,
    feedback: feedback ?? null,
  });
  return ok(expand(ctx.state, result.subscription, expandParam(params)), result.events);
};

// ---------------------------------------------------------------- Checkout

/** Every top-level parameter of POST /v1/checkout/sessions that stripe-node's types list. */
const CHECKOUT_CREATE_PARAMS = [
  'adaptive_pricing', 'after_expiration', 'allow_promotion_codes', 'allowed_payment_method_types', 'automatic_tax',
  'billing_address_collection', 'branding_settings', 'cancel_url', 'client_reference_id', 'consent_collection', 'currency',
  'custom_fields', 'custom_text', 'customer', 'customer_account', 'customer_creation', 'customer_email', 'customer_update',
  'discounts', 'excluded_payment_method_types', 'expand', 'expires_at', 'integration_identifier', 'invoice_creation',
  'line_items', 'locale', 'managed_payments', 'metadata', 'mode', 'name_collection', 'optional_items', 'origin_context',
  'payment_intent_data', 'payment_method_collection', 'payment_method_configuration', 'payment_method_data',
  'payment_method_options', 'payment_method_types', 'permissions', 'phone_number_collection', 'redirect_on_completion',
  'return_url', 'saved_payment_method_options', 'setup_intent_data', 'shipping_address_collection', 'shipping_options',
  'submit_type', 'subscription_data', 'success_url', 'tax_id_collection', 'ui_mode', 'wallet_options',
] as const;

const CHECKOUT_LOCALES = [
  'auto', 'bg', 'cs', 'da', 'de', 'el', 'en', 'en-GB', 'es', 'es-419', 'et', 'fi', 'fil', 'fr', 'fr-CA', 'hi-IN', 'hr', 'hu',
  'id', 'it', 'ja', 'ko', 'lt', 'lv', 'ms', 'mt', 'nb', 'nl', 'pl', 'pt', 'pt-BR', 'ro', 'ru', 'sk', 'sl', 'sv', 'th', 'tr',
  'vi', 'zh', 'zh-HK', 'zh-TW',
] as const;

const PORTAL_LOCALES = [
  'auto', 'bg', 'cs', 'da', 'de', 'el', 'en', 'en-AU', 'en-CA', 'en-GB', 'en-IE', 'en-IN', 'en-NZ', 'en-SG', 'es', 'es-419',
  'et', 'fi', 'fil', 'fr', 'fr-CA', 'hr', 'hu', 'id', 'it', 'ja', 'ko', 'lt', 'lv', 'ms', 'mt', 'nb', 'nl', 'pl', 'pt',
  'pt-BR', 'ro', 'ru', 'sk', 'sl', 'sv', 'th', 'tr', 'vi', 'zh', 'zh-HK', 'zh-TW',
] as const;

function eventContext(ctx: ApiContext, req: ApiRequest): EventContext {
  return { requestId: req.requestId, idempotencyKey: req.idempotencyKey, pendingWebhooks: ctx.pendingWebhooks };
}

/** `line_items` of a subscription Checkout: exactly `[{ price, quantity }]`, active recurring prices, one currency. */
function checkoutLineItems(state: EmulatorState, params: Params): CheckoutInput['lineItems'] {
  const raw = params['line_items'];
  if (raw === undefined || raw === '') throw missingParam('line_items');
  if (!Array.isArray(raw)) throw invalidRequest('Invalid array', 'line_items');
  if (raw.length === 0) throw missingParam('line_items');
  const items = raw.map((entry: unknown, index) => {
    const label = `line_items[${index}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw invalidRequest('Invalid object', label);
    const item = entry as Params;
    if ('price_data' in item) {
      throw invalidRequest(`The emulator does not support ${label}[price_data]; pass a price id in ${label}[price].`, `${label}[price_data]`);
    }
    for (const key of Object.keys(item)) {
      if (key !== 'price' && key !== 'quantity') throw invalidRequest(`Received unknown parameter: ${label}[${key}]`, `${label}[${key}]`);
    }
    const priceId = requiredString(item, 'price', `${label}[price]`);
    const quantityText = requiredString(item, 'quantity', `${label}[quantity]`);
    if (!/^\d+$/.test(quantityText) || Number(quantityText) < 1 || Number(quantityText) > 999_999) {
      throw invalidRequest(`Invalid positive integer`, `${label}[quantity]`);
    }
    const price = state.prices.get(priceId);
    if (!price) throw noSuch('price', priceId, `${label}[price]`);
    if (!price.active) {
      throw invalidRequest(`The price specified is inactive. This field only accepts active prices.`, `${label}[price]`);
    }
    const product = state.products.get(typeof price.product === 'string' ? price.product : price.product.id);
    if (!product?.active) {
      throw invalidRequest(`The price specified is set to \`product: ${product?.id ?? 'unknown'}\`, which is not active.`, `${label}[price]`);
    }
    return { price, quantity: Number(quantityText) };
  });
  const recurring = items.filter(({ price }) => price.recurring);
  if (recurring.length === 0) {
    throw invalidRequest('You must provide at least one recurring price in `subscription` mode when using prices.', 'line_items');
  }
  if (new Set(items.map(({ price }) => price.currency)).size > 1) {
    throw invalidRequest('Checkout does not support multiple prices with different currencies.', 'line_items');
  }
  const intervals = new Set(recurring.map(({ price }) => `${price.recurring?.interval}/${price.recurring?.interval_count}`));
  if (intervals.size > 1) {
    throw invalidRequest('Checkout does not support multiple prices with different billing intervals.', 'line_items');
  }
  return items;
}

function lineItemsList(state: EmulatorState, sessionId: string): Stripe.ApiList<Stripe.LineItem> {
  return {
    object: 'list',
    data: state.checkoutLineItems.get(sessionId) ?? [],
    has_more: false,
    url: `/v1/checkout/sessions/${sessionId}/line_items`,
  };
}

function sessionIncludables(state: EmulatorState, sessionId: string): Record<string, () => unknown> {
  return { line_items: () => lineItemsList(state, sessionId) };
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
  const cancelUrl = optionalUrl(params, 'cancel_url');
  if (cancelUrl === undefined) throw missingParam('cancel_url');
  const clientReferenceId = optionalString(params, 'client_reference_id') ?? null;
  if (clientReferenceId !== null && clientReferenceId.length > 200) {
    throw invalidRequest('client_reference_id can be at most 200 characters long.', 'client_reference_id');
  }
  const customerId = optionalString(params, 'customer');
  const customerEmail = optionalString(params, 'customer_email') ?? null;
  if (customerId !== undefined && customerEmail !== null) {
    throw invalidRequest('You may only specify one of these parameters: customer, customer_email.', 'customer_email');
  }
  if (customerEmail !== null && !isEmail(customerEmail)) {
    throw invalidRequest(`Invalid email address: ${customerEmail}`, 'customer_email', 'email_invalid');
  }
  const customer = customerId === undefined ? null : state.customers.get(customerId);
  if (customer === undefined) throw noSuch('customer', customerId ?? '', 'customer');
  const subscriptionData = optionalObject(params, 'subscription_data') ?? {};
  const now = Math.floor(Date.now() / 1000);
  const expiresAt = optionalInteger(params, 'expires_at', now + 30 * 60, now + 24 * 60 * 60) ?? null;
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
    expiresAt,
  });
  return ok(expand(state, session, expandParam(params), sessionIncludables(state, session.id)));
};

function findSession(state: EmulatorState, id: string): Stripe.Checkout.Session {
  const session = state.checkoutSessions.get(id);
  if (!session) throw noSuch('checkout.session', id);
  return refreshExpiry(session);
}

const retrieveCheckout: Handler = ({ state }, { params }, [id = '']) => {
  allowOnly(params, ['expand']);
  const session = findSession(state, id);
  return ok(expand(state, session, expandParam(params), sessionIncludables(state, id)));
};

const listCheckoutLineItems: Handler = ({ state }, { params }, [id = '']) => {
  allowOnly(params, PAGE_PARAMS);
  findSession(state, id);
  const list = paginate([...(state.checkoutLineItems.get(id) ?? [])], () => true, params, `/v1/checkout/sessions/${id}/line_items`, 'line item');
  return ok(expand(state, list, expandParam(params)));
};

const listCheckouts: Handler = ({ state }, { params }) => {
  allowOnly(params, [...PAGE_PARAMS, 'customer', 'subscription', 'status', 'created', 'payment_intent', 'payment_link', 'customer_details', 'customer_account']);
  const customer = optionalString(params, 'customer');
  const subscription = optionalString(params, 'subscription');
  const status = optionalEnum(params, 'status', ['complete', 'expired', 'open'] as const);
  const created = createdFilter(params);
  const list = paginate(
    newestFirst(state.checkoutSessions).map(refreshExpiry),
    (session) =>
      (customer === undefined || session.customer === customer) &&
      (subscription === undefined || session.subscription === subscription) &&
      (status === undefined || session.status === status) &&
      created(session.created),
    params,
    '/v1/checkout/sessions',
    'checkout.session',
  );
  return ok(expand(state, list, expandParam(params)));
};

const expireCheckout: Handler = (ctx, req, [id = '']) => {
  allowOnly(req.params, ['expand']);
  const session = findSession(ctx.state, id);
  if (session.status !== 'open') {
    throw invalidRequest(
      `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${session.status}".`,
    );
  }
  try {
    const result = expireCheckoutSession(ctx.state, id, eventContext(ctx, req));
    return ok(expand(ctx.state, result.session, expandParam(req.params), sessionIncludables(ctx.state, id)), result.events);
  } catch (error) {
    if (error instanceof StateConflictError) throw invalidRequest(error.message);
    throw error;
  }
};

// ---------------------------------------------------------------- customer portal

const FLOW_TYPES = [
  'customer_update', 'payment_method_update', 'subscription_cancel', 'subscription_pause', 'subscription_update', 'subscription_update_confirm',
] as const;

/** `flow_data` → the session's `flow`; subscription flows must name one of the customer's subscriptions. */
function portalFlow(state: EmulatorState, customerId: string, params: Params): Stripe.BillingPortal.Session.Flow | null {
  const data = optionalObject(params, 'flow_data');
  if (!data) return null;
  allowOnly(data, ['type', 'after_completion', 'subscription_cancel', 'subscription_pause', 'subscription_update', 'subscription_update_confirm']);
  const type = optionalEnum(data, 'type', FLOW_TYPES);
  if (type === undefined) throw missingParam('flow_data[type]');
  const subscriptionOf = (key: 'subscription_cancel' | 'subscription_pause' | 'subscription_update' | 'subscription_update_confirm') => {
    const inner = optionalObject(data, key, `flow_data[${key}]`);
    if (!inner) throw missingParam(`flow_data[${key}]`);
    const id = requiredString(inner, 'subscription', `flow_data[${key}][subscription]`);
    const subscription = state.subscriptions.get(id);
    if (!subscription || subscription.customer !== customerId) throw noSuch('subscription', id, `flow_data[${key}][subscription]`);
    return id;
  };
  const after = optionalObject(data, 'after_completion', 'flow_data[after_completion]');
  let afterCompletion: Stripe.BillingPortal.Session.Flow.AfterCompletion = { hosted_confirmation: null, redirect: null, type: 'portal_homepage' };
  if (after) {
    const afterType = optionalEnum(after, 'type', ['hosted_confirmation', 'portal_homepage', 'redirect'] as const);
    if (afterType === undefined) throw missingParam('flow_data[after_completion][type]');
    const redirect = optionalObject(after, 'redirect', 'flow_data[after_completion][redirect]');
    const hosted = optionalObject(after, 'hosted_confirmation', 'flow_data[after_completion][hosted_confirmation]');
    const returnUrl = redirect ? optionalUrl(redirect, 'return_url') : undefined;
    if (afterType === 'redirect' && returnUrl === undefined) throw missingParam('flow_data[after_completion][redirect][return_url]');
    afterCompletion = {
      type: afterType,
      redirect: afterType === 'redirect' && returnUrl !== undefined ? { return_url: returnUrl } : null,
      hosted_confirmation:
        afterType === 'hosted_confirmation' ? { custom_message: (hosted && optionalString(hosted, 'custom_message')) ?? null } : null,
    };
  }
  return {
    after_completion: afterCompletion,
    customer_update: null,
    subscription_cancel: type === 'subscription_cancel' ? { retention: null, subscription: subscriptionOf('subscription_cancel') } : null,
    subscription_pause: type === 'subscription_pause' ? { subscription: subscriptionOf('subscription_pause') } : null,
    subscription_update: type === 'subscription_update' ? { subscription: subscriptionOf('subscription_update') } : null,
    subscription_update_confirm:
      type === 'subscription_update_confirm'
        ? { discounts: null, items: [], subscription: subscriptionOf('subscription_update_confirm') }
        : null,
    type,
  };
}

const createPortal: Handler = (ctx, { params }) => {
  const { state } = ctx;
  allowOnly(params, ['after_expiration', 'configuration', 'customer', 'customer_account', 'expand', 'flow_data', 'locale', 'on_behalf_of', 'return_url']);
  const customerId = requiredString(params, 'customer');
  const customer = state.customers.get(customerId);
  if (!customer) throw noSuch('customer', customerId, 'customer');
  const configuration = optionalString(params, 'configuration');
  if (configuration !== undefined && configuration !== state.portalConfigurationId) {
    throw noSuch('billing_portal.configuration', configuration, 'configuration');
  }
  const session = createPortalSession(state, ctx.publicUrl, {
    customer,
    returnUrl: optionalUrl(params, 'return_url') ?? null,
    locale: optionalEnum(params, 'locale', PORTAL_LOCALES) ?? null,
    flow: portalFlow(state, customer.id, params),
  });
  return ok(expand(state, session, expandParam(params)));
};

// ---------------------------------------------------------------- events

const listEvents: Handler = ({ state }, { params }) => {
  allowOnly(params, [...PAGE_PARAMS, 'type', 'types', 'created', 'delivery_success']);
  const type = optionalString(params, 'type');
  const types = optionalStringArray(params, 'types');
  const created = createdFilter(params);
  // `type` accepts one wildcard, e.g. `customer.*`.
  const typeMatches = (value: string) =>
    (type === undefined || (type.endsWith('.*') ? value.startsWith(type.slice(0, -1)) : value === type)) &&
    (types === undefined || types.includes(value));
  const list = paginate([...state.events].reverse(), (event) => typeMatches(event.type) && created(event.created), params, '/v1/events', 'event');
  return ok(expand(state, list, expandParam(params)));
};

const retrieveEvent: Handler = ({ state }, { params }, [id = '']) => {
  allowOnly(params, ['expand']);
  const event = state.events.find((candidate) => candidate.id === id);
  if (!event) throw noSuch('event', id);
  return ok(expand(state, event, expandParam(params)));
};

// ---------------------------------------------------------------- routing

const ID = '([^/]+)';
const ROUTES: ReadonlyArray<{ method: string; pattern: RegExp; handler: Handler }> = [
  { method: 'GET', pattern: /^\/v1\/prices$/, handler: listPrices },
  { method: 'GET', pattern: new RegExp(`^/v1/prices/${ID}$`), handler: retrievePrice },
  { method: 'GET', pattern: /^\/v1\/products$/, handler: listProducts },
  { method: 'GET', pattern: new RegExp(`^/v1/products/${ID}$`), handler: retrieveProduct },
  { method: 'GET', pattern: /^\/v1\/customers$/, handler: listCustomers },
  { method: 'GET', pattern: new RegExp(`^/v1/customers/${ID}$`), handler: retrieveCustomer },
  { method: 'GET', pattern: /^\/v1\/subscriptions$/, handler: listSubscriptions },
  { method: 'GET', pattern: new RegExp(`^/v1/subscriptions/${ID}$`), handler: retrieveSubscription },
  { method: 'DELETE', pattern: new RegExp(`^/v1/subscriptions/${ID}$`), handler: cancelSubscriptionNow },
  { method: 'POST', pattern: /^\/v1\/checkout\/sessions$/, handler: createCheckout },
  { method: 'GET', pattern: /^\/v1\/checkout\/sessions$/, handler: listCheckouts },
  { method: 'GET', pattern: new RegExp(`^/v1/checkout/sessions/${ID}$`), handler: retrieveCheckout },
  { method: 'GET', pattern: new RegExp(`^/v1/checkout/sessions/${ID}/line_items$`), handler: listCheckoutLineItems },
  { method: 'POST', pattern: new RegExp(`^/v1/checkout/sessions/${ID}/expire$`), handler: expireCheckout },
  { method: 'POST', pattern: /^\/v1\/billing_portal\/sessions$/, handler: createPortal },
  { method: 'GET', pattern: /^\/v1\/events$/, handler: listEvents },
  { method: 'GET', pattern: new RegExp(`^/v1/events/${ID}$`), handler: retrieveEvent },
];

/** Stripe's answer for a path or method it does not serve. */
export function unrecognizedUrl(method: string, path: string): StripeApiError {
  return new StripeApiError(404, {
    type: 'invalid_request_error',
    message: `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
  });
}

/** True when some route serves this path (with any method). */
export function isKnownApiPath(path: string): boolean {
  return ROUTES.some((route) => route.pattern.test(path));
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
