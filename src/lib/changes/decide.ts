/**
 * What a subscriber's change does, decided from the subscription as Stripe has it, the clock and the shop's
 * cutoff, without doing anything (docs/changes.md). Skip and pause are `pause_collection[behavior]=void` with
 * `resumes_at` halfway between the last renewal left out and the first one charged; resume unsets it; a frequency
 * change is a schedule whose next phase starts at a renewal with the new price and no proration.
 */
import { addMonthsKeepingAnchor, changeDeadline, renewalAfter, type Cycle } from './dates.ts';

/** The subscription a change applies to, as read from Stripe (or, for a page, from the record of that read). */
export interface ChangeSubject {
  status: string;
  priceId: string;
  /** The next renewal (the current period's end), Unix seconds. */
  nextRenewal: number;
  cycle: Cycle;
  /** `pause_collection`: renewals before `resumesAt` (all of them when null) are voided, so nothing ships. */
  pause: { resumesAt: number | null } | null;
  /** A price the subscription's schedule switches to at a renewal. */
  scheduledChange: { priceId: string; at: number } | null;
  /** The subscription is set to end (`cancel_at`): nothing is changed before it does. */
  ending: boolean;
}

/** The shop's profile: how many days before a renewal changes close, in which time zone days begin. */
export interface ChangeRules {
  cutoffDays: number;
  timeZone: string;
}

/** The statuses a subscriber may change: paying ones (a trial's first renewal is its end). */
const CHANGEABLE = new Set(['active', 'trialing']);
/** A bound on the renewals looked at (five years of monthly ones). */
const MAX_RENEWALS_LOOKED_AT = 60;

export type ChangeDecision =
  /** Set `pause_collection[behavior]=void` with this `resumes_at`. */
  | { kind: 'pause'; resumesAt: number }
  /** Unset `pause_collection`: the next renewal is charged. */
  | { kind: 'unpause' }
  /** Schedule `priceId` from the renewal at `from` (a schedule phase, `proration_behavior: none`). */
  | { kind: 'schedule'; priceId: string; from: number }
  /** Release the schedule: the pending frequency change is dropped. */
  | { kind: 'release' }
  /** Already as asked (a double click): nothing to do. */
  | { kind: 'unchanged' }
  | { kind: 'refused'; reason: ChangeRefusal };

export type ChangeRefusal =
  /** The delivery the change is for is past the cutoff. */
  | 'cutoff'
  /** The page was out of date (its dates are no longer the subscription's). */
  | 'stale'
  /** Not a subscription that can change now (ended, ending, unpaid, paused indefinitely). */
  | 'not-changeable'
  /** A pause is already set: resume first. */
  | 'paused';

/** True when the renewal at `renewal` is voided by the pause (Stripe.Subscription.PauseCollection.resumes_at). */
export function isCovered(renewal: number, pause: ChangeSubject['pause']): boolean {
  return pause !== null && (pause.resumesAt === null || renewal < pause.resumesAt);
}

/** The next `count` renewals that are charged (and ship), in order; fewer while paused indefinitely. */
export function chargedRenewals(subject: ChangeSubject, count: number): number[] {
  const charged: number[] = [];
  let renewal = subject.nextRenewal;
  for (let seen = 0; seen < MAX_RENEWALS_LOOKED_AT && charged.length < count; seen++) {
    if (!isCovered(renewal, subject.pause)) charged.push(renewal);
    renewal = renewalAfter(renewal, subject.cycle);
  }
  return charged;
}

/** A `resumes_at` between the last renewal left out and the first one charged: no second of either is ambiguous. */
function between(lastLeftOut: number, firstCharged: number): number {
  return Math.floor((lastLeftOut + firstCharged) / 2);
}

/** True while a change for the renewal at `renewal` is still taken. */
export function beforeCutoff(renewal: number, nowMs: number, rules: ChangeRules): boolean {
  return nowMs < changeDeadline(renewal, rules.cutoffDays, rules.timeZone);
}

function changeable(subject: ChangeSubject): boolean {
  return CHANGEABLE.has(subject.status) && !subject.ending;
}

/**
 * Skips the delivery the form names (`target`, the next one charged when the page was shown): the pause ends
 * after it. A double click finds it skipped already; an older page names a delivery that is no longer next.
 */
export function decideSkip(subject: ChangeSubject, target: number, nowMs: number, rules: ChangeRules): ChangeDecision {
  if (!changeable(subject)) return { kind: 'refused', reason: 'not-changeable' };
  const [next] = chargedRenewals(subject, 1);
  if (next === undefined) return { kind: 'refused', reason: 'not-changeable' };
  if (target !== next)
    return isCovered(target, subject.pause) && target >= subject.nextRenewal
      ? { kind: 'unchanged' }
      : { kind: 'refused', reason: 'stale' };
  if (!beforeCutoff(next, nowMs, rules)) return { kind: 'refused', reason: 'cutoff' };
  return { kind: 'pause', resumesAt: between(next, renewalAfter(next, subject.cycle)) };
}

