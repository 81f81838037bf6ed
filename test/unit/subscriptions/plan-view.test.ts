import { describe, expect, it } from 'vitest';
import { strings } from '../../../src/lib/i18n';
import { planAction } from '../../../src/lib/subscriptions/plan-view';
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
