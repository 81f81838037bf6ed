/**
 * D1 `shipments`: one row per paid subscription invoice (the row mapping is row.ts). Every write is
 * one conditional statement, so concurrent events, marks and refunds each land once and in order:
 * a parcel is created once, shipped only from `to_ship`, called off only before it shipped.
 */
import { parseLanguage } from '../language/languages.ts';
import type { ExpiringRows } from '../storage/tables.ts';
import { INSERT_COLUMNS, shipmentFromRow, shipmentToRow, type ShipmentRow } from './row.ts';
import type { RefundNote, Shipment, ShipmentStatus } from './shipment.ts';
import { parseCarrier, type CarrierId } from './tracking.ts';

const DAY_MS = 86_400_000;
/**
 * How long a parcel's row (a name, an address, a phone, an e-mail) is kept once it shipped or was
 * called off: card networks let a payer dispute a charge for up to 120 days, and the tracking
 * number is the owner's proof of delivery; 180 days leaves time to answer. The chart needs 12 weeks.
 */
export const SHIPMENT_RETENTION_MS = 180 * DAY_MS;

/** One parcel marked shipped by the owner (a form row, or a line of the carrier's results file). */
export interface ShippedMark {
  invoiceId: string;
  carrier: CarrierId;
  trackingNumber: string;
}

/** What became of one mark. */
export type MarkOutcome =
  | 'shipped'
  /** It was already shipped with this carrier and number: nothing to do. */
  | 'unchanged'
  /** It was already shipped with another carrier or number: kept as it was (never overwritten silently). */
  | 'conflict'
  /** Called off: never shipped. */
  | 'cancelled'
  | 'unknown';

/** The shipping notice to send for a parcel, once. */
export interface NoticeClaim {
  email: string | null;
  language: Shipment['language'];
  carrier: CarrierId | null;
  trackingNumber: string | null;
  claimedAt: number;
}

const SELECT = 'SELECT * FROM shipments';

export class Shipments implements ExpiringRows {
  private readonly db: D1Database;
  private readonly now: () => number;
  private readonly onChange: () => void;

  /** `onChange` hears of every write, so this isolate's page-read copies (subscriptions/viewer.ts) are dropped. */
  constructor(db: D1Database, options: { now?: () => number; onChange?: () => void } = {}) {
    this.db = db;
    this.now = options.now ?? Date.now;
    this.onChange = options.onChange ?? (() => undefined);
  }

  /** Stores a new parcel unless its invoice already has one: of any number of concurrent calls, one creates it. */
  async insert(shipment: Shipment): Promise<'created' | 'exists'> {
    const row = shipmentToRow({ ...shipment, status: 'to_ship' });
    const result = await this.db
      .prepare(
        `INSERT INTO shipments (${INSERT_COLUMNS.join(', ')}) VALUES (${INSERT_COLUMNS.map(() => '?').join(', ')})
         ON CONFLICT (invoice_id) DO NOTHING`,
      )
      .bind(...INSERT_COLUMNS.map((column) => row[column]))
      .run();
    if (result.meta.changes === 0) return 'exists';
    this.onChange();
    return 'created';
  }

  async get(invoiceId: string): Promise<Shipment | null> {
    const row = await this.db.prepare(`${SELECT} WHERE invoice_id = ?`).bind(invoiceId).first<ShipmentRow>();
    return row ? shipmentFromRow(row) : null;
  }

  /** Which of `invoiceIds` have a parcel, and its status. */
  async statuses(invoiceIds: readonly string[]): Promise<Map<string, ShipmentStatus>> {
    const { results } = await this.db
      .prepare('SELECT invoice_id, status FROM shipments WHERE invoice_id IN (SELECT value FROM json_each(?))')
      .bind(JSON.stringify(invoiceIds))
      .all<{ invoice_id: string; status: ShipmentStatus }>();
    return new Map(results.map((row) => [row.invoice_id, row.status]));
  }

  /**
   * Marks parcels shipped, all in one batch. Each mark is its own conditional update (only from
   * `to_ship`), so a concurrent mark, refund or import can neither be lost nor undo this one; a
   * parcel already shipped keeps its first carrier and number.
   */
  async markShipped(marks: readonly ShippedMark[]): Promise<Map<string, MarkOutcome>> {
    const outcomes = new Map<string, MarkOutcome>();
    if (marks.length === 0) return outcomes;
    const now = this.now();
    const results = await this.db.batch<{ invoice_id: string }>(
      marks.map((mark) =>
        this.db
          .prepare(
            `UPDATE shipments SET status = 'shipped', shipped_at = ?1, carrier = ?2, tracking_number = ?3, expires_at = ?4
             WHERE invoice_id = ?5 AND status = 'to_ship' RETURNING invoice_id`,
          )
          .bind(now, mark.carrier, mark.trackingNumber, now + SHIPMENT_RETENTION_MS, mark.invoiceId),
      ),
    );
    this.onChange();
    const missed = marks.filter((_, index) => (results[index]?.results.length ?? 0) === 0);
    const { results: rows } = await this.db
      .prepare(
        'SELECT invoice_id, status, carrier, tracking_number FROM shipments WHERE invoice_id IN (SELECT value FROM json_each(?))',
      )
      .bind(JSON.stringify(missed.map((mark) => mark.invoiceId)))
      .all<Pick<ShipmentRow, 'invoice_id' | 'status' | 'carrier' | 'tracking_number'>>();
    const found = new Map(rows.map((row) => [row.invoice_id, row]));
    for (const mark of marks) {
      if (!missed.includes(mark)) {
        outcomes.set(mark.invoiceId, 'shipped');
        continue;
      }
      const row = found.get(mark.invoiceId);
      const same = row?.carrier === mark.carrier && row.tracking_number === mark.trackingNumber;
      outcomes.set(
        mark.invoiceId,
        !row ? 'unknown' : row.status === 'cancelled' ? 'cancelled' : same ? 'unchanged' : 'conflict',
      );
    }
    return outcomes;
  }

