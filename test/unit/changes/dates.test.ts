/** The dates of a subscriber's changes: renewals as Stripe counts them, and the cutoff in the shop's zone. */
import { describe, expect, it } from 'vitest';
import {
  addMonthsKeepingAnchor,
  changeDeadline,
  lastChangeDay,
  renewalAfter,
  renewalsFrom,
} from '../../../src/lib/changes/dates.ts';

const at = (iso: string) => Date.parse(iso) / 1000;
const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

describe('renewals', () => {
  it('keep the anchor’s day of the month, or the month’s last day when it is shorter', () => {
    const anchor = at('2027-01-31T03:00:00Z');
    const monthly = { interval: 'month' as const, intervalCount: 1, anchor };
    expect(renewalsFrom(anchor, monthly, 4).map(iso)).toEqual([
      '2027-01-31T03:00:00.000Z',
      '2027-02-28T03:00:00.000Z',
      '2027-03-31T03:00:00.000Z',
      '2027-04-30T03:00:00.000Z',
    ]);
    expect(iso(addMonthsKeepingAnchor(at('2028-01-31T03:00:00Z'), 1, anchor))).toBe('2028-02-29T03:00:00.000Z');
  });

  it('count months by the interval count, and days and weeks as they are', () => {
    const start = at('2026-12-20T01:00:00Z');
    expect(iso(renewalAfter(start, { interval: 'month', intervalCount: 2, anchor: start }))).toBe(
      '2027-02-20T01:00:00.000Z',
    );
    expect(iso(renewalAfter(start, { interval: 'year', intervalCount: 1, anchor: start }))).toBe(
      '2027-12-20T01:00:00.000Z',
    );
    expect(iso(renewalAfter(start, { interval: 'week', intervalCount: 2, anchor: start }))).toBe(
      '2027-01-03T01:00:00.000Z',
    );
  });
});

describe('the cutoff', () => {
  it('closes at midnight in the shop’s zone, the cutoff days before the renewal’s day', () => {
    // 2026-12-20 10:00 in Tokyo: changes are taken until 2026-12-16 ends there (3 days).
    const renewal = at('2026-12-20T01:00:00Z');
    expect(new Date(changeDeadline(renewal, 3, 'Asia/Tokyo')).toISOString()).toBe('2026-12-16T15:00:00.000Z');
    expect(iso(lastChangeDay(changeDeadline(renewal, 3, 'Asia/Tokyo')))).toBe('2026-12-16T14:59:59.000Z');
    // 0 days: until the renewal's own day begins.
    expect(new Date(changeDeadline(renewal, 0, 'Asia/Tokyo')).toISOString()).toBe('2026-12-19T15:00:00.000Z');
  });

  it('counts the renewal’s day in the shop’s zone, across a month’s and a year’s end', () => {
    // 2027-03-01 00:30 in Tokyo is still February 28 in UTC: the cutoff counts from March 1.
    const renewal = at('2027-02-28T15:30:00Z');
    expect(new Date(changeDeadline(renewal, 3, 'Asia/Tokyo')).toISOString()).toBe('2027-02-25T15:00:00.000Z');
    expect(new Date(changeDeadline(renewal, 3, 'UTC')).toISOString()).toBe('2027-02-25T00:00:00.000Z');
    const newYear = at('2027-01-02T03:00:00Z');
    expect(new Date(changeDeadline(newYear, 3, 'Asia/Tokyo')).toISOString()).toBe('2026-12-29T15:00:00.000Z');
  });

  it('follows a zone with summer time', () => {
    // New York moves to summer time on 2027-03-14: the deadline is midnight local time either way.
    const renewal = at('2027-03-16T16:00:00Z');
    expect(new Date(changeDeadline(renewal, 3, 'America/New_York')).toISOString()).toBe('2027-03-13T05:00:00.000Z');
    expect(new Date(changeDeadline(renewal, 1, 'America/New_York')).toISOString()).toBe('2027-03-15T04:00:00.000Z');
  });
});
