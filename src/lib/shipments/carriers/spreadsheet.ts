/**
 * Every field of every shipment as UTF-8 CSV with a byte order mark, which is how Excel knows a
 * CSV is UTF-8 (without it, Japanese Excel reads CP932). Nothing is refused: UTF-8 holds any name.
 */
import Papa from 'papaparse';
import type { Language } from '../../language/languages.ts';
import { formatAmount } from '../../stripe/money.ts';
import type { Shipment } from '../shipment.ts';
import { shipmentStrings, type ShipmentStrings } from '../strings.ts';
import { CARRIERS } from '../tracking.ts';
import type { CarrierFile } from './common.ts';

type Column = keyof ShipmentStrings['columns'];

/** The columns, in order. */
export const SPREADSHEET_COLUMNS: readonly Column[] = [
  'id',
  'status',
  'shipBy',
  'paidAt',
  'plan',
  'perDelivery',
  'quantity',
  'name',
  'postalCode',
  'state',
  'city',
  'line1',
  'line2',
  'country',
  'phone',
  'email',
  'carrier',
  'trackingNumber',
  'shippedAt',
  'refund',
  'customerId',
  'subscriptionId',
  'productId',
  'priceId',
];

const BOM = '\ufeff';

// One formatter per zone per isolate: building one costs far more than using it.
const clocks = new Map<string, Intl.DateTimeFormat>();

/** An instant as the shop reads it: 2026-03-02 10:15 in `timeZone`. */
function localTime(epochMs: number | null, timeZone: string): string {
  if (epochMs === null) return '';
  let clock = clocks.get(timeZone);
  if (!clock) {
    // The sv-SE locale writes dates and times in ISO order.
    clock = new Intl.DateTimeFormat('sv-SE', { timeZone, dateStyle: 'short', timeStyle: 'short' });
    clocks.set(timeZone, clock);
  }
  return clock.format(epochMs);
}

function cells(shipment: Shipment, language: Language, timeZone: string): Record<Column, string> {
  const strings = shipmentStrings[language];
  const address = shipment.shipTo.address;
  const refund = shipment.refund;
  return {
    id: shipment.id,
    status: strings.status[shipment.status],
    shipBy: shipment.shipBy,
    paidAt: localTime(shipment.paidAtMs, timeZone),
    plan: shipment.plan.name[language],
    perDelivery: shipment.plan.perDelivery[language] ?? '',
    quantity: String(shipment.quantity),
    name: shipment.shipTo.name,
    postalCode: address.postalCode ?? '',
    state: address.state ?? '',
    city: address.city ?? '',
    line1: address.line1 ?? '',
    line2: address.line2 ?? '',
    country: address.country ?? '',
    phone: shipment.phone ?? '',
    email: shipment.email ?? '',
    carrier: shipment.carrier ? CARRIERS[shipment.carrier].name[language] : '',
    trackingNumber: shipment.trackingNumber ?? '',
    shippedAt: localTime(shipment.shippedAtMs, timeZone),
    refund: refund ? strings.refund(formatAmount(refund.amount, refund.currency, language), refund.full) : '',
    customerId: shipment.customerId,
    subscriptionId: shipment.subscriptionId,
    productId: shipment.plan.productId,
    priceId: shipment.plan.priceId,
  };
}

/** The spreadsheet of `shipments`, headers in `language`, times in the shop's `timeZone`. */
export function spreadsheetFile(shipments: readonly Shipment[], language: Language, timeZone: string): CarrierFile {
  const header = SPREADSHEET_COLUMNS.map((column) => shipmentStrings[language].columns[column]);
  const rows = shipments.map((shipment) => {
    const row = cells(shipment, language, timeZone);
    return SPREADSHEET_COLUMNS.map((column) => row[column]);
  });
  // escapeFormulae: a name typed as =HYPERLINK(…) must stay text when Excel opens the file.
  const text = Papa.unparse([header, ...rows], { newline: '\r\n', escapeFormulae: true });
  return {
    bytes: new TextEncoder().encode(`${BOM}${text}\r\n`),
    exported: shipments.map((shipment) => shipment.id),
    problems: [],
  };
}
