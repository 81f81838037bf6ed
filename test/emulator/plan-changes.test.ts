/** Changing the price (a delivery frequency): POST /v1/subscriptions/:id with items, and subscription schedules. */
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

const item = (subscription: Stripe.Subscription) => {
  const first = subscription.items.data[0];
  if (!first) throw new Error('no item');
  return first;
};

/** Moves a subscription's period so that a change "now" falls halfway through it. */
function halfwayThrough(subscription: Stripe.Subscription): void {
  const stored = h.emulator.state.subscriptions.get(subscription.id);
  const now = Math.floor(Date.now() / 1000);
  for (const entry of stored?.items.data ?? []) {
    entry.current_period_start = now - 15 * 86_400;
    entry.current_period_end = now + 15 * 86_400;
  }
}

describe('POST /v1/subscriptions/:id with items', () => {
  it('same interval, create_prorations: the price changes now, the prorations wait for the next invoice', async () => {
    const { monthly, gold } = seeded(h.emulator);
    const subscription = await paidSubscription(h, monthly.id);
    halfwayThrough(subscription);
    const from = h.events.length;
    const changed = await h.stripe.subscriptions.update(subscription.id, {
      items: [{ id: item(subscription).id, price: gold.id }],
    });
    await h.emulator.settle();
    expect(typesSince(h, from)).toEqual(['customer.subscription.updated']);
    expect(item(changed).price.id).toBe(gold.id);
    expect(changed.latest_invoice).toBe(subscription.latest_invoice);
    const renewed = await h.emulator.renewNow(subscription.id);
    const invoice = await h.stripe.invoices.retrieve(idOf(renewed.latest_invoice));
    expect(invoice.lines.data.map((line) => [line.amount, line.parent?.subscription_item_details?.proration])).toEqual([
      [-750, true],
      [1000, true],
      [2000, false],
    ]);
    expect(invoice.lines.data[0]?.description).toMatch(/^Unused time on 1 × 毎月のコーヒー豆 after \d{4}-\d{2}-\d{2}$/);
    expect(invoice).toMatchObject({ total: 2250, amount_paid: 2250, billing_reason: 'subscription_cycle' });
  });

  it('none: no prorations, the period stays; always_invoice: the prorations are invoiced at once', async () => {
    const { monthly, gold } = seeded(h.emulator);
    const subscription = await paidSubscription(h, monthly.id);
    const none = await h.stripe.subscriptions.update(subscription.id, {
      items: [{ id: item(subscription).id, price: gold.id }],
      proration_behavior: 'none',
    });
    expect(item(none).current_period_end).toBe(item(subscription).current_period_end);
    expect(h.emulator.state.pendingProrations.has(subscription.id)).toBe(false);

    halfwayThrough(subscription);
    await h.emulator.settle();
    const from = h.events.length;
    const invoiced = await h.stripe.subscriptions.update(subscription.id, {
      items: [{ id: item(subscription).id, price: monthly.id }],
      proration_behavior: 'always_invoice',
    });
    await h.emulator.settle();
    expect(typesSince(h, from)).toEqual([
      'customer.subscription.updated',
      'invoice.created',
      'invoice.finalized',
      'invoice.paid',
      'invoice.payment_succeeded',
    ]);
    const invoice = await h.stripe.invoices.retrieve(idOf(invoiced.latest_invoice));
    // A credit larger than the debit leaves nothing due and credits the customer's balance.
    expect(invoice).toMatchObject({
      billing_reason: 'subscription_update',
      total: -250,
      amount_due: 0,
      ending_balance: -250,
    });
    expect(invoice.lines.data.map((line) => line.amount)).toEqual([-1000, 750]);
  });

  it('a different interval keeps the period in flexible billing mode, resets it and invoices at once in classic', async () => {
    const { monthly, yearly } = seeded(h.emulator);
    const flexible = await paidSubscription(h, monthly.id);
    const kept = await h.stripe.subscriptions.update(flexible.id, {
      items: [{ id: item(flexible).id, price: yearly.id }],
      proration_behavior: 'none',
    });
    expect(kept.billing_cycle_anchor).toBe(flexible.billing_cycle_anchor);
    expect(item(kept).current_period_end).toBe(item(flexible).current_period_end);
    expect(kept.latest_invoice).toBe(flexible.latest_invoice);

    const classic = await paidSubscription(h, monthly.id, { subscription_data: { billing_mode: { type: 'classic' } } });
    const reset = await h.stripe.subscriptions.update(classic.id, {
      items: [{ id: item(classic).id, price: yearly.id }],
      proration_behavior: 'none',
    });
    expect(reset.billing_cycle_anchor).toBeGreaterThanOrEqual(classic.created);
    expect(item(reset).current_period_start).toBe(reset.billing_cycle_anchor);
    expect(item(reset).current_period_end - item(reset).current_period_start).toBeGreaterThan(364 * 86_400);
    const invoice = await h.stripe.invoices.retrieve(idOf(reset.latest_invoice));
    expect(invoice).toMatchObject({ billing_reason: 'subscription_update', total: 15000, status: 'paid' });

    const anchored = await h.stripe.subscriptions.update(flexible.id, {
      billing_cycle_anchor: { type: 'now' },
      proration_behavior: 'none',
    });
    expect(await h.stripe.invoices.retrieve(idOf(anchored.latest_invoice))).toMatchObject({ total: 15000 });
  });

  it('refuses unknown items, unknown, inactive, one-time and other-currency prices', async () => {
    const { monthly, usd } = seeded(h.emulator);
    const subscription = await paidSubscription(h, monthly.id);
    const id = item(subscription).id;
    const update = (items: Stripe.SubscriptionUpdateParams.Item[]) =>
      stripeError(h.stripe.subscriptions.update(subscription.id, { items }));
    await expect(update([{ id: 'si_nope', price: monthly.id }])).resolves.toMatchObject({
      code: 'resource_missing',
      param: 'items[0][id]',
    });
    await expect(update([{ id, price: 'price_nope' }])).resolves.toMatchObject({
      code: 'resource_missing',
      param: 'items[0][price]',
    });
    const retired = h.emulator.addProduct({
      name: 'Retired',
      unit_amount: 900,
      currency: 'jpy',
      interval: 'month',
      price_active: false,
    });
    await expect(update([{ id, price: retired.prices[0]?.id ?? '' }])).resolves.toMatchObject({
      message: 'The price specified is inactive. This field only accepts active prices.',
      param: 'items[0][price]',
    });
    const once = h.emulator.addProduct({ name: 'Mug', unit_amount: 1200, currency: 'jpy', interval: null });
    await expect(update([{ id, price: once.prices[0]?.id ?? '' }])).resolves.toMatchObject({
      message:
        'The price specified is set to `type=one_time` but this field only accepts prices with `type=recurring`.',
    });
    await expect(update([{ id, price: usd.id }])).resolves.toMatchObject({ param: 'items[0][price]' });
    await expect(
      stripeError(h.stripe.subscriptions.update(subscription.id, { proration_behavior: 'sometimes' as never })),
    ).resolves.toMatchObject({ param: 'proration_behavior' });
    // At this API version the anchor is an object (`billing_cycle_anchor[type]`), not a string.
    await expect(
      stripeError(h.stripe.subscriptions.update(subscription.id, { billing_cycle_anchor: 'now' as never })),
    ).resolves.toMatchObject({ param: 'billing_cycle_anchor' });
  });
});

