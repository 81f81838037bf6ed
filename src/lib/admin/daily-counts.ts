/**
 * D1 `daily_counts`: how many subscribers were live each day, written by the hourly run, for the
 * owner's weekly chart (the subscription records hold only the present, not how it got there).
 */
import type { ExpiringRows } from '../storage/tables.ts';

const DAY_MS = 86_400_000;
/** A year and a bit: the chart shows 12 weeks, the rest is there for a longer look in D1. */
export const DAILY_COUNT_KEPT_DAYS = 400;

export class DailyCounts implements ExpiringRows {
  private readonly db: D1Database;

  constructor(db: D1Database) {
    this.db = db;
  }

  /**
   * Records today's number of live subscribers (records whose status is one of `liveStatuses`),
   * counted and written in one statement; a later run the same day replaces it.
   */
  async recordLiveSubscribers(day: string, liveStatuses: readonly string[]): Promise<void> {
    await this.db
      .prepare(
        `INSERT INTO daily_counts (day, live_subscribers)
           SELECT ?1, count(*) FROM subscriptions WHERE status IN (SELECT value FROM json_each(?2))
         ON CONFLICT (day) DO UPDATE SET live_subscribers = excluded.live_subscribers`,
      )
      .bind(day, JSON.stringify(liveStatuses))
      .run();
  }

  /** The counts from `firstDay` (YYYY-MM-DD) on, oldest first. */
  async since(firstDay: string): Promise<Array<{ day: string; count: number }>> {
    const { results } = await this.db
      .prepare('SELECT day, live_subscribers FROM daily_counts WHERE day >= ? ORDER BY day')
      .bind(firstDay)
      .all<{ day: string; live_subscribers: number }>();
    return results.map((row) => ({ day: row.day, count: row.live_subscribers }));
  }

  deleteExpired(nowMs: number): D1PreparedStatement {
    const cutoff = new Date(nowMs - DAILY_COUNT_KEPT_DAYS * DAY_MS).toISOString().slice(0, 10);
    return this.db.prepare('DELETE FROM daily_counts WHERE day < ?').bind(cutoff);
  }
}
