/** What the site keeps about one customer's subscription, derived from Stripe's objects alone. */
import type Stripe from 'stripe';
import { deliveryFromShipping, type Delivery } from './delivery.ts';
import { intervalOf, type Cycle } from '../changes/dates.ts';

/** One record per customer in D1 (see store.ts); every field comes from Stripe. */
export interface SubscriptionRecord {
  customerId: string;
  /** The chosen subscription's status; 'none' when the customer never had one. */
  status: Stripe.Subscription.Status | 'none';
  subscriptionId: string | null;
  priceId: string | null;
  productId: string | null;
  currency: string | null;
  /** Unix seconds; in the pinned API version the period lives on the subscription items. */
  currentPeriodEnd: number | null;
  cancelAtPeriodEnd: boolean;
  /** Unix seconds when a scheduled cancellation takes effect. */
  cancelAt: number | null;
  trialEnd: number | null;
  card: { brand: string; last4: string } | null;
  /** True once the customer had any subscription (one free trial per customer). */
  everSubscribed: boolean;
  /** The customer's shipping name and address (where the beans go); null for a digital subscription. */
  delivery: Delivery | null;
  /** The billing cycle, a collection pause and a scheduled price change (docs/changes.md); null without a subscription. */
  cycle: RecordedCycle | null;
  /** Epoch ms when Stripe was read; a record from an earlier read never replaces a later one. */
  readAt: number;
}

/** What dates the coming deliveries and what a subscriber changed about them, as Stripe has it. */
interface RecordedCycle {
  /** Stripe.Subscription.billing_cycle_anchor (Unix seconds). */
  anchor: number;
  interval: Cycle['interval'];
  intervalCount: number;
  /** Stripe.Subscription.pause_collection: renewals before `resumesAt` (Unix seconds; all when null) are not collected. */
  pause: { behavior: string; resumesAt: number | null } | null;
  /** The price the subscription's schedule switches to at a renewal (`at`, Unix seconds). */
  nextPrice: { priceId: string; at: number } | null;
}

/** A customer may subscribe again only when none of these is current (Stripe's non-terminal statuses). */
export const LIVE_STATUSES = ['trialing', 'active', 'past_due', 'unpaid', 'incomplete', 'paused'] as const;
const LIVE_STATUS_SET: ReadonlySet<string> = new Set(LIVE_STATUSES);
/** Statuses that open the members area. */
const MEMBER_STATUSES: ReadonlySet<string> = new Set(['trialing', 'active', 'past_due']);
/** Statuses where the last payment failed and the card needs updating. */
const PAYMENT_TROUBLE_STATUSES: ReadonlySet<string> = new Set(['past_due', 'unpaid', 'incomplete']);

export function isLive(status: SubscriptionRecord['status']): boolean {
  return LIVE_STATUS_SET.has(status);
}

export function isMemberStatus(status: SubscriptionRecord['status']): boolean {
  return MEMBER_STATUSES.has(status);
}

/**
 * True when a record opens the members area at `nowMs`: a member status, and its period not ended
 * more than `graceDays` ago. A renewal moves the period on; if its events were lost, access stops
 * after the grace until the reconciliation run (or any event) reads Stripe again.
 */
export function hasMemberAccess(record: SubscriptionRecord, nowMs: number, graceDays: number): boolean {
  if (!isMemberStatus(record.status)) return false;
  if (record.currentPeriodEnd === null) return true;
  return nowMs < (record.currentPeriodEnd + graceDays * 24 * 60 * 60) * 1000;
}

export function hasPaymentTrouble(status: SubscriptionRecord['status']): boolean {
  return PAYMENT_TROUBLE_STATUSES.has(status);
}

/** When a cancelled (or scheduled-to-cancel) subscription stops, if it is set to. */
export function scheduledEnd(record: SubscriptionRecord): number | null {
  return record.cancelAt ?? (record.cancelAtPeriodEnd ? record.currentPeriodEnd : null);
}

/** The subscription that matters: the newest live one, else the newest that ended. */
export function chooseSubscription(subscriptions: readonly Stripe.Subscription[]): Stripe.Subscription | undefined {
  const newestFirst = [...subscriptions].sort((a, b) => b.created - a.created);
  return newestFirst.find((subscription) => isLive(subscription.status)) ?? newestFirst[0];
}

function cardOf(paymentMethod: string | Stripe.PaymentMethod | null | undefined): SubscriptionRecord['card'] {
  if (!paymentMethod || typeof paymentMethod === 'string' || !paymentMethod.card) return null;
  return { brand: paymentMethod.card.brand, last4: paymentMethod.card.last4 };
}

