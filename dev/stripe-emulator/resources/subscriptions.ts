/**
 * Subscriptions: GET /v1/subscriptions(/:id), the subscription Checkout creates, and what happens to it
 * afterwards: renewals (paid or failed), the end of a trial, cancellation at period end and its undo,
 * cancellation now, plan switches, bank debits settling, and what falls due when time moves on (`nextDue`).
 * One implementation per action, used by the portal page (its buttons and test controls) and the test handle
 * (server.ts); each returns the events it caused, for the caller to deliver.
 */
import type Stripe from 'stripe';
import { noSuch, StateConflictError } from '../errors.ts';
import {
  listObject,
  noCancellation,
  planFromPrice,
  priceCopy,
  subscriptionItemObject,
  subscriptionObject,
} from '../objects.ts';
import { allowOnly, expand, newestFirst, optionalEnum, optionalString, paginate, PAGE_PARAMS } from '../params.ts';
import { ok, type Handler } from '../api.ts';
import { type EmulatorState, type EventContext, ID_PREFIX, idOf, newId, nowSeconds, snapshot } from '../state.ts';
import { customerParam } from './customers.ts';
import { chargeInvoice, createInvoice, settleInvoicePayment } from './invoices.ts';

type Status = Stripe.Subscription.Status;
type Result = { events: Stripe.Event[] };

// ---------------------------------------------------------------- status sets (one definition each)

/** docs.stripe.com/api/subscriptions/list (status): subscriptions in these states have ended. */
const ENDED_STATUSES: readonly Status[] = ['canceled', 'incomplete_expired'];
/** Every status that has not ended (Stripe.Subscription.Status minus the ended ones). */
const LIVE_STATUSES: readonly Status[] = ['active', 'trialing', 'past_due', 'incomplete', 'unpaid', 'paused'];
/** What the portal lets a customer cancel, resume or switch. */
export const CHANGEABLE_STATUSES: readonly Status[] = ['active', 'trialing', 'past_due'];
/** What renews at the end of a period (a trial ends instead). */
export const RENEWING_STATUSES: readonly Status[] = ['active', 'past_due'];

/** What a new payment method pays the open invoice of (docs.stripe.com/billing/subscriptions/overview#subscription-statuses). */
export const AWAITING_PAYMENT_STATUSES: readonly Status[] = ['past_due', 'incomplete'];

export function isLive(subscription: Stripe.Subscription): boolean {
  return LIVE_STATUSES.includes(subscription.status);
}

// ---------------------------------------------------------------- reading

/** docs.stripe.com/api/subscriptions/list: `status` takes a status, `all` or `ended`. */
const STATUS_FILTERS = [...LIVE_STATUSES, ...ENDED_STATUSES, 'all', 'ended'] as const;

/** GET /v1/subscriptions: `customer`, `price` and `status`, as the site and tests filter. */
export const list: Handler = ({ state }, { params }) => {
  allowOnly(params, [...PAGE_PARAMS, 'customer', 'price', 'status']);
  const customer = customerParam(state, params);
  const price = optionalString(params, 'price');
  const status = optionalEnum(params, 'status', STATUS_FILTERS);
  const statusMatches = (value: Status) => {
    // docs.stripe.com/api/subscriptions/list: "If no value is supplied, all subscriptions that have not been canceled are returned."
    if (status === undefined) return value !== 'canceled';
    if (status === 'all') return true;
    if (status === 'ended') return ENDED_STATUSES.includes(value);
    return value === status;
  };
  const page = paginate(
    newestFirst(state.subscriptions),
    (sub) =>
      (customer === undefined || sub.customer === customer.id) &&
      (price === undefined || sub.items.data.some((item) => item.price.id === price)) &&
      statusMatches(sub.status),
    params,
    '/v1/subscriptions',
    'subscription',
  );
  return ok(expand(state, page, params));
};

/** GET /v1/subscriptions/:id */
export const retrieve: Handler = ({ state }, { params }, [id = '']) => {
  allowOnly(params, ['expand']);
  const subscription = state.subscriptions.get(id);
  if (!subscription) throw noSuch('subscription', id);
  return ok(expand(state, subscription, params));
};

// ---------------------------------------------------------------- periods and items

const DAY = 86_400;

/** `start` + `count` intervals, clamping month ends like Stripe (Jan 31 + 1 month = Feb 28/29). */
export function addInterval(start: number, interval: string, count: number): number {
  if (interval === 'day') return start + count * DAY;
  if (interval === 'week') return start + count * 7 * DAY;
  const date = new Date(start * 1000);
  const months = interval === 'year' ? 12 * count : count;
  const day = date.getUTCDate();
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(day, lastDay));
  return Math.floor(date.getTime() / 1000);
}

