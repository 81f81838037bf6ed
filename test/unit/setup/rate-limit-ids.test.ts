import { describe, expect, it } from 'vitest';
import { rateLimitNamespaceId, withDerivedRateLimitIds } from '../../../src/lib/setup/rate-limit-ids.ts';

const limiters = [
  { name: 'VISITOR_RATE_LIMITER', namespace_id: '4201', simple: { limit: 10, period: 60 } },
  { name: 'CLIENT_RATE_LIMITER', namespace_id: '4202', simple: { limit: 60, period: 60 } },
  { name: 'EMAIL_RATE_LIMITER', namespace_id: '4203', simple: { limit: 3, period: 60 } },
];

describe('rate-limit namespace ids derived from the worker’s name', () => {
  it('are integers, the same on every deploy, and differ between limiters and between workers', () => {
    const id = rateLimitNamespaceId('coffee-subscription-storefront', 'VISITOR_RATE_LIMITER');
    expect(id).toMatch(/^\d+$/);
    expect(Number(id)).toBeGreaterThanOrEqual(100_000);
    expect(Number(id)).toBeLessThan(2 ** 31);
    expect(rateLimitNamespaceId('coffee-subscription-storefront', 'VISITOR_RATE_LIMITER')).toBe(id);
    expect(rateLimitNamespaceId('another-shop', 'VISITOR_RATE_LIMITER')).not.toBe(id);
  });

  it('replace only the ids, keeping each limiter’s settings', () => {
    const derived = withDerivedRateLimitIds('coffee-subscription-storefront', limiters);
    expect(derived.map(({ name, simple }) => ({ name, simple }))).toEqual(
      limiters.map(({ name, simple }) => ({ name, simple })),
    );
    expect(new Set(derived.map((binding) => binding.namespace_id)).size).toBe(3);
    expect(derived.map((binding) => binding.namespace_id)).not.toContain('4201');
  });
});
