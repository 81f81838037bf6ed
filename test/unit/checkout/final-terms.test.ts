import { describe, expect, it } from 'vitest';
import {
  finalTerms,
  finalTermsMessage,
  SUBMIT_MESSAGE_LIMIT,
  type FinalTermsInput,
} from '../../../src/lib/checkout/final-terms.ts';
import type { FinalTermsKey } from '../../../src/lib/checkout/final-terms-strings.ts';
import { planFixture } from '../../support/stripe-fixtures.ts';
import { sampleProfile } from '../legal/sample.ts';

/** 2026-12-01 03:00 UTC: noon in Tokyo, so both time zones agree on the date. */
const NOW = Date.UTC(2026, 11, 1, 3);
const monthly = planFixture('price_monthly', {
  text: {
    ja: { name: '毎月のコーヒー豆', description: null, perDelivery: '200 g × 2袋' },
    en: { name: 'Monthly Coffee Beans', description: null, perDelivery: 'two 200 g bags' },
  },
  shipping: { kind: 'included' },
  reducedTaxRate: true,
});
const base: FinalTermsInput = {
  plan: monthly,
  profile: sampleProfile(),
  lang: 'ja',
  trialDays: undefined,
  allowPromotionCodes: false,
  now: NOW,
};
const item = (input: Partial<FinalTermsInput>, key: FinalTermsKey) =>
  finalTerms({ ...base, ...input }).find((entry) => entry.key === key)?.text;

describe('finalTerms', () => {
  it('lists the items Article 12-6 asks for, in order; the regular price only after a trial or discount', () => {
    expect(finalTerms(base).map((entry) => entry.key)).toEqual([
      'contents',
      'price',
      'renewal',
      'firstCharge',
      'payment',
      'delivery',
      'changes',
      'cancellation',
    ]);
    expect(finalTerms({ ...base, trialDays: 14 }).map((entry) => entry.key)).toContain('regularPrice');
    expect(finalTerms({ ...base, lang: 'en' }).map((entry) => entry.label)).toEqual([
      'Each delivery',
      'Price',
      'Renewal',
      'First charge',
      'Payment',
      'Delivery',
      'Changes',
      'Cancellation',
    ]);
    // Skip, pause and frequency only where the shop posts beans (the profile's `shipping`), with its cutoff.
    expect(item({}, 'changes')).toBe(
      '次回のスキップ、1〜3か月の一時停止、お届け頻度の変更は、更新日の3日前の午前0時まで承ります。',
    );
    expect(item({ profile: { ...sampleProfile(), shipping: undefined } }, 'changes')).toBeUndefined();
  });

  it('contents: the quantity per delivery from the product, or the plan name alone', () => {
    expect(item({}, 'contents')).toBe('毎月のコーヒー豆：200 g × 2袋');
    expect(item({ lang: 'en' }, 'contents')).toBe('Monthly Coffee Beans: two 200 g bags');
    expect(item({ plan: planFixture('price_digital') }, 'contents')).toBe('price_digital');
  });

  it('price: per period, tax and shipping included, with the reduced-rate mark', () => {
    expect(item({}, 'price')).toBe('￥1,500 / 月（税込）：送料込み・軽減税率対象');
    expect(item({ lang: 'en' }, 'price')).toBe(
      '¥1,500 / month (incl. tax): shipping included, reduced tax rate (food)',
    );
  });

  it('price: a shipping line adds up to one total per delivery, both parts shown', () => {
    const withFee = planFixture('price_monthly', {
      shipping: { kind: 'fee', priceId: 'price_ship', unitAmount: 500, taxBehavior: 'inclusive' },
    });
    expect(item({ plan: withFee }, 'price')).toBe('￥2,000 / 月（税込）：商品 ￥1,500＋送料 ￥500');
    expect(item({ plan: withFee, lang: 'en' }, 'price')).toBe(
      '¥2,000 / month (incl. tax): plan ¥1,500 + shipping ¥500',
    );
    expect(item({ plan: withFee }, 'firstCharge')).toContain('￥2,000（税込）');
  });

  it('renewal: automatic, and how often', () => {
    expect(item({}, 'renewal')).toBe(
      '解約のお手続きをされるまで、毎月自動で更新され、そのたびにお支払いが発生します。',
    );
    const quarterly = planFixture('price_q', { intervalCount: 3 });
    expect(item({ plan: quarterly }, 'renewal')).toContain('3か月ごと自動で更新');
    expect(item({ plan: quarterly, lang: 'en' }, 'renewal')).toBe(
      'Renews automatically every 3 months and is charged each time, until you cancel.',
    );
  });

  it('first charge: today and how much, or after the trial and when', () => {
    expect(item({}, 'firstCharge')).toBe('本日（2026年12月1日）、￥1,500（税込）。');
    expect(item({ lang: 'en' }, 'firstCharge')).toBe('¥1,500 (incl. tax) today (December 1, 2026).');
    expect(item({ trialDays: 14 }, 'firstCharge')).toBe(
      '本日のお支払いはありません。14日間の無料お試しの後、2026年12月15日に￥1,500（税込）。',
    );
    expect(item({ trialDays: 14, lang: 'en' }, 'firstCharge')).toBe(
      'Nothing today: ¥1,500 (incl. tax) on December 15, 2026, after the 14-day free trial.',
    );
  });

  it('regular price: when it starts after a trial, and after a discount, and how much', () => {
    expect(item({ trialDays: 14 }, 'regularPrice')).toBe('2026年12月15日以降は通常価格 ￥1,500 / 月（税込）です。');
    expect(item({ trialDays: 14, lang: 'en' }, 'regularPrice')).toBe(
      'From December 15, 2026, the regular price of ¥1,500 / month (incl. tax).',
    );
    expect(item({ allowPromotionCodes: true }, 'regularPrice')).toBe(
      '割引期間の終了後は通常価格 ￥1,500 / 月（税込）です。',
    );
    expect(item({ allowPromotionCodes: true, lang: 'en' }, 'regularPrice')).toBe(
      'When a discount ends, the regular price of ¥1,500 / month (incl. tax).',
    );
    expect(item({ trialDays: 14, allowPromotionCodes: true }, 'regularPrice')).toBe(
      '2026年12月15日以降（割引をお使いの場合は割引期間の終了後）は通常価格 ￥1,500 / 月（税込）です。',
    );
    expect(item({ trialDays: 14, allowPromotionCodes: true, lang: 'en' }, 'regularPrice')).toBe(
      'From December 15, 2026, and when a discount ends, the regular price of ¥1,500 / month (incl. tax).',
    );
    expect(item({ allowPromotionCodes: true }, 'firstCharge')).toContain('割引コードをお使いの場合');
    expect(item({}, 'regularPrice')).toBeUndefined();
  });

  it('payment, delivery and cancellation: from the shop profile, in the page language', () => {
    const profile = sampleProfile();
    expect(item({}, 'payment')).toContain(profile.paymentMethods[0]?.name.ja ?? '—');
    expect(item({}, 'payment')).toContain(profile.paymentMethods[0]?.charged.ja ?? '—');
    expect(item({ lang: 'en' }, 'payment')).toContain(profile.paymentMethods[1]?.name.en ?? '—');
    expect(item({}, 'delivery')).toBe(profile.delivery.ja);
    expect(item({ lang: 'en' }, 'delivery')).toBe(profile.delivery.en);
    const cancellation = item({}, 'cancellation');
    for (const part of [profile.cancellation.how, profile.cancellation.deadline, profile.cancellation.effective])
      expect(cancellation).toContain(part.ja);
  });
});

