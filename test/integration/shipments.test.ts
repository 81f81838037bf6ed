/** Shipments: one per paid delivery invoice, whatever the deliveries; called off by refunds; found by the run. */
import { beforeEach, describe, expect, it } from 'vitest';
import { idOf } from '../../dev/stripe-emulator/state.ts';
import { stripeOn } from '../support/emulator.ts';
import { seededPrice, subscriptionOf } from '../support/shop.ts';
import { TEST_WEBHOOK_SECRET, useStack, type Stack } from '../support/stack.ts';
import { deliver } from '../support/webhook.ts';

const ctx = useStack({ SHIPPING_COUNTRIES: 'JP' });
beforeEach(() => ctx.stack.emulator.reset());

/** A subscriber as Checkout makes one (address and phone collected), with webhooks as the emulator sends them. */
async function subscriber(stack: Stack, email: string, price = seededPrice(stack.emulator, 1500)) {
  const stripe = stripeOn(stack.emulator);
  const session = await stripe.checkout.sessions.create({
    mode: 'subscription',
    line_items: [{ price, quantity: 1 }],
    success_url: `${stack.url}/thanks`,
    customer_email: email,
    shipping_address_collection: { allowed_countries: ['JP'] },
    phone_number_collection: { enabled: true },
  });
  const paid = await stack.emulator.completeCheckout(session.id);
  const subscription = stack.emulator.state.subscriptions.get(idOf(paid.subscription));
  if (!subscription) throw new Error('no subscription');
  return { subscription, customerId: idOf(paid.customer) };
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

/** Delivers as Stripe does: concurrently, and a non-2xx answer (503 while a twin is applied) retried. */
async function deliverAll(url: string, payloads: string[], concurrency = 16): Promise<number[]> {
  const statuses: number[] = [];
  const queue = [...payloads];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let payload = queue.shift(); payload; payload = queue.shift()) {
        for (let attempt = 1; ; attempt++) {
          const { status } = await deliver(url, payload, { secret: TEST_WEBHOOK_SECRET });
          if (status < 500 || attempt === 20) {
            statuses.push(status);
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, 40 * attempt));
        }
      }
    }),
  );
  return statuses;
}

const paidInvoicesOf = (stack: Stack, customerIds: readonly string[]) =>
  [...stack.emulator.state.invoices.values()].filter(
    (invoice) => invoice.status === 'paid' && customerIds.includes(idOf(invoice.customer)),
  );

