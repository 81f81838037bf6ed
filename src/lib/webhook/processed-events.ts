/**
 * D1 `processed_events`: one row per webhook event, claimed then applied exactly once
 * (docs/webhooks.md#idempotency). D1 errors propagate (the webhook answers 5xx; Stripe retries).
 */
import type { ExpiringRows } from '../storage/tables.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Stripe retries for up to 3 days in live mode; processed events are kept 7 so every retry finds one. */
export const PROCESSED_EVENT_TTL_MS = 7 * DAY_MS;
/** A delivery that claimed an event and vanished (its isolate died) leaves it to a retry after this. */
const EVENT_CLAIM_LEASE_MS = 60_000;

export class ProcessedEvents implements ExpiringRows {
  private readonly db: D1Database;
  private readonly now: () => number;

  constructor(db: D1Database, now: () => number = Date.now) {
    this.db = db;
    this.now = now;
  }

  /**
   * Runs `work` for an event unless it was already applied. The claim is one atomic insert: of
   * several deliveries of one event, in any isolate, exactly one gets it. The claim becomes final
   * only after the work succeeded; a failed attempt releases it so Stripe's retry redoes the work.
   * A delivery that arrives while another is still working answers 'in-progress' (the caller asks
   * Stripe to retry, so an event is never acknowledged before it was applied).
   */
  async applyOnce(
    eventId: string,
    type: string,
    work: () => Promise<unknown>,
  ): Promise<'processed' | 'duplicate' | 'in-progress'> {
    const now = this.now();
    const claim = await this.db
      .prepare(
        `INSERT INTO processed_events (event_id, type, claimed_at, done, expires_at) VALUES (?1, ?2, ?3, 0, ?4)
         ON CONFLICT (event_id) DO UPDATE SET claimed_at = excluded.claimed_at
         WHERE processed_events.done = 0 AND processed_events.claimed_at < ?5
         RETURNING claimed_at`,
      )
      .bind(eventId, type, now, now + PROCESSED_EVENT_TTL_MS, now - EVENT_CLAIM_LEASE_MS)
      .first<{ claimed_at: number }>();
    if (!claim) {
      const existing = await this.db
        .prepare('SELECT done FROM processed_events WHERE event_id = ?')
        .bind(eventId)
        .first<{ done: number }>();
      return existing?.done === 1 ? 'duplicate' : 'in-progress';
    }
    try {
      await work();
    } catch (error) {
      await this.db
        .prepare('DELETE FROM processed_events WHERE event_id = ? AND done = 0 AND claimed_at = ?')
        .bind(eventId, now)
        .run();
      throw error;
    }
    await this.db
      .prepare('UPDATE processed_events SET done = 1 WHERE event_id = ? AND claimed_at = ?')
      .bind(eventId, now)
      .run();
    return 'processed';
  }

  deleteExpired(nowMs: number): D1PreparedStatement {
    return this.db.prepare('DELETE FROM processed_events WHERE expires_at <= ?').bind(nowMs);
  }
}
