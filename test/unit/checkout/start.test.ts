import { describe, expect, it } from 'vitest';
import { decideCheckout } from '../../../src/lib/checkout/start.ts';
import { parseDeclaredEmail } from '../../../src/lib/checkout/email.ts';
import { toRecord } from '../../../src/lib/subscriptions/record.ts';
import { planFixture, subscriptionFixture } from '../../support/stripe-fixtures.ts';

const plan = (priceId: string, currency = 'jpy') => planFixture(priceId, { currency });
const recordWith = (status: Parameters<typeof subscriptionFixture>[0]['status'], currency = 'jpy') =>
  toRecord('cus_1', [subscriptionFixture({ id: 'sub_1', status, created: 1, currency, priceId: 'price_jpy' })], 1);
const email = (value?: string) => parseDeclaredEmail(value);

describe('decideCheckout', () => {
  it('asks a visitor not yet bound for an e-mail first (422 when malformed)', () => {
    expect(
      decideCheckout({
        plan: plan('price_jpy'),
        customerId: null,
        boundVia: null,
        accountConfirmed: false,
        record: null,
        email: email(),
        trialDays: undefined,
      }),
    ).toEqual({
      kind: 'email-step',
      status: 200,
      email: '',
    });
    expect(
      decideCheckout({
        plan: plan('price_jpy'),
        customerId: null,
        boundVia: null,
        accountConfirmed: false,
        record: null,
        email: email('nope'),
        trialDays: undefined,
      }),
    ).toEqual({
      kind: 'email-step',
      status: 422,
      email: 'nope',
      reason: 'format',
    });
  });

  it('locks the declared e-mail in, with the trial for a new customer', () => {
    expect(
      decideCheckout({
        plan: plan('price_jpy'),
        customerId: null,
        boundVia: null,
        accountConfirmed: false,
        record: null,
        email: email('A@Example.com'),
        trialDays: 14,
      }),
    ).toEqual({
      kind: 'start',
      customerId: null,
      email: 'a@example.com',
      trialDays: 14,
    });
  });

  it('sends a live subscriber to the portal, or explains the currency rule', () => {
    for (const status of ['active', 'trialing', 'past_due', 'unpaid', 'incomplete', 'paused'] as const) {
      expect(
        decideCheckout({
          plan: plan('price_other'),
          customerId: 'cus_1',
          boundVia: 'checkout',
          accountConfirmed: false,
          record: recordWith(status),
          email: email(),
          trialDays: undefined,
        }),
      ).toEqual({ kind: 'manage' });
    }
    expect(
      decideCheckout({
        plan: plan('price_usd', 'usd'),
        customerId: 'cus_1',
        boundVia: 'checkout',
        accountConfirmed: false,
        record: recordWith('active'),
        email: email(),
        trialDays: undefined,
      }),
    ).toEqual({
      kind: 'currency-conflict',
      currentCurrency: 'jpy',
    });
  });

  it('lets a customer whose subscription ended subscribe again, in any currency, without a second trial', () => {
    expect(
      decideCheckout({
        plan: plan('price_usd', 'usd'),
        customerId: 'cus_1',
        boundVia: 'checkout',
        accountConfirmed: false,
        record: recordWith('canceled'),
        email: email(),
        trialDays: 14,
      }),
    ).toEqual({
      kind: 'start',
      customerId: 'cus_1',
      email: null,
      trialDays: undefined,
    });
    const neverSubscribed = toRecord('cus_1', [], 1);
    expect(
      decideCheckout({
        plan: plan('price_jpy'),
        customerId: 'cus_1',
        boundVia: 'checkout',
        accountConfirmed: false,
        record: neverSubscribed,
        email: email(),
        trialDays: 14,
      }),
    ).toMatchObject({ trialDays: 14 });
    expect(
      decideCheckout({
        plan: plan('price_jpy'),
        customerId: 'cus_1',
        boundVia: 'checkout',
        accountConfirmed: false,
        record: null,
        email: email(),
        trialDays: 14,
      }),
    ).toMatchObject({ trialDays: undefined });
  });

  it('asks a browser signed in by link alone which account to charge, until it confirms (decision 007)', () => {
    const input = {
      plan: plan('price_jpy'),
      customerId: 'cus_1',
      record: recordWith('canceled'),
      email: email(),
      trialDays: 14,
    };
    expect(decideCheckout({ ...input, boundVia: 'sign-in', accountConfirmed: false })).toEqual({
      kind: 'account-step',
    });
    expect(decideCheckout({ ...input, boundVia: 'sign-in', accountConfirmed: true })).toMatchObject({
      kind: 'start',
      customerId: 'cus_1',
    });
    expect(decideCheckout({ ...input, boundVia: 'checkout', accountConfirmed: false })).toMatchObject({
      kind: 'start',
      customerId: 'cus_1',
    });
    // A live subscription is managed in the portal: nothing is charged, so nothing to ask.
    expect(
      decideCheckout({ ...input, record: recordWith('active'), boundVia: 'sign-in', accountConfirmed: false }),
    ).toEqual({ kind: 'manage' });
  });
});
