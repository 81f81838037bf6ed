/** Dates and times as the owner reads them, in the shop's time zone. */
import type { Language } from '../language/languages.ts';

/** An instant: date and time in `timeZone` ("2026/03/02 10:15", "Mar 2, 2026, 10:15 AM"). */
export function formatMoment(epochMs: number, lang: Language, timeZone: string): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(epochMs);
}

/** A calendar day (YYYY-MM-DD) with its weekday, as a packing list shows it ("3月4日(水)", "Wed, Mar 4"). */
export function formatDay(day: string, lang: Language): string {
  return new Intl.DateTimeFormat(lang, { month: 'short', day: 'numeric', weekday: 'short', timeZone: 'UTC' }).format(
    Date.parse(`${day}T00:00:00Z`),
  );
}
