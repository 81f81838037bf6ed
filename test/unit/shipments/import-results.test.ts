import Encoding from 'encoding-japanese';
import { describe, expect, it } from 'vitest';
import { importB2Results } from '../../../src/lib/shipments/import-results.ts';
import { invoiceIdOfNumber, shipmentNumber } from '../../../src/lib/shipments/number.ts';
import { useTestStorage } from '../../support/storage.ts';
import { shipment } from './fixtures.ts';

const ctx = useTestStorage();
const cp932 = (text: string) =>
  Uint8Array.from(Encoding.convert(Encoding.stringToCode(text), { to: 'SJIS', from: 'UNICODE' }));
const row = (number: string, tracking: string) => `"${number}","0","0","${tracking}","2026/03/04"`;

describe('shipment numbers', () => {
  it('are the invoice id without in_, and come back as it', () => {
    expect(shipmentNumber('in_1AbC')).toBe('1AbC');
    expect(invoiceIdOfNumber(' 1AbC ')).toBe('in_1AbC');
    expect(invoiceIdOfNumber('in_1AbC')).toBeUndefined();
    expect(invoiceIdOfNumber('1'.repeat(51))).toBeUndefined();
  });
});

describe('importB2Results', () => {
  it('marks matched parcels shipped (Yamato) and reports every other row without applying it', async () => {
    const { shipments } = ctx.owner;
    for (const id of ['in_1Match', 'in_1Shipped', 'in_1Other', 'in_1Gone']) await shipments.insert(shipment({ id }));
    await shipments.markShipped([
      { invoiceId: 'in_1Shipped', carrier: 'yamato', trackingNumber: '111111111111' },
      { invoiceId: 'in_1Other', carrier: 'yamato', trackingNumber: '222222222222' },
    ]);
    await shipments.cancel('in_1Gone', null);
    const file = [
      '"お客様管理番号","送り状種類","クール区分","伝票番号","出荷予定日"',
      row('1Match', '3333-4444-5555'),
      row('1Shipped', '111111111111'),
      row('1Other', '999999999999'),
      row('1Gone', '444444444444'),
      row('1Nowhere', '555555555555'),
    ].join('\r\n');
    const report = await importB2Results(shipments, cp932(file));
    expect(report).toEqual({
      ok: true,
      shipped: ['in_1Match'],
      rows: [
        { row: 1, number: '1Match', outcome: 'shipped' },
        { row: 2, number: '1Shipped', outcome: 'unchanged' },
        { row: 3, number: '1Other', outcome: 'conflict' },
        { row: 4, number: '1Gone', outcome: 'cancelled' },
        { row: 5, number: '1Nowhere', outcome: 'unknown_shipment' },
      ],
    });
    expect(await shipments.get('in_1Match')).toMatchObject({ status: 'shipped', trackingNumber: '333344445555' });
    expect(await shipments.get('in_1Other')).toMatchObject({ trackingNumber: '222222222222' });
    expect((await shipments.get('in_1Gone'))?.status).toBe('cancelled');
  });
});