  /** Calls a parcel off, only while it is still to ship (a shipped parcel stays shipped: noteRefund instead). */
  async cancel(invoiceId: string, refund: RefundNote | null): Promise<'cancelled' | 'not_to_ship'> {
    const now = this.now();
    const result = await this.db
      .prepare(
        `UPDATE shipments SET status = 'cancelled', cancelled_at = ?1, expires_at = ?2,
           refund_amount = ?3, refund_currency = ?4, refund_full = ?5
         WHERE invoice_id = ?6 AND status = 'to_ship'`,
      )
      .bind(
        now,
        now + SHIPMENT_RETENTION_MS,
        refund?.amount ?? null,
        refund?.currency ?? null,
        refundFull(refund),
        invoiceId,
      )
      .run();
    if (result.meta.changes === 0) return 'not_to_ship';
    this.onChange();
    return 'cancelled';
  }

  /** Notes what Stripe says was given back on a parcel that stands (null: nothing). */
  async noteRefund(invoiceId: string, refund: RefundNote | null): Promise<void> {
    await this.db
      .prepare('UPDATE shipments SET refund_amount = ?1, refund_currency = ?2, refund_full = ?3 WHERE invoice_id = ?4')
      .bind(refund?.amount ?? null, refund?.currency ?? null, refundFull(refund), invoiceId)
      .run();
  }

  /** Claims the shipping notice of a shipped parcel: null when it was claimed before (sent once) or is not shipped. */
  async claimNotice(invoiceId: string): Promise<NoticeClaim | null> {
    const now = this.now();
    const row = await this.db
      .prepare(
        `UPDATE shipments SET notified_at = ?1 WHERE invoice_id = ?2 AND status = 'shipped' AND notified_at IS NULL
         RETURNING email, language, carrier, tracking_number`,
      )
      .bind(now, invoiceId)
      .first<Pick<ShipmentRow, 'email' | 'language' | 'carrier' | 'tracking_number'>>();
    if (!row) return null;
    return {
      email: row.email,
      language: parseLanguage(row.language) ?? 'ja',
      carrier: parseCarrier(row.carrier) ?? null,
      trackingNumber: row.tracking_number,
      claimedAt: now,
    };
  }

  /** Gives a claim back after the notice could not be sent, so a later run sends it. */
  async releaseNotice(invoiceId: string, claimedAt: number): Promise<void> {
    await this.db
      .prepare('UPDATE shipments SET notified_at = NULL WHERE invoice_id = ? AND notified_at = ?')
      .bind(invoiceId, claimedAt)
      .run();
  }

  /** Parcels shipped since `sinceMs` whose notice was never sent, oldest first. */
  async unnotified(sinceMs: number, limit: number): Promise<string[]> {
    const { results } = await this.db
      .prepare(
        `SELECT invoice_id FROM shipments WHERE status = 'shipped' AND notified_at IS NULL AND shipped_at >= ?
         ORDER BY shipped_at LIMIT ?`,
      )
      .bind(sinceMs, limit)
      .all<{ invoice_id: string }>();
    return results.map((row) => row.invoice_id);
  }

  /** The packing list: every parcel to ship, the earliest ship-by date first. */
  async toShip(limit = 500): Promise<Shipment[]> {
    const { results } = await this.db
      .prepare(`${SELECT} WHERE status = 'to_ship' ORDER BY ship_by, paid_at LIMIT ?`)
      .bind(limit)
      .all<ShipmentRow>();
    return results.map(shipmentFromRow);
  }

  /** Shipped and called-off parcels, the latest first. */
  async history(limit = 100): Promise<Shipment[]> {
    const { results } = await this.db
      .prepare(`${SELECT} WHERE status != 'to_ship' ORDER BY coalesce(shipped_at, cancelled_at) DESC LIMIT ?`)
      .bind(limit)
      .all<ShipmentRow>();
    return results.map(shipmentFromRow);
  }

  /**
   * Parcels found by a tracking number, a shipment number or invoice id, an e-mail address (any
   * case), or part of a name (spaces ignored), the latest first.
   */
  async search(query: string, limit = 50): Promise<Shipment[]> {
    const text = query.normalize('NFKC').trim();
    if (text === '') return [];
    const compact = text.replace(/\s+/g, '');
    const like = `%${compact.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const { results } = await this.db
      .prepare(
        `${SELECT} WHERE tracking_number = ?1 OR invoice_id = ?2 OR invoice_id = 'in_' || ?2 OR lower(email) = lower(?2)
           OR replace(replace(ship_to_name, ' ', ''), char(12288), '') LIKE ?3 ESCAPE '\\'
         ORDER BY paid_at DESC LIMIT ?4`,
      )
      .bind(compact.replace(/[-‐‑–−ー]/g, ''), compact, like, limit)
      .all<ShipmentRow>();
    return results.map(shipmentFromRow);
  }

  deleteExpired(nowMs: number): D1PreparedStatement {
    return this.db.prepare('DELETE FROM shipments WHERE expires_at <= ?').bind(nowMs);
  }
}

function refundFull(refund: RefundNote | null): number | null {
  return refund ? (refund.full ? 1 : 0) : null;
}
