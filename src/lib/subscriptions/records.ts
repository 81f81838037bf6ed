/**
 * D1 `subscriptions`: one record per customer, as last read from Stripe (the row mapping is in
 * record.ts). Every upsert carries its guard, so an older read of Stripe never overwrites a newer one.
 */
import type { CustomerRows } from '../storage/tables.ts';
import {
  recordFromRow,
  recordToRow,
  SUBSCRIPTION_COLUMNS,
  type SubscriptionRecord,
  type SubscriptionRow,
} from './record.ts';

const SELECT_RECORD = `SELECT ${SUBSCRIPTION_COLUMNS.join(', ')} FROM subscriptions WHERE customer_id = ?`;

/** The upsert whose WHERE is the guard: an older read of Stripe never overwrites a newer one. */
const UPSERT_RECORD = `INSERT INTO subscriptions (${SUBSCRIPTION_COLUMNS.join(', ')})
  VALUES (${SUBSCRIPTION_COLUMNS.map(() => '?').join(', ')})
  ON CONFLICT (customer_id) DO UPDATE SET ${SUBSCRIPTION_COLUMNS.filter((column) => column !== 'customer_id')
    .map((column) => `${column} = excluded.${column}`)
    .join(', ')}
  WHERE excluded.read_at > subscriptions.read_at`;

export class SubscriptionRecords implements CustomerRows {
  private readonly db: D1Database;
  private readonly now: () => number;
  private readonly onChange: () => void;

  /** `onChange` hears of every write, so this isolate's page-read copies (subscriptions/viewer.ts) are dropped. */
  constructor(db: D1Database, options: { now?: () => number; onChange?: () => void } = {}) {
    this.db = db;
    this.now = options.now ?? Date.now;
    this.onChange = options.onChange ?? (() => undefined);
  }

  /** One customer's record, read from the primary. */
  async get(customerId: string): Promise<SubscriptionRecord | null> {
    const row = await this.db.prepare(SELECT_RECORD).bind(customerId).first<SubscriptionRow>();
    return row ? recordFromRow(row) : null;
  }

  /**
   * Stores a freshly read record unless the stored one comes from a later read of Stripe: the guard
   * is part of the upsert, so whatever the order and whichever location, an older read never wins.
   */
  async put(record: SubscriptionRecord): Promise<'written' | 'stale'> {
    this.onChange();
    const row = recordToRow(record);
    const result = await this.db
      .prepare(UPSERT_RECORD)
      .bind(...SUBSCRIPTION_COLUMNS.map((column) => row[column]))
      .run();
    return result.meta.changes > 0 ? 'written' : 'stale';
  }

  /**
   * Customers whose record needs a fresh read from Stripe, oldest read first: every live record
   * whose period has ended, and every record not read since `staleBefore` (epoch ms).
   */
  async toReconcile(options: { staleBefore: number; liveStatuses: readonly string[]; limit: number }) {
    const { results } = await this.db
      .prepare(
        `SELECT customer_id FROM subscriptions
         WHERE read_at < ?1 OR (status IN (SELECT value FROM json_each(?2)) AND current_period_end_s < ?3)
         ORDER BY read_at LIMIT ?4`,
      )
      .bind(options.staleBefore, JSON.stringify(options.liveStatuses), Math.floor(this.now() / 1000), options.limit)
      .all<{ customer_id: string }>();
    return results.map((row) => row.customer_id);
  }

  deleteCustomer(customerId: string): D1PreparedStatement {
    this.onChange();
    return this.db.prepare('DELETE FROM subscriptions WHERE customer_id = ?').bind(customerId);
  }
}
