/**
 * What the owner's home page reads across the site's tables, in one batch (one D1 round trip):
 * subscribers by plan and status, parcels due, the chart's days, the last webhook applied, the subscribers
 * who skip, pause or change frequency, and the
 * facts `activity.ts` keeps in `meta` (the last webhook failure, the last hourly run). Read only.
 */
import { ACTIVITY_NAMES, parseActivity, type Activity } from './activity.ts';
import {
  recordFromRow,
  SUBSCRIPTION_COLUMNS,
  type SubscriptionRecord,
  type SubscriptionRow,
} from '../subscriptions/record.ts';

/** The subscribers with a skip, a pause or a frequency change the home page lists, at most. */
const CHANGED_LISTED = 100;

/** Subscription records of one plan in one status. */
export interface PlanCount {
  priceId: string | null;
  productId: string | null;
  status: string;
  count: number;
}

export interface ShopGlance {
  plans: PlanCount[];
  shipments: { toShip: number; dueToday: number; overdue: number };
  /** When each parcel still counted (not called off) was paid, epoch ms, since the chart's first day. */
  shipmentPaidAt: number[];
  /** The last webhook event applied, if any is still kept (7 days). */
  lastWebhook: { type: string; atMs: number } | null;
  activity: Activity;
  /** Live subscriptions with a collection pause (a skip, a pause) or a scheduled frequency change, next renewal first. */
  changed: SubscriptionRecord[];
}

export class OwnerReads {
  private readonly db: D1Database;

  constructor(db: D1Database) {
    this.db = db;
  }

  /** The home page's numbers: `today` is the shop's date (YYYY-MM-DD), `sinceMs` the chart's start. */
  async glance(today: string, sinceMs: number): Promise<ShopGlance> {
    const [plans, shipments, paid, webhook, meta, changed] = await this.db.batch([
      this.db.prepare(
        `SELECT price_id, product_id, status, count(*) AS n FROM subscriptions WHERE status != 'none'
         GROUP BY price_id, product_id, status ORDER BY n DESC, price_id`,
      ),
      this.db
        .prepare(
          `SELECT coalesce(sum(status = 'to_ship'), 0) AS to_ship,
             coalesce(sum(status = 'to_ship' AND ship_by = ?1), 0) AS due_today,
             coalesce(sum(status = 'to_ship' AND ship_by < ?1), 0) AS overdue
           FROM shipments`,
        )
        .bind(today),
      this.db.prepare(`SELECT paid_at FROM shipments WHERE paid_at >= ? AND status != 'cancelled'`).bind(sinceMs),
      this.db.prepare('SELECT type, claimed_at FROM processed_events WHERE done = 1 ORDER BY claimed_at DESC LIMIT 1'),
      this.db
        .prepare('SELECT name, value FROM meta WHERE name IN (SELECT value FROM json_each(?))')
        .bind(JSON.stringify(ACTIVITY_NAMES)),
      this.db
        .prepare(
          `SELECT ${SUBSCRIPTION_COLUMNS.join(', ')} FROM subscriptions
           WHERE status IN ('active', 'trialing') AND (pause_behavior IS NOT NULL OR next_price_id IS NOT NULL)
           ORDER BY current_period_end_s LIMIT ?`,
        )
        .bind(CHANGED_LISTED),
    ]);
    const counts = (shipments?.results[0] ?? {}) as { to_ship?: number; due_today?: number; overdue?: number };
    const last = webhook?.results[0] as { type: string; claimed_at: number } | undefined;
    return {
      plans: (
        (plans?.results ?? []) as Array<{
          price_id: string | null;
          product_id: string | null;
          status: string;
          n: number;
        }>
      ).map((row) => ({ priceId: row.price_id, productId: row.product_id, status: row.status, count: row.n })),
      shipments: { toShip: counts.to_ship ?? 0, dueToday: counts.due_today ?? 0, overdue: counts.overdue ?? 0 },
      shipmentPaidAt: ((paid?.results ?? []) as Array<{ paid_at: number }>).map((row) => row.paid_at),
      lastWebhook: last ? { type: last.type, atMs: last.claimed_at } : null,
      activity: parseActivity((meta?.results ?? []) as Array<{ name: string; value: string }>),
      changed: ((changed?.results ?? []) as SubscriptionRow[]).map(recordFromRow),
    };
  }
}
