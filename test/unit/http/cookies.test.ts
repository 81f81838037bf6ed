import { describe, expect, it } from 'vitest';
import { cookiePairs, cookieValues } from '../../../src/lib/http/cookies.ts';

describe('cookiePairs', () => {
  it('splits at the first =, trims, skips empty pairs, and gives a pair without = an empty name', () => {
    expect(cookiePairs(' a=1; b=x=y ;; lang ;')).toEqual([
      { name: 'a', value: '1' },
      { name: 'b', value: 'x=y' },
      { name: '', value: 'lang' },
    ]);
  });
});

describe('cookieValues', () => {
  it('gives every value sent under the name, so a caller can refuse a name sent twice', () => {
    expect(cookieValues('lang=en; x=1; lang=ja', 'lang')).toEqual(['en', 'ja']);
    expect(cookieValues('x=1', 'lang')).toEqual([]);
  });
});
