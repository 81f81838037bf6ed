import { describe, expect, it } from 'vitest';
import { disclosureRows, priceLines } from '../../../src/lib/legal/rows.ts';
import { planFixture, planText } from '../../support/stripe-fixtures.ts';
import { sampleProfile } from './sample.ts';

const PLANS = [
  planFixture('price_monthly', { text: planText('Monthly Coffee Beans') }),
  planFixture('price_quarterly', { text: planText('Quarterly Sampler'), unitAmount: 4200, intervalCount: 3 }),
  planFixture('price_usd', { text: planText('Espresso Club'), unitAmount: 999, currency: 'usd' }),
];
const JA_TERMS = [
  '販売業者',
  '運営統括責任者',
  '所在地',
  '電話番号',
  'メールアドレス',
  '販売価格',
  '商品代金以外の必要料金',
  '引き渡し時期',
  '支払方法',
  '支払時期',
  '返品・交換・キャンセル',
  '営業時間',
];
const text = (rows: ReturnType<typeof disclosureRows>, item: string) =>
  rows
    .find((row) => row.item === item)
    ?.details.map((line) => (line.label ? `${line.label}: ${line.text}` : line.text))
    .join('\n');

describe('disclosureRows', () => {
  it('tells, under delivery, that a subscriber may skip, pause or change frequency until the cutoff', () => {
    const ja = text(disclosureRows(sampleProfile(), PLANS, 'ja'), 'delivery');
    expect(ja).toContain('お届けのスキップ・一時停止・頻度の変更: ストアのご契約欄から');
    expect(ja).toContain('更新日の3日前の午前0時');
    expect(text(disclosureRows({ ...sampleProfile(), shipping: undefined }, PLANS, 'ja'), 'delivery')).not.toContain(
      'スキップ',
    );
  });

  it('gives every item of Stripe’s list, in order, in Japanese', () => {
    const rows = disclosureRows(sampleProfile(), PLANS, 'ja');
    expect(rows.map((row) => row.term)).toEqual(JA_TERMS);
    for (const row of rows) expect(row.details.length).toBeGreaterThan(0);
    expect(text(rows, 'seller')).toBe('はなまめ珈琲株式会社（サンプル）');
    expect(text(rows, 'phone')).toBe('03-0000-0000');
    expect(text(rows, 'email')).toBe('support@hanamame.example');
    expect(text(rows, 'returns')).toMatch(/定期購入の解約方法: マイページ/);
    expect(text(rows, 'returns')).toMatch(/不良品・破損品: /);
    expect(text(rows, 'paymentTiming')).toMatch(/^クレジットカード.*: お申し込み時/);
  });

  it('gives the same items in English', () => {
    const rows = disclosureRows(sampleProfile(), PLANS, 'en');
    expect(rows.map((row) => row.item)).toEqual(disclosureRows(sampleProfile(), PLANS, 'ja').map((row) => row.item));
    expect(rows[0]).toEqual({
      item: 'seller',
      term: 'Seller (legal name)',
      details: [{ text: 'Hanamame Coffee K.K. (sample)' }],
    });
    expect(text(rows, 'returns')).toMatch(/Cancelling the subscription: Cancel at any time in My Page/);
    expect(text(rows, 'otherCharges')).toMatch(/Shipping is included/);
  });

  it('replaces the address and phone with the on-request sentence when the seller discloses on request', () => {
    const profile = { ...sampleProfile(), disclosesOnRequest: true };
    const ja = disclosureRows(profile, PLANS, 'ja');
    expect(text(ja, 'address')).toBe('請求があった場合は遅滞なく開示します');
    expect(text(ja, 'phone')).toBe('請求があった場合は遅滞なく開示します');
    expect(JSON.stringify(ja)).not.toContain('03-0000-0000');
    expect(JSON.stringify(ja)).not.toContain('見本町');
    expect(text(disclosureRows(profile, PLANS, 'en'), 'address')).toBe('Disclosed without delay on request');
    expect(text(ja, 'email')).toBe('support@hanamame.example');
  });
});

describe('priceLines', () => {
  it('labels each plan’s price and billing cycle tax-inclusive', () => {
    expect(priceLines(PLANS, 'ja')).toEqual([
      { label: 'Monthly Coffee Beans', text: '￥1,500 / 月（税込）' },
      { label: 'Quarterly Sampler', text: '￥4,200 / 3か月（税込）' },
      { label: 'Espresso Club', text: '$9.99 / 月（税込）' },
    ]);
    expect(priceLines(PLANS, 'en')).toEqual([
      { label: 'Monthly Coffee Beans', text: '¥1,500 / month (incl. tax)' },
      { label: 'Quarterly Sampler', text: '¥4,200 / 3 months (incl. tax)' },
      { label: 'Espresso Club', text: '$9.99 / month (incl. tax)' },
    ]);
  });

  it('says the prices are on the storefront without a catalog', () => {
    expect(priceLines(undefined, 'ja')).toEqual([{ text: '各プランの価格（税込）はストアのページに表示しています。' }]);
    expect(priceLines([], 'en')).toEqual([{ text: 'Each plan’s price, tax included, is shown on the storefront.' }]);
  });
});
