import type { Language } from './languages.ts';

/**
 * One feature's strings in every language the site speaks, kept beside the feature
 * (`checkout/strings.ts`, `identity/strings.ts`, …). Typed by the feature's own interface, so a
 * missing language, or a key missing in one language, fails `npm run check`.
 */
export type Translations<T> = { readonly [L in Language]: T };
