/**
 * Subscriptions: GET /v1/subscriptions(/:id), POST /v1/subscriptions/:id (prices, pause_collection, cancellation),
 * POST /v1/subscriptions/:id/pause and /resume, the subscription Checkout creates, and what happens to it
 * afterwards: renewals (paid, failed, or as pause_collection says), the end of a trial, cancellation at period end
 * and its undo, cancellation now, plan switches, bank debits settling, and what falls due when time moves on
 * (`nextDue`). One implementation per action, used by the API, the portal page and the test handle (server.ts);
 * each returns the events it caused, for the caller to deliver.
 */
import type Stripe from 'stripe';
import { invalidRequest, missingParam, noSuch, StateConflictError, type StripeApiError } from '../errors.ts';
import { listObject, noCancellation, priceCopy, subscriptionItemObject, subscriptionObject } from '../objects.ts';
import {
  allowOnly,
  expand,
  newestFirst,
  optionalBoolean,
  optionalEnum,
  optionalInteger,
  optionalObject,
  optionalObjectArray,
  optionalString,
  metadataChange,
  paginate,
  PAGE_PARAMS,
  type Params,
} from '../params.ts';
import { ok, type Handler } from '../api.ts';
import { type EmulatorState, type EventContext, ID_PREFIX, idOf, newId, nowSeconds } from '../state.ts';
import { customerParam } from './customers.ts';
import {
  chargeInvoice,
  createInvoice,
  finalizeInvoice,
  markPaid,
  markUncollectible,
  settleInvoicePayment,
  voidInvoice,
} from './invoices.ts';
import {
  addPending,
  changeItems,
  type ItemChange,
  prorationLine,
  type ProrationBehavior,
  unusedShare,
} from './plan-changes.ts';
import { enterNextPhase, phaseChangeDue, SCHEDULED_FIELDS } from './schedules.ts';
import {
  before,
  CHANGEABLE_STATUSES,
  currentPeriodEnd,
  DAY,
  type Due,
  end,
  ENDED_STATUSES,
  isLive,
  LIVE_STATUSES,
  periodEnd,
  RENEWING_STATUSES,
  setPeriod,
  subscriptionIn,
  updated,
  updatedIfChanged,
} from './subscription-core.ts';

type Status = Stripe.Subscription.Status;
type Result = { events: Stripe.Event[] };
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

// ---------------------------------------------------------------- POST /v1/subscriptions/:id

/** Stripe's answer for changing a subscription that has ended (wording recalled, not confirmed). */
function endedProblem(subscription: Stripe.Subscription): StripeApiError {
  return invalidRequest(
    `A canceled subscription can only update its cancellation_details and metadata. (${subscription.id} is ${subscription.status}.)`,
  );
}

/**
 * `items[n][id|price|quantity]`: new prices and quantities for existing items. Stripe's price rules: an active,
 * recurring price in the subscription's currency (messages as Stripe words them where known).
 */
function itemChangesParam(state: EmulatorState, subscription: Stripe.Subscription, params: Params): ItemChange[] {
  return (optionalObjectArray(params, 'items') ?? []).map((entry, index) => {
    const label = `items[${index}]`;
    allowOnly(entry, ['id', 'price', 'quantity'], label);
    const id = optionalString(entry, 'id', `${label}[id]`);
    // The emulator changes existing items only; Stripe also adds items given without an id.
    if (id === undefined)
      throw invalidRequest('Adding subscription items is not emulated; pass the item id.', `${label}[id]`);
    const item = subscription.items.data.find((candidate) => candidate.id === id);
    if (!item) throw noSuch('subscription_item', id, `${label}[id]`);
    const priceId = optionalString(entry, 'price', `${label}[price]`);
    const price = priceId === undefined ? item.price : state.prices.get(priceId);
    if (!price) throw noSuch('price', priceId ?? '', `${label}[price]`);
    if (!price.active)
      throw invalidRequest(
        'The price specified is inactive. This field only accepts active prices.',
        `${label}[price]`,
      );
    if (!price.recurring)
      throw invalidRequest(
        'The price specified is set to `type=one_time` but this field only accepts prices with `type=recurring`.',
        `${label}[price]`,
      );
    // docs.stripe.com/billing/subscriptions/multiple-products: a subscription's prices share its currency (wording not confirmed)
    if (price.currency !== subscription.currency)
      throw invalidRequest(
        `The price specified uses currency ${price.currency}, which does not match the currency of this subscription (${subscription.currency}).`,
        `${label}[price]`,
      );
    const metered = price.recurring.usage_type === 'metered';
    const quantity = optionalInteger(entry, 'quantity', 0, Number.MAX_SAFE_INTEGER, `${label}[quantity]`);
    // docs.stripe.com/billing/subscriptions/usage-based: metered prices take no quantity
    if (metered && quantity !== undefined)
      throw invalidRequest('Quantity should not be specified where usage_type is `metered`.', `${label}[quantity]`);
    return { item, price, quantity: metered ? null : (quantity ?? item.quantity ?? 1) };
  });
}

