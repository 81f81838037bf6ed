import type { ShopProfile } from '../../src/lib/legal/profile.ts';

/** A shop's own profile (no sample values), with its 適格請求書 registration number. */
export function ownProfile(overrides: Partial<ShopProfile> = {}): ShopProfile {
  const text = (ja: string, en: string) => ({ ja, en });
  return {
    sample: false,
    legalName: text('山田珈琲焙煎所', 'Yamada Coffee Roasters'),
    representative: text('山田 太郎', 'Taro Yamada'),
    disclosesOnRequest: true,
    email: 'shop@yamada-coffee.jp',
    hours: text('平日 10:00〜17:00', 'Weekdays 10:00–17:00 JST'),
    delivery: text('お支払いから3営業日以内に発送します。', 'Shipped within 3 business days of payment.'),
    paymentMethods: [
      {
        name: text('クレジットカード', 'Credit card'),
        charged: text('お申し込み時と各更新日', 'At sign-up and each renewal'),
      },
    ],
    cancellation: {
      how: text('マイページから解約できます。', 'Cancel in My Page.'),
      deadline: text('更新日の前日まで。', 'Before the renewal day.'),
      effective: text('期間の終わりに有効です。', 'At the end of the period.'),
    },
    returns: {
      customer: text('お受けしません。', 'Not accepted.'),
      defective: text('7日以内にご連絡ください。', 'Tell us within 7 days.'),
    },
    otherCharges: text('送料込みです。', 'Shipping is included.'),
    registrationNumber: 'T1234567890123',
    ...overrides,
  };
}
