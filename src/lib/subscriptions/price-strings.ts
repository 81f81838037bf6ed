/** How a price is labelled (総額表示): per period, tax, shipping, the reduced rate. */
import type { Translations } from '../language/translations.ts';
import type { IntervalUnit } from '../stripe/catalog.ts';

const unitsEn: Record<IntervalUnit, [string, string]> = {
  day: ['day', 'days'],
  week: ['week', 'weeks'],
  month: ['month', 'months'],
  year: ['year', 'years'],
};
const unitsJa: Record<IntervalUnit, string> = { day: '日', week: '週', month: '月', year: '年' };
const unitsJaPlural: Record<IntervalUnit, string> = { day: '日', week: '週間', month: 'か月', year: '年' };

export interface PriceStrings {
  perInterval: (unit: IntervalUnit, count: number) => string;
  /** How often a plan renews, as a phrase: "every month" / 「毎月」. */
  every: (unit: IntervalUnit, count: number) => string;
  /** The same as a label of its own (a choice on a product's card): 「毎月」, "Every month". */
  frequency: (unit: IntervalUnit, count: number) => string;
  /** Appended to a price as is (its own leading space where the language needs one). */
  taxIncluded: string;
  /** Appended to a tax-exclusive price (offered only with Stripe Tax on). */
  taxExcluded: string;
  shippingIncluded: string;
  /** The shipping line's amount with its own tax label. */
  shippingFee: (amount: string, tax: string) => string;
  /** 軽減税率対象: the product is food taxed at the reduced rate. */
  reducedTaxRate: string;
}

export const priceStrings: Translations<PriceStrings> = {
  ja: {
    perInterval: (unit, count) => (count === 1 ? `/ ${unitsJa[unit]}` : `/ ${count}${unitsJaPlural[unit]}`),
    every: (unit, count) => (count === 1 ? `毎${unitsJa[unit]}` : `${count}${unitsJaPlural[unit]}ごと`),
    frequency: (unit, count) => (count === 1 ? `毎${unitsJa[unit]}` : `${count}${unitsJaPlural[unit]}ごと`),
    taxIncluded: '（税込）',
    taxExcluded: '（税抜・消費税はお支払い画面で計算）',
    shippingIncluded: '送料込み',
    shippingFee: (amount, tax) => `＋送料 ${amount}${tax}`,
    reducedTaxRate: '軽減税率対象',
  },
  en: {
    perInterval: (unit, count) => (count === 1 ? `/ ${unitsEn[unit][0]}` : `/ ${count} ${unitsEn[unit][1]}`),
    every: (unit, count) => (count === 1 ? `every ${unitsEn[unit][0]}` : `every ${count} ${unitsEn[unit][1]}`),
    frequency: (unit, count) => (count === 1 ? `Every ${unitsEn[unit][0]}` : `Every ${count} ${unitsEn[unit][1]}`),
    taxIncluded: ' (incl. tax)',
    taxExcluded: ' plus tax (calculated at checkout)',
    shippingIncluded: 'shipping included',
    shippingFee: (amount, tax) => `+ shipping ${amount}${tax}`,
    reducedTaxRate: 'reduced tax rate (food)',
  },
};
