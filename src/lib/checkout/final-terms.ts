/**
 * The subscription's terms as the final screen must show them (特定商取引法 Article 12-6, in
 * force since 2022-06-01: an order placed on a screen that does not show them can be cancelled).
 * Checkout is that screen, so the text goes into `custom_text.submit.message`; the e-mail step,
 * the last page on this site before Checkout, shows the same items.
 */
import type { Plan } from '../stripe/catalog.ts';
import type { ShopProfile } from '../legal/profile.ts';
import { formatAmount } from '../stripe/money.ts';
import { formatDate } from '../language/dates.ts';
import type { Language } from '../language/languages.ts';
import { punctuation } from '../language/punctuation.ts';
import { priceStrings } from '../subscriptions/price-strings.ts';
import { finalTermsStrings, type FinalTermsKey } from './final-terms-strings.ts';
import { taxLabel } from '../subscriptions/plan-view.ts';

export interface FinalTermsItem {
  key: FinalTermsKey;
  label: string;
  text: string;
}

export interface FinalTermsInput {
  plan: Plan;
  profile: ShopProfile;
  lang: Language;
  /** The trial this Checkout gives (undefined: none). */
  trialDays: number | undefined;
  /** ALLOW_PROMOTION_CODES: a discount may lower the first charges. */
  allowPromotionCodes: boolean;
  /** Epoch ms: today, and the trial's end (Stripe ends `trial_period_days` that many days after the start). */
  now: number;
}

/** Stripe.Checkout.SessionCreateParams.CustomText.Submit.message: "up to 1200 characters". */
export const SUBMIT_MESSAGE_LIMIT = 1200;

const DAY_SECONDS = 86_400;

/** The total charged each period: the plan plus its shipping line, in the plan's currency. */
function periodTotal(plan: Plan): number {
  return plan.unitAmount + (plan.shipping.kind === 'fee' ? plan.shipping.unitAmount : 0);
}

/** Every item of the final screen's terms, in order; the regular price only after a trial or discount. */
export function finalTerms({
  plan,
  profile,
  lang,
  trialDays,
  allowPromotionCodes,
  now,
}: FinalTermsInput): FinalTermsItem[] {
  const t = finalTermsStrings[lang];
  const prices = priceStrings[lang];
  const marks = punctuation[lang];
  const label = t.finalTermsLabels;
  const money = (amount: number) => formatAmount(amount, plan.currency, lang);
  const per = prices.perInterval(plan.interval, plan.intervalCount);
  const total = money(periodTotal(plan));
  // The total is tax-exclusive when either of its lines is (possible only with Stripe Tax on).
  const exclusive =
    plan.taxBehavior === 'exclusive' || (plan.shipping.kind === 'fee' && plan.shipping.taxBehavior === 'exclusive');
  const tax = taxLabel(exclusive ? 'exclusive' : 'inclusive', lang);
  const withTax = `${total}${tax}`;
  // As the cards show it: "￥1,500 / 月（税込）".
  const regular = `${total} ${per}${tax}`;
  const today = Math.floor(now / 1000);
  const trial = trialDays === undefined ? undefined : { days: trialDays, end: today + trialDays * DAY_SECONDS };

  const text = plan.text[lang];
  const items: FinalTermsItem[] = [
    {
      key: 'contents',
      label: label.contents,
      text: text.perDelivery ? `${text.name}${marks.colon}${text.perDelivery}` : text.name,
    },
    {
      key: 'price',
      label: label.price,
      text: t.finalTermsPrice(regular, [
        ...(plan.shipping.kind === 'fee'
          ? [t.finalTermsBreakdown(money(plan.unitAmount), money(plan.shipping.unitAmount))]
          : []),
        ...(plan.shipping.kind === 'included' ? [prices.shippingIncluded] : []),
        ...(plan.reducedTaxRate ? [prices.reducedTaxRate] : []),
      ]),
    },
    {
      key: 'renewal',
      label: label.renewal,
      text: t.finalTermsRenewal(prices.every(plan.interval, plan.intervalCount)),
    },
    {
      key: 'firstCharge',
      label: label.firstCharge,
      text: [
        trial === undefined
          ? t.finalTermsFirstChargeNow(formatDate(today, lang), withTax)
          : t.finalTermsFirstChargeAfterTrial(trial.days, formatDate(trial.end, lang), withTax),
        ...(allowPromotionCodes ? [t.finalTermsDiscountFirst] : []),
      ].join(marks.sentenceGap),
    },
  ];
  if (trial !== undefined || allowPromotionCodes)
    items.push({
      key: 'regularPrice',
      label: label.regularPrice,
      text: t.finalTermsRegular(trial === undefined ? null : formatDate(trial.end, lang), allowPromotionCodes, regular),
    });
  const l = (value: { ja: string; en: string }) => value[lang];
  const { how, deadline, effective } = profile.cancellation;
  items.push(
    {
      key: 'payment',
      label: label.payment,
      text: profile.paymentMethods
        .map((method) => `${l(method.name)}${marks.colon}${l(method.charged)}`)
        .join(marks.slash),
    },
    { key: 'delivery', label: label.delivery, text: l(profile.delivery) },
    // A shop that posts beans lets subscribers skip, pause and change frequency until its cutoff (docs/changes.md).
    ...(profile.shipping
      ? [
          {
            key: 'changes' as const,
            label: label.changes,
            text: t.finalTermsChanges(profile.shipping.changeCutoffDays),
          },
        ]
      : []),
    {
      key: 'cancellation',
      label: label.cancellation,
      text: [l(how), l(deadline), l(effective)].join(marks.sentenceGap),
    },
  );
  return items;
}

/** Items from the profile, whose length the owner controls. */
const PROFILE_ITEMS: ReadonlySet<FinalTermsKey> = new Set(['payment', 'delivery', 'cancellation']);

/** The first sentence of a profile text (to 。 or ". "), so the shortened message keeps each item's gist. */
function firstSentence(text: string): string {
  const match = /^.*?(?:。|\.(?=\s)|$)/su.exec(text);
  return (match?.[0] ?? text).trim();
}

/**
 * The items as Checkout's submit message, one per line ("【label】text" in Japanese, "label: text"
 * in English; Stripe renders Markdown links). Within Stripe's 1,200 characters: when the whole is
 * longer, the profile's items keep their first sentence and a link to the commerce disclosure
 * follows; when even that is longer, this throws (the owner shortens the profile).
 */
export function finalTermsMessage(items: readonly FinalTermsItem[], lang: Language, disclosureUrl: string): string {
  const t = finalTermsStrings[lang];
  const lineOf = (item: FinalTermsItem) => punctuation[lang].labelled(item.label, item.text);
  const full = items.map(lineOf).join('\n');
  if (full.length <= SUBMIT_MESSAGE_LIMIT) return full;
  const short = [
    ...items.map((item) => lineOf(PROFILE_ITEMS.has(item.key) ? { ...item, text: firstSentence(item.text) } : item)),
    t.finalTermsSeeDisclosure(disclosureUrl),
  ].join('\n');
  if (short.length <= SUBMIT_MESSAGE_LIMIT) return short;
  throw new Error(
    `The final screen's terms are ${short.length} characters even shortened; Stripe takes ${SUBMIT_MESSAGE_LIMIT}. Shorten the shop profile.`,
  );
}