/**
 * `pause_collection[behavior|resumes_at]`, or `pause_collection=` to unset (docs.stripe.com/billing/subscriptions/pause-payment,
 * "Manually unpausing"); undefined when absent.
 */
function pauseCollectionParam(params: Params): Stripe.Subscription.PauseCollection | null | undefined {
  if (params['pause_collection'] === undefined) return undefined;
  const pause = optionalObject(params, 'pause_collection');
  if (!pause) return null;
  allowOnly(pause, ['behavior', 'resumes_at'], 'pause_collection');
  const behavior = optionalEnum(
    pause,
    'behavior',
    ['keep_as_draft', 'mark_uncollectible', 'void'] as const,
    'pause_collection[behavior]',
  );
  if (behavior === undefined) throw missingParam('pause_collection[behavior]');
  const label = 'pause_collection[resumes_at]';
  const resumesAt = optionalInteger(pause, 'resumes_at', 0, Number.MAX_SAFE_INTEGER, label) ?? null;
  // Stripe.Subscription.PauseCollection.resumes_at: "The time after which the subscription will resume collecting payments" (a past time refused; wording not confirmed)
  if (resumesAt !== null && resumesAt <= nowSeconds()) throw invalidRequest('resumes_at must be in the future.', label);
  return { behavior, resumes_at: resumesAt };
}

/**
 * `billing_cycle_anchor[type]`: `now` or `unchanged` — an object at this API version (Stripe.SubscriptionUpdateParams.BillingCycleAnchor
 * and Stripe.SubscriptionResumeParams.BillingCycleAnchor: "Set `type` to `now` to reset the billing cycle anchor …");
 * undefined when absent.
 */
function anchorParam(params: Params): 'now' | 'unchanged' | undefined {
  const anchor = optionalObject(params, 'billing_cycle_anchor');
  if (!anchor) return undefined;
  allowOnly(anchor, ['type'], 'billing_cycle_anchor');
  const type = optionalEnum(anchor, 'type', ['now', 'unchanged'] as const, 'billing_cycle_anchor[type]');
  if (type === undefined) throw missingParam('billing_cycle_anchor[type]');
  return type;
}

/** Every field POST /v1/subscriptions/:id may change, for one `customer.subscription.updated`. */
const UPDATABLE: ReadonlyArray<keyof Stripe.Subscription> = [
  'items',
  'latest_invoice',
  'billing_cycle_anchor',
  'pause_collection',
  'cancel_at',
  'cancel_at_period_end',
  'canceled_at',
  'cancellation_details',
  'metadata',
];

/**
 * POST /v1/subscriptions/:id: `items` (prices and quantities, with `proration_behavior` and `billing_cycle_anchor`,
 * see plan-changes.ts), `pause_collection`, `cancel_at_period_end`, `metadata`. One `customer.subscription.updated`
 * reports every change, then the events of any invoice the change issued.
 */
