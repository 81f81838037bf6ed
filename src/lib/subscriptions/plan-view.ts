import type { Plan, TaxBehavior } from '../stripe/catalog.ts';
import { formatAmount } from '../money.ts';
import { formatDate, type Strings, type Language } from '../i18n.ts';
import { isLive, scheduledEnd, type SubscriptionRecord } from './record.ts';

export type PlanAction =
  { kind: 'subscribe' } | { kind: 'switch' } | { kind: 'current'; status: string; detail?: string } | { kind: 'none' };

/**
 * What follows an amount: 税込 / "incl. tax", or for an exclusive price 税抜. Only an exclusive
 * price with Stripe Tax on is ever shown (catalog.ts refuses it otherwise).
 */
export function taxLabel(taxBehavior: TaxBehavior, t: Strings): string {
  return taxBehavior === 'exclusive' ? t.taxExcluded : t.taxIncluded;
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
    'unitAmount' | 'currency' | 'interval' | 'intervalCount' | 'taxBehavior' | 'reducedTaxRate' | 'shipping'
  >,
  t: Strings,
  lang: Language,
): { price: string; per: string; tax: string; notes: string[]; text: string } {
  const price = formatAmount(plan.unitAmount, plan.currency, lang);
  const per = t.perInterval(plan.interval, plan.intervalCount);
  const tax = taxLabel(plan.taxBehavior, t);
  const notes = [
    ...(plan.shipping.kind === 'included' ? [t.shippingIncluded] : []),
    ...(plan.shipping.kind === 'fee'
      ? [
          t.shippingFee(
            formatAmount(plan.shipping.unitAmount, plan.currency, lang),
            taxLabel(plan.shipping.taxBehavior, t),
          ),
        ]
      : []),
    ...(plan.reducedTaxRate ? [t.reducedTaxRate] : []),
  ];
  const text = [`${price} ${per}${tax}`, ...notes].join(lang === 'ja' ? '・' : ' · ');
  return { price, per, tax, notes, text };
}

/** The date line under a subscriber's own plan: trial end, end of a cancelled plan, or renewal. */
export function planDetail(subscription: SubscriptionRecord, t: Strings, lang: Language): string | undefined {
  if (subscription.status === 'trialing' && subscription.trialEnd)
    return t.trialEndsOn(formatDate(subscription.trialEnd, lang));
  const endsAt = scheduledEnd(subscription);
  if (endsAt) return t.endsOn(formatDate(endsAt, lang));
  if (subscription.currentPeriodEnd && isLive(subscription.status))
    return t.renewsOn(formatDate(subscription.currentPeriodEnd, lang));
  return undefined;
}

/**
 * What each plan card offers. Without a live subscription: Subscribe. With one: the subscriber's
 * own plan is marked with its status and date, plans in the same currency offer Switch (through
 * the portal), and plans in another currency offer nothing (Stripe keeps one currency per customer).
 */
export function planAction(
  plan: Plan,
  subscription: SubscriptionRecord | null,
  t: Strings,
  lang: Language,
): PlanAction {
  if (!subscription || !isLive(subscription.status)) return { kind: 'subscribe' };
  if (plan.priceId === subscription.priceId) {
    return { kind: 'current', status: t.status(subscription.status), detail: planDetail(subscription, t, lang) };
  }
  return plan.currency === subscription.currency ? { kind: 'switch' } : { kind: 'none' };
}
