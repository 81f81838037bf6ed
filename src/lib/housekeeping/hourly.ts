/**
 * The hourly Cron Trigger's run (`scheduled` in src/worker.ts): re-read stale subscription records
 * from Stripe, pick up paid invoices whose parcel was never recorded, count today's live
 * subscribers, resend shipping notices that never went out, delete every table's expired rows and
 * what is left of an earlier version's KV keys, and note the run for the owner's page.
 */
import type { ActivityLog } from '../admin/activity.ts';
import type { DailyCounts } from '../admin/daily-counts.ts';
import { describeError, type Logger } from '../log/log.ts';
import { findLostShipments } from '../shipments/reconcile.ts';
import type { ShipmentDeps } from '../shipments/record.ts';
import { DEFAULT_SHIPPING_DAYS, shopDate } from '../shipments/shipping-days.ts';
import { deleteExpiredRows, type ExpiringRows } from '../storage/tables.ts';
import { LIVE_STATUSES } from '../subscriptions/record.ts';
import { reconcile, type ReconcileOptions } from '../subscriptions/reconcile.ts';
import { deleteLegacyKvKeys } from './legacy-kv.ts';

export interface HourlyDeps {
  reconcile: ReconcileOptions;
  db: D1Database;
  kv: KVNamespace;
  /** Every table whose rows expire (the composition root lists them). */
  expiring: readonly ExpiringRows[];
  /** Paid invoices whose `invoice.paid` was lost become parcels (one Stripe list call). */
  shipments: ShipmentDeps;
  /** The shop's time zone (the profile's): whose "today" the daily count is; DEFAULT_SHIPPING_DAYS' without one. */
  timeZone: string | undefined;
  dailyCounts: DailyCounts;
  activity: ActivityLog;
  /** Sends shipping notices that never went out; undefined without a sender. */
  resendNotices?: (nowMs: number) => Promise<number>;
  log: Logger;
  /** Keys of the KV-only version deleted per run, until none is left. */
  legacyBatch?: number;
  now?: () => number;
}

export interface HourlyReport {
  read: number;
  failed: number;
  shipmentsFound: number;
  shipmentsFailed: number;
  noticesSent: number;
  expiredRows: number;
  legacyKvDeleted: number;
}

/** Runs the hourly work and logs one `reconcile` line with its counts. */
export async function hourlyRun(deps: HourlyDeps): Promise<HourlyReport> {
  const now = deps.now ?? Date.now;
  const { read, failed } = await reconcile(deps.reconcile);
  const lost = await findLostShipments(deps.shipments, now).catch((error: unknown) => {
    deps.log.error({ msg: 'reconcile: paid invoices could not be listed', error: describeError(error) });
    return { found: 0, failed: 1 };
  });
  const today = shopDate(now(), deps.timeZone ?? DEFAULT_SHIPPING_DAYS.timeZone);
  await deps.dailyCounts.recordLiveSubscribers(today, LIVE_STATUSES);
  const noticesSent = (await deps.resendNotices?.(now())) ?? 0;
  const expiredRows = await deleteExpiredRows(deps.db, deps.expiring, now());
  const legacy = await deleteLegacyKvKeys({ kv: deps.kv, db: deps.db }, deps.legacyBatch ?? 100, now);
  const report = {
    read,
    failed,
    shipmentsFound: lost.found,
    shipmentsFailed: lost.failed,
    noticesSent,
    expiredRows,
    legacyKvDeleted: legacy.deleted,
  };
  await deps.activity.hourlyRan({ read, failed, shipmentsFound: lost.found, expiredRows });
  deps.log.info({ msg: 'reconcile', ...report });
  return report;
}