/** The end of a period of `price` starting at `start`. */
function periodEnd(price: Stripe.Price | undefined, start: number): number {
  return addInterval(start, price?.recurring?.interval ?? 'month', price?.recurring?.interval_count ?? 1);
}

/** Moves every item to a new period starting at `start`, each as long as its price's interval (periods live on items). */
function setPeriod(subscription: Stripe.Subscription, start: number): void {
  for (const item of subscription.items.data) {
    item.current_period_start = start;
    item.current_period_end = periodEnd(item.price, start);
  }
}

/** A subscription's current period end (its first item's: the emulator's subscriptions renew all items together). */
export function currentPeriodEnd(subscription: Stripe.Subscription): number {
  return subscription.items.data[0]?.current_period_end ?? subscription.created;
}

/** The customer's subscriptions, newest first. */
export function subscriptionsOf(state: EmulatorState, customerId: string): Stripe.Subscription[] {
  return newestFirst(state.subscriptions).filter((sub) => sub.customer === customerId);
}

/** The PaymentMethod a subscription is charged with: its own default, else the customer's. */
function paymentMethodOf(state: EmulatorState, subscription: Stripe.Subscription): Stripe.PaymentMethod | undefined {
  const customer = state.customers.get(idOf(subscription.customer));
  const id = subscription.default_payment_method ?? customer?.invoice_settings.default_payment_method;
  return id ? state.paymentMethods.get(idOf(id)) : undefined;
}

/** Creates and stores the subscription a Checkout Session pays for (`incomplete` until its invoice is paid, or `trialing`). */
export function createSubscription(
  state: EmulatorState,
  input: {
    customer: Stripe.Customer;
    lineItems: ReadonlyArray<{ price: Stripe.Price; quantity: number | null }>;
    trialDays: number | null;
    paymentMethod: Stripe.PaymentMethod;
    billingMode: Stripe.Subscription.BillingMode.Type;
  },
): Stripe.Subscription {
  const id = newId(ID_PREFIX.subscription);
  const start = nowSeconds();
  const trialEnd = input.trialDays === null ? null : start + input.trialDays * DAY;
  const items = input.lineItems.map(({ price, quantity }) => {
    const item = subscriptionItemObject({
      id: newId(ID_PREFIX.subscriptionItem),
      created: start,
      price: priceCopy(price),
      subscription: id,
      current_period_start: start,
      current_period_end: trialEnd ?? periodEnd(price, start),
    });
    // docs.stripe.com/billing/subscriptions/usage-based: metered items have no quantity
    if (quantity === null) delete item.quantity;
    else item.quantity = quantity;
    return item;
  });
  const subscription = subscriptionObject({
    id,
    created: start,
    currency: input.lineItems[0]?.price.currency ?? 'jpy',
    customer: input.customer.id,
    items: listObject(items, `/v1/subscription_items?subscription=${id}`),
    status: trialEnd === null ? 'incomplete' : 'trialing',
    billing_cycle_anchor: trialEnd ?? start,
    default_payment_method: input.paymentMethod.id,
    trial_end: trialEnd,
    trial_start: trialEnd === null ? null : start,
  });
  if (input.billingMode === 'classic') subscription.billing_mode = { flexible: null, type: 'classic' };
  input.customer.currency = subscription.currency;
  state.subscriptions.set(id, subscription);
  return subscription;
}

// ---------------------------------------------------------------- lifecycle actions

function subscriptionIn(state: EmulatorState, id: string, allowed: readonly Status[]): Stripe.Subscription {
  const subscription = state.subscriptions.get(id);
  if (!subscription) throw new StateConflictError(`No such subscription: '${id}'`);
  if (!allowed.includes(subscription.status)) {
    throw new StateConflictError(
      `Subscription ${id} is ${subscription.status}; this needs one that is ${allowed.join(' or ')}.`,
    );
  }
  return subscription;
}

/** The fields a `customer.subscription.updated` event reports as changed, taken before the change. */
export function before(
  subscription: Stripe.Subscription,
  keys: ReadonlyArray<keyof Stripe.Subscription>,
): Partial<Stripe.Subscription> {
  const previous: Record<string, unknown> = {};
  for (const key of keys) previous[key] = snapshot(subscription[key]);
  return previous;
}

