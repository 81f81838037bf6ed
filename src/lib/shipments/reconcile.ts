/**
 * The hourly run's part for parcels: a paid invoice whose `invoice.paid` never arrived (an endpoint
 * down longer than Stripe retries) is found by listing the last days' paid invoices, one call.
 */
import { describeError } from '../log/log.ts';
import { DELIVERY_REASONS } from './decide.ts';
import { recordInvoice, type ProductCache, type ShipmentDeps } from './record.ts';

const DAY_S = 86_400;
/**
 * How far back the run looks, by the invoices' `created`: a renewal is paid within minutes, or after
 * Stripe's retries (Smart Retries' default schedule ends within weeks, but most succeed in days). A
 * parcel paid later than this whose event was lost too stays unseen: its events are retried for 3 days.
 */
const LOOKBACK_DAYS = 7;
/** One page: Stripe lists at most 100 per call (docs.stripe.com/api/pagination). */
const PAGE_SIZE = 100;

/**
 * Lists the paid invoices created in the last days (newest first, one page, customers expanded) and
 * records a parcel for each delivery invoice that has none. Costs one Stripe list call, plus one
 * read per product not read yet; a failed invoice is logged and left for the next run.
 */
export async function findLostShipments(
  deps: ShipmentDeps,
  now: () => number = Date.now,
): Promise<{ found: number; failed: number }> {
  if (!deps.ships) return { found: 0, failed: 0 };
  const since = Math.floor(now() / 1000) - LOOKBACK_DAYS * DAY_S;
  const page = await deps.stripe.invoices.list({
    status: 'paid',
    created: { gte: since },
    limit: PAGE_SIZE,
    expand: ['data.customer'],
  });
  const deliveries = page.data.filter((invoice) => DELIVERY_REASONS.has(invoice.billing_reason ?? ''));
  const known = await deps.shipments.statuses(deliveries.map((invoice) => invoice.id));
  const products: ProductCache = new Map();
  let found = 0;
  let failed = 0;
  for (const invoice of deliveries) {
    if (known.has(invoice.id)) continue;
    try {
      if ((await recordInvoice(deps, invoice, products)) === 'created') found += 1;
    } catch (error) {
      failed += 1;
      deps.log.error({ msg: 'reconcile: shipment failed', invoice: invoice.id, error: describeError(error) });
    }
  }
  return { found, failed };
}