describe('shipments from paid invoices', () => {
  it('50+ duplicated, shuffled, concurrent invoice.paid and invoice.payment_succeeded deliveries make exactly one per delivery invoice', async () => {
    const { emulator } = ctx.stack;
    emulator.pauseWebhooks();
    const subscribers = [];
    for (let i = 0; i < 4; i++) subscribers.push(await subscriber(ctx.stack, `parcel${i}@example.com`));
    // Two renewals (subscription_cycle) and a plan change invoiced at once (subscription_update: no parcel).
    const [first, second] = subscribers;
    if (!first || !second) throw new Error('no subscribers');
    await emulator.renewNow(first.subscription.id);
    await emulator.renewNow(second.subscription.id);
    const item = second.subscription.items.data[0];
    await stripeOn(emulator).subscriptions.update(second.subscription.id, {
      items: [{ id: item?.id ?? '', price: seededPrice(emulator, 2000) }],
      proration_behavior: 'always_invoice',
    });
    const customers = subscribers.map((s) => s.customerId);
    const invoices = paidInvoicesOf(ctx.stack, customers);
    const proration = invoices.find((invoice) => invoice.billing_reason === 'subscription_update');
    expect(proration).toBeDefined();
    const deliveries = invoices.filter((invoice) => invoice.billing_reason !== 'subscription_update');
    expect(deliveries).toHaveLength(6);

    const events = emulator.state.events.filter(
      (event) =>
        (event.type === 'invoice.paid' || event.type === 'invoice.payment_succeeded') &&
        customers.includes(idOf(event.data.object.customer)),
    );
    expect(events).toHaveLength(invoices.length * 2);
    // What Stripe sent, dropped by the pause: now each event three or four times, shuffled, at once.
    emulator.reset();
    const payloads = shuffle(events.flatMap((event, i) => Array<string>(i % 3 ? 4 : 3).fill(JSON.stringify(event))));
    expect(payloads.length).toBeGreaterThanOrEqual(50);
    const statuses = await deliverAll(ctx.stack.url, payloads);
    expect(statuses.every((status) => status === 200)).toBe(true);

    const shipments = await ctx.inspect.shipments();
    expect(shipments.map((s) => s.id).sort()).toEqual(deliveries.map((invoice) => invoice.id).sort());
    expect(shipments.every((s) => s.status === 'to_ship' && s.shipTo.address.line1 && s.phone)).toBe(true);
    // Each invoice.paid read its invoice once; invoice.payment_succeeded read none.
    const invoiceReads = emulator.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/v1/invoices/in_'));
    expect(invoiceReads).toHaveLength(invoices.length);
    expect(shipments.find((s) => s.id === proration?.id)).toBeUndefined();
  });

  it('records an invoice marked paid out of band (invoice.paid alone)', async () => {
    const { emulator } = ctx.stack;
    const { subscription } = await subscriber(ctx.stack, 'outofband@example.com');
    await emulator.failNextRenewal(subscription.id);
    const open = emulator.state.invoices.get(idOf(emulator.state.subscriptions.get(subscription.id)?.latest_invoice));
    expect(open?.status).toBe('open');
    await emulator.payOutOfBand(open?.id ?? '');
    await emulator.settle();
    const parcels = (await ctx.inspect.shipments()).filter((s) => s.subscriptionId === subscription.id);
    expect(parcels.map((s) => s.id)).toContain(open?.id);
  });

  it('calls a parcel off when its payment is refunded before it ships; a shipped one stays, the refund beside it', async () => {
    const { emulator } = ctx.stack;
    const refunded = await subscriber(ctx.stack, 'refunded@example.com');
    const kept = await subscriber(ctx.stack, 'kept@example.com');
    await emulator.settle();
    const parcelOf = async (subscriptionId: string) =>
      (await ctx.inspect.shipments()).find((s) => s.subscriptionId === subscriptionId);
    expect((await parcelOf(refunded.subscription.id))?.status).toBe('to_ship');

    await emulator.refundLatestPayment(refunded.subscription.id);
    await emulator.settle();
    expect(await parcelOf(refunded.subscription.id)).toMatchObject({
      status: 'cancelled',
      refund: { amount: 1500, currency: 'jpy', full: true },
    });

    const parcel = await parcelOf(kept.subscription.id);
    await ctx.arrange.shipped({ invoiceId: parcel?.id ?? '', carrier: 'yamato', trackingNumber: '123456789012' });
    await emulator.refundLatestPayment(kept.subscription.id);
    await emulator.settle();
    expect(await parcelOf(kept.subscription.id)).toMatchObject({
      status: 'shipped',
      trackingNumber: '123456789012',
      refund: { amount: 1500, full: true },
    });
  });

  it('calls a parcel off for a credit note of the whole amount, not for a partial one', async () => {
    const { emulator } = ctx.stack;
    const { subscription } = await subscriber(ctx.stack, 'credited@example.com');
    await emulator.settle();
    const invoiceId = idOf(subscriptionOf(emulator, subscription.customer as string)?.latest_invoice);
    await emulator.createCreditNote(invoiceId, 500);
    await emulator.settle();
    const parcel = async () => (await ctx.inspect.shipments()).find((s) => s.id === invoiceId);
    expect(await parcel()).toMatchObject({ status: 'to_ship', refund: { amount: 500, full: false } });
    await emulator.createCreditNote(invoiceId, 1000);
    await emulator.settle();
    expect(await parcel()).toMatchObject({ status: 'cancelled', refund: { amount: 1500, full: true } });
  });

  it('the hourly run finds a paid invoice whose events were all lost', async () => {
    const { emulator } = ctx.stack;
    emulator.pauseWebhooks();
    const { subscription } = await subscriber(ctx.stack, 'lost@example.com');
    emulator.reset();
    const invoiceId = idOf(subscription.latest_invoice);
    expect((await ctx.inspect.shipments()).some((s) => s.id === invoiceId)).toBe(false);
    await ctx.stack.worker.scheduled();
    expect((await ctx.inspect.shipments()).find((s) => s.id === invoiceId)).toMatchObject({ status: 'to_ship' });
    // One list call for the run's shipments, newest paid invoices of the last days.
    const lists = emulator.requests.filter((r) => r.method === 'GET' && r.path === '/v1/invoices');
    expect(lists).toHaveLength(1);
    const line = ctx.stack.worker.jsonLogs().findLast((l) => l.msg === 'reconcile');
    expect(line).toMatchObject({ shipmentsFound: 1, shipmentsFailed: 0 });
  });
});
