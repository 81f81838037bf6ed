/**
 * What every subscription action shares, and what other resources do to a subscription without its lifecycle:
 * the status sets, periods, the `customer.subscription.updated` record of a change, ending a subscription (its
 * schedule ends with it), cancelling one now, and making a past-due one active once its invoice is paid. It imports
 * no other resource, so customers, invoices, plan changes and schedules can all use it without an import circle.
 */
import type Stripe from 'stripe';
import { StateConflictError } from '../errors.ts';
import { noCancellation } from '../objects.ts';
import { newestFirst } from '../params.ts';
import { type EmulatorState, type EventContext, idOf, nowSeconds, snapshot } from '../state.ts';

type Status = Stripe.Subscription.Status;
type Result = { events: Stripe.Event[] };

// ---------------------------------------------------------------- statuses

/** docs.stripe.com/api/subscriptions/list (status): subscriptions in these states have ended. */
export const ENDED_STATUSES: readonly Status[] = ['canceled', 'incomplete_expired'];
/** Every status that has not ended (Stripe.Subscription.Status minus the ended ones). */
export const LIVE_STATUSES: readonly Status[] = ['active', 'trialing', 'past_due', 'incomplete', 'unpaid', 'paused'];
/** What the portal lets a customer cancel, resume or switch. */
export const CHANGEABLE_STATUSES: readonly Status[] = ['active', 'trialing', 'past_due'];
/** What renews at the end of a period (a trial ends instead; a `paused` subscription "will not advance to new billing periods"). */
export const RENEWING_STATUSES: readonly Status[] = ['active', 'past_due'];

/** What a new payment method pays the open invoice of (docs.stripe.com/billing/subscriptions/overview#subscription-statuses). */
export const AWAITING_PAYMENT_STATUSES: readonly Status[] = ['past_due', 'incomplete'];

/** Not ended (any status but canceled and incomplete_expired). */
export function isLive(subscription: Stripe.Subscription): boolean {
  return LIVE_STATUSES.includes(subscription.status);
}

// ---------------------------------------------------------------- periods

/** Seconds in a day. */
export const DAY = 86_400;

/**
 * `start` + `count` intervals, clamping month ends like Stripe (Jan 31 + 1 month = Feb 28/29). Months and years
 * fall on `anchorDay` (default: the start's day) where the month has it (docs.stripe.com/billing/subscriptions/
 * billing-cycle: an anchor of January 31 bills the last day of the month closest to it, February 28, then March 31).
 */
export function addInterval(start: number, interval: string, count: number, anchorDay?: number): number {
  if (interval === 'day') return start + count * DAY;
  if (interval === 'week') return start + count * 7 * DAY;
  const date = new Date(start * 1000);
  const months = interval === 'year' ? 12 * count : count;
  const day = anchorDay ?? date.getUTCDate();
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(day, lastDay));
  return Math.floor(date.getTime() / 1000);
}

/** The end of a period of `price` starting at `start`, on the billing cycle anchor's day of the month. */
export function periodEnd(price: Stripe.Price | undefined, start: number, anchorDay?: number): number {
  return addInterval(start, price?.recurring?.interval ?? 'month', price?.recurring?.interval_count ?? 1, anchorDay);
}

/**
 * Moves every item to a new period starting at `start`, each as long as its price's interval (periods live on
 * items), ending on the day of the month of the subscription's `billing_cycle_anchor` (Stripe.Subscription
 * .billing_cycle_anchor: "The reference point that aligns future billing cycle dates").
 */
export function setPeriod(subscription: Stripe.Subscription, start: number): void {
  const anchorDay = new Date(subscription.billing_cycle_anchor * 1000).getUTCDate();
  for (const item of subscription.items.data) {
    item.current_period_start = start;
    item.current_period_end = periodEnd(item.price, start, anchorDay);
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

// ---------------------------------------------------------------- changes and their events

/** A stored subscription in one of the `allowed` statuses (StateConflictError otherwise). */
export function subscriptionIn(state: EmulatorState, id: string, allowed: readonly Status[]): Stripe.Subscription {
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
export function updatedIfChanged(
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
export function end(
  state: EmulatorState,
  subscription: Stripe.Subscription,
  endedAt: number,
  context: EventContext,
): Result {
  subscription.status = 'canceled';
  subscription.canceled_at ??= endedAt;
  subscription.ended_at = endedAt;
  subscription.cancellation_details = noCancellation('cancellation_requested');
  state.pendingProrations.delete(subscription.id);
  // docs.stripe.com/billing/subscriptions/webhooks: "customer.subscription.deleted — Sent when a customer's subscription ends."
  const deleted = state.createEvent('customer.subscription.deleted', subscription, context);
  return { events: [deleted, ...scheduleEnded(state, subscription, endedAt, context)] };
}

/** Cancels now (docs.stripe.com/api/subscriptions/cancel); records `customer.subscription.deleted`. */
export function cancelNow(state: EmulatorState, subscriptionId: string, context: EventContext): Result {
  const subscription = subscriptionIn(state, subscriptionId, LIVE_STATUSES);
  subscription.canceled_at = null;
  return end(state, subscription, nowSeconds(), context);
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

/** Something that falls due on a subscription at a time, and what it does then. */
export interface Due {
  at: number;
  run: (context: EventContext) => Result;
}

// ---------------------------------------------------------------- schedules

/** The schedule attached to a subscription, while it is active. */
export function activeScheduleOf(
  state: EmulatorState,
  subscription: Stripe.Subscription,
): Stripe.SubscriptionSchedule | undefined {
  const schedule = subscription.schedule ? state.subscriptionSchedules.get(idOf(subscription.schedule)) : undefined;
  return schedule?.status === 'active' ? schedule : undefined;
}

/**
 * Called when a subscription ends: its schedule is `completed` when the end is the last phase's (end_behavior
 * `cancel`), else `canceled` (`subscription_schedule.completed` / `.canceled`, docs.stripe.com/billing/subscriptions/webhooks).
 */
function scheduleEnded(
  state: EmulatorState,
  subscription: Stripe.Subscription,
  at: number,
  context: EventContext,
): Stripe.Event[] {
  const schedule = activeScheduleOf(state, subscription);
  if (!schedule) return [];
  const lastEnd = schedule.phases.at(-1)?.end_date ?? Infinity;
  const completed = schedule.end_behavior === 'cancel' && lastEnd <= at;
  schedule.status = completed ? 'completed' : 'canceled';
  if (completed) schedule.completed_at = at;
  else schedule.canceled_at = at;
  schedule.current_phase = null;
  return [
    state.createEvent(
      completed ? 'subscription_schedule.completed' : 'subscription_schedule.canceled',
      schedule,
      context,
    ),
  ];
}
