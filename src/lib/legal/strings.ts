/** What the legal pages say around the profile's own texts. */
import type { Translations } from '../language/translations.ts';

export interface LegalStrings {
  /** Shown on every page that shows a profile marked `sample: true`. */
  legalSampleBanner: string;
  legalPricesOnStorefront: string;
  legalDisclosureIntro: string;
  /** The lead of the subscriber's changes on the commerce disclosure. */
  legalChangesLead: string;
  /**
   * What a subscriber may change and until when (docs/changes.md): skip, pause, frequency, the cutoff
   * (`changeCutoffDays` before the renewal, midnight in `timeZone`). The final screen, the terms and the disclosure say it.
   */
  legalChanges: (cutoffDays: number, timeZone: string) => string;
}

/** A time zone as a person reads it: 日本時間 / Japan time for Tokyo, else its IANA name. */
const zoneName = (timeZone: string, tokyo: string) => (timeZone === 'Asia/Tokyo' ? tokyo : timeZone);

export const legalStrings: Translations<LegalStrings> = {
  ja: {
    legalSampleBanner: 'これは見本の表記です。開店前に、お店の実際の内容に書き換えてください。',
    legalPricesOnStorefront: '各プランの価格（税込）はストアのページに表示しています。',
    legalDisclosureIntro: '特定商取引に関する法律第11条に基づき、次のとおり表示します。',
    legalChangesLead: 'お届けのスキップ・一時停止・頻度の変更',
    legalChanges: (cutoffDays, timeZone) =>
      `ストアのご契約欄から、次回のお届けのスキップ、1〜3か月の一時停止（いつでも再開できます）、お届け頻度の変更ができます（手数料はかかりません）。次回分の受付締切は更新日の${cutoffDays}日前の午前0時（${zoneName(timeZone, '日本時間')}）で、それ以降の変更はその次のお届けから適用されます。`,
  },
  en: {
    legalSampleBanner: 'This is a sample. Replace it with the shop’s own details before opening.',
    legalPricesOnStorefront: 'Each plan’s price, tax included, is shown on the storefront.',
    legalDisclosureIntro:
      'Disclosure under Japan’s Act on Specified Commercial Transactions (特定商取引法に基づく表記).',
    legalChangesLead: 'Skipping, pausing, changing frequency',
    legalChanges: (cutoffDays, timeZone) =>
      `From your plan on the storefront: skip the next delivery, pause for 1 to 3 months (resume any time) or change how often, with no fee. Changes to the next delivery close at midnight (${zoneName(timeZone, 'Japan time')}) ${cutoffDays} days before its renewal day; later ones apply from the delivery after it.`,
  },
};
