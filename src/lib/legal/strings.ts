/** What the legal pages say around the profile's own texts. */
import type { Translations } from '../language/translations.ts';

export interface LegalStrings {
  /** Shown on every page that shows a profile marked `sample: true`. */
  legalSampleBanner: string;
  legalPricesOnStorefront: string;
  legalDisclosureIntro: string;
}

export const legalStrings: Translations<LegalStrings> = {
  ja: {
    legalSampleBanner: 'これは見本の表記です。開店前に、お店の実際の内容に書き換えてください。',
    legalPricesOnStorefront: '各プランの価格（税込）はストアのページに表示しています。',
    legalDisclosureIntro: '特定商取引に関する法律第11条に基づき、次のとおり表示します。',
  },
  en: {
    legalSampleBanner: 'This is a sample. Replace it with the shop’s own details before opening.',
    legalPricesOnStorefront: 'Each plan’s price, tax included, is shown on the storefront.',
    legalDisclosureIntro:
      'Disclosure under Japan’s Act on Specified Commercial Transactions (特定商取引法に基づく表記).',
  },
};
