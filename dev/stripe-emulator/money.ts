/**
 * Amounts and billing intervals as the hosted pages show them, in the page's language
 * (docs.stripe.com/payments/checkout/customization/behavior#localization: "Checkout also uses the locale to
 * format numbers and currencies"). The emulator's own rules, written from docs.stripe.com/currencies
 * ("Zero-decimal currencies", "Three-decimal currencies"), not shared with the site: a formatting bug on one
 * side must not hide the same bug on the other.
 */
import type Stripe from 'stripe';
import { INTL_LOCALE, type PageLanguage } from './i18n.ts';

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

/** `money(1500, 'jpy')` → "¥1,500"; `money(1500, 'jpy', 'ja')` → "￥1,500"; `money(999, 'usd')` → "$9.99". */
export function money(amount: number, currency: string, language: PageLanguage = 'en'): string {
  const decimals = decimalsOf(currency);
  const format = new Intl.NumberFormat(INTL_LOCALE[language], {
    style: 'currency',
    currency: currency.toUpperCase(),
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  });
  return format.format(amount / 10 ** decimals);
}

const UNITS_JA: Readonly<Record<string, string>> = { day: '日', week: '週', month: '月', year: '年' };
const COUNTED_UNITS_JA: Readonly<Record<string, string>> = { day: '日', week: '週間', month: 'か月', year: '年' };

/** "per month", "every 3 months", "one time" / "毎月", "3か月ごと", "1回のみ". */
export function formatInterval(recurring: Stripe.Price.Recurring | null, language: PageLanguage = 'en'): string {
  if (!recurring) return language === 'ja' ? '1回のみ' : 'one time';
  const { interval, interval_count: count } = recurring;
  if (language === 'ja')
    return count === 1
      ? `毎${UNITS_JA[interval] ?? interval}`
      : `${count}${COUNTED_UNITS_JA[interval] ?? interval}ごと`;
  return count === 1 ? `per ${interval}` : `every ${count} ${interval}s`;
}

/** "¥1,500 per month" / "￥1,500（毎月）"; tiered and metered prices say so instead of an amount. */
export function formatPrice(price: Stripe.Price, language: PageLanguage = 'en'): string {
  const interval = formatInterval(price.recurring, language);
  const metered = price.recurring?.usage_type === 'metered';
  if (language === 'ja') {
    if (metered) return `従量課金（${interval}請求）`;
    if (price.unit_amount === null) return `段階料金（${interval}請求）`;
    return `${money(price.unit_amount, price.currency, language)}（${interval}）`;
  }
  if (metered) return `metered, billed ${interval}`;
  if (price.unit_amount === null) return `tiered, billed ${interval}`;
  return `${money(price.unit_amount, price.currency, language)} ${interval}`;
}
