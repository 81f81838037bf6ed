/** The sign-in e-mail, in Japanese or English: text and HTML, no images, no tracking. */
import type { Language } from '../language/languages.ts';
import { escapeHtml } from '../http/html.ts';
import { signInEmailStrings } from './strings.ts';

export function signInMessage(input: { lang: Language; shopName: string; link: string }): {
  subject: string;
  text: string;
  html: string;
} {
  const { lang, shopName, link } = input;
  const t = signInEmailStrings[lang];
  const text = `${[t.intro, link, t.note, t.ignore].join('\n\n')}\n\n${shopName}\n`;
  const html = [
    `<p>${escapeHtml(t.intro)}</p>`,
    `<p><a href="${escapeHtml(link)}">${escapeHtml(t.open)}</a></p>`,
    `<p>${escapeHtml(t.note)}</p>`,
    `<p>${escapeHtml(t.ignore)}</p>`,
    `<p>${escapeHtml(shopName)}</p>`,
  ].join('\n');
  return { subject: t.subject(shopName), text, html };
}
