import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../dev/stripe-emulator/server.ts';
import { readConfig } from '../../src/lib/config/read.ts';
import { runDoctor, type Check } from '../../src/lib/setup/doctor.ts';
import { createStripeClient, STRIPE_API_VERSION } from '../../src/lib/stripe/client.ts';
import { HANDLED_EVENT_TYPES } from '../../src/lib/webhook/events.ts';
import { ownProfile } from '../support/own-profile.ts';
import { sampleProfile } from '../unit/legal/sample.ts';
import { emulatorEnv, runCli, tempDevVars, tempJson } from './run.ts';

const SITE_URL = 'https://shop.example.com';
/** What an owner sets besides what setup writes. */
const OWNER_VARIABLES = {
  SIGN_IN_EMAIL_FROM: 'shop@yamada-coffee.jp',
  ACCESS_TEAM_DOMAIN: 'yamada.cloudflareaccess.com',
  ACCESS_AUD: 'a1b2c3'.repeat(10) + 'd4e5',
};

describe('npm run doctor against an emulator account', () => {
  let emulator: Emulator;
  let stripe: Stripe;
  let devVars: string;
  let profile: string;
  let variables: Record<string, string>;

  beforeAll(async () => {
    emulator = await startEmulator({ log: false, retrySchedule: [] });
    devVars = tempDevVars(`SITE_URL=${SITE_URL}\nSHIPPING_COUNTRIES=JP\n`);
    profile = tempJson('src/content/shop/profile.json', (data: { profile: unknown }) => {
      data.profile = ownProfile();
    });
    const setup = await runCli('setup', ['--dev-vars', devVars, '--profile', profile], emulatorEnv(emulator));
    expect(setup.code).toBe(0);
    // The Dashboard step setup prints: the registration number as the invoices' default.
    emulator.setDefaultAccountTaxIds([...emulator.state.taxIds.keys()]);
    variables = {
      ...parseEnv(readFileSync(devVars, 'utf8')),
      ...OWNER_VARIABLES,
      STRIPE_API_KEY: emulator.apiKey,
      STRIPE_API_BASE: emulator.url,
    };
    stripe = createStripeClient({ apiKey: emulator.apiKey, apiBase: new URL(emulator.url) });
  });
  afterAll(() => emulator.close());

  /** The doctor's failed checks' labels, with the site's key and the setup key on the emulator. */
  async function failing(
    overrides: { profile?: ReturnType<typeof ownProfile>; apiKey?: string } = {},
  ): Promise<string[]> {
    const checks = await runDoctor({
      config: readConfig({ ...variables, ...(overrides.apiKey && { STRIPE_API_KEY: overrides.apiKey }) }),
      profile: overrides.profile ?? ownProfile(),
      site: stripe,
      setup: stripe,
    });
    return checks.filter((check) => check.status === 'fail').map((check) => check.label);
  }

  const endpoint = () => [...emulator.state.webhookEndpoints.values()][0] as Stripe.WebhookEndpoint;
  const catalogPrice = (lookupKey: string) =>
    [...emulator.state.prices.values()].find((price) => price.lookup_key === lookupKey) as Stripe.Price;

  it('passes a fully set-up account, and exits 0', async () => {
    expect(await failing()).toEqual([]);
    const run = await runCli(
      'doctor',
      ['--json', '--skip-cloudflare', '--dev-vars', devVars, '--profile', profile],
      emulatorEnv(emulator, { ...OWNER_VARIABLES, STRIPE_API_KEY: emulator.apiKey }),
    );
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout) as { ok: boolean; checks: Check[] };
    expect(report.checks.filter((check) => check.status === 'fail')).toEqual([]);
    expect(report.ok).toBe(true);
    expect(run.code).toBe(0);
    expect(report.checks.filter((check) => check.status === 'skip').map((check) => check.label)).toEqual(
      expect.arrayContaining(["the site's key has Checkout Sessions: Write", 'KV, D1 and migrations']),
    );
  });

  it('reports an event type missing from the endpoint, and exits 1', async () => {
    await stripe.webhookEndpoints.update(endpoint().id, {
      enabled_events: HANDLED_EVENT_TYPES.filter((type) => type !== 'invoice.payment_failed'),
    });
    expect(await failing()).toEqual(['the endpoint sends every event type the site handles']);
    const run = await runCli(
      'doctor',
      ['--skip-cloudflare', '--dev-vars', devVars, '--profile', profile],
      emulatorEnv(emulator, { ...OWNER_VARIABLES, STRIPE_API_KEY: emulator.apiKey }),
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('✗ the endpoint sends every event type the site handles');
    expect(run.stdout).toContain('missing invoice.payment_failed');
    await stripe.webhookEndpoints.update(endpoint().id, { enabled_events: [...HANDLED_EVENT_TYPES] });
    expect(await failing()).toEqual([]);
  });

  it('reports an endpoint on an old API version', async () => {
    // The version cannot be changed through the API: as if the owner had made it on an older one.
    endpoint().api_version = '2024-06-20';
    expect(await failing()).toEqual([`the endpoint's API version is ${STRIPE_API_VERSION}`]);
    endpoint().api_version = STRIPE_API_VERSION;
  });

  it('reports a disabled endpoint', async () => {
    await stripe.webhookEndpoints.update(endpoint().id, { disabled: true });
    expect(await failing()).toEqual(['the endpoint is enabled']);
    await stripe.webhookEndpoints.update(endpoint().id, { disabled: false });
  });

  it('reports a portal without cancellation', async () => {
    const [configuration] = (await stripe.billingPortal.configurations.list({ is_default: true })).data;
    const id = configuration?.id ?? '';
    await stripe.billingPortal.configurations.update(id, { features: { subscription_cancel: { enabled: false } } });
    expect(await failing()).toEqual(['the customer portal has every feature the site uses']);
    await stripe.billingPortal.configurations.update(id, {
      features: { subscription_cancel: { enabled: true, mode: 'at_period_end', proration_behavior: 'none' } },
    });
    expect(await failing()).toEqual([]);
  });

  it('reports an exclusive JPY price and a metered price, each by itself', async () => {
    const metadata = { name_en: 'Extra', per_delivery: '200 g' };
    for (const [price, label] of [
      [{ unit_amount: 1000, tax_behavior: 'exclusive' as const }, 'tax behaviour'],
      [{ unit_amount: 50, tax_behavior: 'inclusive' as const, meter: 'mtr_test_doctor' }, 'metered'],
    ] as const) {
      const created = emulator.addProduct({ name: '追加の豆', metadata, prices: [price] });
      const id = created.prices[0]?.id ?? '';
      const checks = await runDoctor({
        config: readConfig(variables),
        profile: ownProfile(),
        site: stripe,
        setup: stripe,
      });
      const failed = checks.filter((check) => check.status === 'fail');
      expect(failed.map((check) => check.label)).toEqual([`price ${id} (追加の豆) can be sold`]);
      expect(failed[0]?.fix).toContain(label);
      await stripe.products.update(created.product.id, { active: false });
    }
    expect(await failing()).toEqual([]);
  });

  it('reports a product without per_delivery', async () => {
    const gold = catalogPrice('gold_blend_1m_jpy');
    const productId = typeof gold.product === 'string' ? gold.product : gold.product.id;
    await stripe.products.update(productId, { metadata: { per_delivery: '' } });
    expect(await failing()).toEqual(['price gold_blend_1m_jpy (ゴールドブレンド) can be sold']);
    await stripe.products.update(productId, { metadata: { per_delivery: '200 g × 1袋（豆のまま）' } });
  });

  it('reports the sample profile, and that a live key cannot sell under it', async () => {
    const failed = await failing({ profile: sampleProfile(), apiKey: 'rk_live_doctor' });
    expect(failed).toEqual([
      'the shop may take real orders',
      'the shop profile is the shop’s own',
      'the profile carries no sample values',
    ]);
  });
});
