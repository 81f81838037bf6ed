import { describe, expect, it } from 'vitest';
import { planPriceLabel } from '../../../src/lib/subscriptions/plan-view.ts';
import { planFixture } from '../../support/stripe-fixtures.ts';

describe('planPriceLabel', () => {
  const monthly = planFixture('price_monthly');

  it('shows every price tax-inclusive and labelled (総額表示), with its cycle, in ja and en', () => {
    expect(planPriceLabel(monthly, 'ja').text).toBe('￥1,500 / 月（税込）');
    expect(planPriceLabel(monthly, 'en').text).toBe('¥1,500 / month (incl. tax)');
    expect(planPriceLabel({ ...monthly, interval: 'year' }, 'en')).toMatchObject({
      price: '¥1,500',
      per: '/ year',
      tax: ' (incl. tax)',
      notes: [],
    });
  });

  it('says 送料込み when shipping is included, and the shipping fee when it is a line of its own', () => {
    const included = { ...monthly, shipping: { kind: 'included' as const } };
    expect(planPriceLabel(included, 'ja').text).toBe('￥1,500 / 月（税込）・送料込み');
    expect(planPriceLabel(included, 'en').text).toBe('¥1,500 / month (incl. tax) · shipping included');
    const fee = {
      ...monthly,
      shipping: { kind: 'fee' as const, priceId: 'price_ship', unitAmount: 500, taxBehavior: 'inclusive' as const },
    };
    expect(planPriceLabel(fee, 'ja').text).toBe('￥1,500 / 月（税込）・＋送料 ￥500（税込）');
    expect(planPriceLabel(fee, 'en').text).toBe('¥1,500 / month (incl. tax) · + shipping ¥500 (incl. tax)');
  });

  it('marks reduced-rate food (軽減税率対象) and labels a tax-exclusive price as such', () => {
    const food = { ...monthly, reducedTaxRate: true };
    expect(planPriceLabel(food, 'ja').notes).toEqual(['軽減税率対象']);
    expect(planPriceLabel(food, 'en').text).toBe('¥1,500 / month (incl. tax) · reduced tax rate (food)');
    const exclusive = { ...monthly, taxBehavior: 'exclusive' as const };
    expect(planPriceLabel(exclusive, 'ja').text).toBe('￥1,500 / 月（税抜・消費税はお支払い画面で計算）');
  });
});