export const update: Handler = (ctx, { params }, [id = '']) => {
  const { state } = ctx;
  allowOnly(params, [
    'billing_cycle_anchor',
    'cancel_at_period_end',
    'expand',
    'items',
    'metadata',
    'pause_collection',
    'proration_behavior',
  ]);
  const subscription = state.subscriptions.get(id);
  if (!subscription) throw noSuch('subscription', id);
  const onlyMetadata = Object.keys(params).every((key) => key === 'metadata' || key === 'expand');
  if (!isLive(subscription) && !onlyMetadata) throw endedProblem(subscription);
  const changes = itemChangesParam(state, subscription, params);
  const proration =
    optionalEnum(params, 'proration_behavior', ['always_invoice', 'create_prorations', 'none'] as const) ??
    'create_prorations';
  const anchor = anchorParam(params);
  const pause = pauseCollectionParam(params);
  if (pause !== undefined && subscription.status === 'paused')
    // docs.stripe.com/billing/subscriptions/pause-payment: paused collection and status=paused do not mix (wording not confirmed)
    throw invalidRequest('A paused subscription cannot pause its payment collection.', 'pause_collection');
  const cancelAtPeriodEnd = optionalBoolean(params, 'cancel_at_period_end');
  if (cancelAtPeriodEnd !== undefined && subscription.schedule)
    // Stripe's refusal as quoted in public code (not in docs.stripe.com): a schedule owns the subscription's cancellation
    throw invalidRequest(
      `The subscription is managed by the subscription schedule \`${idOf(subscription.schedule)}\`, and updating any cancelation behavior directly is not allowed. Please update the schedule instead.`,
    );
  const metadata = metadataChange(params);
  const previous = before(subscription, UPDATABLE);
  if (metadata) subscription.metadata = metadata(subscription.metadata);
  const at = nowSeconds();
  const invoiceEvents =
    changes.length > 0 || anchor === 'now'
      ? changeItems(state, subscription, changes, { proration, anchor, at, context: ctx.events })
      : [];
  if (pause !== undefined) subscription.pause_collection = pause;
  if (cancelAtPeriodEnd !== undefined) setCancelAtPeriodEnd(subscription, cancelAtPeriodEnd);
  const events = [...updatedIfChanged(state, subscription, previous, ctx.events), ...invoiceEvents];
  return ok(expand(state, subscription, params), events);
};

// ---------------------------------------------------------------- pause and resume (status `paused`)

/**
 * Why a subscription cannot be paused, or null. Stripe.SubscriptionResource.pause: "Cannot pause subscriptions with
 * attached schedules"; docs.stripe.com/changelog/endive/2026-09-30/pause-subscription: "To pause a subscription,
 * enable flexible billing mode"; docs.stripe.com/billing/subscriptions/pause-payment: "Subscriptions with paused
 * collection can't move into status=paused". Which statuses may pause was not found: active and past_due here.
 * (Wording of each refusal not confirmed.)
 */
function pauseProblem(subscription: Stripe.Subscription): string | null {
  if (subscription.billing_mode.type !== 'flexible')
    return 'Pausing a subscription requires flexible billing mode (billing_mode[type]=flexible).';
  if (subscription.schedule) return 'Cannot pause subscriptions with attached schedules.';
  if (subscription.pause_collection)
    return 'This subscription has paused payment collection; unset pause_collection before pausing it.';
  if (!RENEWING_STATUSES.includes(subscription.status))
    return `A subscription with status ${subscription.status} cannot be paused.`;
  return null;
}

/** How POST /v1/subscriptions/:id/pause credits the time already paid for (Stripe.SubscriptionPauseParams). */
interface PauseOptions {
  /** bill_for[unused_time_from][type]: credit from `now` (default), the period start, or `none`. */
  unusedTimeFrom: 'now' | 'item_current_period_start' | 'none';
  /** invoicing_behavior: the credit waits for the next invoice (`pending_invoice_item`, default) or is invoiced now. */
  invoicing: 'pending_invoice_item' | 'invoice';
}

/**
 * Pauses a subscription (Stripe.SubscriptionResource.pause: "transitioning it to the paused status. A paused
 * subscription does not generate invoices and will not advance to new billing periods"): `status_details.paused`,
 * a credit for the unused time of licensed items as `bill_for` says, then `customer.subscription.updated` and
 * `customer.subscription.paused` (docs.stripe.com/billing/subscriptions/webhooks; their order is not confirmed).
 */
