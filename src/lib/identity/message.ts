/** The sign-in e-mail, in Japanese or English: text and HTML, no images, no tracking. */
import type { Language } from '../i18n.ts';

function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

export function signInMessage(input: { lang: Language; shopName: string; link: string }): {
  subject: string;
  text: string;
  html: string;
} {
  const { lang, shopName, link } = input;
  const ja = lang === 'ja';
  const subject = ja ? `${shopName}：ログイン用リンク` : `${shopName}: your sign-in link`;
  const [intro, note, ignore] = ja
    ? [
        'マイページを開くためのリンクです（15分間、1回だけ有効）。',
        'このリンクを開いたブラウザが、あなたのご契約に結び付きます。',
        'お心当たりがない場合は、このメールを破棄してください。リンクを開かなければ何も起こりません。',
      ]
    : [
        'Here is your link to My Page (valid for 15 minutes, once).',
        'The browser that opens it is linked to your subscription.',
        'If you did not ask for it, ignore this e-mail: nothing happens unless the link is opened.',
      ];
  const text = `${[intro, link, note, ignore].join('\n\n')}\n\n${shopName}\n`;
  const html = [
    `<p>${escapeHtml(intro)}</p>`,
    `<p><a href="${escapeHtml(link)}">${escapeHtml(ja ? 'マイページを開く' : 'Open My Page')}</a></p>`,
    `<p>${escapeHtml(note)}</p>`,
    `<p>${escapeHtml(ignore)}</p>`,
    `<p>${escapeHtml(shopName)}</p>`,
  ].join('\n');
  return { subject, text, html };
}
