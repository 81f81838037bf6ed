/**
 * When the shop ships: the days it works, the days it is closed, how many business days it takes
 * to ship after a payment, and who sends the parcels (ご依頼主). The schema is a fragment of the
 * shop profile (`shipping`), which the profile's schema includes.
 */
import { z } from 'astro/zod';

/** ISO weekday names, Monday first (Date#getUTCDay order is Sunday first). */
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
type Weekday = (typeof WEEKDAYS)[number];

/** A calendar date, YYYY-MM-DD (ISO 8601 extended format), that exists. */
const isoDate = z.iso.date();

/** One closed day, or an inclusive range of them (the New Year break: `{ from: '2026-12-29', to: '2027-01-04' }`). */
const closedDays = z.union([
  isoDate,
  z
    .object({ from: isoDate, to: isoDate })
    .strict()
    .refine((range) => range.from <= range.to, { message: 'from must not be after to' }),
]);

/** An IANA time zone the runtime knows (`Intl.DateTimeFormat` throws a RangeError otherwise). */
const timeZone = z.string().refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'unknown time zone' },
);

/** Printed on every label as ご依頼主, as the carriers ask for it. */
const sender = z
  .object({
    name: z.string().trim().min(1),
    /** 〒 code, seven digits with or without the hyphen (B2クラウド takes both). */
    postalCode: z.string().regex(/^\d{3}-?\d{4}$/, 'seven digits, e.g. 100-0001'),
    /** Prefecture, city and street number (B2クラウド ご依頼主住所). */
    address: z.string().trim().min(1),
    /** Building and room (B2クラウド ご依頼主アパートマンション), if any. */
    building: z.string().trim().min(1).optional(),
    /** A domestic number, digits and hyphens (03-1234-5678). */
    phone: z.string().regex(/^0\d{1,4}-?\d{1,4}-?\d{3,4}$/, 'a domestic number, e.g. 03-1234-5678'),
  })
  .strict();

/** B2クラウド 請求先顧客コード (No. 40): 10–12 digits, the contract's phone number without hyphens. */
export const B2_CUSTOMER_CODE = /^\d{10,12}$/;
/** B2クラウド 運賃管理番号 (No. 42): 2 digits, usually 01. */
export const B2_FREIGHT_NUMBER = /^\d{2}$/;

/** The owner's B2クラウド contract, printed on every B2 label; without it there is no B2 file. */
const b2Contract = z
  .object({
    customerCode: z.string().regex(B2_CUSTOMER_CODE, '10 to 12 digits (the contract phone number)'),
    freightNumber: z.string().regex(B2_FREIGHT_NUMBER, 'two digits, usually 01').default('01'),
    /** 送り状種類: 0 発払い, 7 ネコポス, 8 宅急便コンパクト. */
    slipType: z.enum(['0', '7', '8']).default('0'),
  })
  .strict();

export const shippingRulesSchema = z
  .object({
    /** The days of the week parcels leave. */
    weekdays: z
      .array(z.enum(WEEKDAYS))
      .min(1)
      .refine((days) => new Set(days).size === days.length, { message: 'each weekday once' }),
    /** Holidays and breaks: no parcel leaves, and no count of business days includes them. */
    closed: z.array(closedDays).default([]),
    /** Business days from the day a payment counts (see shipByDate) to the latest day it ships; 0 is the same day. */
    businessDaysToShip: z.number().int().min(0).max(30),
    /** Where the shop's days begin and end. */
    timeZone: timeZone.default('Asia/Tokyo'),
    /** A payment at or after this hour (shop time, 0–24) counts from the next business day; 24 never does. */
    closingHour: z.number().int().min(0).max(24).default(15),
    /** How many days before a renewal a subscriber's changes (skip, pause) close. */
    changeCutoffDays: z.number().int().min(0).max(30).default(3),
    sender,
    b2: b2Contract.optional(),
  })
  .strict();

export type ShippingRules = z.infer<typeof shippingRulesSchema>;

/** What a ship-by date depends on: the rules without the sender and the carriers' contracts. */
export type ShippingDays = Pick<
  ShippingRules,
  'weekdays' | 'closed' | 'businessDaysToShip' | 'timeZone' | 'closingHour'
>;

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
export function isBusinessDay(date: string, rules: Pick<ShippingRules, 'weekdays' | 'closed'>): boolean {
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
