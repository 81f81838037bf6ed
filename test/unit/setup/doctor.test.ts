import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/lib/config/read.ts';
import { dashboardSteps, permissionLines } from '../../../src/lib/setup/dashboard.ts';
import { checkCatalog, checkProfile, checkRegistration, sampleValues } from '../../../src/lib/setup/doctor.ts';
import { restrictedKeyPermissions } from '../../../src/lib/stripe/permissions.ts';
import { ownProfile } from '../../support/own-profile.ts';
import { sampleProfile } from '../legal/sample.ts';

const config = readConfig({ SHIPPING_COUNTRIES: 'JP' });

function listed(overrides: Partial<Stripe.Price> = {}, metadata: Record<string, string> = {}): Stripe.Price {
  return {
    id: 'price_1m',
    lookup_key: 'beans_1m_jpy',
    active: true,
    currency: 'jpy',
    unit_amount: 1500,
    billing_scheme: 'per_unit',
    tax_behavior: 'inclusive',
    metadata: {},
    recurring: { interval: 'month', interval_count: 1, usage_type: 'licensed' },
    product: {
      id: 'prod_beans',
      active: true,
      name: '毎月のコーヒー豆',
      metadata: { name_en: 'Monthly Beans', per_delivery: '200 g × 2袋', ...metadata },
    },
    ...overrides,
  } as Stripe.Price;
}

const fixes = (checks: ReturnType<typeof checkCatalog>) =>
  checks.filter((check) => check.status === 'fail').map((check) => check.fix);

describe('checkCatalog: only prices the site can sell, with the words its pages need', () => {
  it('passes an inclusive JPY licensed price with its metadata', () => {
    expect(fixes(checkCatalog([listed()], config))).toEqual([]);
  });

  it('fails a metered price, an exclusive JPY price without Stripe Tax, and a missing per_delivery', () => {
    const metered = listed({ recurring: { interval: 'month', interval_count: 1, usage_type: 'metered' } as never });
    expect(fixes(checkCatalog([metered], config))).toEqual([expect.stringContaining('it is metered')]);
    expect(fixes(checkCatalog([listed({ tax_behavior: 'exclusive' })], config))).toEqual([
      expect.stringContaining('its tax behaviour is exclusive'),
    ]);
    const automaticTax = readConfig({ SHIPPING_COUNTRIES: 'JP', STRIPE_AUTOMATIC_TAX: 'true' });
    expect(fixes(checkCatalog([listed({ tax_behavior: 'exclusive' })], automaticTax))).toEqual([]);
    expect(fixes(checkCatalog([listed({}, { per_delivery: '' })], config))).toEqual([
      expect.stringContaining('no metadata per_delivery'),
    ]);
    expect(fixes(checkCatalog([listed({}, { per_delivery: '' })], readConfig({})))).toEqual([]);
  });

  it('fails a price outside JPY that does not say which tax it includes, and an empty catalog', () => {
    expect(fixes(checkCatalog([listed({ currency: 'usd' })], config))).toEqual([expect.stringContaining('tax_label')]);
    expect(fixes(checkCatalog([], config))).toHaveLength(1);
  });
});

describe('checkCatalog with a shipping line (SHIPPING_PRICE)', () => {
  const postageProduct = { id: 'prod_postage', active: true, name: '送料', metadata: {} };
  const postage = (id: string, interval: 'month' | 'year') =>
    listed({
      id,
      lookup_key: null,
      unit_amount: 500,
      recurring: { interval, interval_count: 1, usage_type: 'licensed' } as never,
      product: postageProduct as never,
    });
  const shipping = readConfig({ SHIPPING_COUNTRIES: 'JP', SHIPPING_PRICE: 'price_postage_1m' });

  it('does not ask the shipping product for a plan’s words, and fails a plan in another cycle', () => {
    const yearly = listed({
      id: 'price_1y',
      lookup_key: 'beans_1y_jpy',
      recurring: { interval: 'year', interval_count: 1, usage_type: 'licensed' } as never,
    });
    const checks = checkCatalog(
      [listed(), yearly, postage('price_postage_1m', 'month'), postage('price_postage_1y', 'year')],
      shipping,
    );
    expect(fixes(checks)).toEqual([
      expect.stringContaining('SHIPPING_PRICE bills jpy every 1 month, this price jpy every 1 year'),
    ]);
  });
});

describe('checkProfile', () => {
  const failed = (checks: ReturnType<typeof checkProfile>) =>
    checks.filter((check) => check.status === 'fail').map((check) => check.label);

  it('fails the sample, and says why a live key cannot sell under it', () => {
    expect(failed(checkProfile(sampleProfile(), 'rk_test_abc'))).toEqual([
      'the shop profile is the shop’s own',
      'the profile carries no sample values',
    ]);
    expect(failed(checkProfile(sampleProfile(), 'rk_live_abc'))).toContain('the shop may take real orders');
  });

  it('passes the shop’s own profile, and finds sample values left in one marked as not the sample', () => {
    expect(failed(checkProfile(ownProfile(), 'rk_live_abc'))).toEqual([]);
    expect(sampleValues({ ...sampleProfile(), sample: false })).toEqual(
      expect.arrayContaining(['legalName.ja', 'phone', 'email']),
    );
  });
});

describe('checkRegistration', () => {
  const taxId = { id: 'txi_1', type: 'jp_trn', value: 'T1234567890123' } as Stripe.TaxId;
  const account = (defaults: string[]) =>
    ({ settings: { invoices: { default_account_tax_ids: defaults } } }) as unknown as Stripe.Account;

  it('wants the jp_trn tax ID and the invoices’ default', () => {
    const status = (checks: ReturnType<typeof checkRegistration>) => checks.map((check) => check.status);
    expect(status(checkRegistration('T1234567890123', [taxId], account(['txi_1']), false))).toEqual(['ok', 'ok']);
    expect(status(checkRegistration('T1234567890123', [taxId], account([]), false))).toEqual(['ok', 'fail']);
    expect(status(checkRegistration('T1234567890123', [], account([]), false))).toEqual(['fail']);
    expect(status(checkRegistration(undefined, [], account([]), false))).toEqual(['skip']);
  });
});

describe('the Dashboard-only steps', () => {
  it('print the restricted key’s exact permissions, with test-mode links in test mode', () => {
    expect(permissionLines()).toHaveLength(restrictedKeyPermissions().length);
    const [key] = dashboardSteps({ live: false, automaticTax: false });
    expect(key?.url).toBe('https://dashboard.stripe.com/test/apikeys/create');
    expect(key?.lines).toEqual(expect.arrayContaining(['Prices: Read', 'Checkout Sessions: Write']));
    const live = dashboardSteps({
      live: true,
      siteUrl: 'https://shop.example.com',
      automaticTax: false,
      taxIdToMakeDefault: 'txi_1',
    });
    expect(live.map((step) => step.url)).toContain('https://dashboard.stripe.com/settings/billing/invoice');
    expect(live.flatMap((step) => step.lines)).toContain(
      "Terms of service: https://shop.example.com/legal/terms (Checkout's consent box needs it)",
    );
  });
});
