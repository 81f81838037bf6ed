/**
 * Stripe amounts are integers in the currency's minor unit, whose size Stripe defines per currency
 * (docs.stripe.com/currencies "Minor units in API amounts"): zero-decimal currencies are already in
 * whole units (1500 JPY is ¥1,500), three-decimal ones are in thousandths (1500 KWD is 1.500 KD),
 * and every other currency, ISK, HUF and TWD included, is in hundredths.
 */
const ZERO_DECIMAL_CURRENCIES = new Set([
  'bif',
  'clp',
  'djf',
  'gnf',
  'jpy',
  'kmf',
  'krw',
  'mga',
  'pyg',
  'rwf',
  'ugx',
  'vnd',
  'vuv',
  'xaf',
  'xof',
  'xpf',
]);
const THREE_DECIMAL_CURRENCIES = new Set(['bhd', 'jod', 'kwd', 'omr', 'tnd']);

/** How many of Stripe's minor units make one whole unit of `currency` (1, 100 or 1000). */
export function minorUnitsPerMajor(currency: string): number {
  const code = currency.toLowerCase();
  if (ZERO_DECIMAL_CURRENCIES.has(code)) return 1;
  if (THREE_DECIMAL_CURRENCIES.has(code)) return 1000;
  return 100;
}

// Building an Intl.NumberFormat costs far more than formatting with one (about a third of a
// ms each, a tenth of a storefront render's CPU): one per locale and currency, per isolate.
const formats = new Map<string, Intl.NumberFormat>();

/** Formats a Stripe amount (minor units) in the given currency and locale: 1500 JPY → ¥1,500, 999 USD → $9.99. */
export function formatAmount(unitAmount: number, currency: string, locale: string): string {
  const digits = Math.log10(minorUnitsPerMajor(currency));
  const key = `${locale}\u0000${currency}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: currency.toUpperCase(),
      // Stripe's minor unit, not Intl's idea of the currency, says how many decimals the amount has.
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    // Locales and currencies come from this site's two languages and the owner's catalog: few.
    if (formats.size < 256) formats.set(key, format);
  }
  return format.format(unitAmount / minorUnitsPerMajor(currency));
}
