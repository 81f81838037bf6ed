import type Stripe from 'stripe';
import { describeError, type Logger } from '../log.ts';
import type { Store } from '../store.ts';
import { LIVE_STATUSES } from './record.ts';
import { syncCustomer } from './sync.ts';

const HOUR_MS = 60 * 60 * 1000;

export interface ReconcileOptions {
  stripe: Stripe;
  store: Store;
  log: Logger;
  /**
   * At most this many Stripe reads per run (one `subscriptions.list` per customer). Workers Free
   * allows 50 subrequests and 50 D1 queries per invocation: 20 reads and their 20 upserts fit.
   */
  maxStripeCalls?: number;
  /** A record not read from Stripe for this long is read again. */
  staleAfterMs?: number;
  /** Keys of the KV-only version deleted per run, until none is left. */
  legacyBatch?: number;
  now?: () => number;
}

export interface ReconcileReport {
  read: number;
  failed: number;
  expiredRows: number;
  legacyKvDeleted: number;
}

/**
 * The Cron Trigger's run: a lost webhook must not leave access open forever. Re-reads from Stripe,
 * oldest read first and within a budget of Stripe calls, every live record whose period has ended
 * and every record not read for a day; then deletes expired rows and what is left of an earlier
 * version's KV keys. A failed read is logged and left for the next run.
 */
export async function reconcile(options: ReconcileOptions): Promise<ReconcileReport> {
  const { stripe, store, log, maxStripeCalls = 20, staleAfterMs = 24 * HOUR_MS, legacyBatch = 100 } = options;
  const now = options.now ?? Date.now;
  const customers = await store.recordsToReconcile({
    staleBefore: now() - staleAfterMs,
    liveStatuses: LIVE_STATUSES,
    limit: maxStripeCalls,
  });
  let read = 0;
  let failed = 0;
  for (const customerId of customers) {
    try {
      await syncCustomer({ stripe, store, now }, customerId);
      read += 1;
    } catch (error) {
      failed += 1;
      log.error({ msg: 'reconcile: read failed', customer: customerId, error: describeError(error) });
    }
  }
  const expiredRows = await store.deleteExpired();
  const legacy = await store.deleteLegacyKvKeys(legacyBatch);
  const report = { read, failed, expiredRows, legacyKvDeleted: legacy.deleted };
  log.info({ msg: 'reconcile', ...report });
  return report;
}
