/**
 * The shipping notice, sent once per parcel through the shop's sender (the sign-in links' Email
 * Sending binding): claimed in D1 first, so two marks or a mark and the hourly run never send it
 * twice; given back when the send fails, so the next run tries again.
 */
import { describeError, type Logger } from '../log/log.ts';
import { siteStrings } from '../site/strings.ts';
import { shippingNotice } from './notice.ts';
import type { Shipments } from './shipments.ts';

/** The shop's sender (the sign-in links'): the Email Sending binding and SIGN_IN_EMAIL_FROM. */
export interface NoticeSender {
  email: SendEmail;
  from: string;
}

export interface NoticeDeps {
  shipments: Shipments;
  sender: NoticeSender;
  log: Logger;
}

export type NoticeOutcome = 'sent' | 'already_claimed' | 'nothing_to_send' | 'failed';

/** Sends the notice of one shipped parcel, unless it was sent (or is being sent) already. */
export async function sendShippingNotice(deps: NoticeDeps, invoiceId: string): Promise<NoticeOutcome> {
  const claim = await deps.shipments.claimNotice(invoiceId);
  if (!claim) return 'already_claimed';
  // The sender's name, in the notice's language.
  const shopName = siteStrings[claim.language].shopName;
  const message =
    claim.carrier && claim.trackingNumber
      ? shippingNotice({ lang: claim.language, shopName, carrier: claim.carrier, trackingNumber: claim.trackingNumber })
      : null;
  // No address, or a number that makes no tracking link: the claim stays, there is nothing to send.
  if (!claim.email || !message) return 'nothing_to_send';
  try {
    await deps.sender.email.send({
      from: { email: deps.sender.from, name: shopName },
      to: claim.email,
      subject: message.subject,
      text: message.text,
      html: message.html,
    });
    deps.log.info({ msg: 'shipping notice sent', invoice: invoiceId });
    return 'sent';
  } catch (error) {
    await deps.shipments.releaseNotice(invoiceId, claim.claimedAt);
    deps.log.error({ msg: 'shipping notice failed', invoice: invoiceId, error: describeError(error) });
    return 'failed';
  }
}

/** Sends the notices of parcels just marked shipped, one after another (each is a subrequest). */
export async function sendShippingNotices(deps: NoticeDeps, invoiceIds: readonly string[]): Promise<void> {
  for (const invoiceId of invoiceIds) await sendShippingNotice(deps, invoiceId);
}

/** How far back the hourly run looks for a notice that never went out: later than that, it would only confuse. */
const RESEND_WINDOW_MS = 2 * 86_400_000;
/** Notices the run sends at most (each is a subrequest; the run shares Workers Free's 50). */
const RESEND_LIMIT = 5;

/** The hourly run's retry: sends the notices of parcels shipped lately that never got one. Returns how many went. */
export async function resendNotices(deps: NoticeDeps, nowMs: number): Promise<number> {
  let sent = 0;
  for (const invoiceId of await deps.shipments.unnotified(nowMs - RESEND_WINDOW_MS, RESEND_LIMIT))
    if ((await sendShippingNotice(deps, invoiceId)) === 'sent') sent += 1;
  return sent;
}