/** The fields of `previous` whose value changed since. */
function changedFields(
  subscription: Stripe.Subscription,
  previous: Partial<Stripe.Subscription>,
): Partial<Stripe.Subscription> {
  return Object.fromEntries(
    Object.entries(previous).filter(
      ([key, value]) => JSON.stringify(value) !== JSON.stringify(subscription[key as keyof Stripe.Subscription]),
    ),
  );
}

/** Records `customer.subscription.updated` with the fields of `previous` that changed. */
export function updated(
  state: EmulatorState,
  subscription: Stripe.Subscription,
  previous: Partial<Stripe.Subscription>,
  context: EventContext,
): Stripe.Event {
  // docs.stripe.com/api/events/object#event_object-data-previous_attributes: only the fields that changed
  return state.createEvent(
    'customer.subscription.updated',
    subscription,
    context,
    changedFields(subscription, previous),
  );
}

/** `customer.subscription.updated` when something in `previous` changed; none otherwise. */
function updatedIfChanged(
  state: EmulatorState,
  subscription: Stripe.Subscription,
  previous: Partial<Stripe.Subscription>,
  context: EventContext,
): Stripe.Event[] {
  return Object.keys(changedFields(subscription, previous)).length > 0
    ? [updated(state, subscription, previous, context)]
    : [];
}

/** Ends a subscription (now, or at the end of its period); records `customer.subscription.deleted`. */
function end(state: EmulatorState, subscription: Stripe.Subscription, endedAt: number, context: EventContext): Result {
  subscription.status = 'canceled';
  subscription.canceled_at ??= endedAt;
  subscription.ended_at = endedAt;
  subscription.cancellation_details = noCancellation('cancellation_requested');
  // docs.stripe.com/billing/subscriptions/webhooks: "customer.subscription.deleted — Sent when a customer's subscription ends."
  return { events: [state.createEvent('customer.subscription.deleted', subscription, context)] };
}

/** True when a subscription set to cancel ends by `at` (cancel_at_period_end, or a cancel_at reached). */
function endsBy(subscription: Stripe.Subscription, at: number): boolean {
  return subscription.cancel_at_period_end || (subscription.cancel_at !== null && subscription.cancel_at <= at);
}

/**
 * Charges a period's invoice: paid → active; a failed payment → `past_due`
 * (docs.stripe.com/billing/subscriptions/overview#subscription-statuses), reported in a second
 * `customer.subscription.updated`.
 */
function collect(
  state: EmulatorState,
  subscription: Stripe.Subscription,
  invoice: Stripe.Invoice,
  context: EventContext,
  options: { fail?: boolean; at: number },
): Stripe.Event[] {
  const previous = before(subscription, ['status']);
  const charge = chargeInvoice(state, invoice, paymentMethodOf(state, subscription), context, options);
  if (charge.outcome === 'failed') subscription.status = 'past_due';
  if (charge.outcome === 'paid') subscription.status = 'active';
  return [...charge.events, ...updatedIfChanged(state, subscription, previous, context)];
}

/**
 * Starts the period that begins at `at` (its current period's end): a subscription set to cancel ends instead;
 * otherwise the period's invoice (`subscription_cycle`) and its events in Stripe's order for a renewal: `invoice.created`,
 * `customer.subscription.updated` (the period), `invoice.finalized`, `invoice.paid`, `invoice.payment_succeeded`
 * (support.stripe.com/questions/what-events-can-i-see-when-a-subscription-is-renewed; docs.stripe.com/billing/subscriptions/webhooks).
 */
function renewAt(
  state: EmulatorState,
  subscription: Stripe.Subscription,
  at: number,
  context: EventContext,
  options: { fail?: boolean },
): Result {
  if (endsBy(subscription, at)) return end(state, subscription, Math.min(at, subscription.cancel_at ?? at), context);
  const previous = before(subscription, ['items', 'latest_invoice']);
  setPeriod(subscription, at);
  const created = createInvoice(state, subscription, 'subscription_cycle', context, { at });
  return {
    events: [
      ...created.events,
      updated(state, subscription, previous, context),
      ...collect(state, subscription, created.invoice, context, { fail: options.fail, at }),
    ],
  };
}

/** Starts the next period (at the current one's end) and collects its invoice; `fail` declines the payment. */
export function renew(
  state: EmulatorState,
  subscriptionId: string,
  context: EventContext,
  options: { fail?: boolean } = {},
): Result {
  const subscription = subscriptionIn(state, subscriptionId, RENEWING_STATUSES);
  return renewAt(state, subscription, currentPeriodEnd(subscription), context, options);
}

