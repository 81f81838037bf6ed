/** The confirmation e-mail of a change: both languages, the dates, nothing escaped wrongly. */
import { describe, expect, it } from 'vitest';
import { changeMessage } from '../../../src/lib/changes/email.ts';

describe('changeMessage', () => {
  it('names the change and the coming dates, in Japanese and English', () => {
    const ja = changeMessage({
      lang: 'ja',
      shopName: 'はなまめ珈琲',
      kind: 'skip',
      summary: ['お休みするお届け：2026年12月20日', '次回のお届け：2027年1月20日'],
    });
    expect(ja.subject).toBe('【はなまめ珈琲】スキップを承りました');
    expect(ja.text).toContain('次回のお届けのスキップを承りました。');
    expect(ja.text).toContain('次回のお届け：2027年1月20日');
    const en = changeMessage({
      lang: 'en',
      shopName: 'Hanamame',
      kind: 'pause',
      summary: ['Next delivery: March 20, 2027'],
    });
    expect(en.subject).toBe('Hanamame: your pause is confirmed');
    expect(en.html).toContain('<p>Next delivery: March 20, 2027</p>');
  });

  it('escapes what it puts in HTML', () => {
    const message = changeMessage({ lang: 'en', shopName: '<b>Shop</b>', kind: 'resume', summary: ['<i>x</i>'] });
    expect(message.html).not.toContain('<b>');
    expect(message.html).toContain('&lt;i&gt;x&lt;/i&gt;');
  });
});
