import { describe, expect, it } from 'vitest';
import { formatAmount, isZeroDecimal } from '../../src/lib/money';

describe('formatAmount', () => {
  it('does not divide zero-decimal currencies by 100', () => {
    expect(formatAmount(1500, 'jpy', 'en')).toBe('¥1,500');
    expect(formatAmount(1500, 'JPY', 'ja')).toBe('￥1,500');
    expect(formatAmount(5000, 'krw', 'en')).toBe('₩5,000');
  });

  it('divides two-decimal currencies by 100', () => {
    expect(formatAmount(999, 'usd', 'en')).toBe('$9.99');
    expect(formatAmount(100000, 'eur', 'en')).toBe('€1,000.00');
  });

  it('knows which currencies are zero-decimal', () => {
    expect(isZeroDecimal('jpy')).toBe(true);
    expect(isZeroDecimal('usd')).toBe(false);
  });
});
