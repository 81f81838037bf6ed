/**
 * B2クラウド's 発行済みデータ back in: the labels it printed, each with its 伝票番号, matched to the
 * shipments by お客様管理番号. The export uses the same 入出力用 layout as the import (Yamato's
 * 「B2クラウド 送り状発行データレイアウト 入出力用」: No. 1 お客様管理番号, No. 4 伝票番号, 半角数字12文字),
 * in CP932. Read tolerantly: quoted or not, CRLF or LF, trailing empty lines, with a header row or
 * without, and a UTF-8 file (with or without BOM) from a spreadsheet that re-saved it.
 */
import Encoding from 'encoding-japanese';
import Papa from 'papaparse';
import type { ShipmentStatus } from './shipment.ts';
import { isTrackingNumber, normalizeTrackingNumber } from './tracking.ts';

/** The largest upload read: a day's labels are a few KiB, and a page parses it in one request. */
export const B2_IMPORT_MAX_BYTES = 1024 * 1024;

/** Column positions (from 0) when the file has no header row: the layout's No. 1 and No. 4. */
const ID_COLUMN = 0;
const TRACKING_COLUMN = 3;

export type B2ImportProblem =
  /** The row has no お客様管理番号 (a label made by hand in B2). */
  | 'missing_id'
  /** No shipment has this id (another shop's label, or a typo). */
  | 'unknown_shipment'
  /** The shipment was called off: its label must not go out. */
  | 'cancelled'
  /** Not 12 digits. */
  | 'malformed_tracking_number'
  /** The same shipment twice in the file (a reprint): the first row counts. */
  | 'duplicate';

/** One label's outcome; `row` counts the file's data rows from 1 (no header, no blank lines), for the page to point at. */
export type B2ImportRow = { row: number; shipmentId: string } & (
  | { kind: 'match'; trackingNumber: string; alreadyShipped: boolean }
  | { kind: 'problem'; problem: B2ImportProblem; value: string }
);

export type B2ImportResult = { ok: true; rows: B2ImportRow[] } | { ok: false; reason: 'too_large' | 'not_a_b2_file' };

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/** The file as text: UTF-8 when it has the BOM or is valid UTF-8, CP932 (B2's own encoding) otherwise. */
function decode(bytes: Uint8Array): string {
  if (UTF8_BOM.every((byte, index) => bytes[index] === byte)) return new TextDecoder().decode(bytes.subarray(3));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return Encoding.convert(bytes, { to: 'UNICODE', from: 'SJIS', type: 'string' });
  }
}

/** Where the two columns are: by the header's names when there is one, else by position. */
function locateColumns(firstRow: readonly string[]): { id: number; tracking: number; header: boolean } {
  const names = firstRow.map((cell) => cell.trim());
  const id = names.indexOf('お客様管理番号');
  const tracking = names.indexOf('伝票番号');
  return id >= 0 && tracking >= 0
    ? { id, tracking, header: true }
    : { id: ID_COLUMN, tracking: TRACKING_COLUMN, header: false };
}

/**
 * Each label of a B2クラウド 発行済みデータ file, matched against the known shipments (id → status):
 * a tracking number to record, or a problem to show. Pure: it reads nothing but its arguments.
 */
export function parseB2Issued(bytes: Uint8Array, known: ReadonlyMap<string, ShipmentStatus>): B2ImportResult {
  if (bytes.byteLength > B2_IMPORT_MAX_BYTES) return { ok: false, reason: 'too_large' };
  const parsed = Papa.parse<string[]>(decode(bytes), { skipEmptyLines: 'greedy' });
  const [first, ...rest] = parsed.data;
  if (!first) return { ok: true, rows: [] };
  const columns = locateColumns(first);
  const dataRows = columns.header ? rest : parsed.data;
  if (dataRows.some((row) => row.length <= Math.max(columns.id, columns.tracking)))
    return { ok: false, reason: 'not_a_b2_file' };

  const seen = new Set<string>();
  const rows = dataRows.map((cells, index): B2ImportRow => {
    const row = index + 1;
    const shipmentId = (cells[columns.id] ?? '').trim();
    const raw = (cells[columns.tracking] ?? '').trim();
    const problem = (problem: B2ImportProblem, value = shipmentId): B2ImportRow => ({
      row,
      shipmentId,
      kind: 'problem',
      problem,
      value,
    });
    if (shipmentId === '') return problem('missing_id', raw);
    const status = known.get(shipmentId);
    if (status === undefined) return problem('unknown_shipment');
    if (status === 'cancelled') return problem('cancelled');
    const trackingNumber = normalizeTrackingNumber(raw);
    if (!isTrackingNumber('yamato', trackingNumber)) return problem('malformed_tracking_number', raw);
    if (seen.has(shipmentId)) return problem('duplicate');
    seen.add(shipmentId);
    return { row, shipmentId, kind: 'match', trackingNumber, alreadyShipped: status === 'shipped' };
  });
  return { ok: true, rows };
}
