import { describe, expect, it } from 'vitest';
import { groupByProduct, offerAction } from '../../../src/lib/storefront/offers.ts';
import { toRecord } from '../../../src/lib/subscriptions/record.ts';
import { planFixture, subscriptionFixture } from '../../support/stripe-fixtures.ts';

const monthly = { ...planFixture('price_1m'), productId: 'prod_beans' };
const bimonthly = { ...planFixture('price_2m'), productId: 'prod_beans', intervalCount: 2 };
const yearly = { ...planFixture('price_1y'), productId: 'prod_beans', interval: 'year' as const };
const gold = { ...planFixture('price_gold'), productId: 'prod_gold' };
const dollars = { ...planFixture('price_usd', { currency: 'usd' }), productId: 'prod_usd' };
const subscribedTo = (priceId: string, status: 'active' | 'canceled' = 'active') =>
  toRecord('cus_1', [subscriptionFixture({ id: 'sub_1', status, created: 1, currency: 'jpy', priceId })], 1);

describe('groupByProduct', () => {
  it('makes one offer per product, its plans shortest interval first, products in catalog order', () => {
    const offers = groupByProduct([yearly, gold, bimonthly, monthly]);
    expect(offers.map((offer) => offer.productId)).toEqual(['prod_beans', 'prod_gold']);
    expect(offers[0]?.plans.map((plan) => plan.priceId)).toEqual(['price_1m', 'price_2m', 'price_1y']);
  });
});

describe('offerAction', () => {
  const [beans, other, usd] = groupByProduct([monthly, bimonthly, gold, dollars]);

  it('offers a visitor without a live subscription every product, unless the shop is closed', () => {
    expect(beans && offerAction(beans, null, true)).toEqual({ kind: 'subscribe' });
    expect(beans && offerAction(beans, subscribedTo('price_1m', 'canceled'), true)).toEqual({ kind: 'subscribe' });
    expect(beans && offerAction(beans, null, false)).toEqual({ kind: 'closed' });
  });

  it('marks the subscriber’s own product, offers a switch in the same currency, and says why not in another', () => {
    const subscription = subscribedTo('price_2m');
    expect(beans && offerAction(beans, subscription, true)).toEqual({ kind: 'current', priceId: 'price_2m' });
    expect(other && offerAction(other, subscription, true)).toEqual({ kind: 'switch' });
    expect(usd && offerAction(usd, subscription, true)).toEqual({ kind: 'other-currency' });
  });
});
