/** The subscription lifecycle, shaped like the pinned API version, with the events Stripe sends for each change. */
import type Stripe from 'stripe';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  addEuroPrice,
  CARD_CHECKOUT_EVENTS,
  PAID_RENEWAL_EVENTS,
  seeded,
  stripeError,
  paidSubscription,
  typesSince,
  useEmulator,
} from '../support/emulator.ts';
import { idOf } from '../../dev/stripe-emulator/state.ts';

const h = useEmulator();
beforeEach(() => h.emulator.reset());

const lastEvent = (type: string) => [...h.events].reverse().find((event) => event.type === type);

describe('objects shaped like API version 2026-10-28.endive', () => {
  it('periods on the items, a stored card PaymentMethod, an invoice whose subscription sits under parent', async () => {
    const { monthly } = seeded(h.emulator);
    const from = h.events.length;
    const subscription = await paidSubscription(h, monthly.id, { customer_email: 'shape@example.com' });
    expect(typesSince(h, from)).toEqual(CARD_CHECKOUT_EVENTS);
    expect(subscription.status).toBe('active');
    expect(subscription).not.toHaveProperty('current_period_end');
    const item = subscription.items.data[0];
    expect(item?.current_period_start).toBe(subscription.created);
    expect(item?.current_period_end).toBeGreaterThan(subscription.created + 27 * 86_400);

    const paymentMethod = await h.stripe.paymentMethods.retrieve(idOf(subscription.default_payment_method));
    expect(paymentMethod).toMatchObject({
      id: expect.stringMatching(/^pm_/),
      type: 'card',
      card: { brand: 'visa', last4: '4242' },
      customer: subscription.customer,
    });
    const customer = (await h.stripe.customers.retrieve(idOf(subscription.customer))) as Stripe.Customer;
    expect(customer.invoice_settings.default_payment_method).toBe(paymentMethod.id);

    const invoice = await h.stripe.invoices.retrieve(idOf(subscription.latest_invoice));
    expect(invoice).toMatchObject({
      id: expect.stringMatching(/^in_/),
      status: 'paid',
      amount_paid: 1500,
      customer: subscription.customer,
      billing_reason: 'subscription_create',
      parent: { type: 'subscription_details', subscription_details: { subscription: subscription.id } },
    });
    expect(invoice).not.toHaveProperty('subscription');
    expect(invoice.lines.data[0]?.description).toBe('1 × 毎月のコーヒー豆 (at ¥1,500 / month)');
  });

  it('subscriptions.list expands default_payment_method and customer.invoice_settings.default_payment_method', async () => {
    const { monthly } = seeded(h.emulator);
    const subscription = await paidSubscription(h, monthly.id);
    const list = await h.stripe.subscriptions.list({
      customer: idOf(subscription.customer),
      expand: [
        'data.default_payment_method',
        'data.customer.invoice_settings.default_payment_method',
        'data.latest_invoice',
      ],
    });
    const [listed] = list.data;
    expect((listed?.default_payment_method as Stripe.PaymentMethod).card?.last4).toBe('4242');
    expect(
      ((listed?.customer as Stripe.Customer).invoice_settings.default_payment_method as Stripe.PaymentMethod).card
        ?.brand,
    ).toBe('visa');
    expect((listed?.latest_invoice as Stripe.Invoice).status).toBe('paid');
  });

  it('subscriptions.list leaves canceled ones out by default; status=all, canceled, price, pagination', async () => {
    const { monthly, yearly } = seeded(h.emulator);
    const customer = h.emulator.addCustomer({ email: 'lists@example.com' });
    const first = await paidSubscription(h, monthly.id, { customer: customer.id });
    const second = await paidSubscription(h, yearly.id, { customer: customer.id });
    await h.emulator.cancelNow(first.id);
    const ids = async (params: Stripe.SubscriptionListParams) =>
      (await h.stripe.subscriptions.list({ customer: customer.id, ...params })).data.map((sub) => sub.id);
    expect(await ids({})).toEqual([second.id]);
    expect(await ids({ status: 'all' })).toEqual([second.id, first.id]);
    expect(await ids({ status: 'canceled' })).toEqual([first.id]);
    expect(await ids({ status: 'all', price: monthly.id })).toEqual([first.id]);
    const page = await h.stripe.subscriptions.list({ customer: customer.id, status: 'all', limit: 1 });
    expect(page.has_more).toBe(true);
    const all: string[] = [];
    for await (const sub of h.stripe.subscriptions.list({ customer: customer.id, status: 'all', limit: 1 }))
      all.push(sub.id);
    expect(all).toEqual([second.id, first.id]);
  });

  it('customers.list({ limit: 1 }) is the newest customer; email filters', async () => {
    h.emulator.addCustomer({ email: 'older@example.com' });
    const newest = h.emulator.addCustomer({ email: 'newest@example.com' });
    const list = await h.stripe.customers.list({ limit: 1 });
    expect(list.data.map((customer) => customer.id)).toEqual([newest.id]);
    expect(list.has_more).toBe(true);
    expect((await h.stripe.customers.list({ email: 'older@example.com' })).data).toHaveLength(1);
  });

  it('unknown subscriptions, invoices and payment methods are resource_missing', async () => {
    for (const call of [
      h.stripe.subscriptions.retrieve('sub_nope'),
      h.stripe.invoices.retrieve('in_nope'),
      h.stripe.paymentMethods.retrieve('pm_nope'),
    ]) {
      await expect(stripeError(call)).resolves.toMatchObject({
        statusCode: 404,
        code: 'resource_missing',
        param: 'id',
      });
    }
  });
});