function pauseSubscription(
  state: EmulatorState,
  subscriptionId: string,
  options: PauseOptions,
  context: EventContext,
  at = nowSeconds(),
): Result {
  const subscription = state.subscriptions.get(subscriptionId);
  if (!subscription) throw new StateConflictError(`No such subscription: '${subscriptionId}'`);
  const problem = pauseProblem(subscription);
  if (problem) throw new StateConflictError(problem);
  const previous = before(subscription, ['status', 'status_details', 'latest_invoice']);
  if (options.unusedTimeFrom !== 'none')
    addPending(
      state,
      subscription.id,
      subscription.items.data.map((item) => {
        const share = options.unusedTimeFrom === 'now' ? unusedShare(item, at) : 1;
        return prorationLine(state, { item, price: item.price, quantity: item.quantity ?? null, share, at }, 'credit');
      }),
    );
  const invoiceEvents: Stripe.Event[] = [];
  if (options.invoicing === 'invoice' && state.pendingProrations.has(subscription.id)) {
    // not confirmed: the billing_reason Stripe gives an invoice the pause issues
    const created = createInvoice(state, subscription, 'subscription_update', context, { items: false, at });
    invoiceEvents.push(...created.events, ...chargeInvoice(state, created.invoice, undefined, context, { at }).events);
  }
  subscription.status = 'paused';
  subscription.status_details = {
    paused: { type: 'subscription', subscription: { type: 'pause_requested' }, transitioned_at: at },
  };
  return {
    events: [
      ...invoiceEvents,
      updated(state, subscription, previous, context),
      state.createEvent('customer.subscription.paused', subscription, context),
    ],
  };
}

/** POST /v1/subscriptions/:id/pause (`type`, `bill_for`, `invoicing_behavior`, as Stripe.SubscriptionPauseParams). */
export const pause: Handler = (ctx, { params }, [id = '']) => {
  allowOnly(params, ['bill_for', 'expand', 'invoicing_behavior', 'type']);
  const subscription = ctx.state.subscriptions.get(id);
  if (!subscription) throw noSuch('subscription', id);
  optionalEnum(params, 'type', ['subscription'] as const);
  const billFor = optionalObject(params, 'bill_for') ?? {};
  allowOnly(billFor, ['outstanding_usage_through', 'unused_time_from'], 'bill_for');
  const typeOf = <T extends string>(name: string, values: readonly T[]): T | undefined => {
    const label = `bill_for[${name}]`;
    const inner = optionalObject(billFor, name, label);
    if (!inner) return undefined;
    allowOnly(inner, ['type'], label);
    const type = optionalEnum(inner, 'type', values, `${label}[type]`);
    if (type === undefined) throw missingParam(`${label}[type]`);
    return type;
  };
  // Metered usage bills nothing in the emulator (prices.ts lineAmount), so `outstanding_usage_through` changes nothing.
  typeOf('outstanding_usage_through', ['none', 'now'] as const);
  const unusedTimeFrom = typeOf('unused_time_from', ['item_current_period_start', 'none', 'now'] as const) ?? 'now';
  const invoicing =
    optionalEnum(params, 'invoicing_behavior', ['invoice', 'pending_invoice_item'] as const) ?? 'pending_invoice_item';
  if (!isLive(subscription)) throw endedProblem(subscription);
  const problem = pauseProblem(subscription);
  if (problem) throw invalidRequest(problem);
  const result = pauseSubscription(ctx.state, id, { unusedTimeFrom, invoicing }, ctx.events);
  return ok(expand(ctx.state, subscription, params), result.events);
};

/** How POST /v1/subscriptions/:id/resume restarts a paused subscription (Stripe.SubscriptionResumeParams). */
interface ResumeOptions {
  /** billing_cycle_anchor[type]: `now` (default, a new period billed at once) or `unchanged`. */
  anchor: 'now' | 'unchanged';
  /** `resume_on_payment_attempt` (default): active at once; `resume_on_payment_success`: paused until paid. */
  paymentBehavior: 'resume_on_payment_attempt' | 'resume_on_payment_success';
  /** For `unchanged`: the remaining time of the period (default `create_prorations`). */
  proration: ProrationBehavior;
}

/**
 * Resumes a paused subscription (Stripe.SubscriptionResource.resume): with anchor `now` a new period starts and its
 * invoice is finalized at once; with `unchanged` the period goes on (periods that ended while paused are skipped)
 * and the remaining time is prorated. `resume_on_payment_attempt` makes it active (past_due if the payment fails);
 * `resume_on_payment_success` leaves it paused until the invoice is paid (docs.stripe.com/changelog/endive/2026-09-30/pause-subscription).
 * Then `customer.subscription.updated` and `customer.subscription.resumed`.
 */
