import { readFileSync, statSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../dev/stripe-emulator/server.ts';
import { STRIPE_API_VERSION } from '../../src/lib/stripe/client.ts';
import { HANDLED_EVENT_TYPES } from '../../src/lib/webhook/events.ts';
import { ownProfile } from '../support/own-profile.ts';
import { emulatorEnv, runCli, tempDevVars, tempJson } from './run.ts';

const SITE_URL = 'https://shop.example.com';
const CATALOG = 'src/content/shop/catalog.json';

/** What setup may change in the account, as JSON to compare runs by. */
function accountObjects(emulator: Emulator): string {
  const { products, prices, webhookEndpoints, portalConfigurations, taxIds } = emulator.state;
  return JSON.stringify([products, prices, webhookEndpoints, portalConfigurations, taxIds].map((map) => [...map]));
}

/** An own profile's file, as setup reads it. */
function profileFile(): string {
  return tempJson('src/content/shop/profile.json', (data: { profile: unknown }) => {
    data.profile = ownProfile();
  });
}

describe('npm run setup against an emulator account', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ log: false, retrySchedule: [] });
  });
  afterAll(() => emulator.close());

  it('creates the catalog in an empty account, then a second run changes nothing', async () => {
    // An account with nothing in it: the seeded catalog and the portal's product list gone.
    emulator.state.products.clear();
    emulator.state.prices.clear();
    const devVars = tempDevVars('# mine\nSITE_URL=https://shop.example.com\n');
    const args = ['--dev-vars', devVars, '--profile', profileFile()];
    const env = emulatorEnv(emulator, { SHIPPING_COUNTRIES: 'JP' });

    const first = await runCli('setup', args, env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('create product monthly-coffee-beans');
    const products = [...emulator.state.products.values()];
    expect(products.map((product) => product.metadata.catalog_key).sort()).toEqual([
      'gold-blend',
      'monthly-coffee-beans',
      'yearly-coffee-beans',
    ]);
    const prices = [...emulator.state.prices.values()];
    expect(prices).toHaveLength(5);
    expect(prices.every((price) => price.tax_behavior === 'inclusive' && price.currency === 'jpy')).toBe(true);
    const monthly = prices.find((price) => price.lookup_key === 'monthly_coffee_beans_1m_jpy');
    const beans = products.find((product) => product.metadata.catalog_key === 'monthly-coffee-beans');
    expect(beans).toMatchObject({ name: '毎月のコーヒー豆', default_price: monthly?.id });
    expect(beans?.metadata).toMatchObject({ name_en: 'Monthly Coffee Beans', reduced_tax_rate: 'true' });

    // The webhook endpoint: the pinned version, exactly the handled types; its secret only in .dev.vars.
    const [endpoint, ...others] = [...emulator.state.webhookEndpoints.values()];
    expect(others).toEqual([]);
    expect(endpoint).toMatchObject({ url: `${SITE_URL}/webhook`, api_version: STRIPE_API_VERSION, status: 'enabled' });
    expect([...(endpoint?.enabled_events ?? [])].sort()).toEqual([...HANDLED_EVENT_TYPES].sort());
    const written = parseEnv(readFileSync(devVars, 'utf8'));
    const secret = emulator.state.webhookEndpointSettings.get(endpoint?.id ?? '')?.secret;
    expect(written.STRIPE_WEBHOOK_SECRET).toBe(secret);
    expect(first.stdout).not.toContain(secret);
    expect(first.stdout + first.stderr).not.toContain(emulator.apiKey);
    expect(statSync(devVars).mode & 0o777).toBe(0o600);
    expect(readFileSync(devVars, 'utf8')).toMatch(/^# mine\nSITE_URL=/);

    // The portal: the default configuration, every catalog product to switch between, shipping, the login page.
    const portal = [...emulator.state.portalConfigurations.values()].find((configuration) => configuration.is_default);
    expect(portal?.login_page.enabled).toBe(true);
    expect(written.PUBLIC_STRIPE_CUSTOMER_PORTAL_URL).toBe(portal?.login_page.url);
    expect(portal?.features.subscription_update.products?.map((entry) => entry.product).sort()).toEqual(
      products.map((product) => product.id).sort(),
    );
    expect(portal?.features.customer_update.allowed_updates).toContain('shipping');
    expect(portal?.features.subscription_cancel).toMatchObject({ enabled: true, mode: 'at_period_end' });

    // The registration number, and the Dashboard step that makes it the invoices' default.
    const [taxId] = [...emulator.state.taxIds.values()];
    expect(taxId).toMatchObject({ type: 'jp_trn', value: 'T1234567890123' });
    expect(first.stdout).toContain('https://dashboard.stripe.com/test/settings/billing/invoice');
    expect(first.stdout).toContain('https://dashboard.stripe.com/test/apikeys/create');
    expect(first.stdout).toContain('Customer portal: Write');

    const before = accountObjects(emulator);
    const second = await runCli('setup', args, env);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('✓ catalog: nothing to change');
    expect(accountObjects(emulator)).toBe(before);
    expect(parseEnv(readFileSync(devVars, 'utf8')).STRIPE_WEBHOOK_SECRET).toBe(secret);
  });

  it('makes a new price for a changed amount, moves its lookup key and archives the old one', async () => {
    const devVars = tempDevVars(`SITE_URL=${SITE_URL}\n`);
    const dearer = tempJson(CATALOG, (data: { products: Array<{ prices: Array<{ unit_amount: number }> }> }) => {
      const first = data.products[0]?.prices[0];
      if (first) first.unit_amount = 1800;
    });
    const old = [...emulator.state.prices.values()].find((price) => price.lookup_key === 'monthly_coffee_beans_1m_jpy');
    const run = await runCli(
      'setup',
      ['--dev-vars', devVars, '--profile', profileFile(), '--catalog', dearer],
      emulatorEnv(emulator),
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const now = [...emulator.state.prices.values()].find((price) => price.lookup_key === 'monthly_coffee_beans_1m_jpy');
    expect(now).toMatchObject({ unit_amount: 1800, active: true });
    expect(now?.id).not.toBe(old?.id);
    expect(emulator.state.prices.get(old?.id ?? '')).toMatchObject({
      active: false,
      lookup_key: null,
      unit_amount: 1500,
    });
    const product = [...emulator.state.products.values()].find(
      (entry) => entry.metadata.catalog_key === 'monthly-coffee-beans',
    );
    expect(product?.default_price).toBe(now?.id);
    // The portal offers the new price, not the archived one.
    const portal = [...emulator.state.portalConfigurations.values()].find((configuration) => configuration.is_default);
    const offered = portal?.features.subscription_update.products?.find((entry) => entry.product === product?.id);
    expect(offered?.prices).toContain(now?.id);
    expect(offered?.prices).not.toContain(old?.id);
  });

  it('re-creates an endpoint on another API version, new one first, and hands its new secret on', async () => {
    const devVars = tempDevVars(`SITE_URL=${SITE_URL}\n`);
    const [old] = [...emulator.state.webhookEndpoints.values()];
    // As if made on an older version: the API cannot change it, so setup must re-create it.
    if (old) old.api_version = '2024-06-20';
    const run = await runCli('setup', ['--dev-vars', devVars, '--profile', profileFile()], emulatorEnv(emulator));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`re-created ${old?.id}`);
    const endpoints = [...emulator.state.webhookEndpoints.values()];
    expect(endpoints).toHaveLength(1);
    expect(endpoints[0]).toMatchObject({ api_version: STRIPE_API_VERSION });
    expect(endpoints[0]?.id).not.toBe(old?.id);
    const secret = emulator.state.webhookEndpointSettings.get(endpoints[0]?.id ?? '')?.secret;
    expect(parseEnv(readFileSync(devVars, 'utf8')).STRIPE_WEBHOOK_SECRET).toBe(secret);
  });

  it('keeps the shipping product out of the portal and writes its price as SHIPPING_PRICE', async () => {
    const devVars = tempDevVars(`SITE_URL=${SITE_URL}\nSHIPPING_COUNTRIES=JP\n`);
    const withPostage = tempJson(CATALOG, (data: { products: unknown[] }) => {
      data.products.push({
        key: 'postage',
        name: '送料',
        description: '毎回のお届けの送料です。',
        metadata: { name_en: 'Shipping' },
        shipping: true,
        prices: [
          {
            lookup_key: 'postage_1m_jpy',
            unit_amount: 500,
            currency: 'jpy',
            interval: 'month',
            interval_count: 1,
            tax_behavior: 'inclusive',
          },
        ],
      });
    });
    const run = await runCli(
      'setup',
      ['--dev-vars', devVars, '--profile', profileFile(), '--catalog', withPostage],
      emulatorEnv(emulator),
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const postage = [...emulator.state.prices.values()].find((price) => price.lookup_key === 'postage_1m_jpy');
    expect(parseEnv(readFileSync(devVars, 'utf8')).SHIPPING_PRICE).toBe(postage?.id);
    const portal = [...emulator.state.portalConfigurations.values()].find((configuration) => configuration.is_default);
    const offered = portal?.features.subscription_update.products?.map((entry) => entry.product);
    expect(offered).toHaveLength(3);
    expect(offered).not.toContain(postage?.product);
  });

  it('refuses --live while the profile is the sample, a test key for --live, and says why Stripe refused a key without showing it', async () => {
    const sample = await runCli('setup', ['--live', '--dev-vars', tempDevVars()], emulatorEnv(emulator));
    expect(sample.code).not.toBe(0);
    expect(sample.stderr).toContain('still the sample');
    const testKey = await runCli(
      'setup',
      ['--live', '--dev-vars', tempDevVars(), '--profile', profileFile()],
      emulatorEnv(emulator),
    );
    expect(testKey.code).not.toBe(0);
    expect(testKey.stderr).toContain('--live needs a live-mode key');
    // Built here, never written out whole: a made-up key of another account, ending in 1234.
    const wrongKey = `sk_test_${'x'.repeat(20)}1234`;
    const refused = await runCli('setup', ['--dev-vars', tempDevVars()], {
      ...emulatorEnv(emulator),
      STRIPE_SETUP_KEY: wrongKey,
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^setup stopped: Invalid API Key provided: sk_test_\*+1234/);
    expect(refused.stdout + refused.stderr).not.toContain(wrongKey);
  });
});

describe('the demo and setup share one catalog', () => {
  it('finds nothing to change in the catalog the demo emulator seeds from the file', async () => {
    const seeded = await startEmulator({ log: false, retrySchedule: [] });
    try {
      const run = await runCli('setup', ['--dev-vars', tempDevVars(), '--profile', profileFile()], emulatorEnv(seeded));
      expect(run.stderr).toBe('');
      expect(run.stdout).toContain('✓ catalog: nothing to change');
      expect(run.stdout).toContain('– webhook: no SITE_URL yet');
    } finally {
      await seeded.close();
    }
  });
});
