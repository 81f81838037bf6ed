import { describe, expect, it } from 'vitest';
import { planAction, planPriceLabel } from '../../../src/lib/subscriptions/plan-view.ts';
import { toRecord } from '../../../src/lib/subscriptions/record.ts';
import { planFixture, subscriptionFixture } from '../../support/stripe-fixtures.ts';

const plan = (priceId: string, currency = 'jpy') => planFixture(priceId, { currency });
const recordWith = (status: Parameters<typeof subscriptionFixture>[0]['status'], currency = 'jpy') =>
  toRecord('cus_1', [subscriptionFixture({ id: 'sub_1', status, created: 1, currency, priceId: 'price_jpy' })], 1);

describe('planAction', () => {
  it('offers Subscribe without a live subscription', () => {
    expect(planAction(plan('price_jpy'), null, 'en')).toEqual({ kind: 'subscribe' });
    expect(planAction(plan('price_jpy'), recordWith('canceled'), 'en')).toEqual({ kind: 'subscribe' });
  });

  it('marks the subscriber’s plan and offers Switch only within its currency', () => {
    const active = recordWith('active');
    expect(planAction(plan('price_jpy'), active, 'en')).toMatchObject({
      kind: 'current',
      status: 'Active',
      detail: expect.stringMatching(/^Renews on /),
    });
    expect(planAction(plan('price_other'), active, 'en')).toEqual({ kind: 'switch' });
    expect(planAction(plan('price_usd', 'usd'), active, 'en')).toEqual({ kind: 'none' });
  });
});

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
