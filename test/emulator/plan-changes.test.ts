/** Changing the price (a delivery frequency): POST /v1/subscriptions/:id with items. */
import type Stripe from 'stripe';
import { beforeEach, describe, expect, it } from 'vitest';
import { seeded, stripeError, subscribe, typesSince, useEmulator } from './helpers.ts';
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
    const subscription = await subscribe(h, monthly.id);
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
    const subscription = await subscribe(h, monthly.id);
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
    const flexible = await subscribe(h, monthly.id);
    const kept = await h.stripe.subscriptions.update(flexible.id, {
      items: [{ id: item(flexible).id, price: yearly.id }],
      proration_behavior: 'none',
    });
    expect(kept.billing_cycle_anchor).toBe(flexible.billing_cycle_anchor);
    expect(item(kept).current_period_end).toBe(item(flexible).current_period_end);
    expect(kept.latest_invoice).toBe(flexible.latest_invoice);

    const classic = await subscribe(h, monthly.id, { subscription_data: { billing_mode: { type: 'classic' } } });
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
    const subscription = await subscribe(h, monthly.id);
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
    const subscription = await subscribe(h, monthly.id);
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
