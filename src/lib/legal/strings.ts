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
    legalSampleBanner: 'サンプルの表記です / Sample disclosure: replace with your own before opening',
    legalPricesOnStorefront: '各プランの価格（税込）はストアのページに表示しています。',
    legalDisclosureIntro: '特定商取引に関する法律第11条に基づき、次のとおり表示します。',
  },
  en: {
    legalSampleBanner: 'サンプルの表記です / Sample disclosure: replace with your own before opening',
    legalPricesOnStorefront: 'Each plan’s price, tax included, is shown on the storefront.',
    legalDisclosureIntro:
      'Disclosure under Japan’s Act on Specified Commercial Transactions (特定商取引法に基づく表記).',
  },
};
