/** What the storefront, the confirmation pages and the e-mail say about the coming deliveries. */
import { formatDate } from '../language/dates.ts';
import type { Language } from '../language/languages.ts';
import { punctuation } from '../language/punctuation.ts';
import { changeDeadline, lastChangeDay, renewalAfter } from './dates.ts';
import { beforeCutoff, chargedRenewals, isCovered, type ChangeRules, type ChangeSubject } from './decide.ts';
import { changeStrings } from './strings.ts';

/** The renewals a pause leaves out that the page lists, at most. */
const LEFT_OUT_SHOWN = 6;

export interface DeliveryView {
  /** The next renewal (charged or left out). */
  nextRenewal: number;
  /** The renewal after it. */
  renewalAfterNext: number;
  /** The next two deliveries charged (fewer while paused indefinitely). */
  charged: number[];
  /** The coming renewals the pause leaves out (none without one). */
  leftOut: number[];
  paused: boolean;
  /** The pause has no end (set in the portal or the Dashboard). */
  indefinite: boolean;
  /** Changes for the next renewal are still taken. */
  open: boolean;
  /** The last day (an instant in it, Unix seconds) a change for the next renewal is taken. */
  lastDay: number;
}

export function deliveryView(subject: ChangeSubject, nowMs: number, rules: ChangeRules): DeliveryView {
  const leftOut: number[] = [];
  let renewal = subject.nextRenewal;
  while (isCovered(renewal, subject.pause) && subject.pause?.resumesAt !== null && leftOut.length < LEFT_OUT_SHOWN) {
    leftOut.push(renewal);
    renewal = renewalAfter(renewal, subject.cycle);
  }
  return {
    nextRenewal: subject.nextRenewal,
    renewalAfterNext: renewalAfter(subject.nextRenewal, subject.cycle),
    charged: chargedRenewals(subject, 2),
    leftOut,
    paused: subject.pause !== null && isCovered(subject.nextRenewal, subject.pause),
    indefinite: subject.pause !== null && subject.pause.resumesAt === null,
    open: beforeCutoff(subject.nextRenewal, nowMs, rules),
    lastDay: lastChangeDay(changeDeadline(subject.nextRenewal, rules.cutoffDays, rules.timeZone)),
  };
}

/** A delivery date as the site shows dates, in the shop's zone. */
export function deliveryDate(unixSeconds: number, lang: Language, timeZone: string): string {
  return formatDate(unixSeconds, lang, timeZone);
}

/** The lines that sum up the coming deliveries: paused or not, the next two charged, what is left out. */
export function summaryLines(view: DeliveryView, lang: Language, timeZone: string): string[] {
  const t = changeStrings[lang];
  const date = (seconds: number) => deliveryDate(seconds, lang, timeZone);
  const [next, after] = view.charged;
  const lines: string[] = [];
  if (view.indefinite) lines.push(t.pausedIndefinitely);
  else if (view.leftOut.length > 0) lines.push(t.leftOut(view.leftOut.map(date).join(punctuation[lang].dot)));
  if (next !== undefined) lines.push(t.nextDelivery(date(next)));
  if (after !== undefined) lines.push(t.afterThat(date(after)));
  return lines;
}