describe('renewals', () => {
  it('renewNow: invoice paid, next period on the items, customer.subscription.updated with previous_attributes', async () => {
    const { monthly } = seeded(h.emulator);
    const subscription = await paidSubscription(h, monthly.id);
    const oldEnd = subscription.items.data[0]?.current_period_end ?? 0;
    const from = h.events.length;
    const renewed = await h.emulator.renewNow(subscription.id);
    expect(typesSince(h, from)).toEqual(PAID_RENEWAL_EVENTS);
    expect(renewed.items.data[0]?.current_period_start).toBe(oldEnd);
    const updated = lastEvent('customer.subscription.updated');
    const previous = updated?.data.previous_attributes as Partial<Stripe.Subscription>;
    expect(previous.items?.data[0]?.current_period_end).toBe(oldEnd);
    expect(previous.latest_invoice).toBe(subscription.latest_invoice);
    const invoice = await h.stripe.invoices.retrieve(idOf(renewed.latest_invoice));
    expect(invoice).toMatchObject({ billing_reason: 'subscription_cycle', status: 'paid', amount_paid: 1500 });
  });

  it('failNextRenewal: invoice.payment_failed and past_due; a new card pays the open invoice and makes it active', async () => {
    const { monthly } = seeded(h.emulator);
    const subscription = await paidSubscription(h, monthly.id);
    let from = h.events.length;
    const failed = await h.emulator.failNextRenewal(subscription.id);
    expect(typesSince(h, from)).toEqual([
      'invoice.created',
      'customer.subscription.updated',
      'invoice.finalized',
      'invoice.payment_failed',
      'customer.subscription.updated',
    ]);
    expect(failed.status).toBe('past_due');
    expect(lastEvent('customer.subscription.updated')?.data.previous_attributes).toMatchObject({ status: 'active' });
    expect(await h.stripe.invoices.retrieve(idOf(failed.latest_invoice))).toMatchObject({
      status: 'open',
      attempt_count: 1,
    });

    await expect(h.emulator.updateCard(idOf(subscription.customer), '4000 0000 0000 0002')).rejects.toThrow(
      'Your card was declined.',
    );
    from = h.events.length;
    const card = await h.emulator.updateCard(idOf(subscription.customer), '5555 5555 5555 4444');
    expect(card.card).toMatchObject({ brand: 'mastercard', last4: '4444' });
    expect(typesSince(h, from)).toEqual([
      'payment_method.attached',
      'customer.updated',
      'invoice.paid',
      'invoice.payment_succeeded',
      'customer.subscription.updated',
    ]);
    expect(lastEvent('customer.subscription.updated')?.data.previous_attributes).toEqual({
      default_payment_method: subscription.default_payment_method,
      status: 'past_due',
    });
    const after = await h.stripe.subscriptions.retrieve(subscription.id, { expand: ['latest_invoice'] });
    expect(after).toMatchObject({
      status: 'active',
      default_payment_method: card.id,
      latest_invoice: { status: 'paid' },
    });
  });

  it('endTrial: trialing → active with a paid invoice', async () => {
    const { monthly } = seeded(h.emulator);
    const subscription = await paidSubscription(h, monthly.id, { subscription_data: { trial_period_days: 7 } });
    expect(subscription.status).toBe('trialing');
    const from = h.events.length;
    const ended = await h.emulator.endTrial(subscription.id);
    expect(typesSince(h, from)).toEqual(PAID_RENEWAL_EVENTS);
    expect(ended.status).toBe('active');
    expect(ended.trial_end).toBeLessThan(subscription.trial_end ?? 0);
    expect(lastEvent('customer.subscription.updated')?.data.previous_attributes).toMatchObject({
      status: 'trialing',
      trial_end: subscription.trial_end,
    });
    expect(await h.stripe.invoices.retrieve(idOf(ended.latest_invoice))).toMatchObject({ amount_paid: 1500 });
    await expect(h.emulator.endTrial(subscription.id)).rejects.toThrow(/is active/);
  });
});

