/**
 * The owner's home page, computed from what `OwnerReads.glance` and `DailyCounts` read: the plans
 * named as the catalog names them, and the two weekly charts' bars.
 */
import type { Language } from '../language/languages.ts';
import type { Plan } from '../stripe/catalog.ts';
import { planPriceLabel } from '../subscriptions/plan-view.ts';
import { subscriptionStrings } from '../subscriptions/strings.ts';
import { shopDate } from '../shipments/shipping-days.ts';
import { weeklyCounts, type WeekCount } from './chart.ts';
import type { PlanCount } from './owner-reads.ts';

/** The weeks the charts show. */
export const CHART_WEEKS = 12;
const DAY_MS = 86_400_000;

/** The charts' weeks (Monday first) ending with the week of `today`, and the instant to read shipments from. */
export function chartSpan(today: string): { weeks: WeekCount[]; firstDay: string; sinceMs: number } {
  const weeks = weeklyCounts([], today, CHART_WEEKS);
  const firstDay = weeks[0]?.weekStart ?? today;
  // A day early: a payment's day is the shop's (Tokyo is ahead of UTC), never earlier than this.
  return { weeks, firstDay, sinceMs: Date.parse(`${firstDay}T00:00:00Z`) - DAY_MS };
}

/** Parcels per week, by the shop's day of payment. */
export function shipmentWeeks(paidAt: readonly number[], today: string, timeZone: string): WeekCount[] {
  return weeklyCounts(
    paidAt.map((ms) => shopDate(ms, timeZone)),
    today,
    CHART_WEEKS,
  );
}

/**
 * Live subscribers per week: the last daily count on or before each week's end, from the first
 * week that has one (the weeks before the counting began are left out, not shown as zero).
 */
export function liveWeeks(counts: ReadonlyArray<{ day: string; count: number }>, today: string): WeekCount[] {
  const weeks = chartSpan(today).weeks;
  const result: WeekCount[] = [];
  let latest: number | undefined;
  let index = 0;
  for (const week of weeks) {
    const end = new Date(Date.parse(`${week.weekStart}T00:00:00Z`) + 7 * DAY_MS).toISOString().slice(0, 10);
    for (; index < counts.length && (counts[index]?.day ?? '') < end; index++) latest = counts[index]?.count;
    if (latest !== undefined) result.push({ weekStart: week.weekStart, count: latest });
  }
  return result;
}

/** One line of the subscribers table: the plan as the catalog names it (its id when the catalog does not list it). */
export interface PlanLine {
  plan: string;
  status: string;
  count: number;
}

export function planLines(counts: readonly PlanCount[], plans: readonly Plan[], lang: Language): PlanLine[] {
  const byPrice = new Map(plans.map((plan) => [plan.priceId, plan]));
  return counts.map((row) => {
    const plan = row.priceId ? byPrice.get(row.priceId) : undefined;
    const price = plan && planPriceLabel(plan, lang);
    const name = plan && price ? `${plan.text[lang].name} ${price.price} ${price.per}` : (row.priceId ?? '—');
    return {
      plan: name,
      status: subscriptionStrings[lang].status(row.status),
      count: row.count,
    };
  });
}
