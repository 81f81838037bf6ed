import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CookieClient } from '../support/client.ts';
import { eventually, seededPrice, stripeCalls, textOf } from '../support/shop.ts';
import { startStack, TEST_WEBHOOK_SECRET, type Stack } from '../support/stack.ts';
import { deliver, eventPayload } from '../support/webhook.ts';

const page = async (stack: Stack) => textOf(await (await fetch(`${stack.url}/en/`)).text());
let counter = 0;

/** The cache's clock-driven behaviour (TTL, stale-while-revalidate, outages) is unit-tested with an injected clock. */
describe('catalog cache in the worker', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  it('a fresh cache makes no Stripe call', async () => {
    await page(stack);
    stack.emulator.reset();
    for (let i = 0; i < 5; i++) expect(await page(stack)).toContain('Monthly Coffee Beans');
    expect(stack.emulator.requests).toEqual([]);
  });

  it('a price or product webhook is answered at once; the refresh runs after, and the storefront shows it within seconds', async () => {
    const monthly = seededPrice(stack.emulator, 1500);
    stack.emulator.setLatency(800);
    try {
      stack.emulator.updatePrice(monthly, { active: false });
      const started = Date.now();
      const updated = await deliver(
        stack.url,
        eventPayload(`evt_cache_${++counter}`, 'price.updated', { id: monthly, object: 'price', active: false }),
        {
          secret: TEST_WEBHOOK_SECRET,
        },
      );
      expect(updated.status).toBe(200);
      // Answered before the catalog (one Stripe call at 800 ms) was read.
      expect(Date.now() - started).toBeLessThan(700);
      await eventually(async () => !(await page(stack)).includes('¥1,500 / month'));
    } finally {
      stack.emulator.setLatency(0);
    }
    const refused = await new CookieClient(stack.url).postForm('/en/checkout', {
      price: monthly,
      email: 'a@example.com',
    });
    expect(refused.status).toBe(400);

    const { product } = stack.emulator.addProduct({
      name: 'Winter Blend',
      prices: [{ unit_amount: 2000, currency: 'jpy', interval: 'month' }],
    });
    await deliver(
      stack.url,
      eventPayload(`evt_cache_${++counter}`, 'product.created', { id: product.id, object: 'product' }),
      { secret: TEST_WEBHOOK_SECRET },
    );
    await eventually(async () => /Winter Blend.*¥2,000 \/ month/.test(await page(stack)));
  });

  it('a burst of catalog events costs a few refreshes, not one per event', async () => {
    await page(stack);
    stack.emulator.reset();
    stack.emulator.setLatency(200);
    try {
      const responses = await Promise.all(
        Array.from({ length: 20 }, () =>
          deliver(
            stack.url,
            eventPayload(`evt_cache_${++counter}`, 'product.updated', { id: 'prod_x', object: 'product' }),
            { secret: TEST_WEBHOOK_SECRET },
          ),
        ),
      );
      expect(responses.every((response) => response.status === 200)).toBe(true);
      await eventually(() => stack.worker.jsonLogs().filter((line) => line.msg === 'catalog refreshed').length > 0);
      await stack.emulator.settle();
    } finally {
      stack.emulator.setLatency(0);
    }
    const lists = stripeCalls(stack.emulator, '/v1/prices', 'GET').length;
    expect(lists).toBeGreaterThan(0);
    expect(lists).toBeLessThanOrEqual(4);
  });
});
