/**
 * Amount formatting for the hosted pages. Stripe amounts are in the currency's smallest unit,
 * except zero-decimal currencies (JPY, KRW, ...) whose amounts are whole units.
 */
import type Stripe from 'stripe';

/** Stripe's zero-decimal currencies: 1500 JPY means ¥1,500, not ¥15. */
const ZERO_DECIMAL = new Set([
  'bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf',
]);
/** Stripe's three-decimal currencies (amounts are in thousandths). */
const THREE_DECIMAL = new Set(['bhd', 'jod', 'kwd', 'omr', 'tnd']);

/** How many smallest units make one unit of `currency`. */
export function minorUnitsPerMajor(currency: string): number {
  const code = currency.toLowerCase();
  if (ZERO_DECIMAL.has(code)) return 1;
  if (THREE_DECIMAL.has(code)) return 1000;
  return 100;
}

/** `formatAmount(1500, 'jpy')` → "¥1,500"; `formatAmount(999, 'usd')` → "$9.99". */
export function formatAmount(amount: number, currency: string): string {
  const code = currency.toUpperCase();
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency: code }).format(amount / minorUnitsPerMajor(currency));
  } catch {
    // Intl rejects codes it does not know; still show something readable.
    return `${(amount / minorUnitsPerMajor(currency)).toFixed(2)} ${code}`;
  }
}

/** "per month", "every 3 months", "one time". */
export function formatInterval(recurring: Stripe.Price.Recurring | null): string {
  if (!recurring) return 'one time';
  const count = recurring.interval_count;
  return count === 1 ? `per ${recurring.interval}` : `every ${count} ${recurring.interval}s`;
}

/** "¥1,500 per month" for a price (its unit amount; tiered prices show "custom"). */
export function formatPrice(price: Stripe.Price): string {
  if (price.unit_amount === null) return 'custom price';
  return `${formatAmount(price.unit_amount, price.currency)} ${formatInterval(price.recurring)}`;
}
