/**
 * Subscription schedules, the documented way to change a price from the next period
 * (docs.stripe.com/billing/subscriptions/subscription-schedules): POST /v1/subscription_schedules (`from_subscription`),
 * POST /v1/subscription_schedules/:id (`phases`, `end_behavior`), GET …/:id, POST …/:id/release and /cancel; and
 * what a schedule does as time passes: each phase's items take over when it starts, and at the end of the last
 * phase the subscription is released or canceled (`end_behavior`).
 */
import type Stripe from 'stripe';
import { invalidRequest, missingParam, noSuch } from '../errors.ts';
import {
  planFromPrice,
  priceCopy,
  schedulePhaseObject,
  subscriptionItemObject,
  subscriptionScheduleObject,
} from '../objects.ts';
import {
  allowOnly,
  expand,
  optionalBoolean,
  optionalEnum,
  optionalInteger,
  optionalObject,
  optionalObjectArray,
  optionalString,
  type Params,
} from '../params.ts';
import { ok, type Handler } from '../api.ts';
import { type EmulatorState, type EventContext, ID_PREFIX, idOf, newId, nowSeconds } from '../state.ts';
import { changeItems, type ItemChange, type ProrationBehavior } from './plan-changes.ts';
import {
  activeScheduleOf,
  addInterval,
  before,
  currentPeriodEnd,
  type Due,
  end,
  isLive,
  updated,
  updatedIfChanged,
} from './subscription-core.ts';

type Phase = Stripe.SubscriptionSchedule.Phase;
type PhaseItem = Stripe.SubscriptionSchedule.Phase.Item;

/** docs.stripe.com/api/subscription_schedules/release and /cancel: only a `not_started` or `active` schedule can change. */
const CHANGEABLE: ReadonlyArray<Stripe.SubscriptionSchedule.Status> = ['not_started', 'active'];

function scheduleOrThrow(state: EmulatorState, id: string): Stripe.SubscriptionSchedule {
  const schedule = state.subscriptionSchedules.get(id);
  if (!schedule) throw noSuch('subscription_schedule', id);
  return schedule;
}

/** Stripe's refusal for a schedule that has ended (wording not confirmed). */
function notChangeable(schedule: Stripe.SubscriptionSchedule, action: string): ReturnType<typeof invalidRequest> {
  return invalidRequest(
    `You cannot ${action} a subscription schedule that is currently in the \`${schedule.status}\` status.`,
  );
}

/** A phase item as the schedule shows it (the price by id, its legacy plan too: openapi/fixtures3.json). */
function phaseItem(price: Stripe.Price, quantity: number | null): PhaseItem {
  return {
    billing_thresholds: null,
    discounts: [],
    metadata: {},
    plan: price.id,
    price: price.id,
    ...(quantity !== null && { quantity }),
    tax_rates: [],
  };
}

/** The subscription a schedule manages, or undefined once released. */
function managed(state: EmulatorState, schedule: Stripe.SubscriptionSchedule): Stripe.Subscription | undefined {
  return schedule.subscription ? state.subscriptions.get(idOf(schedule.subscription)) : undefined;
}

/** When the schedule's `end_behavior: cancel` has the subscription end (its last phase's end), or null. */
function scheduledEnd(schedule: Stripe.SubscriptionSchedule): number | null {
  return schedule.end_behavior === 'cancel' ? (schedule.phases.at(-1)?.end_date ?? null) : null;
}

/**
 * With `end_behavior: cancel` the subscription is set to end with the last phase (the schedule sets its `cancel_at`:
 * observed in public reports, e.g. YumaInaura/YumaInaura#2955; not confirmed in Stripe's docs); a `cancel_at` the
 * schedule had set (`previousEnd`) goes when it no longer applies.
 */
function syncCancelAt(
  schedule: Stripe.SubscriptionSchedule,
  subscription: Stripe.Subscription,
  previousEnd: number | null,
): void {
  const end = scheduledEnd(schedule);
  if (end !== null) subscription.cancel_at = end;
  else if (previousEnd !== null && subscription.cancel_at === previousEnd) subscription.cancel_at = null;
}

