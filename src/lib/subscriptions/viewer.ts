/**
 * Who is looking at a page: the browser's binding, its customer's subscription record and latest
 * parcel, read together in one D1 statement (a join of visitor/bindings and subscriptions, and a
 * subquery on shipments) through the Sessions API, and reused by this isolate for two seconds.
 */
import { latestParcelSql, parseParcel, type ParcelView } from '../shipments/parcel.ts';
import { bindingVia, type Binding } from '../visitor/bindings.ts';
import { hasMemberAccess, recordFromRow, type SubscriptionRecord, type SubscriptionRow } from './record.ts';

/** A browser's binding and its customer's subscription record, read together for a page. */
export interface ViewerState {
  customerId: string | null;
  /** How the binding was proved; null when the browser is not bound. */
  proof: Pick<Binding, 'via' | 'email'> | null;
  subscription: SubscriptionRecord | null;
  /** The customer's latest parcel not called off (shipments/parcel.ts); null without one. */
  shipment: ParcelView | null;
}

/** Who is looking at a page: the browser's visitor id, its bound customer and that customer's subscription. */
export interface Viewer extends ViewerState {
  visitorRef: string | undefined;
  /** The subscription opens the members area now (see hasMemberAccess). */
  member: boolean;
}

/**
 * How long an isolate reuses a page's read of one browser's state. Two seconds add nothing a
 * visitor could notice, and a burst of page views costs one D1 read instead of one each. Writes
 * through this isolate's tables drop the copy at once (their `onChange`); decisions that lead to a
 * write read the primary instead.
 */
const PAGE_READ_TTL_MS = 2_000;
const PAGE_READ_MAX_ENTRIES = 10_000;

/** Page reads of one browser's state, with this isolate's two-second copies. */
export class ViewerReads {
  // Plain values only (never a promise: workerd does not let one request await another's).
  private readonly copies = new Map<string, { value: ViewerState; until: number }>();
  private readonly db: D1Database;
  private readonly now: () => number;

  constructor(db: D1Database, now: () => number = Date.now) {
    this.db = db;
    this.now = now;
  }

  /** The browser's binding and record (a nearby read replica may answer). May be 2 s old: never decide a write on it. */
  async read(visitorRef: string): Promise<ViewerState> {
    const now = this.now();
    const copy = this.copies.get(visitorRef);
    if (copy && copy.until > now) return copy.value;
    const row = await this.db
      .withSession('first-unconstrained')
      .prepare(
        `SELECT b.customer_id AS bound_customer, b.via AS bound_via, b.email AS bound_email,
           ${latestParcelSql('b.customer_id')} AS latest_parcel, s.* FROM bindings b
         LEFT JOIN subscriptions s ON s.customer_id = b.customer_id
         WHERE b.visitor_ref = ? AND b.expires_at > ?`,
      )
      .bind(visitorRef, now)
      .first<
        Partial<SubscriptionRow> & {
          bound_customer: string;
          bound_via: string;
          bound_email: string | null;
          latest_parcel: string | null;
        }
      >();
    const value: ViewerState = {
      customerId: row?.bound_customer ?? null,
      proof: row ? { via: bindingVia(row.bound_via), email: row.bound_email } : null,
      subscription: row?.customer_id ? recordFromRow(row as SubscriptionRow) : null,
      shipment: parseParcel(row?.latest_parcel),
    };
    if (this.copies.size >= PAGE_READ_MAX_ENTRIES) this.copies.clear();
    this.copies.set(visitorRef, { value, until: now + PAGE_READ_TTL_MS });
    return value;
  }

  /** Drops one browser's copy, or (undefined) every copy: a write changed what they show. */
  forget(visitorRef: string | undefined): void {
    if (visitorRef === undefined) this.copies.clear();
    else this.copies.delete(visitorRef);
  }
}

export interface ViewerOptions {
  /** Days a member keeps access past the period end while no fresh read confirms a renewal. */
  periodGraceDays: number;
  now?: () => number;
}

/** Reads the binding and the subscription record (one D1 statement for a browser with a cookie, none without). */
export async function loadViewer(
  reads: ViewerReads,
  visitorRef: string | undefined,
  { periodGraceDays, now = Date.now }: ViewerOptions,
): Promise<Viewer> {
  if (!visitorRef)
    return { visitorRef, customerId: null, proof: null, subscription: null, shipment: null, member: false };
  const state = await reads.read(visitorRef);
  const member = state.subscription !== null && hasMemberAccess(state.subscription, now(), periodGraceDays);
  return { visitorRef, ...state, member };
}
