/** Skipping and pausing: `pause_collection` (renewals voided, kept as drafts, or uncollectible) and the pause endpoint. */
import type Stripe from 'stripe';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  PAID_RENEWAL_EVENTS,
  seeded,
  stripeError,
  paidSubscription,
  typesFor,
  typesSince,
  useEmulator,
} from '../support/emulator.ts';
import { idOf } from '../../dev/stripe-emulator/state.ts';

const h = useEmulator();
beforeEach(() => h.emulator.reset());

const periodEnd = (subscription: Stripe.Subscription) => subscription.items.data[0]?.current_period_end ?? 0;

async function monthlySubscription(extra: Partial<Stripe.Checkout.SessionCreateParams> = {}) {
  return paidSubscription(h, seeded(h.emulator).monthly.id, extra);
}

describe('pause_collection', () => {
  it('void: the renewal invoice is created and voided, the period moves on, the subscription stays active', async () => {
    const subscription = await monthlySubscription();
    let from = h.events.length;
    const paused = await h.stripe.subscriptions.update(subscription.id, { pause_collection: { behavior: 'void' } });
    await h.emulator.settle();
    expect(paused.pause_collection).toEqual({ behavior: 'void', resumes_at: null });
    expect(typesSince(h, from)).toEqual(['customer.subscription.updated']);
    expect(h.events.at(-1)?.data.previous_attributes).toEqual({ pause_collection: null });

    from = h.events.length;
    const renewed = await h.emulator.renewNow(subscription.id);
    expect(typesSince(h, from)).toEqual(['invoice.created', 'customer.subscription.updated', 'invoice.voided']);
    expect(renewed).toMatchObject({ status: 'active', pause_collection: { behavior: 'void' } });
    expect(renewed.items.data[0]?.current_period_start).toBe(periodEnd(subscription));
    const invoice = await h.stripe.invoices.retrieve(idOf(renewed.latest_invoice), { expand: ['payments'] });
    expect(invoice).toMatchObject({
      status: 'void',
      billing_reason: 'subscription_cycle',
      amount_paid: 0,
      status_transitions: { voided_at: expect.any(Number), paid_at: null },
    });
    expect(invoice.payments?.data).toEqual([]);

    // pause_collection= (empty) unsets it; the next renewal is charged again.
    const unpaused = await h.stripe.subscriptions.update(subscription.id, { pause_collection: '' });
    await h.emulator.settle();
    expect(unpaused.pause_collection).toBeNull();
    expect(h.events.at(-1)?.data.previous_attributes).toEqual({
      pause_collection: { behavior: 'void', resumes_at: null },
    });
    from = h.events.length;
    await h.emulator.renewNow(subscription.id);
    expect(typesSince(h, from)).toEqual(PAID_RENEWAL_EVENTS);
  });

  it('resumes by itself at resumes_at: renewals before it are voided, the first one after it is paid', async () => {
    const subscription = await monthlySubscription();
    const firstEnd = periodEnd(subscription);
    // Skip one delivery: collection resumes a day after the next renewal.
    const resumesAt = firstEnd + 86_400;
    await h.stripe.subscriptions.update(subscription.id, {
      pause_collection: { behavior: 'void', resumes_at: resumesAt },
    });
    await h.emulator.settle();
    const from = h.events.length;
    await h.emulator.advanceTo(resumesAt + 40 * 86_400);
    expect(typesFor(h, subscription.id, from)).toEqual([
      'invoice.created',
      'customer.subscription.updated',
      'invoice.voided',
      'customer.subscription.updated',
      ...PAID_RENEWAL_EVENTS,
    ]);
    const resumed = h.events
      .slice(from)
      .filter((event) => event.type === 'customer.subscription.updated' && event.data.object.id === subscription.id)[1];
    expect(resumed?.data.previous_attributes).toEqual({
      pause_collection: { behavior: 'void', resumes_at: resumesAt },
    });
    const invoices = await h.stripe.invoices.list({ subscription: subscription.id });
    expect(invoices.data.map((invoice) => [invoice.status, invoice.billing_reason])).toEqual([
      ['paid', 'subscription_cycle'],
      ['void', 'subscription_cycle'],
      ['paid', 'subscription_create'],
    ]);
    expect((await h.stripe.subscriptions.retrieve(subscription.id)).pause_collection).toBeNull();
  });

  it('keep_as_draft leaves drafts (auto_advance false) that follow the customer; mark_uncollectible marks them so', async () => {
    const subscription = await monthlySubscription();
    await h.stripe.subscriptions.update(subscription.id, { pause_collection: { behavior: 'keep_as_draft' } });
    let renewed = await h.emulator.renewNow(subscription.id);
    const draft = await h.stripe.invoices.retrieve(idOf(renewed.latest_invoice));
    expect(draft).toMatchObject({ status: 'draft', auto_advance: false, number: null });
    expect(renewed.status).toBe('active');
    // Until finalized, a draft's customer fields equal the customer's (Stripe.Invoice.customer_shipping).
    const address = {
      country: 'JP',
      postal_code: '150-0001',
      state: 'Tokyo',
      city: 'Shibuya-ku',
      line1: '1-1',
      line2: null,
    };
    await h.emulator.updateShipping(idOf(subscription.customer), { name: 'Jiro Suzuki', address });
    expect((await h.stripe.invoices.retrieve(draft.id)).customer_shipping).toMatchObject({
      name: 'Jiro Suzuki',
      address,
    });

    await h.stripe.subscriptions.update(subscription.id, { pause_collection: { behavior: 'mark_uncollectible' } });
    await h.emulator.settle();
    const from = h.events.length;
    renewed = await h.emulator.renewNow(subscription.id);
    expect(typesSince(h, from)).toEqual([
      'invoice.created',
      'customer.subscription.updated',
      'invoice.finalized',
      'invoice.marked_uncollectible',
    ]);
    expect(await h.stripe.invoices.retrieve(idOf(renewed.latest_invoice))).toMatchObject({
      status: 'uncollectible',
      status_transitions: { marked_uncollectible_at: expect.any(Number) },
    });
  });

  it('refuses what Stripe refuses', async () => {
    const subscription = await monthlySubscription();
    await expect(
      stripeError(h.stripe.subscriptions.update(subscription.id, { pause_collection: { behavior: 'skip' as never } })),
    ).resolves.toMatchObject({ statusCode: 400, param: 'pause_collection[behavior]' });
    await expect(
      stripeError(h.stripe.subscriptions.update(subscription.id, { pause_collection: { resumes_at: 1 } as never })),
    ).resolves.toMatchObject({ code: 'parameter_missing', param: 'pause_collection[behavior]' });
    await expect(
      stripeError(
        h.stripe.subscriptions.update(subscription.id, { pause_collection: { behavior: 'void', resumes_at: 1 } }),
      ),
    ).resolves.toMatchObject({ param: 'pause_collection[resumes_at]' });
    await h.emulator.cancelNow(subscription.id);
    await expect(
      stripeError(h.stripe.subscriptions.update(subscription.id, { pause_collection: { behavior: 'void' } })),
    ).resolves.toMatchObject({ statusCode: 400, type: 'StripeInvalidRequestError' });
    await expect(stripeError(h.stripe.subscriptions.update('sub_nope', { metadata: {} }))).resolves.toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
    });
  });
});

