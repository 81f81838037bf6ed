import { describe, expect, it } from 'vitest';
import { withJapaneseMarked, withPhraseBreaks } from '../../../src/lib/language/phrases.ts';

describe('withPhraseBreaks', () => {
  it('puts a break opportunity between Japanese phrases, never inside a word', () => {
    const out = withPhraseBreaks('お申し込みありがとうございます！');
    expect(out).toContain('<wbr>');
    expect(out.replaceAll('<wbr>', '')).toBe('お申し込みありがとうございます！');
    // "ございます" stays whole (the review found 「ござ／います！」).
    expect(out.split('<wbr>').some((phrase) => phrase.includes('ございます'))).toBe(true);
  });

  it('keeps a number with its unit and a character reference whole', () => {
    expect(withPhraseBreaks('15 g of coffee at 92 °C, 4 minutes')).toBe(
      '15\u00a0g of coffee at 92\u00a0°C, 4\u00a0minutes',
    );
    const escaped = withPhraseBreaks('利用規約&amp;プライバシー');
    expect(escaped).toContain('&amp;');
    expect(escaped).not.toMatch(/&[^;]*<wbr>/);
  });

  it('leaves English and markup-free text as it is', () => {
    expect(withPhraseBreaks('Thank you for subscribing!')).toBe('Thank you for subscribing!');
    expect(withPhraseBreaks('')).toBe('');
  });
});

describe('withJapaneseMarked', () => {
  it('marks Japanese inside an English page, broken only between its phrases', () => {
    const out = withJapaneseMarked('Disclosure under the Act (特定商取引法に基づく表記).');
    expect(out).toMatch(/^Disclosure under the Act \(<span lang="ja">[^<]*(<wbr>[^<]*)*<\/span>\)\.$/);
    expect(out.replace(/<[^>]+>/g, '')).toBe('Disclosure under the Act (特定商取引法に基づく表記).');
  });

  it('keeps an address with its numbers as one run, and English as it is', () => {
    expect(withJapaneseMarked('東京都渋谷区神宮前1-2-3 101号室').match(/<span lang="ja">/g)).toHaveLength(1);
    expect(withJapaneseMarked('Each delivery: two 200 g bags')).toBe('Each delivery: two 200\u00a0g bags');
    expect(withJapaneseMarked('Tom &amp; 珈琲')).toBe('Tom &amp; <span lang="ja">珈琲</span>');
  });

  it('keeps the digits of a street number and of a range on one line, which browsers would break after the dash', () => {
    expect(withPhraseBreaks('見本町1-2-3')).toContain('<span class="nowrap">1-2-3</span>');
    expect(withJapaneseMarked('takes 1–3 days')).toBe('takes <span class="nowrap">1–3</span>\u00a0days');
  });
});
