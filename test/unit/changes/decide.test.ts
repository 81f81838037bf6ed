/** Skip, pause, resume and frequency decisions: which renewals they leave out, and the cutoff. */
import { describe, expect, it } from 'vitest';
import {
  chargedRenewals,
  decideFrequency,
  decidePause,
  decideResume,
  decideSkip,
  frequencyFrom,
  pauseSpan,
  type ChangeSubject,
} from '../../../src/lib/changes/decide.ts';

const at = (iso: string) => Date.parse(iso) / 1000;
const iso = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 10);
const RULES = { cutoffDays: 3, timeZone: 'Asia/Tokyo' };
// The next renewal: 2026-12-20 10:00 in Tokyo; changes for it close when 2026-12-16 ends there.
const NEXT = at('2026-12-20T01:00:00Z');
const BEFORE_CUTOFF = Date.parse('2026-12-16T14:59:00Z');
const AFTER_CUTOFF = Date.parse('2026-12-16T15:00:00Z');

function subject(overrides: Partial<ChangeSubject> = {}): ChangeSubject {
  return {
    status: 'active',
    priceId: 'price_1m',
    nextRenewal: NEXT,
    cycle: { interval: 'month', intervalCount: 1, anchor: at('2026-10-20T01:00:00Z') },
    pause: null,
    scheduledChange: null,
    ending: false,
    ...overrides,
  };
}

describe('skip', () => {
  it('leaves out the next delivery: the pause ends between it and the one after', () => {
    const decision = decideSkip(subject(), NEXT, BEFORE_CUTOFF, RULES);
    expect(decision).toEqual({ kind: 'pause', resumesAt: expect.any(Number) });
    const skipped = subject({ pause: { resumesAt: decision.kind === 'pause' ? decision.resumesAt : 0 } });
    expect(chargedRenewals(skipped, 2).map(iso)).toEqual(['2027-01-20', '2027-02-20']);
  });

  it('is refused from the cutoff on, and a double click finds it done', () => {
    expect(decideSkip(subject(), NEXT, AFTER_CUTOFF, RULES)).toEqual({ kind: 'refused', reason: 'cutoff' });
    const skipped = subject({ pause: { resumesAt: NEXT + 15 * 86_400 } });
    expect(decideSkip(skipped, NEXT, BEFORE_CUTOFF, RULES)).toEqual({ kind: 'unchanged' });
    // The next delivery is now January's: skipping it too extends the pause (its own cutoff applies).
    const january = at('2027-01-20T01:00:00Z');
    const again = decideSkip(skipped, january, AFTER_CUTOFF, RULES);
    expect(again.kind).toBe('pause');
    expect(
      chargedRenewals(subject({ pause: { resumesAt: again.kind === 'pause' ? again.resumesAt : 0 } }), 1).map(iso),
    ).toEqual(['2027-02-20']);
    // A page naming another date is out of date.
    expect(decideSkip(subject(), january, BEFORE_CUTOFF, RULES)).toEqual({ kind: 'refused', reason: 'stale' });
  });

  it('is not offered to an ending, unpaid or indefinitely paused subscription', () => {
    for (const changed of [{ ending: true }, { status: 'past_due' }, { pause: { resumesAt: null } }])
      expect(decideSkip(subject(changed), NEXT, BEFORE_CUTOFF, RULES)).toEqual({
        kind: 'refused',
        reason: 'not-changeable',
      });
  });
});