describe('advanceTo', () => {
  it('ends trials at trial_end and renews at period ends, in time order, dating each invoice at its period', async () => {
    const { monthly } = seeded(h.emulator);
    const trialing = await paidSubscription(h, monthly.id, { subscription_data: { trial_period_days: 3 } });
    const trialEnd = trialing.trial_end ?? 0;
    await h.emulator.advanceTo(trialEnd);
    const ended = await h.stripe.subscriptions.retrieve(trialing.id, { expand: ['latest_invoice'] });
    expect(ended).toMatchObject({ status: 'active', trial_end: trialEnd, billing_cycle_anchor: trialEnd });
    expect(ended.latest_invoice).toMatchObject({ created: trialEnd, status: 'paid', amount_paid: 1500 });
    const firstEnd = ended.items.data[0]?.current_period_end ?? 0;
    await h.emulator.advanceTo(firstEnd + 1);
    const renewed = await h.stripe.subscriptions.retrieve(trialing.id, { expand: ['latest_invoice'] });
    expect(renewed.items.data[0]?.current_period_start).toBe(firstEnd);
    expect(renewed.latest_invoice).toMatchObject({ created: firstEnd, billing_reason: 'subscription_cycle' });
  });
});

describe('cancellation', () => {
  it('cancel at period end and resume set and clear cancel_at_period_end and cancel_at', async () => {
    const { monthly } = seeded(h.emulator);
    const subscription = await paidSubscription(h, monthly.id);
    const scheduled = await h.emulator.cancelAtPeriodEnd(subscription.id);
    expect(scheduled).toMatchObject({
      status: 'active',
      cancel_at_period_end: true,
      cancel_at: subscription.items.data[0]?.current_period_end,
    });
    expect(lastEvent('customer.subscription.updated')?.data.previous_attributes).toMatchObject({
      cancel_at: null,
      cancel_at_period_end: false,
    });
    const resumed = await h.emulator.resumeSubscription(subscription.id);
    expect(resumed).toMatchObject({ cancel_at_period_end: false, cancel_at: null, canceled_at: null });
    expect(lastEvent('customer.subscription.updated')?.data.previous_attributes).toMatchObject({
      cancel_at_period_end: true,
    });
  });

  it('a subscription set to cancel at period end ends at the renewal', async () => {
    const { monthly } = seeded(h.emulator);
    const subscription = await paidSubscription(h, monthly.id);
    await h.emulator.cancelAtPeriodEnd(subscription.id);
    const from = h.events.length;
    const ended = await h.emulator.renewNow(subscription.id);
    expect(typesSince(h, from)).toEqual(['customer.subscription.deleted']);
    expect(ended).toMatchObject({ status: 'canceled', ended_at: subscription.items.data[0]?.current_period_end });
  });

  it('cancelNow sends customer.subscription.deleted', async () => {
    const { monthly } = seeded(h.emulator);
    const subscription = await paidSubscription(h, monthly.id);
    const from = h.events.length;
    const canceled = await h.emulator.cancelNow(subscription.id);
    expect(typesSince(h, from)).toEqual(['customer.subscription.deleted']);
    expect(canceled).toMatchObject({ status: 'canceled', cancellation_details: { reason: 'cancellation_requested' } });
    await expect(h.emulator.cancelNow(subscription.id)).rejects.toThrow(/is canceled/);
  });
});

