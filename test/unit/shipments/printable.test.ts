import { describe, expect, it } from 'vitest';
import { findUnprintable, isPrintable, unprintableCharacters } from '../../../src/lib/shipments/printable.ts';

describe('isPrintable', () => {
  it.each([
    ['山', 'level 1 kanji'],
    ['丿', 'level 2 kanji'],
    ['あ', 'hiragana'],
    ['ー', 'the long vowel mark'],
    ['〜', 'the wave dash (JIS 1-33)'],
    ['－', 'the full-width hyphen'],
    ['Ａ', 'full-width Latin'],
    ['ｱ', 'half-width katakana (JIS X 0201)'],
    ['A', 'ASCII'],
    [' ', 'the space'],
    ['“', 'a curly quote (JIS 1-40)'],
    ['∵', 'a JIS X 0208:1983 symbol that CP932 also has in row 13'],
  ])('prints %s (%s)', (character) => {
    expect(isPrintable(character)).toBe(true);
  });

  it.each([
    ['髙', "a CP932 IBM extension kanji (row 92 in NEC's selection)"],
    ['﨑', "a CP932 IBM extension kanji (row 89 in NEC's selection)"],
    ['①', 'NEC row 13 (CP932 0x8740)'],
    ['㈱', 'NEC row 13 (CP932 0x878A)'],
    ['Ⅰ', 'NEC row 13 (CP932 0x8754)'],
    ['鷗', 'JIS X 0212 (EUC-JP 0x8F…)'],
    ['𠮷', 'outside the BMP'],
    ['😀', 'an emoji'],
    ['é', 'Latin-1'],
    ['¥', 'the yen sign as Unicode has it (CP932 has no U+00A5)'],
    ['\n', 'a line break'],
    ['\t', 'a tab'],
  ])('refuses %s (%s)', (character) => {
    expect(isPrintable(character)).toBe(false);
  });
});

describe('unprintableCharacters', () => {
  it('gives each character and its position in code points', () => {
    expect(unprintableCharacters('髙橋😀①丁目')).toEqual([
      { character: '髙', index: 0 },
      { character: '😀', index: 2 },
      { character: '①', index: 3 },
    ]);
    expect(unprintableCharacters('東京都渋谷区神宮前1-2-3')).toEqual([]);
  });

  it('reports per field, only the fields with problems', () => {
    expect(findUnprintable({ name: '山﨑 太郎', line1: '神宮前1-2-3' })).toEqual([
      { field: 'name', characters: [{ character: '﨑', index: 1 }] },
    ]);
  });
});
