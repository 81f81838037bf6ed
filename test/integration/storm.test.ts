import { describe, expect, it } from 'vitest';
import { TEST_WEBHOOK_SECRET } from '../support/stack.ts';
import { useStack } from '../support/use-stack.ts';
import { deliver, eventPayload } from '../support/webhook.ts';
import { fakeStripeSecret } from '../support/fake-secrets.ts';

/** Runs `tasks` with at most `limit` in flight; returns the peak concurrency reached. */
async function pool<T>(tasks: Array<() => Promise<T>>, limit: number): Promise<{ results: T[]; peak: number }> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  let inFlight = 0;
  let peak = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < tasks.length) {
        const index = next++;
        inFlight++;
        peak = Math.max(peak, inFlight);
        try {
          results[index] = await tasks[index]!();
        } finally {
          inFlight--;
        }
      }
    }),
  );
  return { results, peak };
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

const visitorId = (prefix: string, i: number) => `${prefix}${String(i).padStart(24 - prefix.length, '0')}`;

const ATTACKER_SECRET = fakeStripeSecret('whsec');

describe('webhook storm: 1,000 concurrent deliveries, duplicated, shuffled, partly forged', () => {
  const ctx = useStack();

  it('applies every valid event exactly once and no forged one', async () => {
    const base = Math.floor(Date.now() / 1000) - 200;
    type Delivery = { id: string; payload: string; secret: string; kind: 'valid' | 'duplicate' | 'forged' };
    const valid: Delivery[] = [];
    for (let i = 0; i < 300; i++) {
      valid.push({ id: `evt_storm_cus_${i}`, payload: eventPayload(`evt_storm_cus_${i}`, 'customer.created', { id: `cus_storm${i}`, object: 'customer' }, base + i), secret: TEST_WEBHOOK_SECRET, kind: 'valid' });
    }
    for (let i = 0; i < 400; i++) {
      valid.push({
        id: `evt_storm_cs_${i}`,
        payload: eventPayload(`evt_storm_cs_${i}`, 'checkout.session.completed', { id: `cs_test_storm${i}`, object: 'checkout.session', client_reference_id: visitorId('Storm', i), customer: `cus_stormbuyer${i}` }, base + i),
        secret: TEST_WEBHOOK_SECRET,
        kind: 'valid',
      });
    }
    const duplicates: Delivery[] = Array.from({ length: 200 }, (_, i) => ({ ...valid[(i * 7) % valid.length]!, kind: 'duplicate' as const }));
    const forged: Delivery[] = Array.from({ length: 100 }, (_, i) =>
      i % 2 === 0
        ? { id: `evt_forged_cus_${i}`, payload: eventPayload(`evt_forged_cus_${i}`, 'customer.created', { id: `cus_forged${i}` }, base + 10_000 + i), secret: ATTACKER_SECRET, kind: 'forged' as const }
        : { id: `evt_forged_cs_${i}`, payload: eventPayload(`evt_forged_cs_${i}`, 'checkout.session.completed', { id: `cs_test_forged${i}`, client_reference_id: visitorId('Forged', i), customer: `cus_forged${i}` }, base + i), secret: ATTACKER_SECRET, kind: 'forged' as const },
    );
    const all = shuffle([...valid, ...duplicates, ...forged]);
    expect(all.length).toBe(1000);

    const started = performance.now();
    const { results, peak } = await pool(
      all.map((d) => async () => {
        const response = await deliver(ctx.stack.url, d.payload, { secret: d.secret });
        const body = await response.text();
        return { d, status: response.status, body };
      }),
      64,
    );
    const wallMs = performance.now() - started;

    expect(peak).toBeGreaterThanOrEqual(50);
    const failures = ctx.stack.worker.jsonLogs().filter((l) => l.outcome === 'failed');
    expect(failures).toEqual([]);
    for (const { d, status, body } of results) expect(status, `${d.kind} ${d.id}: ${body}`).toBe(d.kind === 'forged' ? 400 : 200);

    // Exactly once: one "processed" log line per valid event, none for forged ones.
    const processed = new Map<string, number>();
    for (const line of ctx.stack.worker.jsonLogs()) {
      if (line.msg === 'webhook' && line.outcome === 'processed') processed.set(String(line.event_id), (processed.get(String(line.event_id)) ?? 0) + 1);
    }
    for (const d of valid) expect(processed.get(d.id), d.id).toBe(1);
    for (const d of forged) expect(processed.has(d.id)).toBe(false);

    // Through KV: markers, bindings, and the newest customer.created wins.
    const snapshot = await ctx.kv.snapshot();
    for (const d of valid) expect(snapshot[`event:${d.id}`], d.id).toBe('1');
    for (let i = 0; i < 400; i++) expect(snapshot[`visitor:${visitorId('Storm', i)}`]).toBe(`cus_stormbuyer${i}`);
    expect(Object.keys(snapshot).filter((key) => key.includes('Forged') || key.includes('forged'))).toEqual([]);
    expect(snapshot.customer_id).toBe('cus_storm299');

    const outcomes = results.reduce<Record<string, number>>((acc, { d }) => ((acc[d.kind] = (acc[d.kind] ?? 0) + 1), acc), {});
    console.log(
      `storm: ${all.length} deliveries (${outcomes.valid} unique valid, ${outcomes.duplicate} duplicates, ${outcomes.forged} forged) ` +
        `→ applied ${processed.size}, rejected ${results.filter((r) => r.status === 400).length}, peak ${peak} in flight, ` +
        `${wallMs.toFixed(0)} ms wall (${((all.length / wallMs) * 1000).toFixed(0)} deliveries/s)`,
    );
  });
});

