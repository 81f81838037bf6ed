/**
 * The owner's tables, assembled apart from src/tables.ts so that a cold start of the storefront
 * evaluates none of them (scripts/check-budget.ts keeps startup flat): the webhook's parcel events,
 * the hourly run and the owner's pages import this module when they need it (`ownerTables()` in
 * src/site.ts). A new table of the owner's side is a line here; its expiry joins the hourly run's.
 */
import { ActivityLog } from './lib/admin/activity.ts';
import { DailyCounts } from './lib/admin/daily-counts.ts';
import { OwnerReads } from './lib/admin/owner-reads.ts';
import { Shipments } from './lib/shipments/shipments.ts';
import type { ExpiringRows } from './lib/storage/tables.ts';
import type { ViewerReads } from './lib/subscriptions/viewer.ts';

export interface OwnerTables {
  /** The parcels, one per paid subscription invoice. Kept when Stripe deletes a customer (docs/storage.md#shipments). */
  shipments: Shipments;
  /** Live subscribers per day, for the owner's chart. */
  dailyCounts: DailyCounts;
  /** What the owner's home page reads across tables (counts, the last webhook). */
  ownerReads: OwnerReads;
  /** The last webhook failure and the last hourly run. */
  activity: ActivityLog;
  /** Their tables whose rows expire (the hourly run adds them to src/tables.ts's). */
  expiring: readonly ExpiringRows[];
}

/** The owner's tables on this site's D1; a parcel's change drops this isolate's page-read copies (its subscriber's storefront shows it). */
export function buildOwnerTables(db: D1Database, viewerReads: ViewerReads, now: () => number = Date.now): OwnerTables {
  const shipments = new Shipments(db, { now, onChange: () => viewerReads.forget(undefined) });
  const dailyCounts = new DailyCounts(db);
  return {
    shipments,
    dailyCounts,
    ownerReads: new OwnerReads(db),
    activity: new ActivityLog(db, now),
    expiring: [shipments, dailyCounts],
  };
}