/** The card that pays: the subscription's default payment method, else the customer's invoice default. */
function payingCard(subscription: Stripe.Subscription): SubscriptionRecord['card'] {
  const own = cardOf(subscription.default_payment_method);
  if (own) return own;
  const customer = subscription.customer;
  if (typeof customer === 'string' || customer.deleted) return null;
  return cardOf(customer.invoice_settings?.default_payment_method);
}

/** The delivery from the customer expanded on the subscription (the list's `data.customer`). */
function deliveryOf(subscription: Stripe.Subscription): SubscriptionRecord['delivery'] {
  const customer = subscription.customer;
  if (typeof customer === 'string' || customer.deleted) return null;
  return deliveryFromShipping(customer.shipping);
}

/** Builds the record for a customer from the subscriptions Stripe listed for it (any status). */
export function toRecord(
  customerId: string,
  subscriptions: readonly Stripe.Subscription[],
  readAt: number,
): SubscriptionRecord {
  const chosen = chooseSubscription(subscriptions);
  if (!chosen) {
    return {
      customerId,
      status: 'none',
      subscriptionId: null,
      priceId: null,
      productId: null,
      currency: null,
      currentPeriodEnd: null,
      cancelAtPeriodEnd: false,
      cancelAt: null,
      trialEnd: null,
      card: null,
      everSubscribed: false,
      delivery: null,
      cycle: null,
      readAt,
    };
  }
  const item = chosen.items.data[0];
  const product = item?.price.product;
  return {
    customerId,
    status: chosen.status,
    subscriptionId: chosen.id,
    priceId: item?.price.id ?? null,
    productId: product === undefined ? null : typeof product === 'string' ? product : product.id,
    currency: chosen.currency,
    currentPeriodEnd: item?.current_period_end ?? null,
    cancelAtPeriodEnd: chosen.cancel_at_period_end,
    cancelAt: chosen.cancel_at,
    trialEnd: chosen.trial_end,
    card: payingCard(chosen),
    // A subscription that expired before its first payment never ran.
    everSubscribed: subscriptions.some((subscription) => subscription.status !== 'incomplete_expired'),
    delivery: deliveryOf(chosen),
    cycle: cycleOf(chosen),
    readAt,
  };
}

/** The id of a price, expanded or not. */
function priceIdOf(price: string | Stripe.Price | Stripe.DeletedPrice): string {
  return typeof price === 'string' ? price : price.id;
}

/**
 * The price a schedule (expanded as `schedule`) switches to after the current period: the first phase starting
 * at or after its end, when its price differs from the current one (Stripe.SubscriptionSchedule.phases).
 */
function nextPriceOf(subscription: Stripe.Subscription, periodEnd: number): RecordedCycle['nextPrice'] {
  const schedule = subscription.schedule;
  if (!schedule || typeof schedule === 'string' || schedule.status !== 'active') return null;
  const current = subscription.items.data[0]?.price.id;
  for (const phase of schedule.phases) {
    const price = phase.items[0]?.price;
    if (phase.start_date < periodEnd || !price) continue;
    return priceIdOf(price) === current ? null : { priceId: priceIdOf(price), at: phase.start_date };
  }
  return null;
}

function cycleOf(subscription: Stripe.Subscription): RecordedCycle | null {
  const item = subscription.items.data[0];
  const recurring = item?.price.recurring;
  const interval = intervalOf(recurring?.interval ?? null);
  if (!item || !recurring || !interval) return null;
  const pause = subscription.pause_collection;
  return {
    anchor: subscription.billing_cycle_anchor,
    interval,
    intervalCount: recurring.interval_count,
    pause: pause ? { behavior: pause.behavior, resumesAt: pause.resumes_at ?? null } : null,
    nextPrice: nextPriceOf(subscription, item.current_period_end),
  };
}

// ------------------------------------------------------------------ the record as a D1 row (subscriptions.ts)

/** A `subscriptions` row as D1 returns it (migrations 0001 and 0003). */
export interface SubscriptionRow {
  customer_id: string;
  status: string;
  subscription_id: string | null;
  price_id: string | null;
  product_id: string | null;
  currency: string | null;
  current_period_end_s: number | null;
  cancel_at_period_end: number;
  cancel_at_s: number | null;
  trial_end_s: number | null;
  card_brand: string | null;
  card_last4: string | null;
  ever_subscribed: number;
  read_at: number;
  /** NULL when the record has no delivery (migrations/0003_delivery.sql). */
  delivery_name: string | null;
  delivery_postal_code: string | null;
  delivery_state: string | null;
  delivery_city: string | null;
  delivery_line1: string | null;
  delivery_line2: string | null;
  delivery_country: string | null;
  /** NULL without a subscription (migrations/0006_subscriber_changes.sql). */
  billing_anchor_s: number | null;
  price_interval: string | null;
  price_interval_count: number | null;
  pause_behavior: string | null;
  pause_resumes_at_s: number | null;
  next_price_id: string | null;
  next_price_at_s: number | null;
}

