import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { planEvent } from '../../../src/lib/webhook/events.ts';
import { eventPayload } from '../../support/webhook.ts';

describe('planEvent', () => {
  const plan = (type: string, object: Record<string, unknown>) =>
    planEvent(JSON.parse(eventPayload('evt_x', type, object)) as Stripe.Event);

  it('finds the customer in every object that names one', () => {
    expect(plan('invoice.payment_failed', { id: 'in_1', object: 'invoice', customer: 'cus_1' })).toEqual({
      kind: 'sync',
      customerId: 'cus_1',
    });
    expect(
      plan('customer.subscription.deleted', { id: 'sub_1', object: 'subscription', customer: { id: 'cus_2' } }),
    ).toEqual({ kind: 'sync', customerId: 'cus_2' });
    expect(
      plan('checkout.session.async_payment_succeeded', {
        id: 'cs_test_1',
        object: 'checkout.session',
        customer: 'cus_3',
      }),
    ).toEqual({ kind: 'sync', customerId: 'cus_3' });
    expect(plan('invoice.paid', { id: 'in_2', object: 'invoice', customer: null })).toEqual({
      kind: 'ignore',
      reason: 'no_customer',
    });
  });

  it('maps each kind of event to its action', () => {
    expect(plan('customer.created', { id: 'cus_1', object: 'customer' })).toEqual({ kind: 'newest-customer' });
    expect(plan('customer.deleted', { id: 'cus_1', object: 'customer', deleted: true })).toEqual({
      kind: 'customer-deleted',
      customerId: 'cus_1',
    });
    expect(plan('checkout.session.completed', { id: 'cs_test_abc', object: 'checkout.session' })).toEqual({
      kind: 'checkout-completed',
      sessionId: 'cs_test_abc',
    });
    // The customer itself is the object: its id is the trigger, its body (shipping, previous_attributes) is not read.
    expect(
      plan('customer.updated', { id: 'cus_4', object: 'customer', shipping: { name: 'Forged', address: {} } }),
    ).toEqual({ kind: 'sync', customerId: 'cus_4' });
    expect(plan('customer.updated', { id: 'in_1', object: 'invoice' })).toEqual({
      kind: 'ignore',
      reason: 'no_customer',
    });
    expect(plan('price.updated', { id: 'price_1', object: 'price' })).toEqual({ kind: 'catalog-changed' });
    expect(plan('charge.succeeded', { id: 'ch_1', object: 'charge' })).toMatchObject({ kind: 'ignore' });
  });
});

describe('the events that make and call off parcels', () => {
  const plan = (type: string, object: Record<string, unknown>) =>
    planEvent(JSON.parse(eventPayload('evt_parcel', type, object)) as Stripe.Event);

  it('invoice.paid re-syncs its customer and names the invoice; invoice.payment_succeeded only re-syncs', () => {
    expect(plan('invoice.paid', { id: 'in_1Paid', object: 'invoice', customer: 'cus_1' })).toEqual({
      kind: 'invoice-paid',
      customerId: 'cus_1',
      invoiceId: 'in_1Paid',
    });
    expect(plan('invoice.payment_succeeded', { id: 'in_1Paid', object: 'invoice', customer: 'cus_1' })).toEqual({
      kind: 'sync',
      customerId: 'cus_1',
    });
  });

  it('a void, a credit note and a refund each name the invoice (or PaymentIntent) to re-check', () => {
    expect(plan('invoice.voided', { id: 'in_1Void', object: 'invoice', customer: 'cus_1' })).toEqual({
      kind: 'invoice-changed',
      invoiceId: 'in_1Void',
    });
    expect(plan('credit_note.created', { id: 'cn_1', object: 'credit_note', invoice: 'in_1Credit' })).toEqual({
      kind: 'invoice-changed',
      invoiceId: 'in_1Credit',
    });
    expect(plan('charge.refunded', { id: 'ch_1', object: 'charge', payment_intent: 'pi_1Refund' })).toEqual({
      kind: 'payment-refunded',
      paymentIntentId: 'pi_1Refund',
    });
    expect(plan('charge.refunded', { id: 'ch_1', object: 'charge', payment_intent: null })).toEqual({
      kind: 'ignore',
      reason: 'no_payment_intent',
    });
    expect(plan('credit_note.created', { id: 'cn_1', object: 'credit_note', invoice: 'nonsense' })).toEqual({
      kind: 'ignore',
      reason: 'no_invoice',
    });
  });
});

describe('every subscription, invoice and async-payment event re-syncs its customer', () => {
  it.each([
    'checkout.session.async_payment_succeeded',
    'checkout.session.async_payment_failed',
    'customer.subscription.created',
    'customer.subscription.updated',
    'customer.subscription.deleted',
    'customer.subscription.paused',
    'customer.subscription.resumed',
    'customer.subscription.pending_update_applied',
    'customer.subscription.pending_update_expired',
    'customer.subscription.trial_will_end',
    'subscription_schedule.updated',
    'subscription_schedule.released',
    'subscription_schedule.canceled',
    'invoice.paid',
    'invoice.payment_succeeded',
    'invoice.payment_failed',
    'invoice.payment_action_required',
    'invoice.marked_uncollectible',
  ])('%s', (type) => {
    const event = JSON.parse(eventPayload('evt_kind', type, { id: 'obj_1', customer: 'cus_Kind1' })) as Stripe.Event;
    expect(planEvent(event)).toEqual({ kind: 'sync', customerId: 'cus_Kind1' });
  });
});
