import { describe, expect, it } from 'vitest';
import { isBusinessDay, shipByDate } from '../../../src/lib/shipments/shipping-days.ts';
import { shippingRulesSchema } from '../../../src/lib/shipments/shipping-rules.ts';
import { RULES } from './fixtures.ts';

/** An instant given as Tokyo wall time (UTC+9, no daylight saving). */
const tokyo = (wallTime: string) => Date.parse(`${wallTime}+09:00`);

describe('shipByDate', () => {
  it.each([
    // [paid at (Tokyo), ship by]: weekdays, 2 business days, closing at 15:00.
    ['2026-03-02T10:00', '2026-03-04'], // Monday morning: Monday counts, then Tue, Wed
    ['2026-03-02T15:00', '2026-03-05'], // Monday at the closing hour: counts from Tuesday
    ['2026-03-05T09:00', '2026-03-09'], // Thursday: Fri, then over the weekend to Monday
    ['2026-03-07T11:00', '2026-03-11'], // Saturday: counts from Monday
    ['2026-03-08T23:59', '2026-03-11'], // Sunday night
    ['2026-11-02T10:00', '2026-11-05'], // a closed day (Nov 3) is skipped in the count
    ['2026-12-28T10:00', '2027-01-06'], // the New Year break, across the year end
    ['2026-12-30T10:00', '2027-01-07'], // paid inside the break: counts from its first business day
  ])('a payment at %s (Tokyo) ships by %s', (paidAt, shipBy) => {
    expect(shipByDate(tokyo(paidAt), RULES)).toBe(shipBy);
  });

  it('reads the payment in the shop time zone: 23:30 UTC is the next morning in Tokyo', () => {
    // Sunday 23:30 UTC is Monday 08:30 in Tokyo: Monday counts.
    expect(shipByDate(Date.parse('2026-03-01T23:30:00Z'), RULES)).toBe('2026-03-04');
    // Friday 23:30 UTC: after closing time on Friday in London, Saturday morning in Tokyo; both count from Monday.
    const london = { ...RULES, timeZone: 'Europe/London' };
    expect(shipByDate(Date.parse('2026-03-06T23:30:00Z'), london)).toBe('2026-03-11');
    expect(shipByDate(Date.parse('2026-03-06T23:30:00Z'), RULES)).toBe('2026-03-11');
    expect(shipByDate(Date.parse('2026-03-06T05:00:00Z'), RULES)).toBe('2026-03-10');
  });

  it('ships the same day with 0 business days, and a closing hour of 24 never closes', () => {
    const sameDay = { ...RULES, businessDaysToShip: 0, closingHour: 24 };
    expect(shipByDate(tokyo('2026-03-02T23:59'), sameDay)).toBe('2026-03-02');
    expect(shipByDate(tokyo('2026-03-07T10:00'), sameDay)).toBe('2026-03-09');
  });

  it('refuses rules that never open', () => {
    const closedForever = { ...RULES, closed: [{ from: '2026-01-01', to: '2099-12-31' }] };
    expect(() => shipByDate(tokyo('2026-03-02T10:00'), closedForever)).toThrow(RangeError);
  });
});

describe('isBusinessDay', () => {
  it('knows weekdays, closed days and closed ranges', () => {
    expect(isBusinessDay('2026-03-02', RULES)).toBe(true);
    expect(isBusinessDay('2026-03-07', RULES)).toBe(false);
    expect(isBusinessDay('2026-11-03', RULES)).toBe(false);
    expect(isBusinessDay('2026-12-29', RULES)).toBe(false);
    expect(isBusinessDay('2027-01-04', RULES)).toBe(false);
    expect(isBusinessDay('2027-01-05', RULES)).toBe(true);
  });
});

describe('shippingRulesSchema', () => {
  const valid = {
    weekdays: ['mon'],
    businessDaysToShip: 3,
    sender: { name: '店', postalCode: '1000001', address: '東京都', phone: '0312345678' },
  };

  it('fills the defaults: Tokyo, closing at 15:00, changes close 3 days before a renewal', () => {
    const rules = shippingRulesSchema.parse(valid);
    expect(rules).toMatchObject({ timeZone: 'Asia/Tokyo', closingHour: 15, changeCutoffDays: 3, closed: [] });
  });

  it.each([
    ['an unknown time zone', { timeZone: 'Mars/Olympus' }],
    ['no weekday', { weekdays: [] }],
    ['a weekday twice', { weekdays: ['mon', 'mon'] }],
    ['a date that does not exist', { closed: ['2026-02-30'] }],
    ['a range backwards', { closed: [{ from: '2027-01-04', to: '2026-12-29' }] }],
    ['a postal code of six digits', { sender: { ...valid.sender, postalCode: '100-001' } }],
    ['an international phone', { sender: { ...valid.sender, phone: '+81312345678' } }],
    ['an unknown key', { holidays: [] }],
  ])('refuses %s', (_, change) => {
    expect(shippingRulesSchema.safeParse({ ...valid, ...change }).success).toBe(false);
  });
});
