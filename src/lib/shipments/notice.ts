/**
 * The shipping notice e-mail, in Japanese or English: text and HTML, no images, no tracking. It
 * names the carrier, the tracking number and the carrier's tracking page, and nothing else about
 * the subscriber (no name, no address): a forwarded or misdelivered notice gives nothing away.
 */
import type { Language } from '../language/languages.ts';
import { escapeHtml } from '../http/html.ts';
import { noticeStrings } from './strings.ts';
import { CARRIERS, normalizeTrackingNumber, trackingUrl, type CarrierId } from './tracking.ts';

/** The notice for a parcel, or null when `trackingNumber` is not one of the carrier's (nothing to send). */
export function shippingNotice(input: {
  lang: Language;
  shopName: string;
  carrier: CarrierId;
  trackingNumber: string;
}): { subject: string; text: string; html: string } | null {
  const { lang, shopName, carrier } = input;
  const link = trackingUrl(carrier, input.trackingNumber, lang);
  if (link === null) return null;
  const strings = noticeStrings[lang];
  const carrierName = CARRIERS[carrier].name[lang];
  const number = normalizeTrackingNumber(input.trackingNumber);
  const separator = lang === 'ja' ? '：' : ': ';
  const details = [`${strings.carrier}${separator}${carrierName}`, `${strings.trackingNumber}${separator}${number}`];
  const text = `${[strings.intro, details.join('\n'), `${strings.track}\n${link}`, strings.delay].join('\n\n')}\n\n${shopName}\n`;
  const html = [
    `<p>${escapeHtml(strings.intro)}</p>`,
    `<p>${details.map(escapeHtml).join('<br>')}</p>`,
    `<p><a href="${escapeHtml(link)}">${escapeHtml(strings.track)}</a></p>`,
    `<p>${escapeHtml(strings.delay)}</p>`,
    `<p>${escapeHtml(shopName)}</p>`,
  ].join('\n');
  return { subject: strings.subject(shopName), text, html };
}