describe('switching plans', () => {
  it('to another price the portal configuration lists, keeping the period when the interval is the same', async () => {
    const { monthly, gold, tiered, metered, usd } = seeded(h.emulator);
    const subscription = await paidSubscription(h, monthly.id);
    // Not configured (the test fixtures), another currency, or the price it has.
    for (const refused of [tiered, metered, usd, monthly]) {
      await expect(h.emulator.switchPrice(subscription.id, refused.id)).rejects.toThrow(/not a plan/);
    }
    const from = h.events.length;
    const switched = await h.emulator.switchPrice(subscription.id, gold.id);
    expect(typesSince(h, from)).toEqual(['customer.subscription.updated']);
    expect(switched.items.data[0]?.price.id).toBe('gold-blend-monthly');
    const previous = lastEvent('customer.subscription.updated')?.data
      .previous_attributes as Partial<Stripe.Subscription>;
    expect(previous.items?.data[0]?.price.id).toBe(monthly.id);
    expect(switched.items.data[0]?.current_period_end).toBe(subscription.items.data[0]?.current_period_end);
    expect(switched.latest_invoice).toBe(subscription.latest_invoice);
    const renewed = await h.emulator.renewNow(subscription.id);
    expect(await h.stripe.invoices.retrieve(idOf(renewed.latest_invoice))).toMatchObject({ amount_paid: 2000 });
  });

  it('to a price of another interval (flexible billing mode): the anchor and period stay, nothing is invoiced now', async () => {
    const { monthly, bimonthly, yearly } = seeded(h.emulator);
    const subscription = await paidSubscription(h, monthly.id);
    const before = subscription.items.data[0];
    const from = h.events.length;
    const yearlyNow = await h.emulator.switchPrice(subscription.id, yearly.id);
    // docs.stripe.com/billing/subscriptions/billing-mode/compare: in flexible mode the anchor "is never automatically reset".
    expect(typesSince(h, from)).toEqual(['customer.subscription.updated']);
    const item = yearlyNow.items.data[0];
    expect(item?.price.id).toBe(yearly.id);
    expect(yearlyNow.billing_cycle_anchor).toBe(subscription.billing_cycle_anchor);
    expect(item?.current_period_end).toBe(before?.current_period_end);
    expect(idOf(yearlyNow.latest_invoice)).toBe(idOf(subscription.latest_invoice));
    const everyTwoMonths = await h.emulator.switchPrice(subscription.id, bimonthly.id);
    expect(everyTwoMonths.items.data[0]?.price.recurring).toMatchObject({ interval: 'month', interval_count: 2 });
  });
});

describe('bank debit renewals', () => {
  it('stay active while processing, then become past_due when the debit fails', async () => {
    await h.emulator.settleAsyncPayments();
    const subscription = await paidSubscription(h, addEuroPrice(h.emulator).id, {}, { method: 'bank_debit_failing' });
    await h.emulator.settleAsyncPayments();
    // A card pays the failed first invoice; then the failing bank account goes back in as the default.
    expect((await h.emulator.updateCard(idOf(subscription.customer), '4242424242424242')).type).toBe('card');
    expect((await h.stripe.subscriptions.retrieve(subscription.id)).status).toBe('active');
    const sepa = [...h.emulator.state.paymentMethods.values()].find(
      (pm) => pm.customer === subscription.customer && pm.type === 'sepa_debit',
    );
    const stored = h.emulator.state.subscriptions.get(subscription.id);
    if (!stored || !sepa) throw new Error('setup failed');
    stored.default_payment_method = sepa.id;
    const renewed = await h.emulator.renewNow(subscription.id);
    expect(renewed.status).toBe('active');
    const from = h.events.length;
    await h.emulator.settleAsyncPayments();
    expect(typesSince(h, from)).toEqual(['invoice.payment_failed', 'customer.subscription.updated']);
    expect((await h.stripe.subscriptions.retrieve(subscription.id)).status).toBe('past_due');
  });
});
