import type { Language } from './languages.ts';

/** Dates are shown in the visitor's language, in the time zone its customers most likely live in. */
const TIME_ZONE: Record<Language, string> = { en: 'UTC', ja: 'Asia/Tokyo' };

/**
 * A Unix-seconds timestamp as a long date ("March 5, 2027" / "2027年3月5日"), in `timeZone` when given (the shop's
 * own, for delivery dates), else in the zone the language's readers most likely live in.
 */
export function formatDate(unixSeconds: number, language: Language, timeZone?: string): string {
  return new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: timeZone ?? TIME_ZONE[language] }).format(
    unixSeconds * 1000,
  );
}

/** A calendar day (YYYY-MM-DD, the shop's) as a long date: noon UTC is that same day in Tokyo and in UTC alike. */
export function formatDay(date: string, language: Language): string {
  return formatDate(Date.parse(`${date}T12:00:00Z`) / 1000, language);
}
