/**
 * The confirmation e-mail of a subscriber's change, in Japanese or English: text and HTML, no images, no tracking.
 * It names the change and the coming delivery dates, nothing else about the subscriber (no name, no address).
 */
import { escapeHtml } from '../http/html.ts';
import type { Language } from '../language/languages.ts';
import { describeError, type Logger } from '../log/log.ts';
import type { ChangeKind } from './run.ts';
import { changeStrings } from './strings.ts';

/** The message for a change, given the lines that sum up the deliveries (view.ts `summaryLines`). */
export function changeMessage(input: { lang: Language; shopName: string; kind: ChangeKind; summary: string[] }): {
  subject: string;
  text: string;
  html: string;
} {
  const t = changeStrings[input.lang];
  const intro = t.emailIntro[input.kind];
  const text = `${[intro, input.summary.join('\n'), t.emailNote].join('\n\n')}\n\n${input.shopName}\n`;
  const html = [
    `<p>${escapeHtml(intro)}</p>`,
    `<p>${input.summary.map(escapeHtml).join('<br>')}</p>`,
    `<p>${escapeHtml(t.emailNote)}</p>`,
    `<p>${escapeHtml(input.shopName)}</p>`,
  ].join('\n');
  return { subject: t.emailSubject(input.shopName, input.kind), text, html };
}

/** Sends the confirmation through the shop's sender (the sign-in links'); a failure is logged, the change stands. */
export async function sendChangeConfirmation(
  deps: { sender: { email: SendEmail; from: string }; log: Logger },
  input: { to: string; lang: Language; shopName: string; kind: ChangeKind; summary: string[] },
): Promise<void> {
  const message = changeMessage(input);
  try {
    await deps.sender.email.send({
      from: { email: deps.sender.from, name: input.shopName },
      to: input.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
    });
    deps.log.info({ msg: 'change confirmation sent', change: input.kind });
  } catch (error) {
    deps.log.error({ msg: 'change confirmation failed', change: input.kind, error: describeError(error) });
  }
}