// ---------------------------------------------------------------- the API

/**
 * POST /v1/subscription_schedules with `from_subscription`: one phase, the subscription's current period and items,
 * `end_behavior: release` (docs.stripe.com/billing/subscriptions/subscription-schedules#existing-subscription).
 * A subscription has at most one schedule ("already attached to a schedule": Stripe's refusal as quoted in public
 * code; the full wording is not confirmed).
 */
export const create: Handler = (ctx, { params }) => {
  const { state } = ctx;
  allowOnly(params, ['expand', 'from_subscription', 'metadata']);
  const subscriptionId = optionalString(params, 'from_subscription');
  // The emulator schedules existing subscriptions only; Stripe also creates one from `customer` and `phases`.
  if (subscriptionId === undefined) throw missingParam('from_subscription');
  const subscription = state.subscriptions.get(subscriptionId);
  if (!subscription) throw noSuch('subscription', subscriptionId, 'from_subscription');
  if (subscription.schedule) {
    throw invalidRequest(
      `You cannot migrate a subscription that is already attached to a schedule: \`${idOf(subscription.schedule)}\`.`,
      'from_subscription',
    );
  }
  if (!isLive(subscription) || subscription.status === 'paused')
    throw invalidRequest(`A subscription that is ${subscription.status} cannot be scheduled.`, 'from_subscription');
  const item = subscription.items.data[0];
  const created = nowSeconds();
  const schedule = subscriptionScheduleObject({
    id: newId(ID_PREFIX.subscriptionSchedule),
    created,
    customer: idOf(subscription.customer),
    subscription: subscription.id,
    billing_mode: { ...subscription.billing_mode },
    phases: [
      schedulePhaseObject({
        currency: subscription.currency,
        start_date: item?.current_period_start ?? created,
        end_date: currentPeriodEnd(subscription),
        items: subscription.items.data.map((entry) => phaseItem(entry.price, entry.quantity ?? null)),
      }),
    ],
    metadata: metadataParam(params) ?? {},
  });
  schedule.current_phase = {
    start_date: schedule.phases[0]?.start_date ?? created,
    end_date: currentPeriodEnd(subscription),
  };
  state.subscriptionSchedules.set(schedule.id, schedule);
  const previous = before(subscription, ['schedule']);
  subscription.schedule = schedule.id;
  return ok(expand(state, schedule, params), [
    state.createEvent('subscription_schedule.created', schedule, ctx.events),
    updated(state, subscription, previous, ctx.events),
  ]);
};

/** GET /v1/subscription_schedules/:id */
export const retrieve: Handler = ({ state }, { params }, [id = '']) => {
  allowOnly(params, ['expand']);
  return ok(expand(state, scheduleOrThrow(state, id), params));
};

/** `metadata[key]=value` as a plain record, or undefined. */
function metadataParam(params: Params): Record<string, string> | undefined {
  const metadata = optionalObject(params, 'metadata');
  if (!metadata) return undefined;
  const record: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value !== 'string') throw invalidRequest('Invalid string', `metadata[${key}]`);
    if (value !== '') record[key] = value;
  }
  return record;
}

/** A timestamp parameter that also takes `now` (Stripe.SubscriptionScheduleUpdateParams.Phase.start_date / end_date). */
function timeParam(params: Params, name: string, label: string, now: number): number | undefined {
  if (params[name] === 'now') return now;
  return optionalInteger(params, name, 0, Number.MAX_SAFE_INTEGER, label);
}

