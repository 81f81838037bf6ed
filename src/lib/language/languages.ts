/**
 * The languages the site speaks. A leaf: it imports nothing, and every capability that shows text
 * imports its `Language` from here.
 */

/** Also the locale tag for number and date formatting and for Stripe Checkout and the portal. */
export type Language = 'ja' | 'en';

/** Every language, the shop's usual primary first. */
export const LANGUAGES: readonly Language[] = ['ja', 'en'];

/** A query value (`?to=en`) or cookie value as a language, if it is one. */
export function parseLanguage(value: string | null | undefined): Language | undefined {
  return LANGUAGES.find((language) => language === value);
}

/** The language that is not `language`. */
export function otherLanguage(language: Language): Language {
  return language === 'ja' ? 'en' : 'ja';
}
