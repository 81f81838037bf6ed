import { describeError, type Logger } from '../log/log.ts';
import { LIVE_STATUSES } from './record.ts';
import { syncCustomer, type SyncDeps } from './sync.ts';

const HOUR_MS = 60 * 60 * 1000;

export interface ReconcileOptions extends SyncDeps {
  log: Logger;
  /**
   * At most this many Stripe reads per run (one `subscriptions.list` per customer). Workers Free
   * allows 50 subrequests and 50 D1 queries per invocation: 20 reads and their 20 upserts fit.
   */
  maxStripeCalls?: number;
  /** A record not read from Stripe for this long is read again. */
  staleAfterMs?: number;
}

/**
 * A lost webhook must not leave access open forever: re-reads from Stripe, oldest read first and
 * within a budget of Stripe calls, every live record whose period has ended and every record not
 * read for a day. A failed read is logged and left for the next run.
 */
export async function reconcile(options: ReconcileOptions): Promise<{ read: number; failed: number }> {
  const { records, log, maxStripeCalls = 20, staleAfterMs = 24 * HOUR_MS } = options;
  const now = options.now ?? Date.now;
  const customers = await records.toReconcile({
    staleBefore: now() - staleAfterMs,
    liveStatuses: LIVE_STATUSES,
    limit: maxStripeCalls,
  });
  let read = 0;
  let failed = 0;
  for (const customerId of customers) {
    try {
      await syncCustomer(options, customerId);
      read += 1;
    } catch (error) {
      failed += 1;
      log.error({ msg: 'reconcile: read failed', customer: customerId, error: describeError(error) });
    }
  }
  return { read, failed };
}
