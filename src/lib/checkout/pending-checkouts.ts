/** D1 `pending_checkouts`: the Checkout Sessions this site started, and for whom (the ownership rule's evidence). */
import type { ExpiringRows } from '../storage/tables.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
/** A Checkout Session lives 30 minutes here, its completion webhook is retried for 3 days: keep 4. */
export const PENDING_CHECKOUT_TTL_MS = 4 * DAY_MS;

/** What POST /checkout remembers about a session it started. */
export interface PendingCheckout {
  visitorRef: string;
  /** The e-mail the visitor declared (lower-cased); null when the session reused a bound customer. */
  email: string | null;
  /** The customer the session was started for, when the visitor was already bound. */
  customerId: string | null;
}

export class PendingCheckouts implements ExpiringRows {
  private readonly db: D1Database;
  private readonly now: () => number;

  constructor(db: D1Database, now: () => number = Date.now) {
    this.db = db;
    this.now = now;
  }

  async get(sessionId: string): Promise<PendingCheckout | null> {
    const row = await this.db
      .prepare('SELECT visitor_ref, email, customer_id FROM pending_checkouts WHERE session_id = ? AND expires_at > ?')
      .bind(sessionId, this.now())
      .first<{ visitor_ref: string; email: string | null; customer_id: string | null }>();
    return row && { visitorRef: row.visitor_ref, email: row.email, customerId: row.customer_id };
  }

  async put(sessionId: string, pending: PendingCheckout): Promise<void> {
    await this.db
      .prepare(
        `INSERT INTO pending_checkouts (session_id, visitor_ref, email, customer_id, expires_at)
         VALUES (?, ?, ?, ?, ?) ON CONFLICT (session_id) DO NOTHING`,
      )
      .bind(sessionId, pending.visitorRef, pending.email, pending.customerId, this.now() + PENDING_CHECKOUT_TTL_MS)
      .run();
  }

  deleteExpired(nowMs: number): D1PreparedStatement {
    return this.db.prepare('DELETE FROM pending_checkouts WHERE expires_at <= ?').bind(nowMs);
  }
}