function resumePaused(
  state: EmulatorState,
  subscriptionId: string,
  options: ResumeOptions,
  context: EventContext,
  at = nowSeconds(),
): Result {
  const subscription = subscriptionIn(state, subscriptionId, ['paused']);
  const previous = before(subscription, [
    'status',
    'status_details',
    'items',
    'latest_invoice',
    'billing_cycle_anchor',
  ]);
  const events: Stripe.Event[] = [];
  let invoice: Stripe.Invoice | undefined;
  if (options.anchor === 'now') {
    subscription.billing_cycle_anchor = at;
    setPeriod(subscription, at);
    // not confirmed: the billing_reason of a resumption invoice
    const created = createInvoice(state, subscription, 'subscription_update', context, { at });
    invoice = created.invoice;
    events.push(...created.events);
  } else {
    while (currentPeriodEnd(subscription) <= at) setPeriod(subscription, currentPeriodEnd(subscription));
    if (options.proration !== 'none')
      addPending(
        state,
        subscription.id,
        subscription.items.data.map((item) =>
          prorationLine(
            state,
            { item, price: item.price, quantity: item.quantity ?? null, share: unusedShare(item, at), at },
            'debit',
          ),
        ),
      );
    if (options.proration === 'always_invoice' && state.pendingProrations.has(subscription.id)) {
      const created = createInvoice(state, subscription, 'subscription_update', context, { items: false, at });
      invoice = created.invoice;
      events.push(...created.events);
    }
  }
  const onAttempt = options.paymentBehavior === 'resume_on_payment_attempt';
  if (onAttempt || !invoice) subscription.status = 'active';
  if (invoice) {
    const charge = chargeInvoice(state, invoice, paymentMethodOf(state, subscription), context, { at });
    events.push(...charge.events);
    if (charge.outcome === 'paid') subscription.status = 'active';
    if (charge.outcome === 'failed' && onAttempt) subscription.status = 'past_due';
  }
  if (subscription.status === 'paused') return { events: [...events, updated(state, subscription, previous, context)] };
  delete subscription.status_details;
  return {
    events: [
      ...events,
      updated(state, subscription, previous, context),
      state.createEvent('customer.subscription.resumed', subscription, context),
    ],
  };
}

/** POST /v1/subscriptions/:id/resume (`billing_cycle_anchor[type]`, `payment_behavior`, `proration_behavior`). */
export const resume: Handler = (ctx, { params }, [id = '']) => {
  allowOnly(params, ['billing_cycle_anchor', 'expand', 'payment_behavior', 'proration_behavior']);
  const subscription = ctx.state.subscriptions.get(id);
  if (!subscription) throw noSuch('subscription', id);
  const anchor = anchorParam(params) ?? 'now';
  const paymentBehavior =
    optionalEnum(params, 'payment_behavior', ['resume_on_payment_attempt', 'resume_on_payment_success'] as const) ??
    'resume_on_payment_attempt';
  const proration =
    optionalEnum(params, 'proration_behavior', ['always_invoice', 'create_prorations', 'none'] as const) ??
    'create_prorations';
  // Stripe.SubscriptionResource.resume: "Initiates resumption of a paused subscription" (wording of the refusal not confirmed)
  if (subscription.status !== 'paused')
    throw invalidRequest(`Only a paused subscription can be resumed; this one is ${subscription.status}.`);
  const result = resumePaused(ctx.state, id, { anchor, paymentBehavior, proration }, ctx.events);
  return ok(expand(ctx.state, subscription, params), result.events);
};

// ---------------------------------------------------------------- periods and items

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

/** True when a subscription set to cancel ends by `at` (cancel_at_period_end, or a cancel_at reached). */
function endsBy(subscription: Stripe.Subscription, at: number): boolean {
  return subscription.cancel_at_period_end || (subscription.cancel_at !== null && subscription.cancel_at <= at);
}

/**
 * Collects a period's invoice as the subscription's `pause_collection` says (docs.stripe.com/billing/subscriptions/pause-payment:
 * `void` — invoices "are immediately marked as void" and "the subscription's status remains unchanged"; `keep_as_draft` —
 * they "remain in draft status and auto_advance is set to false"; `mark_uncollectible` — the customer balance is applied,
 * then the invoice is `paid` if that covers it, else `uncollectible`), or charges it: paid → active; a failed payment →
 * `past_due` (docs.stripe.com/billing/subscriptions/overview#subscription-statuses), reported in a second
 * `customer.subscription.updated`. A voided draft keeps no number (never finalized; not confirmed).
 */
