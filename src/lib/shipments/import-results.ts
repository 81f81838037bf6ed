/**
 * B2クラウド's 発行済みデータ applied: each label's お客様管理番号 (a shipment number, number.ts) finds
 * its parcel, which is marked shipped with the label's 伝票番号 in one batch (shipments.ts). A row
 * that matches nothing, a cancelled parcel, or a parcel already shipped under another number is
 * reported, never applied.
 */
import { parseB2Issued, type B2ImportProblem } from './b2-import.ts';
import { invoiceIdOfNumber } from './number.ts';
import type { Shipments } from './shipments.ts';

/** One row of the file, as the page reports it. */
export interface ImportedRow {
  row: number;
  /** The お客様管理番号 as the file wrote it. */
  number: string;
  /** `conflict`: already shipped under another number, left as it was. */
  outcome: 'shipped' | 'unchanged' | 'conflict' | B2ImportProblem;
}

export type ImportReport =
  { ok: true; rows: ImportedRow[]; shipped: string[] } | { ok: false; reason: 'too_large' | 'not_a_b2_file' };

/** What an upload came to: the report, or why the file could not be read at all. */
export type ImportOutcome = ImportReport | { ok: false; reason: 'unreadable' };

/** Reads a results file and marks its labels' parcels shipped (carrier Yamato). */
export async function importB2Results(shipments: Shipments, bytes: Uint8Array): Promise<ImportReport> {
  // A first pass finds the numbers the file names, so only their statuses are read.
  const names = parseB2Issued(bytes, new Map());
  if (!names.ok) return names;
  const invoiceOf = new Map(
    names.rows.flatMap((row) => {
      const invoiceId = invoiceIdOfNumber(row.shipmentId);
      return invoiceId ? [[row.shipmentId, invoiceId] as const] : [];
    }),
  );
  const statuses = await shipments.statuses([...invoiceOf.values()]);
  const known = new Map(
    [...invoiceOf].flatMap(([number, invoiceId]) => {
      const status = statuses.get(invoiceId);
      return status ? [[number, status] as const] : [];
    }),
  );
  const parsed = parseB2Issued(bytes, known);
  if (!parsed.ok) return parsed;
  const marks = parsed.rows.flatMap((row) =>
    row.kind === 'match'
      ? [
          {
            invoiceId: invoiceOf.get(row.shipmentId) ?? '',
            carrier: 'yamato' as const,
            trackingNumber: row.trackingNumber,
          },
        ]
      : [],
  );
  const outcomes = await shipments.markShipped(marks);
  const rows = parsed.rows.map((row): ImportedRow => {
    if (row.kind === 'problem') return { row: row.row, number: row.shipmentId, outcome: row.problem };
    const marked = outcomes.get(invoiceOf.get(row.shipmentId) ?? '') ?? 'unknown';
    return { row: row.row, number: row.shipmentId, outcome: marked === 'unknown' ? 'unknown_shipment' : marked };
  });
  const shipped = marks.filter((mark) => outcomes.get(mark.invoiceId) === 'shipped').map((mark) => mark.invoiceId);
  return { ok: true, rows, shipped };
}
