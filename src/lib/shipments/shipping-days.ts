/**
 * When the shop ships, as day arithmetic: the days it works and is closed, and how many business
 * days it takes to ship after a payment. No dependencies (the webhook and every page can use it);
 * the profile's schema for these rules is shipping-rules.ts.
 */

/** ISO weekday names, Sunday first as Date#getUTCDay counts them. */
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
type Weekday = (typeof WEEKDAYS)[number];

/** What a ship-by date depends on: the profile's shipping rules without the sender and the carriers' contracts. */
export interface ShippingDays {
  /** The days of the week parcels leave. */
  weekdays: readonly Weekday[];
  /** Holidays and breaks (YYYY-MM-DD, or inclusive ranges). */
  closed: ReadonlyArray<string | { from: string; to: string }>;
  /** Business days from the day a payment counts to the latest day it ships; 0 is the same day. */
  businessDaysToShip: number;
  /** An IANA time zone: where the shop's days begin and end. */
  timeZone: string;
  /** A payment at or after this hour (0–24) counts from the next business day. */
  closingHour: number;
}

/**
 * The days used while the shop profile has no `shipping` section: weekdays, three business days,
 * Tokyo, as the sample profile's 引き渡し時期 promises. The owner's page says to add the section.
 */
export const DEFAULT_SHIPPING_DAYS: ShippingDays = {
  weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'],
  closed: [],
  businessDaysToShip: 3,
  timeZone: 'Asia/Tokyo',
  closingHour: 15,
};

/** A business day is never more than this far away, or the rules close the shop for good. */
const SEARCH_LIMIT_DAYS = 400;
const DAY_MS = 86_400_000;

// One formatter per zone per isolate: building one costs far more than using it.
const calendars = new Map<string, Intl.DateTimeFormat>();

/** The calendar date (YYYY-MM-DD) and hour of an instant in `zone`. */
function localDateAndHour(instantMs: number, zone: string): { date: string; hour: number } {
  let calendar = calendars.get(zone);
  if (!calendar) {
    calendar = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      hourCycle: 'h23',
    });
    calendars.set(zone, calendar);
  }
  const parts = Object.fromEntries(calendar.formatToParts(instantMs).map((part) => [part.type, part.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour) };
}

/** The shop's calendar date (YYYY-MM-DD) at an instant: "today" for the packing list and the charts. */
export function shopDate(instantMs: number, timeZone: string): string {
  return localDateAndHour(instantMs, timeZone).date;
}

/** The calendar date `days` after `date` (both YYYY-MM-DD; calendar arithmetic, no time zone). */
function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

function weekdayOf(date: string): Weekday {
  return WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()] ?? 'sun';
}

/** Whether parcels leave on `date` (YYYY-MM-DD) under `rules`. */
export function isBusinessDay(date: string, rules: Pick<ShippingDays, 'weekdays' | 'closed'>): boolean {
  if (!rules.weekdays.includes(weekdayOf(date))) return false;
  // ISO dates compare as strings in calendar order.
  return !rules.closed.some((closed) =>
    typeof closed === 'string' ? closed === date : closed.from <= date && date <= closed.to,
  );
}

/** The first business day on or after `date`. Throws a RangeError when the rules leave none within a year. */
function businessDayFrom(date: string, rules: ShippingDays): string {
  for (let offset = 0; offset < SEARCH_LIMIT_DAYS; offset++) {
    const candidate = addDays(date, offset);
    if (isBusinessDay(candidate, rules)) return candidate;
  }
  throw new RangeError(`No business day within ${SEARCH_LIMIT_DAYS} days of ${date}: check the closed days`);
}

/**
 * The latest day (YYYY-MM-DD, in the shop's zone) a payment's parcel ships. A payment counts on
 * its own day when that is a business day and it came before `closingHour`; otherwise on the next
 * business day. Shipping takes `businessDaysToShip` business days from there (0: that very day).
 */
export function shipByDate(paidAtMs: number, rules: ShippingDays): string {
  const paid = localDateAndHour(paidAtMs, rules.timeZone);
  const countsFrom =
    paid.hour < rules.closingHour && isBusinessDay(paid.date, rules)
      ? paid.date
      : businessDayFrom(addDays(paid.date, 1), rules);
  let day = countsFrom;
  for (let remaining = rules.businessDaysToShip; remaining > 0; remaining--)
    day = businessDayFrom(addDays(day, 1), rules);
  return day;
}
