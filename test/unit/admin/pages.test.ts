import { describe, expect, it } from 'vitest';
import { liveWeeks, planLines, shipmentWeeks } from '../../../src/lib/admin/home.ts';
import { parseMarkForm, trackingField } from '../../../src/lib/admin/marks.ts';
import { ownerProblems, type OwnerSetup } from '../../../src/lib/admin/problems.ts';
import type { Plan } from '../../../src/lib/stripe/catalog.ts';
import { RULES } from '../shipments/fixtures.ts';

describe('the owner’s home', () => {
  it('charts live subscribers from the week counting began, each week’s last count', () => {
    const weeks = liveWeeks(
      [
        { day: '2026-02-24', count: 3 },
        { day: '2026-02-26', count: 4 },
        { day: '2026-03-04', count: 6 },
      ],
      '2026-03-18',
    );
    expect(weeks).toEqual([
      { weekStart: '2026-02-23', count: 4 },
      { weekStart: '2026-03-02', count: 6 },
      { weekStart: '2026-03-09', count: 6 },
      { weekStart: '2026-03-16', count: 6 },
    ]);
    expect(liveWeeks([], '2026-03-18')).toEqual([]);
  });

  it('counts parcels by the shop’s day of payment', () => {
    // 2026-03-01 23:30 UTC is Monday 2 March in Tokyo.
    const weeks = shipmentWeeks([Date.parse('2026-03-01T23:30:00Z')], '2026-03-04', 'Asia/Tokyo');
    expect(weeks).toHaveLength(12);
    expect(weeks.at(-1)).toEqual({ weekStart: '2026-03-02', count: 1 });
  });

  it('names the plans as the catalog does, and keeps the id of one it no longer lists', () => {
    const plan = {
      priceId: 'price_1',
      text: { ja: { name: '毎月のコーヒー豆' }, en: { name: 'Monthly Coffee Beans' } },
      unitAmount: 1500,
      currency: 'jpy',
      interval: 'month',
      intervalCount: 1,
      taxBehavior: 'inclusive',
      reducedTaxRate: true,
      shipping: { kind: 'included' },
    } as unknown as Plan;
    const lines = planLines(
      [
        { priceId: 'price_1', productId: 'prod_1', status: 'active', count: 7 },
        { priceId: 'price_gone', productId: 'prod_2', status: 'past_due', count: 1 },
      ],
      [plan],
      'en',
    );
    expect(lines).toEqual([
      { plan: 'Monthly Coffee Beans ¥1,500 / month', status: 'Active', count: 7 },
      { plan: 'price_gone', status: 'Payment overdue', count: 1 },
    ]);
  });

  it('warns about each gap in the owner’s setup, and about none when it is complete', () => {
    const complete: OwnerSetup = {
      stripeApiKey: 'rk_test_1',
      webhookSecret: 'whsec_1',
      shippingCountries: ['JP'],
      hasSender: true,
      profile: {
        sample: false,
        shipping: { ...RULES, b2: { customerCode: '0312345678', freightNumber: '01', slipType: '0' } },
      },
      standIn: false,
    };
    expect(ownerProblems(complete)).toEqual([]);
    expect(ownerProblems({ ...complete, profile: { sample: true, shipping: undefined }, hasSender: false })).toEqual([
      'sampleProfile',
      'noShippingRules',
      'noNotices',
    ]);
    expect(ownerProblems({ ...complete, shippingCountries: [], standIn: true })).toEqual(['standIn', 'noShipping']);
  });
});

describe('the packing list’s form', () => {
  const form = (fields: Record<string, string>) => (name: string) => fields[name];

  it('marks the parcels given a number of the chosen carrier, and reports the others', () => {
    const parsed = parseMarkForm(
      form({
        carrier: 'japanpost',
        shipments: 'in_1A in_1B in_1C not-an-id',
        [trackingField('in_1A')]: '１２３４-５６７８-９０１',
        [trackingField('in_1B')]: '',
        [trackingField('in_1C')]: '12',
        [trackingField('not-an-id')]: '12345678901',
      }),
    );
    expect(parsed).toEqual({
      ok: true,
      marks: [{ invoiceId: 'in_1A', carrier: 'japanpost', trackingNumber: '12345678901' }],
      malformed: ['in_1C'],
    });
    expect(parseMarkForm(form({ carrier: 'pigeon', shipments: 'in_1A' }))).toEqual({ ok: false, reason: 'carrier' });
  });
});