function collect(
  state: EmulatorState,
  subscription: Stripe.Subscription,
  invoice: Stripe.Invoice,
  context: EventContext,
  options: { fail?: boolean; at: number },
): Stripe.Event[] {
  const { at } = options;
  const behavior = subscription.pause_collection?.behavior;
  if (behavior === 'void') return voidInvoice(state, invoice, context, at);
  if (behavior === 'keep_as_draft') {
    invoice.auto_advance = false;
    return [];
  }
  if (behavior === 'mark_uncollectible') {
    const finalized = finalizeInvoice(state, invoice, context, at);
    const settled =
      invoice.amount_due === 0
        ? markPaid(state, invoice, context, { at })
        : markUncollectible(state, invoice, context, at);
    return [...finalized, ...settled];
  }
  const previous = before(subscription, ['status']);
  const charge = chargeInvoice(state, invoice, paymentMethodOf(state, subscription), context, {
    fail: options.fail,
    at,
  });
  if (charge.outcome === 'failed') subscription.status = 'past_due';
  if (charge.outcome === 'paid') subscription.status = 'active';
  return [...charge.events, ...updatedIfChanged(state, subscription, previous, context)];
}

/** Unsets a `pause_collection` whose `resumes_at` has come by `at` (Stripe.Subscription.PauseCollection.resumes_at). */
function resumeCollectionIfDue(
  state: EmulatorState,
  subscription: Stripe.Subscription,
  at: number,
  context: EventContext,
): Stripe.Event[] {
  const resumesAt = subscription.pause_collection?.resumes_at ?? null;
  if (resumesAt === null || resumesAt > at) return [];
  const previous = before(subscription, ['pause_collection']);
  subscription.pause_collection = null;
  // not confirmed: that Stripe sends customer.subscription.updated when a pause ends by itself
  return [updated(state, subscription, previous, context)];
}

/**
 * Starts the period that begins at `at` (its current period's end): a subscription set to cancel ends instead; a
 * collection pause due to end resumes first ("All invoices created before the resumes_at date are immediately marked
 * as void"); a schedule's next phase starting then sets the items (schedules.ts); then the period's
 * invoice (`subscription_cycle`) and its events in Stripe's order for a renewal: `invoice.created`,
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
  const events = resumeCollectionIfDue(state, subscription, at, context);
  const previous = before(subscription, SCHEDULED_FIELDS);
  const phase = enterNextPhase(state, subscription, at, context);
  events.push(...phase.events);
  if (phase.cancel) return { events: [...events, ...end(state, subscription, at, context).events] };
  setPeriod(subscription, at);
  const created = createInvoice(state, subscription, 'subscription_cycle', context, { at });
  events.push(...created.events, updated(state, subscription, previous, context));
  events.push(...collect(state, subscription, created.invoice, context, { fail: options.fail, at }));
  return { events };
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

/** Sets or clears `cancel_at_period_end` (with `cancel_at`, `canceled_at` and `cancellation_details`). */
function setCancelAtPeriodEnd(subscription: Stripe.Subscription, value: boolean): void {
  if (subscription.cancel_at_period_end === value) return;
  subscription.cancel_at_period_end = value;
  // docs.stripe.com/api/subscriptions/object#subscription_object-cancel_at: set to the period end with cancel_at_period_end
  subscription.cancel_at = value ? currentPeriodEnd(subscription) : null;
  // docs.stripe.com/api/subscriptions/object#subscription_object-canceled_at: the time of the cancellation request
  subscription.canceled_at = value ? nowSeconds() : null;
  subscription.cancellation_details = noCancellation(value ? 'cancellation_requested' : null);
}

/** Schedules the end at period end (`cancel_at_period_end`, `cancel_at`), as the portal's default cancellation does. */
export function cancelAtPeriodEnd(state: EmulatorState, subscriptionId: string, context: EventContext): Result {
  const subscription = subscriptionIn(state, subscriptionId, CHANGEABLE_STATUSES);
  const previous = before(subscription, CANCELLATION_FIELDS);
  setCancelAtPeriodEnd(subscription, true);
  return { events: updatedIfChanged(state, subscription, previous, context) };
}

/** Undoes a scheduled cancellation ("Don't cancel" in Stripe's portal). */
export function resumeSubscription(state: EmulatorState, subscriptionId: string, context: EventContext): Result {
  const subscription = subscriptionIn(state, subscriptionId, CHANGEABLE_STATUSES);
  const previous = before(subscription, CANCELLATION_FIELDS);
  setCancelAtPeriodEnd(subscription, false);
  return { events: updatedIfChanged(state, subscription, previous, context) };
}

