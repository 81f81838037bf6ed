/**
 * Amounts and billing intervals as the hosted pages show them; the currency rules live in the
 * site's money module (zero- and three-decimal currencies), so the two never disagree.
 */
import type Stripe from 'stripe';
import { formatAmount } from '../../src/lib/money.ts';

/** `money(1500, 'jpy')` → "¥1,500"; `money(999, 'usd')` → "$9.99". */
export function money(amount: number, currency: string): string {
  return formatAmount(amount, currency, 'en');
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