describe('POST /v1/subscriptions/:id, other fields', () => {
  it('metadata sets and unsets keys, even on a canceled subscription; anything else on one is refused', async () => {
    const { monthly } = seeded(h.emulator);
    const subscription = await paidSubscription(h, monthly.id);
    const tagged = await h.stripe.subscriptions.update(subscription.id, {
      metadata: { delivery: 'tuesday', note: 'x' },
    });
    expect(tagged.metadata).toEqual({ delivery: 'tuesday', note: 'x' });
    const untagged = await h.stripe.subscriptions.update(subscription.id, { metadata: { note: '' } });
    expect(untagged.metadata).toEqual({ delivery: 'tuesday' });
    const ending = await h.stripe.subscriptions.update(subscription.id, { cancel_at_period_end: true });
    expect(ending).toMatchObject({ cancel_at_period_end: true, cancel_at: item(subscription).current_period_end });
    await h.emulator.cancelNow(subscription.id);
    expect((await h.stripe.subscriptions.update(subscription.id, { metadata: { closed: 'yes' } })).metadata).toEqual({
      delivery: 'tuesday',
      closed: 'yes',
    });
    await expect(
      stripeError(h.stripe.subscriptions.update(subscription.id, { cancel_at_period_end: false })),
    ).resolves.toMatchObject({ statusCode: 400, type: 'StripeInvalidRequestError' });
  });
});