/** Ends a trial at `at` (default now): the first paid period starts (trialing → active) and its invoice is collected. */
export function endTrial(
  state: EmulatorState,
  subscriptionId: string,
  context: EventContext,
  at = nowSeconds(),
): Result {
  const subscription = subscriptionIn(state, subscriptionId, ['trialing']);
  if (endsBy(subscription, at)) return end(state, subscription, at, context);
  const previous = before(subscription, ['items', 'latest_invoice', 'status', 'trial_end', 'billing_cycle_anchor']);
  subscription.trial_end = at;
  subscription.billing_cycle_anchor = at;
  subscription.status = 'active';
  setPeriod(subscription, at);
  const created = createInvoice(state, subscription, 'subscription_cycle', context, { at });
  return {
    events: [
      ...created.events,
      updated(state, subscription, previous, context),
      ...collect(state, subscription, created.invoice, context, { at }),
    ],
  };
}

const CANCELLATION_FIELDS = ['cancel_at', 'cancel_at_period_end', 'canceled_at', 'cancellation_details'] as const;

/** Schedules the end at period end (`cancel_at_period_end`, `cancel_at`), as the portal's default cancellation does. */
export function cancelAtPeriodEnd(state: EmulatorState, subscriptionId: string, context: EventContext): Result {
  const subscription = subscriptionIn(state, subscriptionId, CHANGEABLE_STATUSES);
  if (subscription.cancel_at_period_end) return { events: [] };
  const previous = before(subscription, CANCELLATION_FIELDS);
  subscription.cancel_at_period_end = true;
  // docs.stripe.com/api/subscriptions/object#subscription_object-cancel_at: set to the period end with cancel_at_period_end
  subscription.cancel_at = currentPeriodEnd(subscription);
  // docs.stripe.com/api/subscriptions/object#subscription_object-canceled_at: the time of the cancellation request
  subscription.canceled_at = nowSeconds();
  subscription.cancellation_details = noCancellation('cancellation_requested');
  return { events: [updated(state, subscription, previous, context)] };
}

/** Undoes a scheduled cancellation ("Don't cancel" in Stripe's portal). */
export function resumeSubscription(state: EmulatorState, subscriptionId: string, context: EventContext): Result {
  const subscription = subscriptionIn(state, subscriptionId, CHANGEABLE_STATUSES);
  if (!subscription.cancel_at_period_end) return { events: [] };
  const previous = before(subscription, CANCELLATION_FIELDS);
  subscription.cancel_at_period_end = false;
  subscription.cancel_at = null;
  subscription.canceled_at = null;
  subscription.cancellation_details = noCancellation();
  return { events: [updated(state, subscription, previous, context)] };
}

/** Cancels now (docs.stripe.com/api/subscriptions/cancel); records `customer.subscription.deleted`. */
export function cancelNow(state: EmulatorState, subscriptionId: string, context: EventContext): Result {
  const subscription = subscriptionIn(state, subscriptionId, LIVE_STATUSES);
  subscription.canceled_at = null;
  return end(state, subscription, nowSeconds(), context);
}

/**
 * Prices a subscription can switch to in the portal: other active, licensed, per-unit prices of
 * active products in the same currency and billing interval. (At Stripe the portal configuration
 * lists the switchable prices, Stripe.BillingPortal.Configuration.Features.SubscriptionUpdate.products;
 * the emulator's rule is its own stand-in for that list.)
 */
export function switchablePrices(state: EmulatorState, subscription: Stripe.Subscription): Stripe.Price[] {
  const current = subscription.items.data[0]?.price;
  if (!current?.recurring || subscription.items.data.length !== 1) return [];
  return [...state.prices.values()].filter(
    (price) =>
      price.id !== current.id &&
      price.active &&
      state.products.get(idOf(price.product))?.active === true &&
      price.billing_scheme === 'per_unit' &&
      price.recurring?.usage_type === 'licensed' &&
      price.currency === subscription.currency &&
      price.recurring.interval === current.recurring?.interval &&
      price.recurring.interval_count === current.recurring.interval_count,
  );
}

/** Switches the subscription's only item to another price (no proration: the portal's default). */
export function switchPrice(
  state: EmulatorState,
  subscriptionId: string,
  priceId: string,
  context: EventContext,
): Result {
  const subscription = subscriptionIn(state, subscriptionId, CHANGEABLE_STATUSES);
  const price = switchablePrices(state, subscription).find((candidate) => candidate.id === priceId);
  const item = subscription.items.data[0];
  if (!price || !item)
    throw new StateConflictError(`Price '${priceId}' is not a plan subscription ${subscriptionId} can switch to.`);
  const previous = before(subscription, ['items']);
  item.price = priceCopy(price);
  item.plan = planFromPrice(price);
  return { events: [updated(state, subscription, previous, context)] };
}