/** A phase's items: active recurring prices in the subscription's currency (as POST /v1/subscriptions/:id checks them). */
function phaseItemsParam(
  state: EmulatorState,
  subscription: Stripe.Subscription,
  phase: Params,
  label: string,
): Array<{ price: Stripe.Price; quantity: number | null }> {
  const entries = optionalObjectArray(phase, 'items');
  if (!entries || entries.length === 0) throw missingParam(`${label}[items]`);
  return entries.map((entry, index) => {
    const itemLabel = `${label}[items][${index}]`;
    allowOnly(entry, ['metadata', 'price', 'quantity'], itemLabel);
    const priceId = optionalString(entry, 'price', `${itemLabel}[price]`);
    if (priceId === undefined) throw missingParam(`${itemLabel}[price]`);
    const price = state.prices.get(priceId);
    if (!price) throw noSuch('price', priceId, `${itemLabel}[price]`);
    if (!price.active)
      throw invalidRequest(
        'The price specified is inactive. This field only accepts active prices.',
        `${itemLabel}[price]`,
      );
    if (!price.recurring)
      throw invalidRequest(
        'The price specified is set to `type=one_time` but this field only accepts prices with `type=recurring`.',
        `${itemLabel}[price]`,
      );
    if (price.currency !== subscription.currency)
      throw invalidRequest(
        `The price specified uses currency ${price.currency}, which does not match the currency of this schedule (${subscription.currency}).`,
        `${itemLabel}[price]`,
      );
    const metered = price.recurring.usage_type === 'metered';
    const quantity = optionalInteger(entry, 'quantity', 0, Number.MAX_SAFE_INTEGER, `${itemLabel}[quantity]`);
    return { price, quantity: metered ? null : (quantity ?? 1) };
  });
}

/**
 * `phases`: Stripe.SubscriptionScheduleUpdateParams.phases — "the end_date of one phase will always equal the start_date
 * of the next phase. Note that past phases can be omitted", so the first phase given is the current one and keeps its
 * start; each phase ends at `end_date`, after `duration`, or (the last one, neither given) after one interval of its
 * first price; no phase may end in the past. (Wording of each refusal not confirmed.)
 */
function phasesParam(
  state: EmulatorState,
  schedule: Stripe.SubscriptionSchedule,
  subscription: Stripe.Subscription,
  params: Params,
  now: number,
): Phase[] {
  const entries = optionalObjectArray(params, 'phases');
  if (!entries || entries.length === 0) throw missingParam('phases');
  const phases: Phase[] = [];
  entries.forEach((entry, index) => {
    const label = `phases[${index}]`;
    allowOnly(entry, ['duration', 'end_date', 'items', 'metadata', 'proration_behavior', 'start_date'], label);
    const items = phaseItemsParam(state, subscription, entry, label);
    const previousEnd = phases.at(-1)?.end_date;
    const start = timeParam(entry, 'start_date', `${label}[start_date]`, now) ?? previousEnd;
    if (start === undefined) throw missingParam(`${label}[start_date]`);
    if (index === 0 && start !== schedule.current_phase?.start_date)
      throw invalidRequest('You can not modify the start date of the current phase.', `${label}[start_date]`);
    if (previousEnd !== undefined && start !== previousEnd)
      throw invalidRequest(
        `The start_date of phase ${index} must be the end_date of the phase before it (${previousEnd}).`,
        `${label}[start_date]`,
      );
    const endDate = timeParam(entry, 'end_date', `${label}[end_date]`, now);
    const duration = optionalObject(entry, 'duration', `${label}[duration]`);
    if (endDate !== undefined && duration)
      throw invalidRequest('You may only specify one of these parameters: end_date, duration.', `${label}[end_date]`);
    let phaseEnd = endDate;
    if (duration) {
      const durationLabel = `${label}[duration]`;
      allowOnly(duration, ['interval', 'interval_count'], durationLabel);
      const interval = optionalEnum(
        duration,
        'interval',
        ['day', 'week', 'month', 'year'] as const,
        `${durationLabel}[interval]`,
      );
      if (interval === undefined) throw missingParam(`${durationLabel}[interval]`);
      const count = optionalInteger(duration, 'interval_count', 1, 1000, `${durationLabel}[interval_count]`) ?? 1;
      phaseEnd = addInterval(start, interval, count);
    }
    if (phaseEnd === undefined) {
      if (index !== entries.length - 1) throw missingParam(`${label}[end_date]`);
      const recurring = items[0]?.price.recurring;
      phaseEnd = addInterval(start, recurring?.interval ?? 'month', recurring?.interval_count ?? 1);
    }
    if (phaseEnd <= start)
      throw invalidRequest('The end_date of a phase must be after its start_date.', `${label}[end_date]`);
    if (phaseEnd <= now) throw invalidRequest('You cannot add a phase that ends in the past.', `${label}[end_date]`);
    const proration = optionalEnum(
      entry,
      'proration_behavior',
      ['always_invoice', 'create_prorations', 'none'] as const,
      `${label}[proration_behavior]`,
    );
    phases.push(
      schedulePhaseObject({
        currency: subscription.currency,
        start_date: start,
        end_date: phaseEnd,
        items: items.map(({ price, quantity }) => phaseItem(price, quantity)),
        metadata: metadataParam(entry) ?? {},
        proration_behavior: proration ?? 'create_prorations',
      }),
    );
  });
  return phases;
}