describe('POST /v1/subscriptions/:id/pause and /resume', () => {
  it('pause: status paused with status_details, a credit for the unused time, no renewal while paused', async () => {
    const subscription = await monthlySubscription();
    expect(subscription.billing_mode).toMatchObject({ type: 'flexible' });
    const from = h.events.length;
    const paused = await h.stripe.subscriptions.pause(subscription.id, {
      bill_for: { unused_time_from: { type: 'item_current_period_start' } },
    });
    await h.emulator.settle();
    expect(typesSince(h, from)).toEqual(['customer.subscription.updated', 'customer.subscription.paused']);
    expect(paused).toMatchObject({
      status: 'paused',
      status_details: { paused: { type: 'subscription', subscription: { type: 'pause_requested' } } },
    });
    await h.emulator.advanceTo(periodEnd(subscription) + 90 * 86_400);
    expect((await h.stripe.invoices.list({ subscription: subscription.id })).data).toHaveLength(1);
    await expect(h.emulator.renewNow(subscription.id)).rejects.toThrow(/is paused/);

    // Resume (billing_cycle_anchor now): a new period billed at once, less the credit for the unused period.
    const resumedFrom = h.events.length;
    const resumed = await h.stripe.subscriptions.resume(subscription.id);
    await h.emulator.settle();
    expect(typesSince(h, resumedFrom)).toEqual([
      'invoice.created',
      'invoice.finalized',
      'invoice.paid',
      'invoice.payment_succeeded',
      'customer.subscription.updated',
      'customer.subscription.resumed',
    ]);
    expect(resumed.status).toBe('active');
    expect(resumed).not.toHaveProperty('status_details');
    expect(resumed.billing_cycle_anchor).toBe(resumed.items.data[0]?.current_period_start);
    const invoice = await h.stripe.invoices.retrieve(idOf(resumed.latest_invoice));
    expect(invoice.lines.data.map((line) => line.amount)).toEqual([-1500, 1500]);
    expect(invoice).toMatchObject({ total: 0, amount_due: 0, status: 'paid' });
  });

  it('pause with bill_for none credits nothing; resume with billing_cycle_anchor unchanged keeps the period', async () => {
    const subscription = await monthlySubscription();
    await h.stripe.subscriptions.pause(subscription.id, { bill_for: { unused_time_from: { type: 'none' } } });
    const resumed = await h.stripe.subscriptions.resume(subscription.id, {
      billing_cycle_anchor: { type: 'unchanged' },
      proration_behavior: 'none',
    });
    expect(resumed.status).toBe('active');
    expect(resumed.items.data[0]?.current_period_end).toBe(periodEnd(subscription));
    expect(resumed.latest_invoice).toBe(subscription.latest_invoice);
  });

  it('invoicing_behavior invoice credits the unused time at once; resume_on_payment_success resumes once paid', async () => {
    const subscription = await monthlySubscription();
    const paused = await h.stripe.subscriptions.pause(subscription.id, {
      bill_for: { unused_time_from: { type: 'item_current_period_start' } },
      invoicing_behavior: 'invoice',
    });
    const credit = await h.stripe.invoices.retrieve(idOf(paused.latest_invoice));
    expect(credit).toMatchObject({ total: -1500, amount_due: 0, status: 'paid', ending_balance: -1500 });
    const customer = (await h.stripe.customers.retrieve(idOf(subscription.customer))) as Stripe.Customer;
    expect(customer.balance).toBe(-1500);
    const resumed = await h.stripe.subscriptions.resume(subscription.id, {
      payment_behavior: 'resume_on_payment_success',
    });
    expect(resumed.status).toBe('active');
    // The new period's invoice is paid from the balance.
    expect(await h.stripe.invoices.retrieve(idOf(resumed.latest_invoice))).toMatchObject({
      total: 1500,
      starting_balance: -1500,
      amount_due: 0,
      status: 'paid',
    });
  });

  it('refuses to pause classic subscriptions, paused collection, schedules; resume needs a paused one', async () => {
    const classic = await monthlySubscription({ subscription_data: { billing_mode: { type: 'classic' } } });
    expect(classic.billing_mode.type).toBe('classic');
    await expect(stripeError(h.stripe.subscriptions.pause(classic.id))).resolves.toMatchObject({ statusCode: 400 });
    const collecting = await monthlySubscription();
    await h.stripe.subscriptions.update(collecting.id, { pause_collection: { behavior: 'void' } });
    await expect(stripeError(h.stripe.subscriptions.pause(collecting.id))).resolves.toMatchObject({ statusCode: 400 });
    const scheduled = await monthlySubscription();
    await h.stripe.subscriptionSchedules.create({ from_subscription: scheduled.id });
    await expect(stripeError(h.stripe.subscriptions.pause(scheduled.id))).resolves.toMatchObject({
      message: 'Cannot pause subscriptions with attached schedules.',
    });
    await expect(stripeError(h.stripe.subscriptions.resume(collecting.id))).resolves.toMatchObject({ statusCode: 400 });
    const paused = await monthlySubscription();
    await h.stripe.subscriptions.pause(paused.id);
    await expect(
      stripeError(h.stripe.subscriptions.update(paused.id, { pause_collection: { behavior: 'void' } })),
    ).resolves.toMatchObject({ param: 'pause_collection' });
    await expect(
      stripeError(h.stripe.subscriptions.resume(paused.id, { billing_cycle_anchor: 'now' as never })),
    ).resolves.toMatchObject({ statusCode: 400, param: 'billing_cycle_anchor' });
  });
});
