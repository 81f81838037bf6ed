import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CookieClient } from '../support/client.ts';
import { startStack, TEST_WEBHOOK_SECRET, type Stack } from '../support/stack.ts';
import { deliver, eventPayload } from '../support/webhook.ts';

const priceLists = (stack: Stack) => stack.emulator.requests.filter((r) => r.method === 'GET' && r.path === '/v1/prices');
const page = async (stack: Stack) => (await (await fetch(`${stack.url}/`)).text()).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(25);
  }
}

describe('catalog cache (default TTL)', () => {
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

  it('price and product webhooks refresh it, and checkout follows the same catalog', async () => {
    const monthly = [...stack.emulator.state.prices.values()].find((p) => p.unit_amount === 1500 && p.currency === 'jpy')!;
    stack.emulator.updatePrice(monthly.id, { active: false });
    const updated = await deliver(stack.url, eventPayload('evt_cache_price_updated', 'price.updated', { ...monthly, active: false }), { secret: TEST_WEBHOOK_SECRET });
    expect(updated.status).toBe(200);
    expect(await page(stack)).not.toContain('¥1,500');
    const refused = await new CookieClient(stack.url).postForm('/checkout', { price: monthly.id });
    expect(refused.status).toBe(400);

    const { product } = stack.emulator.addProduct({ name: 'Winter Blend', prices: [{ unit_amount: 2000, currency: 'jpy', interval: 'month' }] });
    await deliver(stack.url, eventPayload('evt_cache_product_created', 'product.created', product as unknown as Record<string, unknown>), { secret: TEST_WEBHOOK_SECRET });
    expect(await page(stack)).toMatch(/Winter Blend.*¥2,000 \/ month/);
  });
});

describe('catalog cache (1 s TTL)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ CATALOG_TTL_SECONDS: '1' });
  });
  afterAll(() => stack.close());

  it('serves the expired copy while exactly one refresh runs', async () => {
    await page(stack);
    await sleep(1200);
    stack.emulator.reset();
    stack.emulator.setLatency(300);
    const pages = await Promise.all(Array.from({ length: 8 }, () => page(stack)));
    for (const html of pages) expect(html).toContain('Monthly Coffee Beans');
    await waitFor(() => priceLists(stack).length >= 1);
    await sleep(600);
    expect(priceLists(stack)).toHaveLength(1);
    stack.emulator.setLatency(0);
  });

  it('keeps serving the stale copy while Stripe is down, and logs the failure', async () => {
    await sleep(1200);
    stack.emulator.setDown(true);
    try {
      expect(await page(stack)).toContain('Monthly Coffee Beans');
      await waitFor(() => stack.worker.jsonLogs().some((l) => l.msg === 'catalog refresh failed'));
      expect(await page(stack)).toContain('Monthly Coffee Beans');
    } finally {
      stack.emulator.setDown(false);
    }
  });
});
