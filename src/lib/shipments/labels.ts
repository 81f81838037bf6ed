/**
 * The carrier files the owner's labels page offers, in one place: which layout, what it needs
 * from the profile, its files and what each leaves out. The carriers' modules (papaparse,
 * encoding-japanese) come with this module, which the owner's pages import on demand only.
 */
import type { Language } from '../language/languages.ts';
import { b2File } from './carriers/b2.ts';
import type { CarrierFile, ExportProblem } from './carriers/common.ts';
import { clickPostFiles, yuPrintFile } from './carriers/japan-post.ts';
import { spreadsheetFile } from './carriers/spreadsheet.ts';
import type { Shipment } from './shipment.ts';
import type { ShippingRules } from './shipping-rules.ts';

export const LABEL_FORMATS = ['b2', 'clickpost', 'yupri', 'spreadsheet'] as const;
export type LabelFormat = (typeof LABEL_FORMATS)[number];

/** A format named in a query, if it is one. */
export function parseLabelFormat(value: string | null): LabelFormat | undefined {
  return LABEL_FORMATS.find((format) => format === value);
}

export type LabelExport =
  | { ok: true; files: CarrierFile[]; problems: ExportProblem[] }
  /** The profile lacks what the layout prints: the sender (`shipping`), or B2クラウド's contract codes. */
  | { ok: false; reason: 'no_shipping_rules' | 'no_b2_contract' };

export interface LabelOptions {
  /** The profile's `shipping`, if any. */
  rules: ShippingRules | undefined;
  /** Today in the shop's zone (YYYY-MM-DD). */
  today: string;
  /** The spreadsheet's header language. */
  language: Language;
  timeZone: string;
}

/** The files of one layout for `shipments` (to ship), and the parcels each leaves out with why. */
export function labelFiles(format: LabelFormat, shipments: readonly Shipment[], options: LabelOptions): LabelExport {
  if (format === 'spreadsheet')
    return { ok: true, files: [spreadsheetFile(shipments, options.language, options.timeZone)], problems: [] };
  if (format === 'clickpost') return { ok: true, ...clickPostFiles(shipments) };
  const rules = options.rules;
  if (!rules) return { ok: false, reason: 'no_shipping_rules' };
  if (format === 'yupri') {
    const file = yuPrintFile(shipments, rules.sender);
    return { ok: true, files: [file], problems: file.problems };
  }
  if (!rules.b2) return { ok: false, reason: 'no_b2_contract' };
  const file = b2File(shipments, {
    customerCode: rules.b2.customerCode,
    freightNumber: rules.b2.freightNumber,
    slipType: rules.b2.slipType,
    today: options.today,
    sender: rules.sender,
  });
  return { ok: true, files: [file], problems: file.problems };
}

/** The download's name and type: CP932 for the carriers' own layouts, UTF-8 for the spreadsheet. */
export function labelDownload(format: LabelFormat, today: string, part: number, parts: number) {
  const suffix = parts > 1 ? `-${part}` : '';
  return {
    filename: `${format}-${today}${suffix}.csv`,
    contentType: format === 'spreadsheet' ? 'text/csv; charset=utf-8' : 'text/csv; charset=Shift_JIS',
  };
}