/** The renewals a pause of `months` months from the renewal at `from` leaves out, and the first one charged. */
export function pauseSpan(from: number, months: number, cycle: Cycle): { leftOut: number[]; firstCharged: number } {
  const until = addMonthsKeepingAnchor(from, months, cycle.anchor);
  const leftOut = [from];
  let renewal = renewalAfter(from, cycle);
  while (renewal < until && leftOut.length < MAX_RENEWALS_LOOKED_AT) {
    leftOut.push(renewal);
    renewal = renewalAfter(renewal, cycle);
  }
  return { leftOut, firstCharged: renewal };
}

/**
 * Pauses for `months` months from the next renewal (`from`, as the confirmation page showed it): every renewal
 * within them is voided. Taken before that renewal's cutoff, and only when no pause is set (resume first).
 */
export function decidePause(
  subject: ChangeSubject,
  from: number,
  months: number,
  nowMs: number,
  rules: ChangeRules,
): ChangeDecision {
  if (!changeable(subject)) return { kind: 'refused', reason: 'not-changeable' };
  const span = pauseSpan(from, months, subject.cycle);
  const resumesAt = between(span.leftOut.at(-1) ?? from, span.firstCharged);
  if (subject.pause !== null)
    return subject.pause.resumesAt === resumesAt ? { kind: 'unchanged' } : { kind: 'refused', reason: 'paused' };
  if (from !== subject.nextRenewal) return { kind: 'refused', reason: 'stale' };
  if (!beforeCutoff(from, nowMs, rules)) return { kind: 'refused', reason: 'cutoff' };
  return { kind: 'pause', resumesAt };
}

/**
 * Resumes (or undoes a skip): before the next renewal's cutoff the pause is unset and that renewal is charged;
 * after it, that renewal stays left out and the pause ends right after it.
 */
export function decideResume(subject: ChangeSubject, nowMs: number, rules: ChangeRules): ChangeDecision {
  if (subject.pause === null) return { kind: 'unchanged' };
  if (!CHANGEABLE.has(subject.status)) return { kind: 'refused', reason: 'not-changeable' };
  const next = subject.nextRenewal;
  if (!isCovered(next, subject.pause) || beforeCutoff(next, nowMs, rules)) return { kind: 'unpause' };
  const resumesAt = between(next, renewalAfter(next, subject.cycle));
  if (subject.pause.resumesAt !== null && subject.pause.resumesAt <= resumesAt)
    return { kind: 'refused', reason: 'cutoff' };
  return { kind: 'pause', resumesAt };
}

/** The renewal a frequency change chosen now takes effect at: the next one, or after the cutoff the one after it. */
export function frequencyFrom(subject: ChangeSubject, nowMs: number, rules: ChangeRules): number {
  return beforeCutoff(subject.nextRenewal, nowMs, rules)
    ? subject.nextRenewal
    : renewalAfter(subject.nextRenewal, subject.cycle);
}

/**
 * Changes how often the subscriber receives (another price of the same product; the caller checked it is one
 * the catalog offers): from `from` (the renewal the confirmation page showed) at the new price, with nothing
 * charged now. Choosing the current price again drops a pending change.
 */
export function decideFrequency(
  subject: ChangeSubject,
  priceId: string,
  from: number,
  nowMs: number,
  rules: ChangeRules,
): ChangeDecision {
  if (!changeable(subject)) return { kind: 'refused', reason: 'not-changeable' };
  const pending = subject.scheduledChange;
  if (priceId === subject.priceId) return pending ? { kind: 'release' } : { kind: 'unchanged' };
  if (pending?.priceId === priceId && pending.at === from) return { kind: 'unchanged' };
  if (from !== frequencyFrom(subject, nowMs, rules)) return { kind: 'refused', reason: 'stale' };
  return { kind: 'schedule', priceId, from };
}

/** The cutoff when the profile has no `shipping` section (the schema's default, shipping-rules.ts). */
const DEFAULT_CUTOFF_DAYS = 3;
/** Where days begin without a `shipping` section: the shop's default zone. */
const DEFAULT_TIME_ZONE = 'Asia/Tokyo';

/** The change rules from the profile's `shipping` section, or its defaults without one. */
export function changeRulesFrom(shipping: { changeCutoffDays: number; timeZone: string } | undefined): ChangeRules {
  return {
    cutoffDays: shipping?.changeCutoffDays ?? DEFAULT_CUTOFF_DAYS,
    timeZone: shipping?.timeZone ?? DEFAULT_TIME_ZONE,
  };
}
