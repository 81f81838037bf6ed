/** The sign-in e-mail, in Japanese or English: text and HTML, no images, no tracking. */
import type { Language } from '../i18n';

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
  const lines = ja
    ? [
        'マイページを開くためのリンクです（15分間、1回だけ有効）。',
        link,
        'このリンクを開いたブラウザが、あなたのご契約に結び付きます。',
        'お心当たりがない場合は、このメールを破棄してください。リンクを開かなければ何も起こりません。',
      ]
    : [
        'Here is your link to My Page (valid for 15 minutes, once).',
        link,
        'The browser that opens it is linked to your subscription.',
        'If you did not ask for it, ignore this e-mail: nothing happens unless the link is opened.',
      ];
  const text = `${lines.join('\n\n')}\n\n${shopName}\n`;
  const html = [
    `<p>${escapeHtml(lines[0])}</p>`,
    `<p><a href="${escapeHtml(link)}">${escapeHtml(ja ? 'マイページを開く' : 'Open My Page')}</a></p>`,
    `<p>${escapeHtml(lines[2])}</p>`,
    `<p>${escapeHtml(lines[3])}</p>`,
    `<p>${escapeHtml(shopName)}</p>`,
  ].join('\n');
  return { subject, text, html };
}