/**
 * Switches the subscription's only item to another price (the caller checked the price may be chosen), prorated as the
 * portal configuration says (Stripe.BillingPortal.Configuration.Features.SubscriptionUpdate.proration_behavior,
 * "Defaults to a value of `none`"). The billing cycle anchor is kept whatever the interval unless the configuration's
 * `billing_cycle_anchor` is `now`, as the portal did until its configurations could set one
 * (docs.stripe.com/changelog/clover/2025-12-15/customer-portal-billing-cycle-anchor: "updates made from the customer
 * portal would always retain the existing billing cycle anchor"); how a new interval bills follows the subscription's
 * billing mode (changeItems). A trial keeps its end (the portal's trial_update_behavior is not emulated).
 */
export function switchPrice(
  state: EmulatorState,
  subscriptionId: string,
  price: Stripe.Price,
  context: EventContext,
  options: { proration: ProrationBehavior; resetAnchor: boolean },
): Result {
  const subscription = subscriptionIn(state, subscriptionId, CHANGEABLE_STATUSES);
  const item = subscription.items.data[0];
  if (!item) throw new StateConflictError(`Subscription ${subscriptionId} has no item to switch.`);
  const previous = before(subscription, ['items']);
  const invoiceEvents = changeItems(state, subscription, [{ item, price, quantity: item.quantity ?? 1 }], {
    proration: options.proration,
    ...(options.resetAnchor && { anchor: 'now' as const }),
    at: nowSeconds(),
    context,
  });
  return { events: [updated(state, subscription, previous, context), ...invoiceEvents] };
}

/** Sets or unsets `pause_collection`, as the portal's pause and resume do (`customer.subscription.updated`). */
export function setPauseCollection(
  state: EmulatorState,
  subscriptionId: string,
  pauseCollection: Stripe.Subscription.PauseCollection | null,
  context: EventContext,
): Result {
  const subscription = subscriptionIn(state, subscriptionId, CHANGEABLE_STATUSES);
  const previous = before(subscription, ['pause_collection']);
  subscription.pause_collection = pauseCollection;
  return { events: updatedIfChanged(state, subscription, previous, context) };
}

/**
 * Settles a processing bank debit. Success: invoice paid, subscription active (a `paused` one waiting for this
 * payment resumes), and for Checkout `checkout.session.async_payment_succeeded` (session `payment_status: 'paid'`).
 * Failure: `invoice.payment_failed` and `checkout.session.async_payment_failed`; a first payment leaves the
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
  const previous = subscription ? before(subscription, ['status', 'status_details']) : {};
  const latest = subscription?.latest_invoice === invoice.id;
  const events = settleInvoicePayment(state, invoice, payment.succeeds, context);
  if (live && latest && payment.succeeds) subscription.status = 'active';
  if (live && latest && !payment.succeeds && subscription.status === 'active') subscription.status = 'past_due';
  if (live && previous.status !== subscription.status) {
    const resumed = previous.status === 'paused';
    if (resumed) delete subscription.status_details;
    events.push(updated(state, subscription, previous, context));
    if (resumed) events.push(state.createEvent('customer.subscription.resumed', subscription, context));
  }
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

// ---------------------------------------------------------------- time moving on

/**
 * The earliest thing due by `until` on any subscription, in time order (a collection pause ending before a
 * renewal at the same second, so that renewal is collected): a `pause_collection[resumes_at]`, a `cancel_at`
 * within the period, a schedule phase starting mid-period, a trial's end, a renewal. Paused and incomplete
 * subscriptions have nothing due.
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
    consider(subscription.pause_collection?.resumes_at ?? null, 0, (context) => ({
      events: resumeCollectionIfDue(state, subscription, subscription.pause_collection?.resumes_at ?? 0, context),
    }));
    const cancelAt = subscription.cancel_at;
    if (cancelAt !== null && cancelAt < periodEndsAt)
      consider(cancelAt, 1, (context) => end(state, subscription, cancelAt, context));
    const phaseChange = phaseChangeDue(state, subscription);
    if (phaseChange && phaseChange.at < periodEndsAt) consider(phaseChange.at, 1, phaseChange.run);
    if (subscription.status === 'trialing')
      consider(subscription.trial_end ?? periodEndsAt, 2, (context) =>
        endTrial(state, subscription.id, context, subscription.trial_end ?? periodEndsAt),
      );
    else consider(periodEndsAt, 2, (context) => renewAt(state, subscription, periodEndsAt, context, {}));
  }
  return next;
}
