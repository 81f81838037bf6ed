/**
 * Changing a subscription's prices or quantities, as POST /v1/subscriptions/:id, the portal's plan switch and a
 * schedule's next phase do: prorations for the time left (pending for the next invoice, invoiced now, or none),
 * and the billing cycle anchor reset Stripe documents for classic billing mode.
 */
import type Stripe from 'stripe';
import { planFromPrice, priceCopy } from '../objects.ts';
import { type EmulatorState, type EventContext, type PendingProration } from '../state.ts';
import { chargeInvoice, createInvoice, invoicePaymentMethod } from './invoices.ts';
import { lineAmount, productName } from './prices.ts';
import { setPeriod } from './subscription-core.ts';

/** Stripe.SubscriptionUpdateParams.ProrationBehavior */
export type ProrationBehavior = 'create_prorations' | 'none' | 'always_invoice';

/** One item's new price and quantity. */
export interface ItemChange {
  item: Stripe.SubscriptionItem;
  price: Stripe.Price;
  quantity: number | null;
}

/** True when two recurring prices bill on different intervals (e.g. monthly and yearly). */
function intervalDiffers(a: Stripe.Price, b: Stripe.Price): boolean {
  return a.recurring?.interval !== b.recurring?.interval || a.recurring?.interval_count !== b.recurring?.interval_count;
}

/** The share of an item's current period still ahead at `at` (0 to 1). */
export function unusedShare(item: Stripe.SubscriptionItem, at: number): number {
  const length = item.current_period_end - item.current_period_start;
  if (length <= 0) return 0;
  const left = item.current_period_end - Math.max(at, item.current_period_start);
  return Math.min(1, Math.max(0, left / length));
}

/**
 * A proration of `share` of an item's period at a price (docs.stripe.com/billing/subscriptions/prorations): a credit
 * for unused time on the old price or a debit for the remaining time on the new one, in Stripe's line descriptions
 * ("Unused time on … after …", "Remaining time on … after …"); null when it comes to nothing.
 */
export function prorationLine(
  state: EmulatorState,
  input: { item: Stripe.SubscriptionItem; price: Stripe.Price; quantity: number | null; share: number; at: number },
  kind: 'credit' | 'debit',
): PendingProration | null {
  const { item, price, quantity, share, at } = input;
  const amount = Math.round(lineAmount(state, price, quantity) * share);
  if (amount <= 0) return null;
  const what = `${quantity ?? 1} × ${productName(state, price)} after ${new Date(at * 1000).toISOString().slice(0, 10)}`;
  return {
    subscriptionItem: item.id,
    price,
    quantity,
    amount: kind === 'credit' ? -amount : amount,
    description: kind === 'credit' ? `Unused time on ${what}` : `Remaining time on ${what}`,
    period: { start: Math.max(at, item.current_period_start), end: item.current_period_end },
  };
}

/** Adds prorations to those waiting for the subscription's next invoice. */
export function addPending(
  state: EmulatorState,
  subscriptionId: string,
  lines: ReadonlyArray<PendingProration | null>,
): void {
  const kept = lines.filter((line): line is PendingProration => line !== null);
  if (kept.length === 0) return;
  state.pendingProrations.set(subscriptionId, [...(state.pendingProrations.get(subscriptionId) ?? []), ...kept]);
}

/** The prorations of one change: a credit for the old price and, unless the period restarts, a debit for the new one. */
function prorationsOf(
  state: EmulatorState,
  change: ItemChange,
  at: number,
  restart: boolean,
): Array<PendingProration | null> {
  const { item, price, quantity } = change;
  const share = unusedShare(item, at);
  const credit = prorationLine(
    state,
    { item, price: item.price, quantity: item.quantity ?? null, share, at },
    'credit',
  );
  return restart ? [credit] : [credit, prorationLine(state, { item, price, quantity, share, at }, 'debit')];
}

/**
 * Applies item changes at `at` and answers the events of the invoice it issued, if any (the caller reports the
 * subscription's own change in one `customer.subscription.updated`). The period restarts (billing_cycle_anchor = now, invoiced at once) when `anchor` is
 * `now`, or in classic billing mode when the interval changes (docs.stripe.com/billing/subscriptions/billing-mode/compare:
 * classic "automatically reset[s] … when switching a subscription to a different price with a different recurring
 * interval"; flexible "is never automatically reset"). Otherwise the period stays and prorations follow `proration`:
 * pending for the next invoice (`create_prorations`), invoiced at once (`always_invoice`), or none (Stripe.SubscriptionResource.update).
 * With `none` an interval change still restarts and bills, with no credit ("We still reset the billing date and bill immediately").
 */
export function changeItems(
  state: EmulatorState,
  subscription: Stripe.Subscription,
  changes: readonly ItemChange[],
  options: { proration: ProrationBehavior; anchor?: 'now' | 'unchanged'; at: number; context: EventContext },
): Stripe.Event[] {
  const { proration, at, context } = options;
  const classicReset =
    subscription.billing_mode.type === 'classic' &&
    changes.some(({ item, price }) => intervalDiffers(item.price, price));
  const restart = options.anchor === 'now' || (options.anchor !== 'unchanged' && classicReset);
  if (proration !== 'none')
    addPending(
      state,
      subscription.id,
      changes.flatMap((change) => prorationsOf(state, change, at, restart)),
    );
  for (const { item, price, quantity } of changes) {
    item.price = priceCopy(price);
    item.plan = planFromPrice(price);
    if (quantity === null) delete item.quantity;
    else item.quantity = quantity;
  }
  const invoiceEvents: Stripe.Event[] = [];
  const prorationsPending = (state.pendingProrations.get(subscription.id)?.length ?? 0) > 0;
  if (restart || (proration === 'always_invoice' && prorationsPending)) {
    if (restart) {
      subscription.billing_cycle_anchor = at;
      setPeriod(subscription, at);
    }
    const created = createInvoice(state, subscription, 'subscription_update', context, { items: restart, at });
    const charge = chargeInvoice(state, created.invoice, invoicePaymentMethod(state, created.invoice), context, { at });
    invoiceEvents.push(...created.events, ...charge.events);
  }
  return invoiceEvents;
}
