import { describe, expect, it } from 'vitest';
import type { EmailRefusal } from '../../../src/lib/checkout/email.ts';
import { checkoutStrings } from '../../../src/lib/checkout/strings.ts';
import { pickLanguage } from '../../../src/lib/language/accept-language.ts';
import { priceStrings } from '../../../src/lib/subscriptions/price-strings.ts';

describe('pickLanguage', () => {
  it.each([
    [null, 'en'],
    ['', 'en'],
    ['ja', 'ja'],
    ['ja-JP,ja;q=0.9,en;q=0.8', 'ja'],
    ['en-US,en;q=0.9,ja;q=0.8', 'en'],
    ['fr-FR,fr;q=0.9', 'en'],
    ['fr;q=1, ja;q=0.5, en;q=0.4', 'ja'],
    ['en;q=0.2, ja;q=0.9', 'ja'],
    ['ja;q=0', 'en'],
  ])('%s → %s', (header, expected) => {
    expect(pickLanguage(header, 'en')).toBe(expected);
  });

  it('falls back to the shop language for no header, a wildcard or only other languages', () => {
    for (const header of [null, '', '*', 'fr-FR,fr;q=0.9', 'en;q=0']) expect(pickLanguage(header, 'ja')).toBe('ja');
    expect(pickLanguage('en-US,en;q=0.9', 'ja')).toBe('en');
  });
});

describe('interval labels', () => {
  it('reads naturally in both languages', () => {
    expect(priceStrings.en.perInterval('month', 1)).toBe('/ month');
    expect(priceStrings.en.perInterval('month', 3)).toBe('/ 3 months');
    expect(priceStrings.en.perInterval('year', 1)).toBe('/ year');
    expect(priceStrings.ja.perInterval('month', 1)).toBe('/ 月');
    expect(priceStrings.ja.perInterval('month', 3)).toBe('/ 3か月');
  });
});

describe('e-mail refusals', () => {
  it('explain every reason parseDeclaredEmail gives, in both languages', () => {
    const reasons: EmailRefusal[] = [
      'format',
      'too_long',
      'invisible',
      'local_part',
      'non_ascii_local_part',
      'domain',
      'mixed_script',
    ];
    for (const language of ['en', 'ja'] as const) {
      const messages = checkoutStrings[language].emailRefusal;
      expect(Object.keys(messages).sort()).toEqual([...reasons].sort());
      for (const reason of reasons) expect(messages[reason].length).toBeGreaterThan(20);
    }
    expect(checkoutStrings.en.emailRefusal.local_part).toMatch(
      /^Use an address with only letters, digits and \. _ - \+ before the @/,
    );
    expect(checkoutStrings.ja.emailRefusal.non_ascii_local_part).toContain('@ の前');
  });
});
