import { describe, expect, it } from 'vitest';
import {
  chooseSubscription,
  recordFromRow,
  recordToRow,
  hasPaymentTrouble,
  isLive,
  isMemberStatus,
  scheduledEnd,
  toRecord,
} from '../../../src/lib/subscriptions/record.ts';
import { paymentMethodFixture, subscriptionFixture } from '../../support/stripe-fixtures.ts';
import { RECIPIENT, SHIBUYA_ADDRESS, SHIBUYA_STRIPE_ADDRESS } from '../../support/addresses.ts';

describe('chooseSubscription', () => {
  it('prefers the newest live subscription over newer ended ones', () => {
    const chosen = chooseSubscription([
      subscriptionFixture({ id: 'sub_old_active', status: 'active', created: 100 }),
      subscriptionFixture({ id: 'sub_newer_canceled', status: 'canceled', created: 300 }),
      subscriptionFixture({ id: 'sub_new_past_due', status: 'past_due', created: 200 }),
    ]);
    expect(chosen?.id).toBe('sub_new_past_due');
  });

  it('falls back to the newest ended subscription', () => {
    const chosen = chooseSubscription([
      subscriptionFixture({ id: 'sub_a', status: 'canceled', created: 100 }),
      subscriptionFixture({ id: 'sub_b', status: 'incomplete_expired', created: 200 }),
    ]);
    expect(chosen?.id).toBe('sub_b');
  });

  it('counts every non-terminal status as live', () => {
    for (const status of ['trialing', 'active', 'past_due', 'unpaid', 'incomplete', 'paused'] as const)
      expect(isLive(status)).toBe(true);
    for (const status of ['canceled', 'incomplete_expired', 'none'] as const) expect(isLive(status)).toBe(false);
    expect(chooseSubscription([])).toBeUndefined();
  });
});

describe('toRecord', () => {
  it('keeps what the site shows, with the period from the subscription item', () => {
    const subscription = subscriptionFixture({
      id: 'sub_1',
      status: 'trialing',
      created: 1_800_000_000,
      customer: 'cus_1',
      priceId: 'gold-blend-monthly',
      productId: 'prod_gold',
      currency: 'jpy',
      periodEnd: 1_802_592_000,
      trialEnd: 1_801_209_600,
      cancelAtPeriodEnd: true,
      cancelAt: 1_802_592_000,
      card: { brand: 'visa', last4: '4242' },
    });
    expect(toRecord('cus_1', [subscription], 1234)).toEqual({
      customerId: 'cus_1',
      status: 'trialing',
      subscriptionId: 'sub_1',
      priceId: 'gold-blend-monthly',
      productId: 'prod_gold',
      currency: 'jpy',
      currentPeriodEnd: 1_802_592_000,
      cancelAtPeriodEnd: true,
      cancelAt: 1_802_592_000,
      trialEnd: 1_801_209_600,
      card: { brand: 'visa', last4: '4242' },
      everSubscribed: true,
      delivery: null,
      cycle: { anchor: 1_800_000_000, interval: 'month', intervalCount: 1, pause: null, nextPrice: null },
      readAt: 1234,
    });
  });

  it('takes the customer’s default card when the subscription has none', () => {
    const subscription = subscriptionFixture({ id: 'sub_2', status: 'active', created: 1 });
    const withCustomer = {
      ...subscription,
      customer: {
        id: 'cus_2',
        object: 'customer',
        invoice_settings: { default_payment_method: paymentMethodFixture('pm_c', 'mastercard', '4444') },
      },
    } as unknown as typeof subscription;
    expect(toRecord('cus_2', [withCustomer], 1).card).toEqual({ brand: 'mastercard', last4: '4444' });
  });

  it('keeps the expanded customer’s shipping name and address as the delivery', () => {
    const subscription = subscriptionFixture({ id: 'sub_5', status: 'active', created: 1 });
    const shipping = { name: RECIPIENT, phone: '+819012345678', address: { ...SHIBUYA_STRIPE_ADDRESS, line2: null } };
    const withCustomer = {
      ...subscription,
      customer: { id: 'cus_5', object: 'customer', invoice_settings: {}, shipping },
    } as unknown as typeof subscription;
    expect(toRecord('cus_5', [withCustomer], 1).delivery).toEqual({
      name: RECIPIENT,
      address: { ...SHIBUYA_ADDRESS, line2: null },
    });
    // The phone is not kept; a customer id that was not expanded, or no shipping, gives no delivery.
    expect(JSON.stringify(toRecord('cus_5', [withCustomer], 1))).not.toContain('+81');
    expect(toRecord('cus_5', [subscription], 1).delivery).toBeNull();
    const noShipping = { ...withCustomer, customer: { id: 'cus_5', object: 'customer', shipping: null } };
    expect(toRecord('cus_5', [noShipping as unknown as typeof subscription], 1).delivery).toBeNull();
  });

  it('says "none" for a customer without subscriptions, and ever-subscribed ignores one that never started', () => {
    expect(toRecord('cus_3', [], 1)).toMatchObject({
      status: 'none',
      subscriptionId: null,
      everSubscribed: false,
      card: null,
    });
    expect(
      toRecord('cus_3', [subscriptionFixture({ id: 'sub_x', status: 'incomplete_expired', created: 1 })], 1)
        .everSubscribed,
    ).toBe(false);
  });

  it('derives what the storefront needs', () => {
    const record = toRecord(
      'cus_4',
      [subscriptionFixture({ id: 'sub_4', status: 'past_due', created: 1, periodEnd: 500, cancelAtPeriodEnd: true })],
      1,
    );
    expect(hasPaymentTrouble(record.status)).toBe(true);
    expect(isMemberStatus(record.status)).toBe(true);
    expect(scheduledEnd(record)).toBe(500);
    expect(isMemberStatus('unpaid')).toBe(false);
  });

  it('keeps a collection pause and the price a schedule switches to, through its D1 row', () => {
    const base = subscriptionFixture({ id: 'sub_6', status: 'active', created: 1, periodEnd: 5_000 });
    const subscription = {
      ...base,
      pause_collection: { behavior: 'void', resumes_at: 6_000 },
      schedule: {
        id: 'sub_sched_1',
        object: 'subscription_schedule',
        status: 'active',
        phases: [
          { start_date: 1, end_date: 5_000, items: [{ price: 'price_monthly' }] },
          { start_date: 5_000, end_date: 9_000, items: [{ price: { id: 'price_bimonthly' } }] },
        ],
      },
    } as unknown as typeof base;
    const record = toRecord('cus_6', [subscription], 1);
    expect(record.cycle).toMatchObject({
      pause: { behavior: 'void', resumesAt: 6_000 },
      nextPrice: { priceId: 'price_bimonthly', at: 5_000 },
    });
    expect(recordFromRow(recordToRow(record))).toEqual(record);
    expect(recordFromRow(recordToRow(toRecord('cus_7', [], 1))).cycle).toBeNull();
  });
});
