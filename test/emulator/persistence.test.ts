/** The state file: a demo that survives a restart (same key, catalog, customers, subscriptions), and a broken file refused. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Stripe from 'stripe';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../dev/stripe-emulator/server.ts';
import { idOf } from '../../dev/stripe-emulator/state.ts';
import { createSession, stripeOn } from '../support/emulator.ts';

const running: Emulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((emulator) => emulator.close()));
});

async function start(stateFile: string): Promise<Emulator> {
  const emulator = await startEmulator({ log: false, stateFile });
  running.push(emulator);
  return emulator;
}

const freshFile = () => join(mkdtempSync(join(tmpdir(), 'emulator-state-')), 'state', 'stripe-emulator.json');

describe('stateFile', () => {
  it('brings back the key, the catalog, the customer and the subscription after a restart', async () => {
    const file = freshFile();
    const first = await start(file);
    const stripe = stripeOn(first);
    const monthly = [...first.state.prices.values()].find(
      (price) => price.lookup_key === 'monthly_coffee_beans_1m_jpy',
    );
    const session = await createSession(stripe, monthly?.id ?? '', { locale: 'ja' });
    const paid = await first.completeCheckout(session.id, { email: 'again@example.com' });
    const customerId = idOf(paid.customer);
    const subscriptionId = idOf(paid.subscription);
    const priceIds = [...first.state.prices.keys()];
    const configurationId = [...first.state.portalConfigurations.keys()];
    const eventCount = first.state.events.length;
    await first.close();

    const second = await start(file);
    expect(second.apiKey).toBe(first.apiKey);
    expect([...second.state.prices.keys()]).toEqual(priceIds);
    expect([...second.state.portalConfigurations.keys()]).toEqual(configurationId);
    expect(second.state.events).toHaveLength(eventCount);
    // The site's key still works, and Stripe.Decimal amounts come back as amounts.
    const again = stripeOn(second);
    const customer = await again.customers.retrieve(customerId);
    expect(customer).toMatchObject({ email: 'again@example.com', preferred_locales: ['ja'] });
    const subscription = await again.subscriptions.retrieve(subscriptionId, { expand: ['latest_invoice'] });
    expect(subscription).toMatchObject({ status: 'active', customer: customerId });
    expect(subscription.items.data[0]?.price.id).toBe(monthly?.id);
    expect(String(subscription.items.data[0]?.price.unit_amount_decimal)).toBe('1500');
    expect((subscription.latest_invoice as Stripe.Invoice).status).toBe('paid');
    const portal = await again.billingPortal.sessions.create({ customer: customerId });
    expect(await (await fetch(portal.url)).text()).toContain(subscriptionId);
  });

  it('brings back products, prices and tax IDs made through the API, as it brings back the seeded ones', async () => {
    const file = freshFile();
    const first = await start(file);
    const stripe = stripeOn(first);
    const product = await stripe.products.create({ name: 'Seasonal Blend', metadata: { catalog_key: 'seasonal' } });
    const old = await stripe.prices.create({
      product: product.id,
      currency: 'jpy',
      unit_amount: 1800,
      recurring: { interval: 'month' },
      tax_behavior: 'inclusive',
      lookup_key: 'seasonal_1m_jpy',
    });
    const price = await stripe.prices.create({
      product: product.id,
      currency: 'jpy',
      unit_amount: 2000,
      recurring: { interval: 'month' },
      tax_behavior: 'inclusive',
      lookup_key: 'seasonal_1m_jpy',
      transfer_lookup_key: true,
    });
    await stripe.products.update(product.id, { default_price: price.id });
    await stripe.prices.update(old.id, { active: false });
    const taxId = await stripe.taxIds.create({ type: 'jp_trn', value: 'T1234567891234' });
    first.setDefaultAccountTaxIds([taxId.id]);
    const account = await stripe.accounts.retrieveCurrent();
    await first.close();

    const second = await start(file);
    const again = stripeOn(second);
    const found = await again.prices.list({ lookup_keys: ['seasonal_1m_jpy'], expand: ['data.product'] });
    expect(found.data).toHaveLength(1);
    expect(found.data[0]).toMatchObject({ id: price.id, unit_amount: 2000, active: true });
    expect(String(found.data[0]?.unit_amount_decimal)).toBe('2000');
    expect(found.data[0]?.product).toMatchObject({ id: product.id, default_price: price.id });
    expect(await again.prices.retrieve(old.id)).toMatchObject({ active: false, lookup_key: null });
    // The lookup key is still taken after the restart, and Checkout sells the price.
    const taken = await again.prices
      .create({ product: product.id, currency: 'jpy', unit_amount: 1, lookup_key: 'seasonal_1m_jpy' })
      .catch((error: unknown) => error);
    expect(taken).toMatchObject({ param: 'lookup_key' });
    // The account, its tax ID and the invoices' default come back too.
    expect(await again.accounts.retrieveCurrent()).toMatchObject({
      id: account.id,
      settings: { invoices: { default_account_tax_ids: [taxId.id] } },
    });
    const session = await createSession(again, price.id);
    expect((await second.completeCheckout(session.id)).status).toBe('complete');
  });

  it('is written shortly after a change, atomically, without waiting for close()', async () => {
    const file = freshFile();
    const emulator = await start(file);
    const session = await createSession(stripeOn(emulator), [...emulator.state.prices.keys()][0] ?? '');
    await expect.poll(() => existsSync(file) && readFileSync(file, 'utf8').includes(session.id)).toBe(true);
    expect(readdirSync(join(file, '..')).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('a given apiKey wins over the saved one', async () => {
    const file = freshFile();
    await (await start(file)).close();
    const emulator = await startEmulator({ log: false, stateFile: file, apiKey: 'rk_test_chosenKeyForThisRun' });
    running.push(emulator);
    expect(emulator.apiKey).toBe('rk_test_chosenKeyForThisRun');
  });

  it('refuses a corrupt file, naming it and how to start over', async () => {
    const file = freshFile();
    await (await start(file)).close();
    writeFileSync(file, readFileSync(file, 'utf8').slice(0, 100));
    await expect(startEmulator({ log: false, stateFile: file })).rejects.toThrow(
      new RegExp(
        `cannot load its saved state from ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} .*npm start -- --fresh`,
      ),
    );
    writeFileSync(file, JSON.stringify({ format: 99 }));
    await expect(startEmulator({ log: false, stateFile: file })).rejects.toThrow(/unknown format 99/);
  });
});