/** The row's columns in the order `recordToRow` gives their values. */
export const SUBSCRIPTION_COLUMNS = [
  'customer_id',
  'status',
  'subscription_id',
  'price_id',
  'product_id',
  'currency',
  'current_period_end_s',
  'cancel_at_period_end',
  'cancel_at_s',
  'trial_end_s',
  'card_brand',
  'card_last4',
  'ever_subscribed',
  'read_at',
  'delivery_name',
  'delivery_postal_code',
  'delivery_state',
  'delivery_city',
  'delivery_line1',
  'delivery_line2',
  'delivery_country',
  'billing_anchor_s',
  'price_interval',
  'price_interval_count',
  'pause_behavior',
  'pause_resumes_at_s',
  'next_price_id',
  'next_price_at_s',
] as const satisfies ReadonlyArray<keyof SubscriptionRow>;

export function recordFromRow(row: SubscriptionRow): SubscriptionRecord {
  return {
    customerId: row.customer_id,
    status: row.status,
    subscriptionId: row.subscription_id,
    priceId: row.price_id,
    productId: row.product_id,
    currency: row.currency,
    currentPeriodEnd: row.current_period_end_s,
    cancelAtPeriodEnd: row.cancel_at_period_end === 1,
    cancelAt: row.cancel_at_s,
    trialEnd: row.trial_end_s,
    card: row.card_brand && row.card_last4 ? { brand: row.card_brand, last4: row.card_last4 } : null,
    everSubscribed: row.ever_subscribed === 1,
    delivery:
      row.delivery_name === null
        ? null
        : {
            name: row.delivery_name,
            address: {
              postalCode: row.delivery_postal_code,
              state: row.delivery_state,
              city: row.delivery_city,
              line1: row.delivery_line1,
              line2: row.delivery_line2,
              country: row.delivery_country,
            },
          },
    cycle: cycleFromRow(row),
    readAt: row.read_at,
  };
}

function cycleFromRow(row: SubscriptionRow): SubscriptionRecord['cycle'] {
  const interval = intervalOf(row.price_interval);
  if (row.billing_anchor_s === null || !interval) return null;
  return {
    anchor: row.billing_anchor_s,
    interval,
    intervalCount: row.price_interval_count ?? 1,
    pause: row.pause_behavior === null ? null : { behavior: row.pause_behavior, resumesAt: row.pause_resumes_at_s },
    nextPrice:
      row.next_price_id === null || row.next_price_at_s === null
        ? null
        : { priceId: row.next_price_id, at: row.next_price_at_s },
  };
}

/** The record's values in SUBSCRIPTION_COLUMNS order. */
export function recordToRow(record: SubscriptionRecord): SubscriptionRow {
  const address = record.delivery?.address;
  return {
    customer_id: record.customerId,
    status: record.status,
    subscription_id: record.subscriptionId,
    price_id: record.priceId,
    product_id: record.productId,
    currency: record.currency,
    current_period_end_s: record.currentPeriodEnd,
    cancel_at_period_end: record.cancelAtPeriodEnd ? 1 : 0,
    cancel_at_s: record.cancelAt,
    trial_end_s: record.trialEnd,
    card_brand: record.card?.brand ?? null,
    card_last4: record.card?.last4 ?? null,
    ever_subscribed: record.everSubscribed ? 1 : 0,
    read_at: record.readAt,
    delivery_name: record.delivery?.name ?? null,
    delivery_postal_code: address?.postalCode ?? null,
    delivery_state: address?.state ?? null,
    delivery_city: address?.city ?? null,
    delivery_line1: address?.line1 ?? null,
    delivery_line2: address?.line2 ?? null,
    delivery_country: address?.country ?? null,
    billing_anchor_s: record.cycle?.anchor ?? null,
    price_interval: record.cycle?.interval ?? null,
    price_interval_count: record.cycle?.intervalCount ?? null,
    pause_behavior: record.cycle?.pause?.behavior ?? null,
    pause_resumes_at_s: record.cycle?.pause?.resumesAt ?? null,
    next_price_id: record.cycle?.nextPrice?.priceId ?? null,
    next_price_at_s: record.cycle?.nextPrice?.at ?? null,
  };
}
