/**
 * The hourly Cron Trigger's run (`scheduled` in src/worker.ts): re-read stale subscription records
 * from Stripe, delete every table's expired rows, and what is left of an earlier version's KV keys.
 */
import type { Logger } from '../log/log.ts';
import { deleteExpiredRows, type ExpiringRows } from '../storage/tables.ts';
import { reconcile, type ReconcileOptions } from '../subscriptions/reconcile.ts';
import { deleteLegacyKvKeys } from './legacy-kv.ts';

export interface HourlyDeps {
  reconcile: ReconcileOptions;
  db: D1Database;
  kv: KVNamespace;
  /** Every table whose rows expire (the composition root lists them). */
  expiring: readonly ExpiringRows[];
  log: Logger;
  /** Keys of the KV-only version deleted per run, until none is left. */
  legacyBatch?: number;
  now?: () => number;
}

export interface HourlyReport {
  read: number;
  failed: number;
  expiredRows: number;
  legacyKvDeleted: number;
}

/** Runs the hourly work and logs one `reconcile` line with its counts. */
export async function hourlyRun(deps: HourlyDeps): Promise<HourlyReport> {
  const now = deps.now ?? Date.now;
  const { read, failed } = await reconcile(deps.reconcile);
  const expiredRows = await deleteExpiredRows(deps.db, deps.expiring, now());
  const legacy = await deleteLegacyKvKeys({ kv: deps.kv, db: deps.db }, deps.legacyBatch ?? 100, now);
  const report = { read, failed, expiredRows, legacyKvDeleted: legacy.deleted };
  deps.log.info({ msg: 'reconcile', ...report });
  return report;
}
