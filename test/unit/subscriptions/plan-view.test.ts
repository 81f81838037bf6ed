import { describe, expect, it } from 'vitest';
import { strings } from '../../../src/lib/i18n';
import { planAction, planPriceLabel } from '../../../src/lib/subscriptions/plan-view';
import { toRecord } from '../../../src/lib/subscriptions/record';
import { planFixture, subscriptionFixture } from '../../support/stripe-fixtures.ts';

const plan = (priceId: string, currency = 'jpy') => planFixture(priceId, { currency });
const recordWith = (status: Parameters<typeof subscriptionFixture>[0]['status'], currency = 'jpy') =>
  toRecord('cus_1', [subscriptionFixture({ id: 'sub_1', status, created: 1, currency, priceId: 'price_jpy' })], 1);

describe('planAction', () => {
  const t = strings('en');
  it('offers Subscribe without a live subscription', () => {
    expect(planAction(plan('price_jpy'), null, t, 'en')).toEqual({ kind: 'subscribe' });
    expect(planAction(plan('price_jpy'), recordWith('canceled'), t, 'en')).toEqual({ kind: 'subscribe' });
  });

  it('marks the subscriber’s plan and offers Switch only within its currency', () => {
    const active = recordWith('active');
    expect(planAction(plan('price_jpy'), active, t, 'en')).toMatchObject({
      kind: 'current',
      status: 'Active',
      detail: expect.stringMatching(/^Renews on /),
    });
    expect(planAction(plan('price_other'), active, t, 'en')).toEqual({ kind: 'switch' });
    expect(planAction(plan('price_usd', 'usd'), active, t, 'en')).toEqual({ kind: 'none' });
  });
});

describe('planPriceLabel', () => {
  const monthly = { unitAmount: 1500, currency: 'jpy', interval: 'month' as const, intervalCount: 1 };

  it('shows every price tax-inclusive and labelled (総額表示), with its cycle, in ja and en', () => {
    expect(planPriceLabel(monthly, strings('ja'), 'ja').text).toBe('￥1,500 / 月（税込）');
    expect(planPriceLabel(monthly, strings('en'), 'en').text).toBe('¥1,500 / month (incl. tax)');
    expect(planPriceLabel({ ...monthly, interval: 'year' }, strings('en'), 'en')).toMatchObject({
      price: '¥1,500',
      per: '/ year',
      tax: ' (incl. tax)',
    });
  });
});
