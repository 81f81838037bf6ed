import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/lib/config/read.ts';
import { isLoopbackHost } from '../../../src/lib/http/origin.ts';
import { fakeStripeSecret } from '../../support/fake-secrets.ts';

const API_KEY = fakeStripeSecret('rk_test');
const WEBHOOK_SECRET = fakeStripeSecret('whsec');
const problemOf = (config: ReturnType<typeof readConfig>, variable: string) =>
  config.problems.find((p) => p.variable === variable);

describe('readConfig', () => {
  it('accepts a complete, well-formed configuration', () => {
    const config = readConfig({
      STRIPE_API_KEY: API_KEY,
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      PUBLIC_STRIPE_PUBLISHABLE_API_KEY: 'pk_test_abc',
      PUBLIC_STRIPE_PRICING_TABLE_ID: 'prctbl_123',
      PUBLIC_STRIPE_CUSTOMER_PORTAL_URL: 'https://billing.stripe.com/p/login/test_123',
      STRIPE_API_BASE: 'http://127.0.0.1:12111',
      SITE_URL: 'https://shop.example.com',
      MYPAGE_SHARED_CUSTOMER: 'true',
      CATALOG_TTL_SECONDS: '60',
      TRIAL_DAYS: '14',
      ALLOW_PROMOTION_CODES: 'true',
    });
    expect(config.problems).toEqual([]);
    expect(config.stripeApiKey).toBe(API_KEY);
    expect(config.apiBase?.port).toBe('12111');
    expect(config.siteOrigin).toBe('https://shop.example.com');
    expect(config.sharedCustomerMode).toBe(true);
    expect(config.catalogTtlSeconds).toBe(60);
    expect(config.trialDays).toBe(14);
    expect(config.allowPromotionCodes).toBe(true);
  });

  it('refuses a publishable key where the secret key belongs, without echoing it', () => {
    const config = readConfig({ STRIPE_API_KEY: 'pk_test_leakme' });
    expect(config.stripeApiKey).toBeUndefined();
    expect(problemOf(config, 'STRIPE_API_KEY')?.message).toMatch(/publishable key/);
    expect(JSON.stringify(config.problems)).not.toContain('leakme');
  });

  it('reports malformed values and keeps defaults', () => {
    const config = readConfig({
      STRIPE_WEBHOOK_SECRET: 'nope',
      STRIPE_API_BASE: 'ftp://x',
      CATALOG_TTL_SECONDS: '-5',
      PUBLIC_STRIPE_CUSTOMER_PORTAL_URL: 'javascript:alert(1)',
      SITE_URL: 'https://shop.example.com/store',
      TRIAL_DAYS: '731',
      ALLOW_PROMOTION_CODES: 'yes',
    });
    expect(config.webhookSecret).toBeUndefined();
    expect(config.apiBase).toBeUndefined();
    expect(config.portalLoginUrl).toBeUndefined();
    expect(config.siteOrigin).toBeUndefined();
    expect(config.trialDays).toBeUndefined();
    expect(config.allowPromotionCodes).toBe(false);
    expect(config.catalogTtlSeconds).toBe(300);
    expect(config.problems.map((p) => p.variable).sort()).toEqual(
      [
        'ALLOW_PROMOTION_CODES',
        'CATALOG_TTL_SECONDS',
        'PUBLIC_STRIPE_CUSTOMER_PORTAL_URL',
        'SITE_URL',
        'STRIPE_API_BASE',
        'STRIPE_WEBHOOK_SECRET',
        'TRIAL_DAYS',
      ].sort(),
    );
  });

  it('takes TRIAL_DAYS within Stripe’s 1–730', () => {
    expect(readConfig({ TRIAL_DAYS: '1' }).trialDays).toBe(1);
    expect(readConfig({ TRIAL_DAYS: '730' }).trialDays).toBe(730);
    for (const bad of ['0', '1.5', 'seven', '-3']) expect(readConfig({ TRIAL_DAYS: bad }).trialDays).toBeUndefined();
  });

  it('wants SITE_URL on https, except for this machine', () => {
    expect(readConfig({ SITE_URL: 'http://shop.example.com' }).siteOrigin).toBeUndefined();
    expect(readConfig({ SITE_URL: 'http://localhost:4321' }).siteOrigin).toBe('http://localhost:4321');
    expect(readConfig({ SITE_URL: 'https://shop.example.com/' }).siteOrigin).toBe('https://shop.example.com');
  });

  it('honours MYPAGE_SHARED_CUSTOMER only with a test-mode key', () => {
    expect(readConfig({ MYPAGE_SHARED_CUSTOMER: 'true', STRIPE_API_KEY: API_KEY }).sharedCustomerMode).toBe(true);
    const live = readConfig({ MYPAGE_SHARED_CUSTOMER: 'true', STRIPE_API_KEY: fakeStripeSecret('sk_live') });
    expect(live.sharedCustomerMode).toBe(false);
    expect(problemOf(live, 'MYPAGE_SHARED_CUSTOMER')?.message).toMatch(/live-mode key/);
  });

  it('reads the shop language, shipping and tax settings', () => {
    const config = readConfig({
      SHOP_LANGUAGE: 'en',
      SHIPPING_COUNTRIES: 'jp, JP,us',
      SHIPPING_PRICE: 'price_shipping',
      STRIPE_AUTOMATIC_TAX: 'true',
    });
    expect(config).toMatchObject({
      shopLanguage: 'en',
      shippingCountries: ['JP', 'US'],
      shippingPriceId: 'price_shipping',
      automaticTax: true,
      problems: [],
    });
    expect(readConfig({}).shopLanguage).toBe('ja');
    expect(readConfig({}).shippingCountries).toEqual([]);
  });

  it('refuses malformed shop language, countries and a shipping price with nothing to ship', () => {
    const bad = readConfig({ SHOP_LANGUAGE: 'fr', SHIPPING_COUNTRIES: 'Japan', STRIPE_AUTOMATIC_TAX: 'yes' });
    expect(bad.shopLanguage).toBe('ja');
    expect(bad.shippingCountries).toEqual([]);
    expect(bad.automaticTax).toBe(false);
    for (const variable of ['SHOP_LANGUAGE', 'SHIPPING_COUNTRIES', 'STRIPE_AUTOMATIC_TAX'] as const)
      expect(problemOf(bad, variable)).toBeDefined();
    const orphan = readConfig({ SHIPPING_PRICE: 'price_shipping' });
    expect(orphan.shippingPriceId).toBeUndefined();
    expect(problemOf(orphan, 'SHIPPING_PRICE')?.message).toMatch(/SHIPPING_COUNTRIES/);
  });

  it('reads Cloudflare Access for /admin only as a pair: a team domain and a 64-hex AUD tag', () => {
    const aud = 'ABCDEF0123456789'.repeat(4);
    const both = readConfig({ ACCESS_TEAM_DOMAIN: 'https://MyTeam.cloudflareaccess.com/', ACCESS_AUD: aud });
    expect(both.problems).toEqual([]);
    expect(both.accessTeamDomain).toBe('myteam.cloudflareaccess.com');
    expect(both.accessAudience).toBe(aud.toLowerCase());
    const alone = readConfig({ ACCESS_TEAM_DOMAIN: 'myteam.cloudflareaccess.com' });
    expect(alone.accessTeamDomain).toBeUndefined();
    expect(problemOf(alone, 'ACCESS_AUD')?.message).toMatch(/404/);
    const wrong = readConfig({ ACCESS_TEAM_DOMAIN: 'evil.example', ACCESS_AUD: 'short' });
    expect(problemOf(wrong, 'ACCESS_TEAM_DOMAIN')?.message).toMatch(/cloudflareaccess\.com/);
    expect(problemOf(wrong, 'ACCESS_AUD')?.message).toMatch(/64 hexadecimal/);
    expect(JSON.stringify(wrong.problems)).not.toContain('evil.example');
  });

  it('treats empty variables as unset', () => {
    const config = readConfig({ STRIPE_API_KEY: '  ', MYPAGE_SHARED_CUSTOMER: '', SITE_URL: '' });
    expect(config.stripeApiKey).toBeUndefined();
    expect(config.sharedCustomerMode).toBe(false);
    expect(config.problems).toEqual([]);
  });
});

describe('isLoopbackHost', () => {
  it('recognises loopback host names only', () => {
    for (const host of ['localhost', '[::1]', '127.0.0.1', '127.1.2.3']) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['127.0.0.1.evil.example', 'localhost.evil.example', '10.0.0.1', 'shop.example.com'])
      expect(isLoopbackHost(host)).toBe(false);
  });
});