/** The subscription item changes that make the subscription's items those of a phase (same count: one by one). */
function changesFor(state: EmulatorState, subscription: Stripe.Subscription, phase: Phase): ItemChange[] | null {
  if (phase.items.length !== subscription.items.data.length) return null;
  const changes: ItemChange[] = [];
  phase.items.forEach((entry, index) => {
    const item = subscription.items.data[index];
    const price = state.prices.get(idOf(entry.price));
    if (item && price) changes.push({ item, price, quantity: entry.quantity ?? null });
  });
  return changes;
}

/** True when the subscription's items already are those of `phase`. */
function alreadyOn(subscription: Stripe.Subscription, phase: Phase): boolean {
  return (
    phase.items.length === subscription.items.data.length &&
    phase.items.every((entry, index) => {
      const item = subscription.items.data[index];
      return item?.price.id === idOf(entry.price) && (item.quantity ?? null) === (entry.quantity ?? null);
    })
  );
}

/** Sets the subscription's items to a phase's, with no prorations (new items start with the current period). */
function setItems(state: EmulatorState, subscription: Stripe.Subscription, phase: Phase): void {
  const first = subscription.items.data[0];
  subscription.items.data = phase.items.flatMap((entry, index) => {
    const price = state.prices.get(idOf(entry.price));
    if (!price) return [];
    const quantity = entry.quantity ?? null;
    const item =
      subscription.items.data[index] ??
      subscriptionItemObject({
        id: newId(ID_PREFIX.subscriptionItem),
        created: nowSeconds(),
        price,
        subscription: subscription.id,
        current_period_start: first?.current_period_start ?? subscription.created,
        current_period_end: first?.current_period_end ?? subscription.created,
      });
    item.price = priceCopy(price);
    item.plan = planFromPrice(price);
    if (quantity === null) delete item.quantity;
    else item.quantity = quantity;
    return [item];
  });
}

/**
 * POST /v1/subscription_schedules/:id: `phases`, `end_behavior` (`release` or `cancel`), `proration_behavior` (for a
 * change to the current phase's items, applied now), `metadata`; `subscription_schedule.updated`.
 */