describe('finalTermsMessage', () => {
  const url = 'https://shop.example/legal/tokushoho';

  it('fits the sample profile whole within Stripe’s 1,200 characters, in both languages and every variant', () => {
    for (const lang of ['ja', 'en'] as const)
      for (const variant of [{}, { trialDays: 30, allowPromotionCodes: true }]) {
        const items = finalTerms({ ...base, ...variant, lang });
        const message = finalTermsMessage(items, lang, url);
        expect(message.length).toBeLessThanOrEqual(SUBMIT_MESSAGE_LIMIT);
        for (const entry of items) expect(message).toContain(entry.text);
      }
    expect(finalTermsMessage(finalTerms(base), 'ja', url).split('\n')[0]).toBe(
      '【1回のお届け内容】毎月のコーヒー豆：200 g × 2袋',
    );
  });

  it('shortens the profile’s items to their first sentence and links the disclosure when the whole is too long', () => {
    const profile = sampleProfile();
    const long = { ...profile, delivery: { ja: `3営業日以内に発送します。${'詳細'.repeat(600)}`, en: 'x' } };
    const message = finalTermsMessage(finalTerms({ ...base, profile: long }), 'ja', url);
    expect(message.length).toBeLessThanOrEqual(SUBMIT_MESSAGE_LIMIT);
    expect(message).toContain('【お届け時期】3営業日以内に発送します。\n');
    expect(message).toContain(`[特定商取引法に基づく表記](${url})`);
  });

  it('refuses a profile that does not fit even shortened, rather than cut a legal item', () => {
    const profile = sampleProfile();
    const long = { ...profile, delivery: { ja: '長'.repeat(1300), en: 'x' } };
    expect(() => finalTermsMessage(finalTerms({ ...base, profile: long }), 'ja', url)).toThrow(
      /Shorten the shop profile/,
    );
  });
});