describe('subscription schedules', () => {
  it('from_subscription: one phase, the current period; the subscription names its schedule', async () => {
    const { monthly } = seeded(h.emulator);
    const subscription = await paidSubscription(h, monthly.id);
    const from = h.events.length;
    const schedule = await h.stripe.subscriptionSchedules.create({ from_subscription: subscription.id });
    await h.emulator.settle();
    expect(typesSince(h, from)).toEqual(['subscription_schedule.created', 'customer.subscription.updated']);
    expect(schedule).toMatchObject({
      id: expect.stringMatching(/^sub_sched_/),
      status: 'active',
      end_behavior: 'release',
      subscription: subscription.id,
      current_phase: {
        start_date: item(subscription).current_period_start,
        end_date: item(subscription).current_period_end,
      },
      phases: [{ items: [{ price: monthly.id, quantity: 1 }], end_date: item(subscription).current_period_end }],
    });
    expect((await h.stripe.subscriptions.retrieve(subscription.id)).schedule).toBe(schedule.id);
    expect((await h.stripe.subscriptionSchedules.retrieve(schedule.id)).id).toBe(schedule.id);
    await expect(
      stripeError(h.stripe.subscriptionSchedules.create({ from_subscription: subscription.id })),
    ).resolves.toMatchObject({
      statusCode: 400,
      param: 'from_subscription',
      message: expect.stringContaining('already attached to a schedule'),
    });
  });

  it('a next phase at another price: the renewal where it starts bills the new price (subscription_cycle), then it is released', async () => {
    const { monthly, gold } = seeded(h.emulator);
    const subscription = await paidSubscription(h, monthly.id);
    const schedule = await h.stripe.subscriptionSchedules.create({ from_subscription: subscription.id });
    const current = schedule.phases[0];
    await h.stripe.subscriptionSchedules.update(schedule.id, {
      end_behavior: 'release',
      phases: [
        { items: [{ price: monthly.id, quantity: 1 }], start_date: current?.start_date, end_date: current?.end_date },
        { items: [{ price: gold.id, quantity: 1 }], duration: { interval: 'month', interval_count: 1 } },
      ],
    });
    expect(item(await h.stripe.subscriptions.retrieve(subscription.id)).price.id).toBe(monthly.id);
    await h.emulator.settle();

    let from = h.events.length;
    const renewed = await h.emulator.renewNow(subscription.id);
    expect(typesSince(h, from)).toEqual(['subscription_schedule.updated', ...PAID_RENEWAL_EVENTS]);
    expect(item(renewed).price.id).toBe(gold.id);
    expect(await h.stripe.invoices.retrieve(idOf(renewed.latest_invoice))).toMatchObject({
      billing_reason: 'subscription_cycle',
      amount_paid: 2000,
    });
    const updatedEvent = h.events.slice(from).find((event) => event.type === 'customer.subscription.updated');
    expect((updatedEvent?.data.previous_attributes as Partial<Stripe.Subscription>).items?.data[0]?.price.id).toBe(
      monthly.id,
    );

    from = h.events.length;
    await h.emulator.advanceTo(item(renewed).current_period_end);
    expect(typesFor(h, subscription.id, from)).toEqual(['subscription_schedule.released', ...PAID_RENEWAL_EVENTS]);
    expect(await h.stripe.subscriptionSchedules.retrieve(schedule.id)).toMatchObject({
      status: 'released',
      released_subscription: subscription.id,
      subscription: null,
    });
    expect((await h.stripe.subscriptions.retrieve(subscription.id)).schedule).toBeNull();
  });

  it('a phase ending mid-period changes the price then (prorated); end_behavior cancel ends the subscription with the last phase', async () => {
    const { monthly, gold } = seeded(h.emulator);
    const subscription = await paidSubscription(h, monthly.id);
    const schedule = await h.stripe.subscriptionSchedules.create({ from_subscription: subscription.id });
    const start = schedule.phases[0]?.start_date ?? 0;
    const midway = start + 10 * 86_400;
    await h.stripe.subscriptionSchedules.update(schedule.id, {
      end_behavior: 'cancel',
      phases: [
        { items: [{ price: monthly.id }], start_date: start, end_date: midway },
        { items: [{ price: gold.id }], end_date: midway + 60 * 86_400, proration_behavior: 'create_prorations' },
      ],
    });
    expect((await h.stripe.subscriptions.retrieve(subscription.id)).cancel_at).toBe(midway + 60 * 86_400);
    await h.emulator.settle();
    let from = h.events.length;
    await h.emulator.advanceTo(midway);
    expect(typesFor(h, subscription.id, from)).toEqual([
      'subscription_schedule.updated',
      'customer.subscription.updated',
    ]);
    expect(item(await h.stripe.subscriptions.retrieve(subscription.id)).price.id).toBe(gold.id);
    expect(h.emulator.state.pendingProrations.get(subscription.id)?.map((line) => line.amount)).toHaveLength(2);

    from = h.events.length;
    await h.emulator.advanceTo(midway + 60 * 86_400);
    expect(typesFor(h, subscription.id, from)).toEqual([
      ...PAID_RENEWAL_EVENTS,
      ...PAID_RENEWAL_EVENTS,
      'customer.subscription.deleted',
      'subscription_schedule.completed',
    ]);
    expect(await h.stripe.subscriptionSchedules.retrieve(schedule.id)).toMatchObject({ status: 'completed' });
    expect(await h.stripe.subscriptions.retrieve(subscription.id)).toMatchObject({
      status: 'canceled',
      ended_at: midway + 60 * 86_400,
    });
  });

  it('refuses a moved current phase, a phase in the past, unknown prices; release and cancel', async () => {
    const { monthly, gold } = seeded(h.emulator);
    const subscription = await paidSubscription(h, monthly.id);
    halfwayThrough(subscription);
    const schedule = await h.stripe.subscriptionSchedules.create({ from_subscription: subscription.id });
    const current = schedule.phases[0];
    const update = (phases: Stripe.SubscriptionScheduleUpdateParams.Phase[]) =>
      stripeError(h.stripe.subscriptionSchedules.update(schedule.id, { phases }));
    await expect(
      update([
        {
          items: [{ price: monthly.id }],
          start_date: (current?.start_date ?? 0) - 86_400,
          end_date: current?.end_date,
        },
      ]),
    ).resolves.toMatchObject({
      param: 'phases[0][start_date]',
      message: 'You can not modify the start date of the current phase.',
    });
    await expect(
      update([
        {
          items: [{ price: monthly.id }],
          start_date: current?.start_date,
          end_date: (current?.start_date ?? 0) + 86_400,
        },
      ]),
    ).resolves.toMatchObject({
      param: 'phases[0][end_date]',
      message: 'You cannot add a phase that ends in the past.',
    });
    await expect(
      update([{ items: [{ price: 'price_nope' }], start_date: current?.start_date, end_date: current?.end_date }]),
    ).resolves.toMatchObject({ code: 'resource_missing', param: 'phases[0][items][0][price]' });
    await expect(update([{ items: [], start_date: current?.start_date }])).resolves.toMatchObject({
      code: 'parameter_missing',
    });

    const released = await h.stripe.subscriptionSchedules.release(schedule.id);
    expect(released).toMatchObject({ status: 'released', released_subscription: subscription.id });
    await expect(
      stripeError(h.stripe.subscriptionSchedules.update(schedule.id, { end_behavior: 'cancel' })),
    ).resolves.toMatchObject({ statusCode: 400 });

    // end_behavior cancel ends the subscription with the last phase; cancel ends both now.
    const second = await paidSubscription(h, monthly.id);
    const other = await h.stripe.subscriptionSchedules.create({ from_subscription: second.id });
    const scheduled = await h.stripe.subscriptionSchedules.update(other.id, {
      end_behavior: 'cancel',
      phases: [
        { items: [{ price: gold.id }], start_date: other.phases[0]?.start_date, end_date: other.phases[0]?.end_date },
      ],
      proration_behavior: 'none',
    });
    expect(scheduled.end_behavior).toBe('cancel');
    expect(await h.stripe.subscriptions.retrieve(second.id)).toMatchObject({ cancel_at: other.phases[0]?.end_date });
    await h.emulator.settle();
    const from = h.events.length;
    const canceled = await h.stripe.subscriptionSchedules.cancel(other.id);
    await h.emulator.settle();
    expect(typesSince(h, from)).toEqual(['customer.subscription.deleted', 'subscription_schedule.canceled']);
    expect(canceled).toMatchObject({ status: 'canceled', canceled_at: expect.any(Number) });
    expect((await h.stripe.subscriptions.retrieve(second.id)).status).toBe('canceled');
  });
});
