/**
 * Customers: GET /v1/customers(/:id), DELETE /v1/customers/:id, the `customer` parameter other
 * resources take, and deleting a customer (its subscriptions end first).
 */
import type Stripe from 'stripe';
import { noSuch, StateConflictError } from '../errors.ts';
import { customerObject } from '../objects.ts';
import { allowOnly, expand, newestFirst, optionalString, paginate, PAGE_PARAMS, type Params } from '../params.ts';
import { ok, type Handler } from '../api.ts';
import { type EmulatorState, type EventContext, ID_PREFIX, newId, nowSeconds } from '../state.ts';
import { cancelNow, isLive, subscriptionsOf } from './subscriptions.ts';

/** GET /v1/customers: `email` filters (the site lists only `limit: 1`). */
export const list: Handler = ({ state }, { params }) => {
  allowOnly(params, [...PAGE_PARAMS, 'email']);
  const email = optionalString(params, 'email');
  // docs.stripe.com/api/customers/list: "sorted by creation date, with the most recent customers appearing first"
  const page = paginate(
    newestFirst(state.customers),
    (customer) => email === undefined || customer.email === email,
    params,
    '/v1/customers',
    'customer',
  );
  return ok(expand(state, page, params));
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
