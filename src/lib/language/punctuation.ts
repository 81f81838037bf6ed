/**
 * Punctuation that differs between the languages, in one place: a feature joins parts with these,
 * never with a literal 「・」 or ", " of its own. Japanese uses full-width marks and no space
 * between sentences; English its own marks with spaces.
 */
import type { Translations } from './translations.ts';

export interface Punctuation {
  /** Between a label and its value: 「販売業者：…」, "Seller: …". */
  colon: string;
  /** Between short notes: 「税込・送料込み」, "incl. tax · shipping included". */
  dot: string;
  /** Between alternatives: 「カード／Apple Pay」, "card / Apple Pay". */
  slash: string;
  /** Between sentences joined into one text. */
  sentenceGap: string;
  /** A heading inside running text: 【お支払い】…, "Payment: …". */
  labelled: (label: string, text: string) => string;
}

export const punctuation: Translations<Punctuation> = {
  ja: { colon: '：', dot: '・', slash: '／', sentenceGap: '', labelled: (label, text) => `【${label}】${text}` },
  en: { colon: ': ', dot: ' · ', slash: ' / ', sentenceGap: ' ', labelled: (label, text) => `${label}: ${text}` },
};
