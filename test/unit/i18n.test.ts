import { describe, expect, it } from 'vitest';
import { pickLanguage, strings } from '../../src/lib/i18n';

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
    expect(pickLanguage(header)).toBe(expected);
  });
});

describe('interval labels', () => {
  it('reads naturally in both languages', () => {
    expect(strings('en').perInterval('month', 1)).toBe('/ month');
    expect(strings('en').perInterval('month', 3)).toBe('/ 3 months');
    expect(strings('en').perInterval('year', 1)).toBe('/ year');
    expect(strings('ja').perInterval('month', 1)).toBe('/ 月');
    expect(strings('ja').perInterval('month', 3)).toBe('/ 3か月');
  });
});
