/**
 * What a subscriber sees of their latest parcel on the storefront: being prepared (with its
 * ship-by date), or shipped on a date with the carrier's tracking number. Read in the page's one
 * D1 statement (subscriptions/viewer.ts) as a JSON object; nothing personal is in it.
 */

export type ParcelView =
  | { status: 'to_ship'; shipBy: string }
  /** `carrier` as stored (tracking.ts's parseCarrier reads it where a link is made: not at a cold start). */
  | { status: 'shipped'; shippedAtMs: number; carrier: string | null; trackingNumber: string | null };

/**
 * The SQL expression (a correlated subquery) for the latest parcel of the customer in `customerColumn`
 * that was not called off, as a JSON object or NULL; the index `shipments_by_customer` serves it.
 */
export function latestParcelSql(customerColumn: string): string {
  return `(SELECT json_object('status', sh.status, 'ship_by', sh.ship_by, 'shipped_at', sh.shipped_at,
      'carrier', sh.carrier, 'tracking_number', sh.tracking_number)
    FROM shipments sh WHERE sh.customer_id = ${customerColumn} AND sh.status != 'cancelled'
    ORDER BY sh.paid_at DESC LIMIT 1)`;
}

/** The parcel from latestParcelSql's JSON, or null. */
export function parseParcel(json: string | null | undefined): ParcelView | null {
  if (!json) return null;
  const row = JSON.parse(json) as {
    status: string;
    ship_by: string;
    shipped_at: number | null;
    carrier: string | null;
    tracking_number: string | null;
  };
  if (row.status === 'to_ship') return { status: 'to_ship', shipBy: row.ship_by };
  if (row.status === 'shipped' && row.shipped_at !== null)
    return {
      status: 'shipped',
      shippedAtMs: row.shipped_at,
      carrier: row.carrier,
      trackingNumber: row.tracking_number,
    };
  return null;
}
