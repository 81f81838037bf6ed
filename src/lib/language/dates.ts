import type { Language } from './languages.ts';

/**
 * Dates are shown in the visitor's language and in the shop's time zone, whatever the language: a renewal, a
 * cutoff and a delivery must name the same day in English as in Japanese (the profile's `shipping.timeZone`
 * defaults to this zone too).
 */
const SHOP_TIME_ZONE = 'Asia/Tokyo';

/**
 * A Unix-seconds timestamp as a long date ("March 5, 2027" / "2027年3月5日"), in `timeZone` when given (the
 * profile's shipping zone, for delivery dates), else in the shop's.
 */
export function formatDate(unixSeconds: number, language: Language, timeZone?: string): string {
  return new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: timeZone ?? SHOP_TIME_ZONE }).format(
    unixSeconds * 1000,
  );
}

/** A calendar day (YYYY-MM-DD, the shop's) as a long date: noon UTC is that same day in Tokyo and in UTC alike. */
export function formatDay(date: string, language: Language): string {
  return formatDate(Date.parse(`${date}T12:00:00Z`) / 1000, language);
}
