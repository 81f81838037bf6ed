/** The subject of a change (decide.ts), from a subscription read from Stripe or from the record of that read. */
import type Stripe from 'stripe';
import type { SubscriptionRecord } from '../subscriptions/record.ts';
import type { ChangeSubject } from './decide.ts';
import { intervalOf } from './dates.ts';

/** The price id of a schedule phase's first item, expanded or not. */
function phasePrice(phase: Stripe.SubscriptionSchedule.Phase): string | undefined {
  const price = phase.items[0]?.price;
  return price === undefined ? undefined : typeof price === 'string' ? price : price.id;
}

/** A subscription read with `expand: ['schedule']`; undefined when it has no recurring item. */
export function subjectOfSubscription(subscription: Stripe.Subscription): ChangeSubject | undefined {
  const item = subscription.items.data[0];
  const recurring = item?.price.recurring;
  const interval = intervalOf(recurring?.interval ?? null);
  if (!item || !recurring || !interval) return undefined;
  const schedule = typeof subscription.schedule === 'object' ? subscription.schedule : null;
  const next =
    schedule?.status === 'active'
      ? schedule.phases.find((phase) => phase.start_date >= item.current_period_end)
      : undefined;
  const nextPriceId = next ? phasePrice(next) : undefined;
  return {
    status: subscription.status,
    priceId: item.price.id,
    nextRenewal: item.current_period_end,
    cycle: {
      interval,
      intervalCount: recurring.interval_count,
      anchor: subscription.billing_cycle_anchor,
    },
    pause: subscription.pause_collection ? { resumesAt: subscription.pause_collection.resumes_at ?? null } : null,
    scheduledChange:
      next && nextPriceId && nextPriceId !== item.price.id ? { priceId: nextPriceId, at: next.start_date } : null,
    ending: subscription.cancel_at !== null || subscription.cancel_at_period_end,
  };
}

/** A record, for the page (never for a decision that writes: those read Stripe). */
export function subjectOfRecord(record: SubscriptionRecord): ChangeSubject | undefined {
  const { cycle } = record;
  if (!cycle || !record.priceId || record.currentPeriodEnd === null) return undefined;
  return {
    status: record.status,
    priceId: record.priceId,
    nextRenewal: record.currentPeriodEnd,
    cycle: { interval: cycle.interval, intervalCount: cycle.intervalCount, anchor: cycle.anchor },
    pause: cycle.pause ? { resumesAt: cycle.pause.resumesAt } : null,
    scheduledChange: cycle.nextPrice,
    ending: record.cancelAt !== null || record.cancelAtPeriodEnd,
  };
}
