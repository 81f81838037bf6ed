/** The carriers a parcel can leave with, their tracking numbers, and the public page that tracks one. */
import type { Language } from '../language/languages.ts';

export type CarrierId = 'yamato' | 'sagawa' | 'japanpost';

interface Carrier {
  name: Record<Language, string>;
  /** A tracking number once spaces and hyphens are gone (see normalizeTrackingNumber). */
  pattern: RegExp;
  url: (number: string, language: Language) => string;
}

export const CARRIERS: Readonly<Record<CarrierId, Carrier>> = {
  yamato: {
    name: { ja: 'ヤマト運輸', en: 'Yamato Transport' },
    // 伝票番号: 12 digits (Yamato's B2 送り状発行データレイアウト, item 4 伝票番号, 半角数字12文字).
    pattern: /^\d{12}$/,
    // The inquiry system's link with the number filled in, as shops and search engines link it;
    // Yamato documents only its search form, not this address.
    url: (number) => `https://jizen.kuronekoyamato.co.jp/jizen/servlet/crjz.b.NQ0010?id=${number}`,
  },
  sagawa: {
    name: { ja: '佐川急便', en: 'Sagawa Express' },
    // お問い合せ送り状No.: 12 digits (Sagawa's お荷物問い合わせサービス asks for 12 half-width digits).
    pattern: /^\d{12}$/,
    // お荷物問い合わせサービス's result page takes the number as okurijoNo (k2k.sagawa-exp.co.jp).
    url: (number) => `https://k2k.sagawa-exp.co.jp/p/web/okurijosearch.do?okurijoNo=${number}`,
  },
  japanpost: {
    name: { ja: '日本郵便', en: 'Japan Post' },
    // お問い合わせ番号: 11 digits (書留, 特定記録) or 12 (ゆうパック, ゆうパケット, クリックポスト),
    // as Japan Post's 郵便追跡サービス 個別番号検索 accepts them.
    pattern: /^\d{11,12}$/,
    // 郵便追跡サービス's direct search (searchKind=S002: one number), in Japanese or English.
    url: (number, language) =>
      `https://trackings.post.japanpost.jp/services/srv/search/direct?reqCodeNo1=${number}&searchKind=S002&locale=${language}`,
  },
};

/** A carrier id from a form or a stored value, if it is one. */
export function parseCarrier(value: unknown): CarrierId | undefined {
  return typeof value === 'string' && Object.hasOwn(CARRIERS, value) ? (value as CarrierId) : undefined;
}

/** A tracking number as people write it ("4156-2475-1765", full-width digits) in the form the carriers print. */
export function normalizeTrackingNumber(value: string): string {
  return value
    .normalize('NFKC')
    .replace(/[\s\-‐‑–−ー]/g, '')
    .trim();
}

/** Whether `number` (normalized) is one of `carrier`'s tracking numbers. */
export function isTrackingNumber(carrier: CarrierId, number: string): boolean {
  return CARRIERS[carrier].pattern.test(number);
}

/**
 * The carrier's public tracking page for `number` (normalized first), or null when the number is
 * not one of the carrier's: a link never carries anything but digits.
 */
export function trackingUrl(carrier: CarrierId, number: string, language: Language = 'ja'): string | null {
  const normalized = normalizeTrackingNumber(number);
  return isTrackingNumber(carrier, normalized) ? CARRIERS[carrier].url(normalized, language) : null;
}
