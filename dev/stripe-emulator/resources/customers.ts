/**
 * Customers: GET /v1/customers(/:id), GET /v1/customers/search, DELETE /v1/customers/:id, the
 * `customer` parameter other resources take, and deleting a customer (its subscriptions end first).
 */
import type Stripe from 'stripe';
import { noSuch, StateConflictError } from '../errors.ts';
import type { Problem } from '../i18n.ts';
import { customerObject } from '../objects.ts';
import {
  allowOnly,
  expand,
  newestFirst,
  optionalString,
  optionalStringArray,
  paginate,
  PAGE_PARAMS,
  type Params,
} from '../params.ts';
import { matchesQuery, parseQuery, searchPage, type SearchFields } from '../search.ts';
import { ok, type Handler } from '../api.ts';
import { type EmulatorState, type EventContext, ID_PREFIX, newId, nowSeconds, snapshot } from '../state.ts';
import { cancelNow, isLive, subscriptionsOf } from './subscription-core.ts';

/** GET /v1/customers: `email` filters (the site lists only `limit: 1`). */
export const list: Handler = ({ state }, { params }) => {
  allowOnly(params, [...PAGE_PARAMS, 'email']);
  const email = optionalString(params, 'email');
  // docs.stripe.com/api/customers/list: "sorted by creation date, with the most recent customers appearing first"
  const page = paginate(
    newestFirst(state.customers),
    // Stripe.CustomerListParams.email: "A case-sensitive filter on the list based on the customer's `email` field."
    (customer) => email === undefined || customer.email === email,
    params,
    '/v1/customers',
    'customer',
  );
  return ok(expand(state, page, params));
};

/** docs.stripe.com/search#query-fields-for-customers: created (numeric), email, name, phone (string), metadata (token). */
const CUSTOMER_SEARCH_FIELDS: SearchFields<Stripe.Customer> = {
  created: { type: 'numeric', read: (customer) => customer.created },
  email: { type: 'string', read: (customer) => customer.email },
  name: { type: 'string', read: (customer) => customer.name ?? null },
  phone: { type: 'string', read: (customer) => customer.phone ?? null },
};

/**
 * GET /v1/customers/search (`query`, `limit`, `page`, `expand`, `expand[]=total_count`), newest first. A
 * customer is found only `state.search.delayMs` after it was created: docs.stripe.com/search#data-freshness,
 * "Don't use search for read-after-write flows … data is searchable in under 1 minute".
 */
export const search: Handler = ({ state }, { params }) => {
  allowOnly(params, ['query', 'limit', 'page', 'expand']);
  const query = parseQuery(optionalString(params, 'query') ?? '', CUSTOMER_SEARCH_FIELDS, 'customers');
  const now = Date.now();
  const found = newestFirst(state.customers).filter(
    (customer) =>
      (state.searchableAt.get(customer.id) ?? 0) <= now && matchesQuery(customer, query, CUSTOMER_SEARCH_FIELDS),
  );
  const expandPaths = optionalStringArray(params, 'expand') ?? [];
  const page = searchPage(found, params, '/v1/customers/search');
  // Stripe.ApiSearchResult.total_count: "Only present when `expand` request parameter contains `total_count`."
  if (expandPaths.includes('total_count')) page.total_count = found.length;
  return ok(expand(state, page, { expand: expandPaths.filter((path) => path !== 'total_count') }));
};

/** GET /v1/customers/:id; Stripe.DeletedCustomer: a deleted customer is still retrievable, as `{ id, object, deleted: true }`. */
export const retrieve: Handler = ({ state }, { params }, [id = '']) => {
  allowOnly(params, ['expand']);
  const customer = state.customers.get(id) ?? state.deletedCustomers.get(id);
  if (!customer) throw noSuch('customer', id);
  return ok(expand(state, customer, params));
};

/** DELETE /v1/customers/:id; its events are sent after the answer. */
export const del: Handler = (ctx, { params }, [id = '']) => {
  allowOnly(params, []);
  if (!ctx.state.customers.has(id)) throw noSuch('customer', id);
  const result = deleteCustomer(ctx.state, id, ctx.events);
  return ok(result.deleted, result.events);
};

/**
 * A live customer named by a parameter (docs.stripe.com/api/customers/delete: a deleted customer
 * is unknown afterwards), so deleted and unknown customers are both 400 "No such customer".
 */
export function customerParam(state: EmulatorState, params: Params, name = 'customer'): Stripe.Customer | undefined {
  const id = optionalString(params, name);
  if (id === undefined) return undefined;
  const customer = state.customers.get(id);
  if (!customer) throw noSuch('customer', id, name);
  return customer;
}

