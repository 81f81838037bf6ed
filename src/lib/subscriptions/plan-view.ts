import type { Plan, TaxBehavior } from '../stripe/catalog.ts';
import { formatAmount } from '../stripe/money.ts';
import { formatDate } from '../language/dates.ts';
import type { Language } from '../language/languages.ts';
import { punctuation } from '../language/punctuation.ts';
import { priceStrings } from './price-strings.ts';
import { isLive, scheduledEnd, type SubscriptionRecord } from './record.ts';
import { subscriptionStrings } from './strings.ts';

/**
 * What follows an amount: 税込 / "incl. tax", or for an exclusive price 税抜. Only an exclusive
 * price with Stripe Tax on is ever shown (catalog.ts refuses it otherwise).
 */
export function taxLabel(taxBehavior: TaxBehavior, lang: Language): string {
  return taxBehavior === 'exclusive' ? priceStrings[lang].taxExcluded : priceStrings[lang].taxIncluded;
}

/**
 * A plan's price as every page shows it: tax-inclusive and labelled (総額表示: prices shown to
 * consumers include consumption tax), with its billing cycle, its shipping and, for food, the
 * reduced-rate mark: "¥1,500 / month (incl. tax) · shipping included", 「￥1,500 / 月（税込）・送料込み」.
 * The parts are also given apart for layouts that style them.
 */
export function planPriceLabel(
  plan: Pick<
    Plan,
    'unitAmount' | 'currency' | 'interval' | 'intervalCount' | 'taxBehavior' | 'reducedTaxRate' | 'shipping' | 'taxNote'
  >,
  lang: Language,
): { price: string; per: string; tax: string; notes: string[]; text: string } {
  const t = priceStrings[lang];
  const price = formatAmount(plan.unitAmount, plan.currency, lang);
  const per = t.perInterval(plan.interval, plan.intervalCount);
  const tax = plan.taxNote?.[lang] ?? taxLabel(plan.taxBehavior, lang);
  const notes = [
    ...(plan.shipping.kind === 'included' ? [t.shippingIncluded] : []),
    ...(plan.shipping.kind === 'fee'
      ? [
          t.shippingFee(
            formatAmount(plan.shipping.unitAmount, plan.currency, lang),
            taxLabel(plan.shipping.taxBehavior, lang),
          ),
        ]
      : []),
    ...(plan.reducedTaxRate ? [t.reducedTaxRate] : []),
  ];
  const text = [`${price} ${per}${tax}`, ...notes].join(punctuation[lang].dot);
  return { price, per, tax, notes, text };
}

/** The date line under a subscriber's own plan: trial end, end of a cancelled plan, or renewal. */
export function planDetail(subscription: SubscriptionRecord, lang: Language): string | undefined {
  const t = subscriptionStrings[lang];
  if (subscription.status === 'trialing' && subscription.trialEnd)
    return t.trialEndsOn(formatDate(subscription.trialEnd, lang));
  const endsAt = scheduledEnd(subscription);
  if (endsAt) return t.endsOn(formatDate(endsAt, lang));
  if (subscription.currentPeriodEnd && isLive(subscription.status))
    return t.renewsOn(formatDate(subscription.currentPeriodEnd, lang));
  return undefined;
}
