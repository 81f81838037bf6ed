import type { Plan } from '../stripe/catalog';
import { formatAmount } from '../money';
import { formatDate, type Strings, type Language } from '../i18n';
import { isLive, scheduledEnd, type SubscriptionRecord } from './record';

export type PlanAction =
  { kind: 'subscribe' } | { kind: 'switch' } | { kind: 'current'; status: string; detail?: string } | { kind: 'none' };

/** The date line under a subscriber's own plan: trial end, end of a cancelled plan, or renewal. */
/**
 * A plan's price as every page shows it: tax-inclusive and labelled (総額表示: prices shown to
 * consumers include consumption tax), with its billing cycle: "¥1,500 / month (incl. tax)",
 * 「￥1,500 / 月（税込）」. `price` and `per` are also given apart for layouts that style them.
 */
export function planPriceLabel(
  plan: Pick<Plan, 'unitAmount' | 'currency' | 'interval' | 'intervalCount'>,
  t: Strings,
  lang: Language,
): { price: string; per: string; tax: string; text: string } {
  const price = formatAmount(plan.unitAmount, plan.currency, lang);
  const per = t.perInterval(plan.interval, plan.intervalCount);
  return { price, per, tax: t.taxIncluded, text: `${price} ${per}${t.taxIncluded}` };
}

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
