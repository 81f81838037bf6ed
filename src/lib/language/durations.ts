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