describe('pause', () => {
  it.each([
    [1, ['2026-12-20'], '2027-01-20'],
    [2, ['2026-12-20', '2027-01-20'], '2027-02-20'],
    [3, ['2026-12-20', '2027-01-20', '2027-02-20'], '2027-03-20'],
  ])('%i month(s) leave out %j and charge again on %s', (months, leftOut, firstCharged) => {
    const span = pauseSpan(NEXT, months, subject().cycle);
    expect(span.leftOut.map(iso)).toEqual(leftOut);
    expect(iso(span.firstCharged)).toBe(firstCharged);
    const decision = decidePause(subject(), NEXT, months, BEFORE_CUTOFF, RULES);
    const paused = subject({ pause: { resumesAt: decision.kind === 'pause' ? decision.resumesAt : 0 } });
    expect(chargedRenewals(paused, 1).map(iso)).toEqual([firstCharged]);
    // The same form again finds it done.
    expect(decidePause(paused, NEXT, months, BEFORE_CUTOFF, RULES)).toEqual({ kind: 'unchanged' });
  });

  it('of a plan every 2 months leaves out the deliveries within the months', () => {
    const bimonthly = subject({ cycle: { interval: 'month', intervalCount: 2, anchor: NEXT } });
    expect(pauseSpan(NEXT, 3, bimonthly.cycle).leftOut.map(iso)).toEqual(['2026-12-20', '2027-02-20']);
    expect(iso(pauseSpan(NEXT, 1, bimonthly.cycle).firstCharged)).toBe('2027-02-20');
  });

  it('is refused after the cutoff, over another pause, and from an old page', () => {
    expect(decidePause(subject(), NEXT, 2, AFTER_CUTOFF, RULES)).toEqual({ kind: 'refused', reason: 'cutoff' });
    expect(decidePause(subject({ pause: { resumesAt: NEXT + 86_400 } }), NEXT, 2, BEFORE_CUTOFF, RULES)).toEqual({
      kind: 'refused',
      reason: 'paused',
    });
    expect(decidePause(subject(), NEXT - 86_400, 2, BEFORE_CUTOFF, RULES)).toEqual({
      kind: 'refused',
      reason: 'stale',
    });
  });
});

describe('resume', () => {
  const paused = subject({ pause: { resumesAt: at('2027-02-05T00:00:00Z') } });

  it('unsets the pause before the cutoff; after it, the next delivery stays left out', () => {
    expect(decideResume(paused, BEFORE_CUTOFF, RULES)).toEqual({ kind: 'unpause' });
    const late = decideResume(paused, AFTER_CUTOFF, RULES);
    expect(late.kind).toBe('pause');
    expect(
      chargedRenewals(subject({ pause: { resumesAt: late.kind === 'pause' ? late.resumesAt : 0 } }), 1).map(iso),
    ).toEqual(['2027-01-20']);
  });

  it('is nothing to do without a pause (a double click), and cannot bring back a skip after the cutoff', () => {
    expect(decideResume(subject(), BEFORE_CUTOFF, RULES)).toEqual({ kind: 'unchanged' });
    const skip = subject({ pause: { resumesAt: NEXT + 15 * 86_400 } });
    expect(decideResume(skip, AFTER_CUTOFF, RULES)).toEqual({ kind: 'refused', reason: 'cutoff' });
  });
});

describe('frequency', () => {
  it('takes effect at the next renewal, or after the cutoff at the one after', () => {
    expect(iso(frequencyFrom(subject(), BEFORE_CUTOFF, RULES))).toBe('2026-12-20');
    expect(iso(frequencyFrom(subject(), AFTER_CUTOFF, RULES))).toBe('2027-01-20');
    expect(decideFrequency(subject(), 'price_2m', NEXT, BEFORE_CUTOFF, RULES)).toEqual({
      kind: 'schedule',
      priceId: 'price_2m',
      from: NEXT,
    });
    expect(decideFrequency(subject(), 'price_2m', NEXT, AFTER_CUTOFF, RULES)).toEqual({
      kind: 'refused',
      reason: 'stale',
    });
  });

  it('is unchanged when scheduled already; the current price again drops the pending change', () => {
    const pending = subject({ scheduledChange: { priceId: 'price_2m', at: NEXT } });
    expect(decideFrequency(pending, 'price_2m', NEXT, BEFORE_CUTOFF, RULES)).toEqual({ kind: 'unchanged' });
    expect(decideFrequency(pending, 'price_1m', NEXT, BEFORE_CUTOFF, RULES)).toEqual({ kind: 'release' });
    expect(decideFrequency(subject(), 'price_1m', NEXT, BEFORE_CUTOFF, RULES)).toEqual({ kind: 'unchanged' });
  });
});