/** Creates and stores a customer. */
export function createCustomer(
  state: EmulatorState,
  input: { email: string | null; name?: string | null; locale?: string | null },
): Stripe.Customer {
  const customer = customerObject({
    id: newId(ID_PREFIX.customer),
    created: nowSeconds(),
    email: input.email,
    invoice_prefix: newId('', 8).toUpperCase(),
    name: input.name ?? null,
    preferred_locales: input.locale && input.locale !== 'auto' ? [input.locale] : [],
  });
  state.customers.set(customer.id, customer);
  state.searchableAt.set(customer.id, Date.now() + state.search.delayMs);
  return customer;
}

/**
 * Deletes a customer: its live subscriptions are canceled at once (customer.subscription.deleted
 * each), then `customer.deleted` (docs.stripe.com/api/customers/delete: "Also immediately cancels any
 * active subscriptions on the customer."). Afterwards the API answers the deleted stub.
 */
export function deleteCustomer(
  state: EmulatorState,
  customerId: string,
  context: EventContext,
): { deleted: Stripe.DeletedCustomer; events: Stripe.Event[] } {
  const customer = state.customers.get(customerId);
  if (!customer) throw new StateConflictError(`No such customer: '${customerId}'`);
  const events: Stripe.Event[] = [];
  for (const subscription of subscriptionsOf(state, customerId).reverse()) {
    if (isLive(subscription)) events.push(...cancelNow(state, subscription.id, context).events);
  }
  state.customers.delete(customerId);
  // openapi/fixtures3.json deleted_customer: { id, object: 'customer', deleted: true }
  const deleted: Stripe.DeletedCustomer = { id: customerId, object: 'customer', deleted: true };
  state.deletedCustomers.set(customerId, deleted);
  events.push(state.createEvent('customer.deleted', customer, context));
  return { deleted, events };
}

// ---------------------------------------------------------------- shipping address

/** A shipping address form (Checkout's and the portal's): Stripe.Address plus the recipient's name. */
export interface ShippingFields {
  name: string;
  country: string;
  postal_code: string;
  state: string;
  city: string;
  line1: string;
  line2: string;
}

/**
 * Which address lines Stripe's address forms require: name, line 1 and city everywhere, a postal code where
 * countries have one, a state/prefecture where it is part of the address (Stripe's form varies by country; this
 * short list is the emulator's, not confirmed against Stripe's per-country rules).
 */
const NO_POSTAL_CODE = ['AE', 'HK', 'MO', 'QA'];
const STATE_REQUIRED = ['AU', 'BR', 'CA', 'JP', 'MX', 'US'];

/** A filled-in shipping form as Stripe's shipping shape, or the problem to show; `countries` limits the country. */
export function checkShippingFields(
  fields: Partial<ShippingFields>,
  countries: readonly string[],
): { name: string; address: Stripe.Address } | Problem {
  const value = (key: keyof ShippingFields) => (fields[key] ?? '').trim();
  const country = value('country');
  if (!countries.includes(country)) return { status: 400, problem: 'country_not_allowed' };
  if (value('name') === '') return { status: 400, problem: 'shipping_name_missing' };
  if (value('line1') === '' || value('city') === '') return { status: 400, problem: 'shipping_incomplete' };
  if (!NO_POSTAL_CODE.includes(country) && value('postal_code') === '')
    return { status: 400, problem: 'postal_code_missing' };
  if (STATE_REQUIRED.includes(country) && value('state') === '') return { status: 400, problem: 'state_missing' };
  const orNull = (key: keyof ShippingFields) => (value(key) === '' ? null : value(key));
  return {
    name: value('name'),
    address: {
      city: orNull('city'),
      country,
      line1: orNull('line1'),
      line2: orNull('line2'),
      postal_code: orNull('postal_code'),
      state: orNull('state'),
    },
  };
}

/**
 * Replaces a customer's shipping name and address (its phone stays), as the portal's shipping form does:
 * `customer.updated` with the old value in `data.previous_attributes` (docs.stripe.com/api/events/object:
 * previous_attributes holds "the previous values of the attributes that changed"). Nothing changes, and no event
 * is sent, when the address is the same.
 */
export function updateShipping(
  state: EmulatorState,
  customerId: string,
  shipping: { name: string; address: Stripe.Address },
  context: EventContext,
): { customer: Stripe.Customer; events: Stripe.Event[] } {
  const customer = state.customers.get(customerId);
  if (!customer) throw new StateConflictError(`No such customer: '${customerId}'`);
  const previous = snapshot(customer.shipping);
  const next: Stripe.Customer.Shipping = {
    address: { ...shipping.address },
    name: shipping.name,
    phone: previous?.phone ?? null,
  };
  if (JSON.stringify(previous) === JSON.stringify(next)) return { customer, events: [] };
  customer.shipping = next;
  return { customer, events: [state.createEvent('customer.updated', customer, context, { shipping: previous })] };
}
