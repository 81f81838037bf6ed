/**
 * What happens to a subscription after Checkout: renewals (paid or failed), the end of a trial,
 * cancellation at period end and its undo, cancellation now, plan switches, card updates, bank
 * debits settling, and deleting a customer. One implementation per action, used by the portal
 * page (its buttons and demo controls) and by the test handle (server.ts). Each returns the events
 * it caused; the caller delivers them.
 */
import type Stripe from 'stripe';
import {
  chargeInvoice,
  createInvoice,
  currentPeriodEnd,
  ENDED_STATUSES,
  markFailed,
  markPaid,
  paymentMethodOf,
  periodEnd,
  setItemPrice,
  setPeriod,
  StateConflictError,
  subscriptionsOf,
} from './billing.ts';
import { checkCard, createPaymentMethod } from './payment-methods.ts';
import { type EmulatorState, type EventContext, idOf, nowSeconds, snapshot } from './state.ts';

/** A card the portal's form refused (400 bad input, 402 declined), with the message to show. */
export class CardRefusedError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'CardRefusedError';
    this.status = status;
  }
}

type Result = { events: Stripe.Event[] };

function subscriptionOf(
  state: EmulatorState,
  id: string,
  allowed: readonly Stripe.Subscription.Status[],
): Stripe.Subscription {
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
function before(
  subscription: Stripe.Subscription,
  keys: ReadonlyArray<keyof Stripe.Subscription>,
): Partial<Stripe.Subscription> {
  const previous: Record<string, unknown> = {};
  for (const key of keys) previous[key] = snapshot(subscription[key]);
  return previous;
}

function updated(
  state: EmulatorState,
  subscription: Stripe.Subscription,
  previous: Partial<Stripe.Subscription>,
  context: EventContext,
): Stripe.Event {
  // docs.stripe.com/api/events/object#event_object-data-previous_attributes: only the fields that changed
  const changed = Object.fromEntries(
    Object.entries(previous).filter(
      ([key, value]) => JSON.stringify(value) !== JSON.stringify(subscription[key as keyof Stripe.Subscription]),
    ),
  ) as Partial<Stripe.Subscription>;
  return state.createEvent('customer.subscription.updated', subscription, context, changed);
}

/** Ends a subscription (now, or at the end of its period); records `customer.subscription.deleted`. */
function end(state: EmulatorState, subscription: Stripe.Subscription, endedAt: number, context: EventContext): Result {
  subscription.status = 'canceled';
  subscription.canceled_at ??= endedAt;
  subscription.ended_at = endedAt;
  subscription.cancellation_details = {
    comment: null,
    feedback: null,
    feedback_option: null,
    reason: 'cancellation_requested',
  };
  // docs.stripe.com/billing/subscriptions/webhooks: "customer.subscription.deleted — Sent when a customer's subscription ends."
  return { events: [state.createEvent('customer.subscription.deleted', subscription, context)] };
}

/**
 * Starts the next period now and charges its invoice (docs.stripe.com/billing/subscriptions/webhooks:
 * invoice.paid / invoice.payment_failed, then customer.subscription.updated). `fail` makes the
 * payment fail: the subscription becomes `past_due` (docs.stripe.com/billing/subscriptions/overview#subscription-statuses).
 * A subscription set to cancel at period end ends instead.
 */
export function renew(
  state: EmulatorState,
  subscriptionId: string,
  context: EventContext,
  options: { fail?: boolean } = {},
): Result {
  const subscription = subscriptionOf(state, subscriptionId, ['active', 'past_due']);
  const start = currentPeriodEnd(subscription);
  if (subscription.cancel_at_period_end) return end(state, subscription, start, context);
  const previous = before(subscription, ['items', 'latest_invoice', 'status']);
  const price = subscription.items.data[0]?.price;
  setPeriod(subscription, start, price ? periodEnd(price, start) : start);
  const invoice = createInvoice(state, subscription, 'subscription_cycle');
  const charge = options.fail
    ? { outcome: 'failed' as const, events: markFailed(state, invoice, context) }
    : chargeInvoice(state, invoice, paymentMethodOf(state, subscription), context);
  if (charge.outcome === 'failed') subscription.status = 'past_due';
  if (charge.outcome === 'paid') subscription.status = 'active';
  return { events: [...charge.events, updated(state, subscription, previous, context)] };
}

/** Ends a trial now: the first paid period starts (trialing → active) and its invoice is charged. */
export function endTrial(state: EmulatorState, subscriptionId: string, context: EventContext): Result {
  const subscription = subscriptionOf(state, subscriptionId, ['trialing']);
  const now = nowSeconds();
  if (subscription.cancel_at_period_end) return end(state, subscription, now, context);
  const previous = before(subscription, ['items', 'latest_invoice', 'status', 'trial_end', 'billing_cycle_anchor']);
  const price = subscription.items.data[0]?.price;
  subscription.trial_end = now;
  subscription.billing_cycle_anchor = now;
  setPeriod(subscription, now, price ? periodEnd(price, now) : now);
  const invoice = createInvoice(state, subscription, 'subscription_cycle');
  const charge = chargeInvoice(state, invoice, paymentMethodOf(state, subscription), context);
  subscription.status = charge.outcome === 'failed' ? 'past_due' : 'active';
  return { events: [...charge.events, updated(state, subscription, previous, context)] };
}

const LIVE: readonly Stripe.Subscription.Status[] = [
  'active',
  'trialing',
  'past_due',
  'incomplete',
  'unpaid',
  'paused',
];

/** Schedules the end at period end (`cancel_at_period_end`, `cancel_at`), as the portal's default cancellation does. */
export function cancelAtPeriodEnd(state: EmulatorState, subscriptionId: string, context: EventContext): Result {
  const subscription = subscriptionOf(state, subscriptionId, ['active', 'trialing', 'past_due']);
  if (subscription.cancel_at_period_end) return { events: [] };
  const previous = before(subscription, ['cancel_at', 'cancel_at_period_end', 'canceled_at', 'cancellation_details']);
  subscription.cancel_at_period_end = true;
  // docs.stripe.com/api/subscriptions/object#subscription_object-cancel_at: set to the period end with cancel_at_period_end
  subscription.cancel_at = currentPeriodEnd(subscription);
  // docs.stripe.com/api/subscriptions/object#subscription_object-canceled_at: the time of the cancellation request
  subscription.canceled_at = nowSeconds();
  subscription.cancellation_details = {
    comment: null,
    feedback: null,
    feedback_option: null,
    reason: 'cancellation_requested',
  };
  return { events: [updated(state, subscription, previous, context)] };
}

/** Undoes a scheduled cancellation ("Don't cancel" in Stripe's portal). */
export function resumeSubscription(state: EmulatorState, subscriptionId: string, context: EventContext): Result {
  const subscription = subscriptionOf(state, subscriptionId, ['active', 'trialing', 'past_due']);
  if (!subscription.cancel_at_period_end) return { events: [] };
  const previous = before(subscription, ['cancel_at', 'cancel_at_period_end', 'canceled_at', 'cancellation_details']);
  subscription.cancel_at_period_end = false;
  subscription.cancel_at = null;
  subscription.canceled_at = null;
  subscription.cancellation_details = { comment: null, feedback: null, feedback_option: null, reason: null };
  return { events: [updated(state, subscription, previous, context)] };
}

/** Cancels now (docs.stripe.com/api/subscriptions/cancel); records `customer.subscription.deleted`. */
export function cancelNow(state: EmulatorState, subscriptionId: string, context: EventContext): Result {
  const subscription = subscriptionOf(state, subscriptionId, LIVE);
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
  const subscription = subscriptionOf(state, subscriptionId, ['active', 'trialing', 'past_due']);
  const price = switchablePrices(state, subscription).find((candidate) => candidate.id === priceId);
  const item = subscription.items.data[0];
  if (!price || !item)
    throw new StateConflictError(`Price '${priceId}' is not a plan subscription ${subscriptionId} can switch to.`);
  const previous = before(subscription, ['items']);
  setItemPrice(item, price);
  return { events: [updated(state, subscription, previous, context)] };
}

/**
 * Saves a new card as the customer's default (payment_method.attached, customer.updated), makes it
 * the default of their live subscriptions, and pays the open invoice of any that is past due or
 * incomplete with it (paying the latest invoice makes the subscription active again:
 * docs.stripe.com/billing/subscriptions/overview#subscription-statuses, `past_due`).
 * Throws CardRefusedError for declined or malformed cards.
 */
export function updateCard(
  state: EmulatorState,
  customerId: string,
  card: { card: string; exp?: string; cvc?: string },
  context: EventContext,
): Result {
  const customer = state.customers.get(customerId);
  if (!customer) throw new StateConflictError(`No such customer: '${customerId}'`);
  const checked = checkCard(card);
  if (!('type' in checked)) throw new CardRefusedError(checked.status, checked.message);
  const paymentMethod = createPaymentMethod(state, checked, customer.id, customer.email);
  const previousSettings = snapshot(customer.invoice_settings);
  customer.invoice_settings.default_payment_method = paymentMethod.id;
  const events: Stripe.Event[] = [
    state.createEvent('payment_method.attached', paymentMethod, context),
    state.createEvent('customer.updated', customer, context, { invoice_settings: previousSettings }),
  ];
  for (const subscription of subscriptionsOf(state, customer.id).reverse()) {
    if (ENDED_STATUSES.has(subscription.status)) continue;
    const previous = before(subscription, ['default_payment_method', 'status']);
    subscription.default_payment_method = paymentMethod.id;
    const invoice = subscription.latest_invoice ? state.invoices.get(idOf(subscription.latest_invoice)) : undefined;
    if (
      (subscription.status === 'past_due' || subscription.status === 'incomplete') &&
      invoice?.status === 'open' &&
      !state.processingPayments.has(invoice.id)
    ) {
      events.push(...markPaid(state, invoice, context));
      subscription.status = 'active';
    }
    events.push(updated(state, subscription, previous, context));
  }
  return { events };
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
  const events: Stripe.Event[] = [];
  const live = subscription && !ENDED_STATUSES.has(subscription.status);
  const previous = subscription ? before(subscription, ['status']) : {};
  if (payment.succeeds) {
    events.push(...markPaid(state, invoice, context));
    if (live && subscription.latest_invoice === invoice.id) subscription.status = 'active';
  } else {
    events.push(...markFailed(state, invoice, context));
    if (live && subscription.status === 'active' && subscription.latest_invoice === invoice.id)
      subscription.status = 'past_due';
  }
  if (subscription && live && previous.status !== subscription.status)
    events.push(updated(state, subscription, previous, context));
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
 * Deletes a customer: its live subscriptions are canceled at once (customer.subscription.deleted
 * each), then `customer.deleted` (docs.stripe.com/api/customers/delete: "Also immediately cancels any
 * active subscriptions on the customer."). Afterwards the API answers the deleted stub.
 */
export function deleteCustomer(
  state: EmulatorState,
  customerId: string,
  context: EventContext,
): Result & { deleted: Stripe.DeletedCustomer } {
  const customer = state.customers.get(customerId);
  if (!customer) throw new StateConflictError(`No such customer: '${customerId}'`);
  const events: Stripe.Event[] = [];
  for (const subscription of subscriptionsOf(state, customerId).reverse()) {
    if (!ENDED_STATUSES.has(subscription.status)) events.push(...cancelNow(state, subscription.id, context).events);
  }
  state.customers.delete(customerId);
  // openapi/fixtures3.json deleted_customer: { id, object: 'customer', deleted: true }
  const deleted: Stripe.DeletedCustomer = { id: customerId, object: 'customer', deleted: true };
  state.deletedCustomers.set(customerId, deleted);
  events.push(state.createEvent('customer.deleted', customer, context));
  return { deleted, events };
}
