import { describe, expect, it } from 'vitest';
import { formatAmount, minorUnitsPerMajor } from '../../../src/lib/stripe/money.ts';

describe('formatAmount', () => {
  it('does not divide zero-decimal currencies', () => {
    expect(formatAmount(1500, 'jpy', 'en')).toBe('¥1,500');
    expect(formatAmount(1500, 'JPY', 'ja')).toBe('￥1,500');
    expect(formatAmount(5000, 'krw', 'en')).toBe('₩5,000');
  });

  it('divides two-decimal currencies by 100', () => {
    expect(formatAmount(999, 'usd', 'en')).toBe('$9.99');
    expect(formatAmount(100000, 'eur', 'en')).toBe('€1,000.00');
  });

  it('divides three-decimal currencies by 1000 and shows three decimals', () => {
    // Intl separates the code with a no-break space.
    expect(formatAmount(1500, 'kwd', 'en')).toBe('KWD\u00a01.500');
    expect(formatAmount(12340, 'bhd', 'en')).toBe('BHD\u00a012.340');
  });

  it('knows each currency’s minor unit from Stripe’s lists', () => {
    expect(minorUnitsPerMajor('jpy')).toBe(1);
    expect(minorUnitsPerMajor('usd')).toBe(100);
    expect(minorUnitsPerMajor('ISK')).toBe(100);
    expect(minorUnitsPerMajor('tnd')).toBe(1000);
  });
});