export const update: Handler = (ctx, { params }, [id = '']) => {
  const { state } = ctx;
  allowOnly(params, ['end_behavior', 'expand', 'metadata', 'phases', 'proration_behavior']);
  const schedule = scheduleOrThrow(state, id);
  if (!CHANGEABLE.includes(schedule.status)) throw notChangeable(schedule, 'update');
  const subscription = managed(state, schedule);
  if (!subscription) throw notChangeable(schedule, 'update');
  const now = nowSeconds();
  const phases = params['phases'] === undefined ? undefined : phasesParam(state, schedule, subscription, params, now);
  // Stripe.SubscriptionScheduleUpdateParams.end_behavior: "Possible values are release or cancel"
  const endBehavior = optionalEnum(params, 'end_behavior', ['cancel', 'release'] as const);
  const proration: ProrationBehavior =
    optionalEnum(params, 'proration_behavior', ['always_invoice', 'create_prorations', 'none'] as const) ??
    'create_prorations';
  const metadata = metadataParam(params);
  const previous = before(subscription, ['items', 'latest_invoice', 'cancel_at']);
  const previousEnd = scheduledEnd(schedule);
  const events: Stripe.Event[] = [];
  if (phases) {
    schedule.phases = phases;
    const current = phases[0];
    if (current) {
      schedule.current_phase = { start_date: current.start_date, end_date: current.end_date };
      if (!alreadyOn(subscription, current)) {
        const changes = changesFor(state, subscription, current);
        if (changes)
          events.push(...changeItems(state, subscription, changes, { proration, at: now, context: ctx.events }));
        else setItems(state, subscription, current);
      }
    }
  }
  if (endBehavior) schedule.end_behavior = endBehavior;
  if (metadata) schedule.metadata = metadata;
  syncCancelAt(schedule, subscription, previousEnd);
  return ok(expand(state, schedule, params), [
    state.createEvent('subscription_schedule.updated', schedule, ctx.events),
    ...updatedIfChanged(state, subscription, previous, ctx.events),
    ...events,
  ]);
};

/**
 * Detaches a schedule from its subscription, which goes on by itself (`released`); answers
 * `subscription_schedule.released` (the subscription's own update is the caller's to report).
 */
function release(
  state: EmulatorState,
  schedule: Stripe.SubscriptionSchedule,
  subscription: Stripe.Subscription,
  at: number,
  context: EventContext,
  preserveCancelDate = false,
): Stripe.Event {
  schedule.status = 'released';
  schedule.released_at = at;
  schedule.released_subscription = subscription.id;
  schedule.subscription = null;
  schedule.current_phase = null;
  subscription.schedule = null;
  // Stripe.SubscriptionScheduleReleaseParams.preserve_cancel_date: "Keep any cancellation on the subscription that the schedule has set"
  const end = scheduledEnd(schedule);
  if (!preserveCancelDate && end !== null && subscription.cancel_at === end) subscription.cancel_at = null;
  return state.createEvent('subscription_schedule.released', schedule, context);
}

/** The subscription fields a schedule's release or phase change touches (for `customer.subscription.updated`). */
export const SCHEDULED_FIELDS: ReadonlyArray<keyof Stripe.Subscription> = [
  'items',
  'latest_invoice',
  'metadata',
  'billing_cycle_anchor',
  'schedule',
  'cancel_at',
];

/**
 * POST /v1/subscription_schedules/:id/release: "stop scheduling of its phases, but leave any existing subscription in
 * place … set the subscription's ID to the released_subscription property" (Stripe.SubscriptionScheduleResource.release).
 */
export const releaseHandler: Handler = (ctx, { params }, [id = '']) => {
  allowOnly(params, ['expand', 'preserve_cancel_date']);
  const schedule = scheduleOrThrow(ctx.state, id);
  if (!CHANGEABLE.includes(schedule.status)) throw notChangeable(schedule, 'release');
  const preserve = optionalBoolean(params, 'preserve_cancel_date') ?? false;
  const subscription = managed(ctx.state, schedule);
  if (!subscription) throw notChangeable(schedule, 'release');
  const previous = before(subscription, SCHEDULED_FIELDS);
  const released = release(ctx.state, schedule, subscription, nowSeconds(), ctx.events, preserve);
  return ok(expand(ctx.state, schedule, params), [released, updated(ctx.state, subscription, previous, ctx.events)]);
};

/**
 * POST /v1/subscription_schedules/:id/cancel: "Cancels a subscription schedule and its associated subscription
 * immediately" (Stripe.SubscriptionScheduleResource.cancel) → `customer.subscription.deleted`, `subscription_schedule.canceled`.
 */
