/**
 * Amounts and billing intervals as the hosted pages show them. The emulator's own rules, written
 * from docs.stripe.com/currencies ("Zero-decimal currencies", "Three-decimal currencies"), not
 * shared with the site: a formatting bug on one side must not hide the same bug on the other.
 */
import type Stripe from 'stripe';

/** docs.stripe.com/currencies#zero-decimal: amounts are whole units (1500 JPY is ¥1,500). */
const ZERO_DECIMAL = 'bif clp djf gnf jpy kmf krw mga pyg rwf ugx vnd vuv xaf xof xpf'.split(' ');
/** docs.stripe.com/currencies#three-decimal: amounts are thousandths (1500 KWD is KWD 1.500). */
const THREE_DECIMAL = 'bhd jod kwd omr tnd'.split(' ');

/** Decimal places of Stripe's minor unit; every other currency (ISK, HUF and TWD included) has two. */
function decimalsOf(currency: string): 0 | 2 | 3 {
  const code = currency.toLowerCase();
  if (ZERO_DECIMAL.includes(code)) return 0;
  return THREE_DECIMAL.includes(code) ? 3 : 2;
}

/** `money(1500, 'jpy')` → "¥1,500"; `money(999, 'usd')` → "$9.99". */
export function money(amount: number, currency: string): string {
  const decimals = decimalsOf(currency);
  const format = new Intl.NumberFormat('en', {
    style: 'currency',
    currency: currency.toUpperCase(),
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  });
  return format.format(amount / 10 ** decimals);
}

/** "per month", "every 3 months", "one time". */
export function formatInterval(recurring: Stripe.Price.Recurring | null): string {
  if (!recurring) return 'one time';
  const count = recurring.interval_count;
  return count === 1 ? `per ${recurring.interval}` : `every ${count} ${recurring.interval}s`;
}

/** "¥1,500 per month" for a price; tiered and metered prices say so instead of an amount. */
export function formatPrice(price: Stripe.Price): string {
  if (price.recurring?.usage_type === 'metered') return `metered, billed ${formatInterval(price.recurring)}`;
  if (price.unit_amount === null) return `tiered, billed ${formatInterval(price.recurring)}`;
  return `${money(price.unit_amount, price.currency)} ${formatInterval(price.recurring)}`;
}
