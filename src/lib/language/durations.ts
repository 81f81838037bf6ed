import type { Language } from './languages.ts';

/**
 * A duration in whole minutes as running text: 「15分」, "15 minutes". Strings that state how long
 * something lasts take it from the constant that makes it so, never a number typed into the text.
 */
export function minutesText(ms: number, lang: Language): string {
  const minutes = Math.round(ms / 60_000);
  if (lang === 'ja') return `${minutes}分`;
  return new Intl.PluralRules('en').select(minutes) === 'one' ? `${minutes} minute` : `${minutes} minutes`;
}

const DAY_MS = 86_400_000;

/** How long something is kept, in whole years when it is whole years, else in days: 「1年間」「30日間」, "1 year", "30 days". */
export function periodText(ms: number, lang: Language): string {
  const days = Math.round(ms / DAY_MS);
  const [count, ja, unit] = days % 365 === 0 ? [days / 365, '年間', 'year'] : [days, '日間', 'day'];
  if (lang === 'ja') return `${count}${ja}`;
  return new Intl.PluralRules('en').select(count) === 'one' ? `${count} ${unit}` : `${count} ${unit}s`;
}