/**
 * Settles a processing bank debit. Success: invoice paid, subscription active, and for Checkout
 * `checkout.session.async_payment_succeeded` (session `payment_status: 'paid'`). Failure:
 * `invoice.payment_failed` and `checkout.session.async_payment_failed`; a first payment leaves the
 * subscription `incomplete` (it expires after 23 hours at Stripe, not emulated), a renewal makes it `past_due`
 * (docs.stripe.com/payments/checkout/fulfill-orders#delayed-notification; docs.stripe.com/billing/subscriptions/overview).
 */
export function settleAsyncPayment(state: EmulatorState, invoiceId: string, context: EventContext): Result {
  const payment = state.processingPayments.get(invoiceId);
  const invoice = state.invoices.get(invoiceId);
  if (!payment || !invoice) return { events: [] };
  state.processingPayments.delete(invoiceId);
  const subscriptionId = invoice.parent?.subscription_details?.subscription;
  const subscription = subscriptionId ? state.subscriptions.get(idOf(subscriptionId)) : undefined;
  const session = payment.checkoutSessionId ? state.checkoutSessions.get(payment.checkoutSessionId) : undefined;
  const live = subscription !== undefined && isLive(subscription);
  const previous = subscription ? before(subscription, ['status']) : {};
  const latest = subscription?.latest_invoice === invoice.id;
  const events = settleInvoicePayment(state, invoice, payment.succeeds, context);
  if (live && latest && payment.succeeds) subscription.status = 'active';
  if (live && latest && !payment.succeeds && subscription.status === 'active') subscription.status = 'past_due';
  if (live && previous.status !== subscription.status) events.push(updated(state, subscription, previous, context));
  if (session) {
    if (payment.succeeds) session.payment_status = 'paid';
    events.push(
      state.createEvent(
        payment.succeeds ? 'checkout.session.async_payment_succeeded' : 'checkout.session.async_payment_failed',
        session,
        context,
      ),
    );
  }
  return { events };
}

/**
 * After an invoice is paid some other way than its subscription's own collection (POST /v1/invoices/:id/pay, out of
 * band, by credit notes): a past_due or incomplete subscription whose latest invoice it is becomes active
 * (docs.stripe.com/billing/subscriptions/overview#subscription-statuses, `past_due`).
 */
export function reactivateIfPaid(state: EmulatorState, invoice: Stripe.Invoice, context: EventContext): Stripe.Event[] {
  const subscription = state.subscriptions.get(idOf(invoice.parent?.subscription_details?.subscription));
  if (!subscription || invoice.status !== 'paid' || subscription.latest_invoice !== invoice.id) return [];
  if (!AWAITING_PAYMENT_STATUSES.includes(subscription.status)) return [];
  const previous = before(subscription, ['status']);
  subscription.status = 'active';
  return [updated(state, subscription, previous, context)];
}

// ---------------------------------------------------------------- time moving on

/** Something that falls due on a subscription at a time, and what it does then. */
export interface Due {
  at: number;
  run: (context: EventContext) => Result;
}

/**
 * The earliest thing due by `until` on any subscription, in time order: a `cancel_at` within the period, a trial's
 * end, a renewal. Paused and incomplete subscriptions have nothing due.
 */
export function nextDue(state: EmulatorState, until: number): Due | null {
  let next: (Due & { order: number }) | null = null;
  const consider = (at: number | null, order: number, run: Due['run']) => {
    if (at === null || at > until) return;
    if (next === null || at < next.at || (at === next.at && order < next.order)) next = { at, order, run };
  };
  for (const subscription of state.subscriptions.values()) {
    if (!RENEWING_STATUSES.includes(subscription.status) && subscription.status !== 'trialing') continue;
    const periodEndsAt = currentPeriodEnd(subscription);
    const cancelAt = subscription.cancel_at;
    if (cancelAt !== null && cancelAt < periodEndsAt)
      consider(cancelAt, 1, (context) => end(state, subscription, cancelAt, context));
    if (subscription.status === 'trialing')
      consider(subscription.trial_end ?? periodEndsAt, 2, (context) =>
        endTrial(state, subscription.id, context, subscription.trial_end ?? periodEndsAt),
      );
    else consider(periodEndsAt, 2, (context) => renewAt(state, subscription, periodEndsAt, context, {}));
  }
  return next;
}
