import { describe, expect, it } from 'vitest';
import { withPhraseBreaks } from '../../../src/lib/language/phrases.ts';

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
