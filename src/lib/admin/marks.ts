/**
 * The packing list's form, read: one carrier for the batch, and a tracking number per parcel that
 * has one (empty ones are left alone). A number that is not the carrier's is reported, not applied.
 */
import type { ShippedMark } from '../shipments/shipments.ts';
import { isTrackingNumber, normalizeTrackingNumber, parseCarrier } from '../shipments/tracking.ts';
import { isStripeId } from '../stripe/ids.ts';

/** The most parcels one post marks (the packing list shows at most this many). */
export const MARKS_PER_POST = 500;
/** The form's hidden field listing the parcels it shows, and each parcel's tracking field. */
export const SHOWN_FIELD = 'shipments';
export const trackingField = (invoiceId: string) => `tracking:${invoiceId}`;

export type MarkForm = { ok: true; marks: ShippedMark[]; malformed: string[] } | { ok: false; reason: 'carrier' };

export function parseMarkForm(get: (name: string) => string | undefined): MarkForm {
  const carrier = parseCarrier(get('carrier'));
  if (!carrier) return { ok: false, reason: 'carrier' };
  const shown = (get(SHOWN_FIELD) ?? '')
    .split(/\s+/)
    .filter((id) => isStripeId('invoice', id))
    .slice(0, MARKS_PER_POST);
  const marks: ShippedMark[] = [];
  const malformed: string[] = [];
  for (const invoiceId of new Set(shown)) {
    const raw = get(trackingField(invoiceId))?.trim();
    if (!raw) continue;
    const trackingNumber = normalizeTrackingNumber(raw);
    if (isTrackingNumber(carrier, trackingNumber)) marks.push({ invoiceId, carrier, trackingNumber });
    else malformed.push(invoiceId);
  }
  return { ok: true, marks, malformed };
}
