/**
 * What every carrier file shares: the refusal list, CSV quoting (papaparse: one dependency-free
 * file that runs in Workers without `nodejs_compat`, which csv-stringify's Node build needs for
 * its `Buffer` checks), CP932 bytes (encoding-japanese), and Japanese address and phone forms.
 */
import Encoding from 'encoding-japanese';
import Papa from 'papaparse';
import type { Language } from '../../language/languages.ts';
import { unprintableCharacters, type UnprintableCharacter } from '../printable.ts';
import type { Shipment } from '../shipment.ts';

/** Why a shipment was left out of a file, so the page can show it before the export. */
export type ExportProblem = { shipmentId: string; field: string } & (
  | { reason: 'unprintable'; characters: UnprintableCharacter[] }
  /** Wider than the carrier's field, in half-width units (a full-width character counts 2). */
  | { reason: 'too_long'; limit: number }
  | { reason: 'missing' }
  /** A domestic service: the address is not in Japan. */
  | { reason: 'abroad' }
  /** Called off: never on a label. */
  | { reason: 'cancelled' }
);

/** A carrier file and what it left out. */
export interface CarrierFile {
  bytes: Uint8Array<ArrayBuffer>;
  /** The shipments in the file, in order. */
  exported: string[];
  problems: ExportProblem[];
}

/** One value a carrier prints: checked before the file is written. */
export interface CheckedField {
  field: string;
  value: string;
  /** The carrier's width in half-width units; no limit when absent. */
  limit?: number;
  required?: boolean;
}

/** A label prints one line: a line break inside a field becomes a space. */
export function oneLine(value: string | null | undefined): string {
  return (value ?? '').replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** Width in half-width units, as Japanese carriers count it: ASCII and half-width kana 1, the rest 2. */
function displayWidth(value: string): number {
  return Array.from(value).reduce((width, c) => width + (/^[\x20-\x7e\uff61-\uff9f]$/.test(c) ? 1 : 2), 0);
}

/** `value` cut to at most `limit` half-width units (for text the shop writes itself, like a product name). */
function fitWidth(value: string, limit: number): string {
  let fitted = '';
  for (const character of value) {
    if (displayWidth(fitted + character) > limit) break;
    fitted += character;
  }
  return fitted;
}

/** 品名 the shop writes itself: the plan, what one delivery holds, and how many. */
export function itemName(shipment: Shipment, language: Language, limit: number): string {
  const parts = [shipment.plan.name[language], shipment.plan.perDelivery[language]];
  const quantity =
    shipment.quantity > 1 ? (language === 'ja' ? ` ×${shipment.quantity}` : ` x${shipment.quantity}`) : '';
  return fitWidth(oneLine(parts.filter(Boolean).join(' ')) + quantity, limit);
}

/** A domestic phone number for a label: +81 90-1234-5678 → 09012345678 (digits only). */
export function domesticPhone(phone: string | null | undefined): string {
  const digits = (phone ?? '').normalize('NFKC').replace(/[^\d+]/g, '');
  return digits.startsWith('+81') ? `0${digits.slice(3).replace(/^0/, '')}` : digits.replace(/\+/g, '');
}

/** 〒 code with its hyphen, 1000001 → 100-0001 (other forms as given). */
export function postalCodeWithHyphen(code: string | null | undefined): string {
  const digits = (code ?? '').normalize('NFKC').replace(/[^\d]/g, '');
  return digits.length === 7 ? `${digits.slice(0, 3)}-${digits.slice(3)}` : (code ?? '').trim();
}

/** Prefecture, city and street (line1), run together as a Japanese address is written. */
export function streetAddress(address: Shipment['shipTo']['address']): string {
  return [address.state, address.city, address.line1].map(oneLine).join('');
}

/** The problems of one shipment's fields; none means it can go in the file. */
export function checkFields(shipment: Shipment, fields: readonly CheckedField[]): ExportProblem[] {
  const shipmentId = shipment.id;
  if (shipment.status === 'cancelled') return [{ shipmentId, field: 'status', reason: 'cancelled' }];
  if (shipment.shipTo.address.country !== null && shipment.shipTo.address.country !== 'JP')
    return [{ shipmentId, field: 'country', reason: 'abroad' }];
  return fields.flatMap(({ field, value, limit, required }): ExportProblem[] => {
    if (required && value === '') return [{ shipmentId, field, reason: 'missing' }];
    const characters = unprintableCharacters(value);
    if (characters.length > 0) return [{ shipmentId, field, reason: 'unprintable', characters }];
    if (limit !== undefined && displayWidth(value) > limit) return [{ shipmentId, field, reason: 'too_long', limit }];
    return [];
  });
}

/** Rows as CSV text: quoted only where a field needs it (a comma, a quote, a line break), CRLF between rows. */
function csvText(rows: readonly (readonly string[])[]): string {
  return `${Papa.unparse(rows as string[][], { newline: '\r\n' })}\r\n`;
}

/** Text as CP932 (Windows-31J) bytes. Every character was checked printable, so none can fail. */
function cp932(text: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(
    Encoding.convert(Encoding.stringToCode(text), { to: 'SJIS', from: 'UNICODE', fallback: 'error' }),
  );
}

/**
 * A CP932 carrier file: `header`, then one row per shipment whose checked fields all pass; the
 * others go to the problem list.
 */
export function carrierFile(
  shipments: readonly Shipment[],
  header: readonly string[],
  layout: (shipment: Shipment) => { fields: readonly CheckedField[]; row: readonly string[] },
): CarrierFile {
  const rows: (readonly string[])[] = [header];
  const exported: string[] = [];
  const problems: ExportProblem[] = [];
  for (const shipment of shipments) {
    const { fields, row } = layout(shipment);
    const found = checkFields(shipment, fields);
    if (found.length > 0) problems.push(...found);
    else {
      rows.push(row);
      exported.push(shipment.id);
    }
  }
  return { bytes: cp932(csvText(rows)), exported, problems };
}
