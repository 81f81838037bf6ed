/**
 * Stripe amounts are in the currency's smallest unit, except for zero-decimal currencies, whose
 * amount is already in whole units (1500 JPY is ¥1,500, not ¥15). List from Stripe's docs.
 */
const ZERO_DECIMAL_CURRENCIES = new Set([
  'bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf',
]);

/** True when Stripe's unit_amount for this currency is in whole units. */
export function isZeroDecimal(currency: string): boolean {
  return ZERO_DECIMAL_CURRENCIES.has(currency.toLowerCase());
}

/** Formats a Stripe amount (smallest unit) in the given currency and locale, e.g. 1500 JPY → ¥1,500. */
export function formatAmount(unitAmount: number, currency: string, locale: string): string {
  const major = isZeroDecimal(currency) ? unitAmount : unitAmount / 100;
  return new Intl.NumberFormat(locale, { style: 'currency', currency: currency.toUpperCase() }).format(major);
}
