import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { fakeStripeSecret } from '../support/fake-secrets.ts';
import { seededPrice } from '../support/shop.ts';
import { TEST_WEBHOOK_SECRET, useStack } from '../support/stack.ts';
import { deliver, eventPayload } from '../support/webhook.ts';
import { idOf } from '../../dev/stripe-emulator/state.ts';
import { stripeOn } from '../support/emulator.ts';

/** Runs `tasks` with at most `limit` in flight. */
async function pool<T>(tasks: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      for (let index = next++; index < tasks.length; index = next++) {
        const task = tasks[index];
        if (task) results[index] = await task();
      }
    }),
  );
  return results;
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    const [a, b] = [items[i], items[j]];
    if (a !== undefined && b !== undefined) [items[i], items[j]] = [b, a];
  }
  return items;
}

describe('webhook storm: 240 concurrent deliveries, duplicated, shuffled, partly forged', () => {
  type Delivery = { id: string; payload: string; secret: string };
  const ctx = useStack();

  it('applies each valid event exactly once (counted), no forged one, and ends in Stripe’s state', async () => {
    const { emulator } = ctx.stack;
    // Eight subscribers whose own webhooks are dropped: the storm below is all the site hears.
    emulator.pauseWebhooks();
    const stripe = stripeOn(emulator);
    const subscriptions: Stripe.Subscription[] = [];
    for (let i = 0; i < 8; i++) {
      const session = await stripe.checkout.sessions.create({
        mode: 'subscription',
        line_items: [{ price: seededPrice(emulator, 1500), quantity: 1 }],
        success_url: `${ctx.stack.url}/thanks`,
        customer_email: `storm${i}@example.com`,
      });
      const paid = await emulator.completeCheckout(session.id);
      const subscription = emulator.state.subscriptions.get(idOf(paid.subscription));
      if (subscription) subscriptions.push(subscription);
    }
    for (const subscription of subscriptions.slice(0, 4)) await emulator.failNextRenewal(subscription.id);
    for (const subscription of subscriptions.slice(4, 6)) await emulator.cancelNow(subscription.id);
    const customers = Array.from({ length: 20 }, (_, i) => emulator.addCustomer({ email: `crowd${i}@example.com` }));
    emulator.reset();

    const valid: Delivery[] = [];
    for (const [i, subscription] of subscriptions.entries()) {
      for (let n = 0; n < 10; n++) {
        const id = `evt_storm_sub_${i}_${n}`;
        // Stale payloads on purpose: the site must re-read, not trust them.
        valid.push({
          id,
          payload: eventPayload(id, 'customer.subscription.updated', {
            id: subscription.id,
            object: 'subscription',
            customer: subscription.customer,
            status: 'active',
          }),
          secret: TEST_WEBHOOK_SECRET,
        });
      }
    }
    for (const [i, customer] of customers.entries()) {
      const id = `evt_storm_cus_${i}`;
      valid.push({ id, payload: eventPayload(id, 'customer.created', { ...customer }), secret: TEST_WEBHOOK_SECRET });
    }
    const duplicates = Array.from({ length: 60 }, (_, i) => valid[(i * 7) % valid.length]);
    const attacker = fakeStripeSecret('whsec');
    const forged = Array.from({ length: 80 }, (_, i) => {
      const id = `evt_storm_forged_${i}`;
      return {
        id,
        payload: eventPayload(id, 'customer.created', { id: `cus_forged${i}`, object: 'customer' }),
        secret: attacker,
      };
    });
    const all = shuffle([...valid, ...duplicates, ...forged]);

    // Delivered as Stripe delivers: each on its own connection, 32 at a time, and any non-2xx
    // answer (503 while another delivery of the same event is being applied) retried later.
    const deliverLikeStripe = async (d: Delivery) => {
      for (let attempt = 1; ; attempt++) {
        const { status } = await deliver(ctx.stack.url, d.payload, { secret: d.secret });
        if (status < 500 || attempt === 20) return { id: d.id, status, attempt };
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      }
    };
    const statuses = await pool(
      all.flatMap((d) => (d ? [() => deliverLikeStripe(d)] : [])),
      32,
    );

    const forgedIds = new Set(forged.map((d) => d.id));
    expect(statuses.filter((s) => forgedIds.has(s.id)).every((s) => s.status === 400)).toBe(true);
    expect(statuses.filter((s) => !forgedIds.has(s.id)).every((s) => s.status === 200)).toBe(true);

    // Exactly once, counted: one applied side effect per distinct valid event, however many copies
    // arrived at once. Each application logs one "processed" line, makes one Stripe read and leaves
    // one processed-event row.
    const processedLines = ctx.stack.worker
      .jsonLogs()
      .filter((l) => l.msg === 'webhook' && l.outcome === 'processed')
      .map((l) => String(l.event_id));
    expect(processedLines.length).toBe(valid.length);
    expect(new Set(processedLines)).toEqual(new Set(valid.map((d) => d.id)));
    expect(await ctx.inspect.processedEventCount()).toBe(valid.length);
    const reads = (path: string) => emulator.requests.filter((r) => r.method === 'GET' && r.path === path).length;
    expect(reads('/v1/subscriptions')).toBe(subscriptions.length * 10);
    expect(reads('/v1/customers')).toBe(customers.length);
    for (const { id } of valid) expect(await ctx.inspect.processedEvent(id)).toEqual({ expiresAt: expect.any(Number) });
    expect(JSON.stringify(await ctx.inspect.snapshot())).not.toContain('forged');
    expect(ctx.stack.worker.jsonLogs().some((l) => l.outcome === 'failed')).toBe(false);

    // The state is Stripe's, whatever the payloads said and whatever the order.
    for (const subscription of subscriptions) {
      const record = await ctx.inspect.record(idOf(subscription.customer));
      expect(record?.status).toBe(emulator.state.subscriptions.get(subscription.id)?.status);
    }
    expect(await ctx.inspect.sharedCustomer()).toBe(customers.at(-1)?.id);
  });
});
