import { describe, expect, it } from 'vitest';
import { isLoopbackUrl, problemFor, readConfig } from '../../src/lib/config';
import { fakeStripeSecret } from '../support/fake-secrets.ts';

const API_KEY = fakeStripeSecret('rk_test');
const WEBHOOK_SECRET = fakeStripeSecret('whsec');

describe('readConfig', () => {
  it('accepts a complete, well-formed configuration', () => {
    const config = readConfig({
      STRIPE_API_KEY: API_KEY,
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      PUBLIC_STRIPE_PUBLISHABLE_API_KEY: 'pk_test_abc',
      PUBLIC_STRIPE_PRICING_TABLE_ID: 'prctbl_123',
      PUBLIC_STRIPE_CUSTOMER_PORTAL_URL: 'https://billing.stripe.com/p/login/test_123',
      STRIPE_API_BASE: 'http://127.0.0.1:12111',
      MYPAGE_SHARED_CUSTOMER: 'true',
      CATALOG_TTL_SECONDS: '60',
    });
    expect(config.problems).toEqual([]);
    expect(config.stripeApiKey).toBe(API_KEY);
    expect(config.apiBase?.port).toBe('12111');
    expect(config.sharedCustomerMode).toBe(true);
    expect(config.catalogTtlSeconds).toBe(60);
  });

  it('refuses a publishable key where the secret key belongs, without echoing it', () => {
    const config = readConfig({ STRIPE_API_KEY: 'pk_test_leakme' });
    expect(config.stripeApiKey).toBeUndefined();
    const problem = problemFor(config, 'STRIPE_API_KEY');
    expect(problem?.message).toMatch(/publishable key/);
    expect(problem?.message).not.toContain('leakme');
  });

  it('reports malformed values and keeps defaults', () => {
    const config = readConfig({
      STRIPE_WEBHOOK_SECRET: 'nope',
      STRIPE_API_BASE: 'ftp://x',
      CATALOG_TTL_SECONDS: '-5',
      PUBLIC_STRIPE_CUSTOMER_PORTAL_URL: 'javascript:alert(1)',
    });
    expect(config.webhookSecret).toBeUndefined();
    expect(config.apiBase).toBeUndefined();
    expect(config.portalLoginUrl).toBeUndefined();
    expect(config.catalogTtlSeconds).toBe(300);
    expect(config.problems.map((p) => p.variable).sort()).toEqual(
      ['CATALOG_TTL_SECONDS', 'PUBLIC_STRIPE_CUSTOMER_PORTAL_URL', 'STRIPE_API_BASE', 'STRIPE_WEBHOOK_SECRET'].sort(),
    );
  });

  it('treats empty variables as unset', () => {
    const config = readConfig({ STRIPE_API_KEY: '  ', MYPAGE_SHARED_CUSTOMER: '' });
    expect(config.stripeApiKey).toBeUndefined();
    expect(config.sharedCustomerMode).toBe(false);
    expect(config.problems).toEqual([]);
  });

  it('honours test fault injection only with a loopback Stripe', () => {
    expect(readConfig({ TEST_FAULT_INJECTION: 'true', STRIPE_API_BASE: 'http://127.0.0.1:9' }).testFaultInjection).toBe(true);
    expect(readConfig({ TEST_FAULT_INJECTION: 'true', STRIPE_API_BASE: 'https://api.stripe.com' }).testFaultInjection).toBe(false);
    expect(readConfig({ TEST_FAULT_INJECTION: 'true' }).testFaultInjection).toBe(false);
  });

  it('recognises loopback URLs only', () => {
    expect(isLoopbackUrl(new URL('http://localhost:1'))).toBe(true);
    expect(isLoopbackUrl(new URL('http://[::1]:1'))).toBe(true);
    expect(isLoopbackUrl(new URL('http://127.1.2.3'))).toBe(true);
    expect(isLoopbackUrl(new URL('http://127.0.0.1.evil.example'))).toBe(false);
    expect(isLoopbackUrl(new URL('http://10.0.0.1'))).toBe(false);
  });
});
