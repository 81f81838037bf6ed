/**
 * The mechanisms the site's skip, pause and frequency change use (docs/changes.md), end to end in the emulator:
 * `pause_collection[behavior]=void` with `resumes_at` between renewals, and a schedule whose next phase starts at
 * the renewal with another interval, without proration.
 */
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

const DAY = 86_400;
const periodEnd = (subscription: Stripe.Subscription) => subscription.items.data[0]?.current_period_end ?? 0;
const VOIDED_RENEWAL_EVENTS = ['invoice.created', 'customer.subscription.updated', 'invoice.voided'];

describe('skip and pause with pause_collection (behavior void, resumes_at)', () => {
  it('a skip voids exactly the next renewal; the one after is charged; the invoice list shows it', async () => {
    const subscription = await paidSubscription(h, seeded(h.emulator).monthly.id);
    const skipped = periodEnd(subscription);
    const resumesAt = skipped + 15 * DAY;
    const from = h.events.length;
    // An idempotent replay (a double click) changes nothing more.
    const params = { pause_collection: { behavior: 'void' as const, resumes_at: resumesAt } };
    const first = await h.stripe.subscriptions.update(subscription.id, params, { idempotencyKey: 'skip-1' });
    const replay = await h.stripe.subscriptions.update(subscription.id, params, { idempotencyKey: 'skip-1' });
    expect(replay).toEqual(first);
    await h.emulator.settle();
    expect(typesSince(h, from)).toEqual(['customer.subscription.updated']);

    await h.emulator.advanceTo(skipped + 40 * DAY);
    expect(typesFor(h, subscription.id, from)).toEqual([
      'customer.subscription.updated',
      ...VOIDED_RENEWAL_EVENTS,
      'customer.subscription.updated',
      ...PAID_RENEWAL_EVENTS,
    ]);
    const invoices = await h.stripe.invoices.list({ subscription: subscription.id });
    expect(invoices.data.map((invoice) => [invoice.status, invoice.amount_paid, invoice.billing_reason])).toEqual([
      ['paid', 1500, 'subscription_cycle'],
      ['void', 0, 'subscription_cycle'],
      ['paid', 1500, 'subscription_create'],
    ]);
    const after = await h.stripe.subscriptions.retrieve(subscription.id);
    expect(after).toMatchObject({ status: 'active', pause_collection: null });
  });

  it('a pause over two renewals voids both, then charges; unsetting it early charges the next renewal', async () => {
    const subscription = await paidSubscription(h, seeded(h.emulator).monthly.id);
    const first = periodEnd(subscription);
    const paused = await h.stripe.subscriptions.update(subscription.id, {
      pause_collection: { behavior: 'void', resumes_at: first + 45 * DAY },
    });
    expect(paused).toMatchObject({ status: 'active', pause_collection: { behavior: 'void' } });
    await h.emulator.settle();
    let from = h.events.length;
    await h.emulator.advanceTo(first + 35 * DAY);
    expect(typesFor(h, subscription.id, from)).toEqual([...VOIDED_RENEWAL_EVENTS, ...VOIDED_RENEWAL_EVENTS]);
    // Resume early: pause_collection= unsets it, the next renewal is charged.
    await h.stripe.subscriptions.update(subscription.id, { pause_collection: '' });
    await h.emulator.settle();
    from = h.events.length;
    await h.emulator.renewNow(subscription.id);
    expect(typesSince(h, from)).toEqual(PAID_RENEWAL_EVENTS);
  });
});

describe('a frequency change with a schedule (next phase at the renewal, proration none)', () => {
  it('charges nothing now; the renewal bills the new price and starts a period of the new interval', async () => {
    const { monthly, bimonthly } = seeded(h.emulator);
    const subscription = await paidSubscription(h, monthly.id);
    const schedule = await h.stripe.subscriptionSchedules.create({ from_subscription: subscription.id });
    const current = schedule.phases[0];
    await h.emulator.settle();
    const from = h.events.length;
    await h.stripe.subscriptionSchedules.update(schedule.id, {
      end_behavior: 'release',
      phases: [
        { items: [{ price: monthly.id, quantity: 1 }], start_date: current?.start_date, end_date: current?.end_date },
        { items: [{ price: bimonthly.id, quantity: 1 }], proration_behavior: 'none' },
      ],
    });
    await h.emulator.settle();
    expect(typesSince(h, from)).toEqual(['subscription_schedule.updated']);
    expect((await h.stripe.invoices.list({ subscription: subscription.id })).data).toHaveLength(1);

    const renewed = await h.emulator.renewNow(subscription.id);
    const item = renewed.items.data[0];
    expect(item?.price.id).toBe(bimonthly.id);
    expect(item?.current_period_start).toBe(periodEnd(subscription));
    const months = (seconds: number) =>
      new Date(seconds * 1000).getUTCMonth() + new Date(seconds * 1000).getUTCFullYear() * 12;
    expect(months(item?.current_period_end ?? 0) - months(item?.current_period_start ?? 0)).toBe(2);
    expect(await h.stripe.invoices.retrieve(idOf(renewed.latest_invoice))).toMatchObject({
      billing_reason: 'subscription_cycle',
      status: 'paid',
      amount_paid: bimonthly.unit_amount,
    });
  });

  it('a schedule owns the cancellation; pause_collection still applies to a scheduled subscription', async () => {
    const { monthly } = seeded(h.emulator);
    const subscription = await paidSubscription(h, monthly.id);
    const schedule = await h.stripe.subscriptionSchedules.create({ from_subscription: subscription.id });
    await expect(
      stripeError(h.stripe.subscriptions.update(subscription.id, { cancel_at_period_end: true })),
    ).resolves.toMatchObject({
      statusCode: 400,
      type: 'StripeInvalidRequestError',
      message: expect.stringContaining(`managed by the subscription schedule \`${schedule.id}\``),
    });
    const paused = await h.stripe.subscriptions.update(subscription.id, { pause_collection: { behavior: 'void' } });
    expect(paused.pause_collection?.behavior).toBe('void');
    await h.stripe.subscriptionSchedules.release(schedule.id);
    const canceling = await h.stripe.subscriptions.update(subscription.id, { cancel_at_period_end: true });
    expect(canceling.cancel_at_period_end).toBe(true);
  });
});

describe('renewal dates', () => {
  it('keep the billing cycle anchor’s day of the month: January 31, February 28, March 31', async () => {
    const subscription = await paidSubscription(h, seeded(h.emulator).monthly.id);
    const anchor = Date.UTC(2027, 0, 31, 3) / 1000;
    const stored = h.emulator.state.subscriptions.get(subscription.id);
    if (!stored) throw new Error('no subscription');
    stored.billing_cycle_anchor = anchor;
    for (const entry of stored.items.data) {
      entry.current_period_start = anchor - 31 * DAY;
      entry.current_period_end = anchor;
    }
    const ends: string[] = [];
    for (let renewal = 0; renewal < 3; renewal++)
      ends.push(new Date(periodEnd(await h.emulator.renewNow(subscription.id)) * 1000).toISOString().slice(0, 10));
    expect(ends).toEqual(['2027-02-28', '2027-03-31', '2027-04-30']);
  });
});
