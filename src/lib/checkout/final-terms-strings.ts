/** The final screen's terms (特商法 12条の6) as Checkout and the e-mail step show them. */
import type { Translations } from '../language/translations.ts';

/** The items of the final screen's terms, in the order they are shown. */
export type FinalTermsKey =
  | 'contents'
  | 'price'
  | 'renewal'
  | 'firstCharge'
  | 'regularPrice'
  | 'payment'
  | 'delivery'
  | 'changes'
  | 'cancellation';

export interface FinalTermsStrings {
  finalTermsTitle: string;
  finalTermsLabels: Record<FinalTermsKey, string>;
  /** The price item: the period's total with its tax label, then its parts and notes. */
  finalTermsPrice: (totalPerPeriod: string, notes: string[]) => string;
  finalTermsBreakdown: (plan: string, shipping: string) => string;
  finalTermsRenewal: (every: string) => string;
  finalTermsFirstChargeNow: (date: string, total: string) => string;
  finalTermsFirstChargeAfterTrial: (days: number, date: string, total: string) => string;
  finalTermsDiscountFirst: string;
  /** When the regular price starts: after the trial (its end date), after a discount, or both. */
  finalTermsRegular: (trialEnd: string | null, discount: boolean, price: string) => string;
  /** Skip, pause and frequency, until the cutoff: short, as Checkout's 1,200 characters allow (the terms say it all). */
  finalTermsChanges: (cutoffDays: number) => string;
  /** The line that replaces the profile's long texts when the whole would exceed Stripe's 1,200 characters. */
  finalTermsSeeDisclosure: (url: string) => string;
}

export const finalTermsStrings: Translations<FinalTermsStrings> = {
  ja: {
    finalTermsTitle: 'ご契約内容の確認（定期購入）',
    finalTermsLabels: {
      contents: '1回のお届け内容',
      price: 'お支払い金額',
      renewal: '契約期間・自動更新',
      firstCharge: '初回のお支払い',
      regularPrice: '通常価格',
      payment: 'お支払い方法・時期',
      delivery: 'お届け時期',
      changes: 'お届けの変更',
      cancellation: '解約について',
    },
    finalTermsPrice: (total, notes) => (notes.length ? `${total}：${notes.join('・')}` : total),
    finalTermsBreakdown: (plan, shipping) => `商品 ${plan}＋送料 ${shipping}`,
    finalTermsRenewal: (every) =>
      `解約のお手続きをされるまで、${every}自動で更新され、そのたびにお支払いが発生します。`,
    finalTermsFirstChargeNow: (date, total) => `本日（${date}）、${total}。`,
    finalTermsFirstChargeAfterTrial: (days, date, total) =>
      `本日のお支払いはありません。${days}日間の無料お試しの後、${date}に${total}。`,
    finalTermsDiscountFirst:
      '割引コードをお使いの場合は割引後の金額で、本日のお支払い額はこの画面の合計に表示されます。',
    finalTermsRegular: (trialEnd, discount, price) =>
      `${trialEnd ? `${trialEnd}以降${discount ? '（割引をお使いの場合は割引期間の終了後）' : ''}` : '割引期間の終了後'}は通常価格 ${price}です。`,
    finalTermsChanges: (days) =>
      `次回のスキップ、1〜3か月の一時停止、お届け頻度の変更は、更新日の${days}日前の午前0時まで承ります。`,
    finalTermsSeeDisclosure: (url) => `詳しくは[特定商取引法に基づく表記](${url})をご覧ください。`,
  },
  en: {
    finalTermsTitle: 'Your subscription: the terms',
    finalTermsLabels: {
      contents: 'Each delivery',
      price: 'Price',
      renewal: 'Renewal',
      firstCharge: 'First charge',
      regularPrice: 'Regular price',
      payment: 'Payment',
      delivery: 'Delivery',
      changes: 'Changes',
      cancellation: 'Cancellation',
    },
    finalTermsPrice: (total, notes) => (notes.length ? `${total}: ${notes.join(', ')}` : total),
    finalTermsBreakdown: (plan, shipping) => `plan ${plan} + shipping ${shipping}`,
    finalTermsRenewal: (every) => `Renews automatically ${every} and is charged each time, until you cancel.`,
    finalTermsFirstChargeNow: (date, total) => `${total} today (${date}).`,
    finalTermsFirstChargeAfterTrial: (days, date, total) =>
      `Nothing today: ${total} on ${date}, after the ${days}-day free trial.`,
    finalTermsDiscountFirst: 'A promotion code lowers it; the total on this page shows what you pay today.',
    finalTermsRegular: (trialEnd, discount, price) =>
      `${trialEnd ? `From ${trialEnd}${discount ? ', and when a discount ends' : ''}` : 'When a discount ends'}, the regular price of ${price}.`,
    finalTermsChanges: (days) => `Skip, pause or change frequency until ${days} days before a renewal.`,
    finalTermsSeeDisclosure: (url) => `The full terms are in our [commerce disclosure](${url}).`,
  },
};
