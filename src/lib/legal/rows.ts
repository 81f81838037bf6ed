/**
 * The commerce disclosure (特定商取引法に基づく表記) as display rows, from the shop profile and
 * the plans on sale. Items and order follow Stripe's list for Japanese accounts
 * (support.stripe.com/questions/how-to-create-and-display-a-commerce-disclosure-page: all on one
 * page; an individual may disclose address and phone on request).
 */
import type { Language } from '../language/languages.ts';
import { legalStrings } from './strings.ts';
import { planPriceLabel } from '../subscriptions/plan-view.ts';
import type { Plan } from '../stripe/catalog.ts';
import type { LocalText, ShopProfile } from './profile.ts';

type DisclosureItem =
  | 'seller'
  | 'representative'
  | 'address'
  | 'phone'
  | 'email'
  | 'price'
  | 'otherCharges'
  | 'delivery'
  | 'paymentMethods'
  | 'paymentTiming'
  | 'returns'
  | 'hours';

/** One line of a row's detail, with an optional lead-in ("Defective goods: …"). */
export interface DetailLine {
  label?: string;
  text: string;
}

export interface DisclosureRow {
  item: DisclosureItem;
  term: string;
  details: DetailLine[];
}

const TERMS: Record<Language, Record<DisclosureItem, string>> = {
  ja: {
    seller: '販売業者',
    representative: '運営統括責任者',
    address: '所在地',
    phone: '電話番号',
    email: 'メールアドレス',
    price: '販売価格',
    otherCharges: '商品代金以外の必要料金',
    delivery: '引き渡し時期',
    paymentMethods: '支払方法',
    paymentTiming: '支払時期',
    returns: '返品・交換・キャンセル',
    hours: '営業時間',
  },
  en: {
    seller: 'Seller (legal name)',
    representative: 'Head of operations',
    address: 'Address',
    phone: 'Phone',
    email: 'E-mail',
    price: 'Price',
    otherCharges: 'Other charges',
    delivery: 'Delivery',
    paymentMethods: 'Payment methods',
    paymentTiming: 'When you pay',
    returns: 'Returns, exchanges and cancellation',
    hours: 'Hours',
  },
};

const LEADS: Record<Language, Record<'customer' | 'defective' | 'how' | 'deadline' | 'effective', string>> = {
  ja: {
    customer: 'お客様のご都合による返品・交換',
    defective: '不良品・破損品',
    how: '定期購入の解約方法',
    deadline: '解約の期限',
    effective: '解約の効力',
  },
  en: {
    customer: 'Returns for a change of mind',
    defective: 'Defective or damaged goods',
    how: 'Cancelling the subscription',
    deadline: 'By when',
    effective: 'When it takes effect',
  },
};

/** What an individual seller shows instead of the address and phone (the wording Stripe and the CAA use). */
const ON_REQUEST: Record<Language, string> = {
  ja: '請求があった場合は遅滞なく開示します',
  en: 'Disclosed without delay on request',
};

const line = (text: string, label?: string): DetailLine => (label === undefined ? { text } : { label, text });

/**
 * Each plan's price, tax-inclusive, with its billing cycle ("Monthly Coffee Beans: ¥1,500 / month
 * (incl. tax)"); without a catalog, a line saying the prices are on the storefront.
 */
export function priceLines(plans: readonly Plan[] | undefined, lang: Language): DetailLine[] {
  if (!plans || plans.length === 0) return [line(legalStrings[lang].legalPricesOnStorefront)];
  return plans.map((plan) => line(planPriceLabel(plan, lang).text, plan.text[lang].name));
}

/** Every item of the commerce disclosure, in Stripe's order, in one language. */
export function disclosureRows(
  profile: ShopProfile,
  plans: readonly Plan[] | undefined,
  lang: Language,
): DisclosureRow[] {
  const l = (value: LocalText) => value[lang];
  const leads = LEADS[lang];
  const hidden = profile.disclosesOnRequest;
  const details: Record<DisclosureItem, DetailLine[]> = {
    seller: [line(l(profile.legalName))],
    representative: [line(l(profile.representative))],
    address: [line(hidden || !profile.address ? ON_REQUEST[lang] : l(profile.address))],
    phone: [line(hidden || !profile.phone ? ON_REQUEST[lang] : profile.phone)],
    email: [line(profile.email)],
    price: priceLines(plans, lang),
    otherCharges: [line(l(profile.otherCharges))],
    delivery: [
      line(l(profile.delivery)),
      ...(profile.shipping
        ? [
            line(
              legalStrings[lang].legalChanges(profile.shipping.changeCutoffDays, profile.shipping.timeZone),
              legalStrings[lang].legalChangesLead,
            ),
          ]
        : []),
    ],
    paymentMethods: profile.paymentMethods.map((method) => line(l(method.name))),
    paymentTiming: profile.paymentMethods.map((method) => line(l(method.charged), l(method.name))),
    returns: [
      line(l(profile.returns.customer), leads.customer),
      line(l(profile.returns.defective), leads.defective),
      line(l(profile.cancellation.how), leads.how),
      line(l(profile.cancellation.deadline), leads.deadline),
      line(l(profile.cancellation.effective), leads.effective),
    ],
    hours: [line(l(profile.hours))],
  };
  return (Object.keys(TERMS[lang]) as DisclosureItem[]).map((item) => ({
    item,
    term: TERMS[lang][item],
    details: details[item],
  }));
}
