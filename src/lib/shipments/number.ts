/**
 * A shipment's number, as carriers' files carry it: the invoice id without its `in_` prefix. B2クラウド
 * documents お客様管理番号 as 半角英数字 (up to 50), and an underscore is not one of them; what follows
 * `in_` in a Stripe id is letters and digits only, so the number goes out and comes back unchanged.
 */

const INVOICE_PREFIX = 'in_';
/** B2クラウド お客様管理番号: half-width letters and digits, at most 50. */
const NUMBER_PATTERN = /^[A-Za-z0-9]{1,50}$/;

/** The number printed for the shipment of invoice `invoiceId` (in_1Abc… → 1Abc…). */
export function shipmentNumber(invoiceId: string): string {
  return invoiceId.startsWith(INVOICE_PREFIX) ? invoiceId.slice(INVOICE_PREFIX.length) : invoiceId;
}

/** The invoice id a number read back from a carrier's file names, or undefined when it is not one of ours. */
export function invoiceIdOfNumber(number: string): string | undefined {
  const trimmed = number.trim();
  return NUMBER_PATTERN.test(trimmed) ? `${INVOICE_PREFIX}${trimmed}` : undefined;
}
