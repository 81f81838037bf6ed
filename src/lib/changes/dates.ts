/**
 * The dates of a subscriber's changes: when each coming renewal (a delivery) falls, and until when a change
 * for it is taken (the shop's cutoff, whole days in the shop's time zone). Pure arithmetic, no dependencies.
 */

const INTERVALS = ['day', 'week', 'month', 'year'] as const;
type Interval = (typeof INTERVALS)[number];

/** A recurring price's interval as Stripe names it (Stripe.Price.Recurring.Interval), or undefined for another. */
export function intervalOf(value: string | null): Interval | undefined {
  return INTERVALS.find((interval) => interval === value);
}

/** A recurring price's cycle and the subscription's billing cycle anchor (Unix seconds). */
export interface Cycle {
  interval: Interval;
  intervalCount: number;
  /** Stripe.Subscription.billing_cycle_anchor: the day of the month every monthly renewal falls on, where it exists. */
  anchor: number;
}

const DAY_S = 86_400;
const DAY_MS = DAY_S * 1000;

/**
 * The renewal after the one at `renewal`: days and weeks add up; months and years keep the anchor's day of the
 * month, or the month's last day when it is shorter (docs.stripe.com/billing/subscriptions/billing-cycle: an anchor
 * of January 31 bills the last day of the month closest to it, February 28, then March 31), at the renewal's time
 * of day (UTC, as Stripe counts).
 */
export function renewalAfter(renewal: number, cycle: Cycle): number {
  if (cycle.interval === 'day') return renewal + cycle.intervalCount * DAY_S;
  if (cycle.interval === 'week') return renewal + cycle.intervalCount * 7 * DAY_S;
  return addMonthsKeepingAnchor(renewal, (cycle.interval === 'year' ? 12 : 1) * cycle.intervalCount, cycle.anchor);
}

/** `months` months after `from` (Unix seconds), on the anchor's day of the month or the month's last day. */
export function addMonthsKeepingAnchor(from: number, months: number, anchor: number): number {
  const start = new Date(from * 1000);
  const anchorDay = new Date(anchor * 1000).getUTCDate();
  const year = start.getUTCFullYear();
  const month = start.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const timeOfDayMs = from * 1000 - Date.UTC(year, start.getUTCMonth(), start.getUTCDate());
  return Math.floor((Date.UTC(year, month, Math.min(anchorDay, lastDay)) + timeOfDayMs) / 1000);
}

/** The first `count` renewals from `first` (included). */
export function renewalsFrom(first: number, cycle: Cycle, count: number): number[] {
  const renewals = [first];
  while (renewals.length < count) renewals.push(renewalAfter(renewals.at(-1) ?? first, cycle));
  return renewals;
}

// One formatter per zone per isolate: building one costs far more than using it.
const calendars = new Map<string, Intl.DateTimeFormat>();

/** The calendar date and time of an instant in `zone`, as numbers. */
function localParts(instantMs: number, zone: string): { y: number; m: number; d: number; h: number; min: number } {
  let calendar = calendars.get(zone);
  if (!calendar) {
    calendar = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    calendars.set(zone, calendar);
  }
  const parts = Object.fromEntries(calendar.formatToParts(instantMs).map((part) => [part.type, Number(part.value)]));
  return { y: parts.year ?? 0, m: parts.month ?? 1, d: parts.day ?? 1, h: parts.hour ?? 0, min: parts.minute ?? 0 };
}

/** The instant (epoch ms) the calendar day `y-m-d` begins in `zone` (the zone's offset read at that day). */
function startOfDay(y: number, m: number, d: number, zone: string): number {
  const wall = Date.UTC(y, m - 1, d);
  let guess = wall;
  // Two rounds settle the offset, a change of offset (summer time) on the way included.
  for (let round = 0; round < 2; round++) {
    const seen = localParts(guess, zone);
    const seenWall = Date.UTC(seen.y, seen.m - 1, seen.d, seen.h, seen.min);
    guess += wall - seenWall;
  }
  return guess;
}

/**
 * Until when a change for the renewal at `renewal` is taken: the start (midnight, in the shop's zone) of the day
 * `cutoffDays` days before the renewal's day. With 3 days, a renewal on the 20th takes changes until the 16th ends.
 * Returns epoch ms.
 */
export function changeDeadline(renewal: number, cutoffDays: number, zone: string): number {
  const day = localParts(renewal * 1000, zone);
  const renewalDayStart = startOfDay(day.y, day.m, day.d, zone);
  const shifted = localParts(renewalDayStart - cutoffDays * DAY_MS + DAY_MS / 2, zone);
  return startOfDay(shifted.y, shifted.m, shifted.d, zone);
}

/** The last day (Unix seconds of an instant in it) a change is taken, for the page: the day before the deadline. */
export function lastChangeDay(deadlineMs: number): number {
  return Math.floor((deadlineMs - 1) / 1000);
}
