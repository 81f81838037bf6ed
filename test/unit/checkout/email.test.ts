import { describe, expect, it } from 'vitest';
import { parseDeclaredEmail, sameEmail } from '../../../src/lib/checkout/email';

describe('declared e-mail', () => {
  it('accepts an address, trimmed and lower-cased', () => {
    expect(parseDeclaredEmail('  Coffee.Lover+beans@Example.CO.jp ')).toEqual({
      kind: 'valid',
      email: 'coffee.lover+beans@example.co.jp',
    });
  });

  it('tells a missing field from a malformed one', () => {
    expect(parseDeclaredEmail(undefined)).toEqual({ kind: 'missing' });
    expect(parseDeclaredEmail('   ')).toEqual({ kind: 'missing' });
    for (const bad of [
      'name',
      'name@',
      '@example.com',
      'a b@example.com',
      'a@b',
      'a@@b.com',
      'a@b..com',
      `${'x'.repeat(250)}@example.com`,
      'a\u0000@b.com',
    ]) {
      expect(parseDeclaredEmail(bad).kind).toBe('malformed');
    }
  });

  it('compares with Stripe’s customer e-mail case-insensitively', () => {
    expect(sameEmail('Coffee@Example.com', 'coffee@example.com')).toBe(true);
    expect(sameEmail('other@example.com', 'coffee@example.com')).toBe(false);
    expect(sameEmail(null, 'coffee@example.com')).toBe(false);
  });
});
