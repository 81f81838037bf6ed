/** Delivery addresses: Checkout collects them, the record keeps them, customer.updated refreshes them, the storefront shows them. */
import { beforeEach, describe, expect, it } from 'vitest';
import { RECIPIENT, SHIBUYA_ADDRESS, SHIBUYA_STRIPE_ADDRESS } from '../support/addresses.ts';
import { CookieClient } from '../support/client.ts';
import { seededPrice, startCheckout, stripeCalls, subscribe, subscriptionOf, textOf } from '../support/shop.ts';
import { TEST_WEBHOOK_SECRET, useStack } from '../support/stack.ts';
import { deliver, eventPayload } from '../support/webhook.ts';
import { stripeOn } from '../support/emulator.ts';

const ctx = useStack({ SHIPPING_COUNTRIES: 'JP' });
beforeEach(() => ctx.stack.emulator.reset());
const yen = () => seededPrice(ctx.stack.emulator, 1500);

const SHIBUYA = { name: RECIPIENT, address: SHIBUYA_STRIPE_ADDRESS };
const SAPPORO = {
  name: '佐藤 花子',
  address: {
    country: 'JP',
    postal_code: '060-0001',
    state: '北海道',
    city: '札幌市中央区',
    line1: '北1条西1-1',
    line2: null,
  },
};

describe('with SHIPPING_COUNTRIES=JP', () => {
  it('Checkout collects a Japanese address and a phone', async () => {
    const sessionId = await startCheckout(new CookieClient(ctx.stack.url), yen(), 'post@example.com');
    const session = await stripeOn(ctx.stack.emulator).checkout.sessions.retrieve(sessionId);
    expect(session.shipping_address_collection).toEqual({ allowed_countries: ['JP'] });
    expect(session.phone_number_collection).toEqual({ enabled: true });
    // A new customer: Checkout creates it with the address, nothing to ask.
    expect(stripeCalls(ctx.stack.emulator, '/v1/checkout/sessions')[0]?.body).not.toHaveProperty('customer_update');
  });

  it('keeps the address on the record and shows it to the subscriber only, in their language', async () => {
    const client = new CookieClient(ctx.stack.url);
    const { customerId } = await subscribe(client, ctx.stack.emulator, { price: yen(), shipping: SHIBUYA });
    await ctx.stack.emulator.settle();
    expect((await ctx.inspect.record(customerId))?.delivery).toEqual({ name: RECIPIENT, address: SHIBUYA_ADDRESS });

    const ja = await client.get('/', { 'accept-language': 'ja' });
    expect(ja.headers.get('cache-control')).toBe('private, no-store');
    const html = await ja.text();
    expect(textOf(html)).toContain(
      'お届け先 山田 太郎 様 〒150-0001 東京都渋谷区神宮前1-2-3 101号室 お届け先を変更する',
    );
    expect(html).toMatch(/<a href="\/mypage" data-testid="delivery-change">/);
    const enHtml = await (await client.get('/en/', { 'accept-language': 'en' })).text();
    expect(textOf(enHtml)).toContain(
      'Delivery address 山田 太郎 〒150-0001 東京都渋谷区神宮前1-2-3 101号室 Japan Change delivery address',
    );
    // The change link opens the portal in the page's language.
    expect(enHtml).toMatch(/<a href="\/en\/mypage" data-testid="delivery-change">/);

    // Another browser, and the cookieless (cached) storefront, never see it.
    const stranger = new CookieClient(ctx.stack.url);
    await stranger.postForm('/checkout', { price: yen() });
    for (const page of [await stranger.get('/'), await fetch(`${ctx.stack.url}/`)]) {
      const text = await page.text();
      expect(text).not.toContain('神宮前');
      expect(text).not.toContain('data-testid="delivery"');
    }
    // The address is personal data: never in a log line.
    expect(ctx.stack.worker.logs.join('\n')).not.toContain('神宮前');
  });

  it('escapes the address', async () => {
    const client = new CookieClient(ctx.stack.url);
    const markup = {
      name: '<img src=x onerror=alert(1)>',
      address: { ...SHIBUYA.address, line1: '"><script>x</script>' },
    };
    await subscribe(client, ctx.stack.emulator, { price: yen(), shipping: markup });
    const html = await (await client.get('/')).text();
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<script>x');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('follows a portal address change (customer.updated), re-read from Stripe in one call', async () => {
    const client = new CookieClient(ctx.stack.url);
    const { customerId } = await subscribe(client, ctx.stack.emulator, { price: yen(), shipping: SHIBUYA });
    await ctx.stack.emulator.settle();
    const listsBefore = stripeCalls(ctx.stack.emulator, '/v1/subscriptions', 'GET').length;
    await ctx.stack.emulator.updateShipping(customerId, SAPPORO);
    await ctx.stack.emulator.settle();
    expect((await ctx.inspect.record(customerId))?.delivery).toMatchObject({
      name: '佐藤 花子',
      address: { postalCode: '060-0001', state: '北海道', city: '札幌市中央区', line2: null },
    });
    expect(stripeCalls(ctx.stack.emulator, '/v1/subscriptions', 'GET').length - listsBefore).toBe(1);
    expect(stripeCalls(ctx.stack.emulator, `/v1/customers/${customerId}`, 'GET')).toEqual([]);
    expect(textOf(await (await client.get('/', { 'accept-language': 'ja' })).text())).toContain(
      '佐藤 花子 様 〒060-0001 北海道札幌市中央区北1条西1-1',
    );
  });

  it('trusts Stripe, not the event body: a customer.updated carrying another address changes nothing', async () => {
    const client = new CookieClient(ctx.stack.url);
    const { customerId } = await subscribe(client, ctx.stack.emulator, { price: yen(), shipping: SHIBUYA });
    await ctx.stack.emulator.settle();
    const payload = eventPayload('evt_forged_shipping', 'customer.updated', {
      id: customerId,
      object: 'customer',
      shipping: SAPPORO,
    });
    expect((await deliver(ctx.stack.url, payload, { secret: TEST_WEBHOOK_SECRET })).status).toBe(200);
    expect((await ctx.inspect.record(customerId))?.delivery?.name).toBe('山田 太郎');
  });

  it('saves the new address of a returning customer on Stripe (customer_update[shipping]=auto)', async () => {
    const client = new CookieClient(ctx.stack.url);
    const { customerId } = await subscribe(client, ctx.stack.emulator, { price: yen(), shipping: SHIBUYA });
    const subscription = subscriptionOf(ctx.stack.emulator, customerId);
    await ctx.stack.emulator.cancelNow(subscription?.id ?? '');
    await ctx.stack.emulator.settle();
    const sessionId = await startCheckout(client, yen());
    expect(stripeCalls(ctx.stack.emulator, '/v1/checkout/sessions').at(-1)?.body).toMatchObject({
      customer: customerId,
      customer_update: { shipping: 'auto' },
    });
    await ctx.stack.emulator.completeCheckout(sessionId, { shipping: SAPPORO });
    await client.get(`/thanks?session_id=${sessionId}`);
    await ctx.stack.emulator.settle();
    expect((await ctx.inspect.record(customerId))?.delivery?.name).toBe('佐藤 花子');
  });
});