export const cancelHandler: Handler = (ctx, { params }, [id = '']) => {
  allowOnly(params, ['expand', 'invoice_now', 'prorate']);
  optionalBoolean(params, 'invoice_now');
  optionalBoolean(params, 'prorate');
  const schedule = scheduleOrThrow(ctx.state, id);
  if (!CHANGEABLE.includes(schedule.status)) throw notChangeable(schedule, 'cancel');
  const subscription = managed(ctx.state, schedule);
  const events =
    subscription && isLive(subscription) ? end(ctx.state, subscription, nowSeconds(), ctx.events).events : [];
  return ok(expand(ctx.state, schedule, params), events);
};

// ---------------------------------------------------------------- as time passes

/**
 * At `at`, the end of the schedule's current phase: the next phase's items take over (its metadata merged into the
 * subscription's, Stripe.SubscriptionSchedule.Phase.metadata), or after the last phase the subscription is released
 * (`end_behavior: release`; status `released`, as public reports show, theopenlane/openlane-ui#1842) or is to end
 * (`cancel`). The subscription's own `customer.subscription.updated` is the caller's.
 */
export function enterNextPhase(
  state: EmulatorState,
  subscription: Stripe.Subscription,
  at: number,
  context: EventContext,
): { events: Stripe.Event[]; cancel: boolean } {
  const schedule = activeScheduleOf(state, subscription);
  const current = schedule?.current_phase;
  if (!schedule || !current || current.end_date > at) return { events: [], cancel: false };
  const next = schedule.phases.find((phase) => phase.start_date === current.end_date);
  if (!next) {
    if (schedule.end_behavior === 'cancel') return { events: [], cancel: true };
    return { events: [release(state, schedule, subscription, at, context)], cancel: false };
  }
  setItems(state, subscription, next);
  Object.assign(subscription.metadata, next.metadata ?? {});
  schedule.current_phase = { start_date: next.start_date, end_date: next.end_date };
  // not confirmed: that Stripe sends subscription_schedule.updated when a phase starts
  return { events: [state.createEvent('subscription_schedule.updated', schedule, context)], cancel: false };
}

/** A phase's `proration_behavior` (the three this emulator sets; anything else counts as the default). */
function phaseProration(phase: Phase): ProrationBehavior {
  if (phase.proration_behavior === 'none') return 'none';
  return phase.proration_behavior === 'always_invoice' ? 'always_invoice' : 'create_prorations';
}

/**
 * A phase that ends before the subscription's period does (a mid-period change): its next phase's prices take over
 * then, prorated as that phase's `proration_behavior` says; after the last phase, as `enterNextPhase`.
 */
export function phaseChangeDue(state: EmulatorState, subscription: Stripe.Subscription): Due | null {
  const schedule = activeScheduleOf(state, subscription);
  const current = schedule?.current_phase;
  if (!schedule || !current || current.end_date >= currentPeriodEnd(subscription)) return null;
  const at = current.end_date;
  return {
    at,
    run: (context) => {
      const next = schedule.phases.find((phase) => phase.start_date === current.end_date);
      const previous = before(subscription, SCHEDULED_FIELDS);
      if (!next) {
        if (schedule.end_behavior === 'cancel') return end(state, subscription, at, context);
        const released = release(state, schedule, subscription, at, context);
        return { events: [released, updated(state, subscription, previous, context)] };
      }
      const changes = changesFor(state, subscription, next);
      const invoiceEvents = changes
        ? changeItems(state, subscription, changes, { proration: phaseProration(next), at, context })
        : [];
      if (!changes) setItems(state, subscription, next);
      Object.assign(subscription.metadata, next.metadata ?? {});
      schedule.current_phase = { start_date: next.start_date, end_date: next.end_date };
      return {
        events: [
          state.createEvent('subscription_schedule.updated', schedule, context),
          updated(state, subscription, previous, context),
          ...invoiceEvents,
        ],
      };
    },
  };
}
