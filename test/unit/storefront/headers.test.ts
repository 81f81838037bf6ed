import { describe, expect, it } from 'vitest';
import { storefrontHeaders } from '../../../src/lib/storefront/headers.ts';

const base = { storefront: 'catalog' as const, hasVisitorCookie: false, embedShown: false, stripeApiOrigin: undefined };

describe('storefrontHeaders', () => {
  it('lets shared caches keep only the cookieless catalog', () => {
    expect(storefrontHeaders(base)).toEqual({
      vary: 'Cookie',
      'cache-control': 'public, max-age=30, stale-while-revalidate=60',
    });
    expect(storefrontHeaders({ ...base, hasVisitorCookie: true })['cache-control']).toBe('private, no-store');
    for (const storefront of ['pricing-table', 'buy-button', 'setup', 'unavailable'] as const)
      expect(storefrontHeaders({ ...base, storefront })['cache-control']).toBe('private, no-store');
  });

  it('widens the CSP only for a page that shows an embed', () => {
    expect(storefrontHeaders(base)['content-security-policy']).toBeUndefined();
    const csp = storefrontHeaders({
      ...base,
      storefront: 'pricing-table',
      embedShown: true,
      stripeApiOrigin: 'http://127.0.0.1:12111',
    })['content-security-policy'];
    expect(csp).toContain('https://js.stripe.com');
    expect(csp).toContain('http://127.0.0.1:12111');
    expect(storefrontHeaders({ ...base, storefront: 'pricing-table' })['content-security-policy']).toBeUndefined();
  });
});