describe('fault injection: KV writes fail, Stripe retries', () => {
  const ctx = useStack({ TEST_FAULT_INJECTION: 'true' });

  it('answers 500 while KV fails, leaves no marker, and applies each retry exactly once', async () => {
    const events = Array.from({ length: 20 }, (_, i) => ({
      id: `evt_fault_${i}`,
      visitor: visitorId('Fault', i),
      payload: eventPayload(`evt_fault_${i}`, 'checkout.session.completed', { id: `cs_test_fault${i}`, client_reference_id: visitorId('Fault', i), customer: `cus_fault${i}` }),
    }));
    const failing = events.filter((_, i) => i % 4 === 0);
    ctx.stack.emulator.setKvFaults(failing.map((e) => `visitor:${e.visitor}`));

    const first = await Promise.all(events.map(async (e) => ({ e, status: (await deliver(ctx.stack.url, e.payload, { secret: TEST_WEBHOOK_SECRET })).status })));
    for (const { e, status } of first) expect(status, e.id).toBe(failing.includes(e) ? 500 : 200);
    for (const e of failing) {
      expect(await ctx.kv.kv.get(`event:${e.id}`)).toBeNull();
      expect(await ctx.kv.kv.get(`visitor:${e.visitor}`)).toBeNull();
    }
    const failedBody = await (await deliver(ctx.stack.url, failing[0]!.payload, { secret: TEST_WEBHOOK_SECRET })).text();
    expect(failedBody).toBe('Temporary failure. Please retry.');

    ctx.stack.emulator.setKvFaults([]);
    // Stripe redelivers everything it did not get a 2xx for; we also resend the successes.
    const retry = await Promise.all(events.map((e) => deliver(ctx.stack.url, e.payload, { secret: TEST_WEBHOOK_SECRET })));
    expect(retry.map((r) => r.status)).toEqual(events.map(() => 200));

    const processed = ctx.stack.worker.jsonLogs().filter((l) => l.outcome === 'processed');
    for (const e of events) {
      expect(processed.filter((l) => l.event_id === e.id), e.id).toHaveLength(1);
      expect(await ctx.kv.kv.get(`visitor:${e.visitor}`)).toBe(`cus_fault${e.id.split('_').pop()}`);
    }
  });
});
