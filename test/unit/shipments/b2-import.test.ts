import Encoding from 'encoding-japanese';
import { describe, expect, it } from 'vitest';
import { B2_IMPORT_MAX_BYTES, parseB2Issued } from '../../../src/lib/shipments/b2-import.ts';
import type { ShipmentStatus } from '../../../src/lib/shipments/shipment.ts';

const KNOWN = new Map<string, ShipmentStatus>([
  ['in_1ToShip', 'to_ship'],
  ['in_2Shipped', 'shipped'],
  ['in_3Cancelled', 'cancelled'],
  ['in_4ToShip', 'to_ship'],
]);

const cp932 = (text: string) =>
  Uint8Array.from(Encoding.convert(Encoding.stringToCode(text), { to: 'SJIS', from: 'UNICODE' }));

/** A row as B2 writes it: お客様管理番号, 送り状種類, クール区分, 伝票番号, 出荷予定日, then the rest. */
const row = (id: string, tracking: string) => `"${id}","0","0","${tracking}","2026/03/04","","","","0312345678"`;
const HEADER =
  'お客様管理番号,送り状種類,クール区分,伝票番号,出荷予定日,お届け予定日,配達時間帯,お届け先コード,お届け先電話番号';

describe('parseB2Issued', () => {
  it('matches each label to its shipment, and says why a row does not fit', () => {
    const text = [
      HEADER,
      row('in_1ToShip', '123456789012'),
      row('in_2Shipped', '1234-5678-9013'),
      row('in_3Cancelled', '123456789014'),
      row('in_9Unknown', '123456789015'),
      row('in_4ToShip', '12345678901'),
      row('', '123456789016'),
      row('in_1ToShip', '123456789017'),
      '',
      '',
    ].join('\r\n');
    expect(parseB2Issued(cp932(text), KNOWN)).toEqual({
      ok: true,
      rows: [
        { row: 1, shipmentId: 'in_1ToShip', kind: 'match', trackingNumber: '123456789012', alreadyShipped: false },
        { row: 2, shipmentId: 'in_2Shipped', kind: 'match', trackingNumber: '123456789013', alreadyShipped: true },
        { row: 3, shipmentId: 'in_3Cancelled', kind: 'problem', problem: 'cancelled', value: 'in_3Cancelled' },
        { row: 4, shipmentId: 'in_9Unknown', kind: 'problem', problem: 'unknown_shipment', value: 'in_9Unknown' },
        {
          row: 5,
          shipmentId: 'in_4ToShip',
          kind: 'problem',
          problem: 'malformed_tracking_number',
          value: '12345678901',
        },
        { row: 6, shipmentId: '', kind: 'problem', problem: 'missing_id', value: '123456789016' },
        { row: 7, shipmentId: 'in_1ToShip', kind: 'problem', problem: 'duplicate', value: 'in_1ToShip' },
      ],
    });
  });

  it('reads a file with the columns elsewhere, by the header names', () => {
    const text = `伝票番号,お客様管理番号\n123456789012,in_1ToShip\n`;
    expect(parseB2Issued(cp932(text), KNOWN)).toMatchObject({
      ok: true,
      rows: [{ shipmentId: 'in_1ToShip', kind: 'match' }],
    });
  });

  it('reads a file without a header by the layout positions, unquoted, LF only', () => {
    const text = 'in_1ToShip,0,0,123456789012,2026/03/04\nin_4ToShip,0,0,123456789013,2026/03/04';
    const result = parseB2Issued(cp932(text), KNOWN);
    expect(result.ok && result.rows.map((one) => one.kind)).toEqual(['match', 'match']);
  });

  it('reads a UTF-8 file with a BOM, or without one, as a spreadsheet saves it', () => {
    const text = `${HEADER}\r\n${row('in_1ToShip', '123456789012')}\r\n`;
    const withBom = new TextEncoder().encode(`\ufeff${text}`);
    const withoutBom = new TextEncoder().encode(text);
    for (const bytes of [withBom, withoutBom])
      expect(parseB2Issued(bytes, KNOWN)).toMatchObject({
        ok: true,
        rows: [{ kind: 'match', trackingNumber: '123456789012' }],
      });
  });

  it('refuses an upload over the limit and a file that is not B2 data', () => {
    expect(parseB2Issued(new Uint8Array(B2_IMPORT_MAX_BYTES + 1), KNOWN)).toEqual({ ok: false, reason: 'too_large' });
    expect(parseB2Issued(cp932('name,phone\n山田,0312345678\n'), KNOWN)).toEqual({
      ok: false,
      reason: 'not_a_b2_file',
    });
    expect(parseB2Issued(new Uint8Array(), KNOWN)).toEqual({ ok: true, rows: [] });
  });
});
