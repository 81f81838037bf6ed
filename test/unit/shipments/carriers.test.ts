import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import Encoding from 'encoding-japanese';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { B2_COLUMNS, b2File } from '../../../src/lib/shipments/carriers/b2.ts';
import { domesticPhone, postalCodeWithHyphen, type CarrierFile } from '../../../src/lib/shipments/carriers/common.ts';
import { CLICK_POST_COLUMNS, clickPostFiles, yuPrintFile } from '../../../src/lib/shipments/carriers/japan-post.ts';
import { SPREADSHEET_COLUMNS, spreadsheetFile } from '../../../src/lib/shipments/carriers/spreadsheet.ts';
import { GOLDEN_SHIPMENTS, RULES, shipment } from './fixtures.ts';

const B2_OPTIONS = { customerCode: '0300000000', freightNumber: '01', today: '2026-03-02', sender: RULES.sender };

/** Compares with the golden file (UPDATE_GOLDEN=1 rewrites it after a deliberate change). */
function golden(name: string, bytes: Uint8Array): void {
  const path = new URL(`golden/${name}`, import.meta.url);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(path)) writeFileSync(path, bytes);
  expect(Buffer.from(bytes).equals(readFileSync(path)), `${name} differs from its golden file`).toBe(true);
}

/** The bytes read back with the same library, then parsed as CSV. */
function decodeCp932(bytes: Uint8Array): string[][] {
  const text = Encoding.convert(bytes, { to: 'UNICODE', from: 'SJIS', type: 'string' });
  expect(text.endsWith('\r\n')).toBe(true);
  expect(text.replace(/"[^"]*"/g, '').replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  return Papa.parse<string[]>(text, { skipEmptyLines: true }).data;
}

function problemsOf(file: Pick<CarrierFile, 'problems'>) {
  return file.problems.map((problem) => ({ ...problem }));
}

describe('B2クラウド', () => {
  const file = b2File(GOLDEN_SHIPMENTS, B2_OPTIONS);

  it('writes the 95 columns in CP932 with CRLF, a header row, and leaves out what B2 cannot print', () => {
    golden('b2.csv', file.bytes);
    const [header, ...rows] = decodeCp932(file.bytes);
    expect(header).toEqual([...B2_COLUMNS]);
    expect(rows.every((row) => row.length === 95)).toBe(true);
    expect(file.exported).toEqual(['in_1GoldenComma0000000001', 'in_1GoldenNewline000000002']);
    expect(problemsOf(file)).toEqual([
      {
        shipmentId: 'in_1GoldenOutside00000003',
        field: 'name',
        reason: 'unprintable',
        characters: [{ character: '髙', index: 0 }],
      },
      { shipmentId: 'in_1GoldenLatin0000000004', field: 'phone', reason: 'missing' },
    ]);
  });

  it('puts each value in its numbered column (No. n is index n − 1)', () => {
    const [, comma, newline] = decodeCp932(file.bytes);
    const at = (row: string[] | undefined, no: number) => row?.[no - 1];
    // お客様管理番号 is the invoice id without in_ (B2 takes 半角英数字 only), as the results file brings it back.
    expect(at(comma, 1)).toBe('1GoldenComma0000000001');
    expect(at(comma, 2)).toBe('0');
    expect(at(comma, 4)).toBe('');
    expect(at(comma, 5)).toBe('2026/03/04');
    expect(at(comma, 9)).toBe('09012345678');
    expect(at(comma, 11)).toBe('150-0001');
    expect(at(comma, 12)).toBe('東京都渋谷区神宮前1-2-3');
    expect(at(comma, 13)).toBe('メゾン"原宿", 101号');
    expect(at(comma, 16)).toBe('佐藤 花子');
    expect(at(comma, 20)).toBe('0300000000');
    expect(at(comma, 22)).toBe('100-0001');
    expect(at(comma, 23)).toBe('東京都千代田区見本町1-2-3');
    expect(at(comma, 24)).toBe('はなまめビル2階');
    expect(at(comma, 25)).toBe('はなまめ珈琲');
    expect(at(comma, 28)).toBe('はなまめブレンド 200g×2袋');
    expect(at(comma, 40)).toBe('0300000000');
    expect(at(comma, 42)).toBe('01');
    // A label prints one line: the line break became a space; two boxes say so in 品名１.
    expect(at(newline, 13)).toBe('サンハイツ 202号室');
    expect(at(newline, 28)).toBe('はなまめブレンド 200g×2袋 ×2');
  });

  it('ships today a parcel exported after its ship-by day, and refuses malformed contract codes', () => {
    const late = b2File([shipment({ shipBy: '2026-02-20' })], B2_OPTIONS);
    expect(decodeCp932(late.bytes)[1]?.[4]).toBe('2026/03/02');
    expect(() => b2File([], { ...B2_OPTIONS, customerCode: '03-0000-0000' })).toThrow(RangeError);
    expect(() => b2File([], { ...B2_OPTIONS, freightNumber: '1' })).toThrow(RangeError);
  });

  it('refuses cancelled, foreign and too wide shipments', () => {
    const wide = '長'.repeat(17);
    const file = b2File(
      [
        shipment({ id: 'in_cancelled', status: 'cancelled' }),
        shipment({ id: 'in_abroad', shipTo: { name: 'A', address: { ...shipment().shipTo.address, country: 'US' } } }),
        shipment({ id: 'in_wide', shipTo: { ...shipment().shipTo, name: wide } }),
      ],
      B2_OPTIONS,
    );
    expect(file.exported).toEqual([]);
    expect(problemsOf(file)).toEqual([
      { shipmentId: 'in_cancelled', field: 'status', reason: 'cancelled' },
      { shipmentId: 'in_abroad', field: 'country', reason: 'abroad' },
      { shipmentId: 'in_wide', field: 'name', reason: 'too_long', limit: 32 },
    ]);
  });
});

describe('クリックポスト', () => {
  it('writes the 8 columns of まとめ申込み in CP932, 40 rows a file', () => {
    const { files, problems } = clickPostFiles(GOLDEN_SHIPMENTS);
    expect(files).toHaveLength(1);
    const [file] = files;
    if (!file) throw new Error('no file');
    golden('click-post.csv', file.bytes);
    const [header, ...rows] = decodeCp932(file.bytes);
    expect(header).toEqual([...CLICK_POST_COLUMNS]);
    expect(rows).toEqual([
      [
        '1500001',
        '佐藤 花子',
        '様',
        '東京都渋谷区',
        '神宮前1-2-3',
        'メゾン"原宿", 101号',
        '',
        'はなまめブレンド 200g×2袋',
      ],
      [
        '5300001',
        '鈴木 一郎',
        '様',
        '大阪府大阪市北区',
        '梅田2-4-9',
        'サンハイツ 202号室',
        '',
        'はなまめブレンド 200g×2袋 ×2',
      ],
      ['1000005', 'Jane Doe', '様', '東京都千代田区', '丸の内1-1-1', 'Room 1203', '', 'はなまめブレンド 200g×2袋'],
    ]);
    expect(problems.map((problem) => [problem.shipmentId, problem.field, problem.reason])).toEqual([
      ['in_1GoldenOutside00000003', 'name', 'unprintable'],
    ]);

    const many = Array.from({ length: 81 }, (_, index) => shipment({ id: `in_${index}` }));
    const split = clickPostFiles(many);
    expect(split.files.map((part) => part.exported.length)).toEqual([40, 40, 1]);
    expect(split.files.flatMap((part) => part.exported)).toEqual(many.map((one) => one.id));
  });
});

describe('ゆうプリR', () => {
  it('writes one item per column for a 取り込み用フィルタ to map', () => {
    const file = yuPrintFile(GOLDEN_SHIPMENTS, RULES.sender);
    golden('yupri.csv', file.bytes);
    const [, first, , latin] = decodeCp932(file.bytes);
    expect(first).toEqual([
      '1GoldenComma0000000001',
      '20260304',
      '150-0001',
      '東京都渋谷区',
      '神宮前1-2-3',
      'メゾン"原宿", 101号',
      '佐藤 花子',
      '様',
      '09012345678',
      '100-0001',
      '東京都千代田区見本町1-2-3',
      'はなまめビル2階',
      'はなまめ珈琲',
      '0300000000',
      'はなまめブレンド 200g×2袋',
      '1',
    ]);
    expect(latin?.[8]).toBe('');
    expect(file.exported).toHaveLength(3);
    expect(problemsOf(file).map((problem) => problem.shipmentId)).toEqual(['in_1GoldenOutside00000003']);
  });
});

describe('the spreadsheet', () => {
  it('is UTF-8 with a BOM, keeps every character and line break, and every field of a shipment', () => {
    const refunded = GOLDEN_SHIPMENTS.map((one, index) =>
      index === 0
        ? {
            ...one,
            status: 'shipped' as const,
            carrier: 'yamato' as const,
            trackingNumber: '123456789012',
            shippedAtMs: Date.parse('2026-03-03T03:30:00Z'),
            refund: { amount: 500, currency: 'jpy', full: false },
          }
        : one,
    );
    const file = spreadsheetFile(refunded, 'ja', 'Asia/Tokyo');
    golden('spreadsheet.csv', file.bytes);
    expect([...file.bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = Encoding.convert(file.bytes, { to: 'UNICODE', from: 'UTF8', type: 'string' });
    const [header, first, newline, outside] = Papa.parse<string[]>(text.replace(/^\ufeff/, ''), {
      skipEmptyLines: true,
    }).data;
    expect(header).toHaveLength(SPREADSHEET_COLUMNS.length);
    expect(header?.[0]).toBe('出荷番号（請求書ID）');
    expect(first).toContain('メゾン"原宿", 101号');
    expect(first).toContain('ヤマト運輸');
    expect(first).toContain('2026-03-03 12:30');
    expect(first).toContain('￥500（一部返金）');
    expect(first).toContain('発送済み');
    expect(newline).toContain('サンハイツ\n202号室');
    expect(outside).toContain('髙橋 美咲');
    expect(file.problems).toEqual([]);
  });

  it('keeps a formula typed as a name from running in Excel', () => {
    const file = spreadsheetFile(
      [shipment({ shipTo: { ...shipment().shipTo, name: '=HYPERLINK("x")' } })],
      'en',
      'UTC',
    );
    expect(new TextDecoder().decode(file.bytes)).toContain(`"'=HYPERLINK(""x"")"`);
  });
});

describe('label forms', () => {
  it('writes phones and postal codes as domestic labels do', () => {
    expect(domesticPhone('+81 90-1234-5678')).toBe('09012345678');
    expect(domesticPhone('+81 (0)3 1234 5678')).toBe('0312345678');
    expect(domesticPhone('０３－１２３４－５６７８')).toBe('0312345678');
    expect(domesticPhone(null)).toBe('');
    expect(postalCodeWithHyphen('1500001')).toBe('150-0001');
    expect(postalCodeWithHyphen('１５０－０００１')).toBe('150-0001');
  });
});
