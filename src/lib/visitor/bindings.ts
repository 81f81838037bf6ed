/**
 * D1 `bindings`: which customer a browser (its visitor reference) is bound to, how that was proved
 * and for which e-mail (docs/storage.md, decision 007). Every statement is prepared and bound; D1
 * errors propagate (pages answer 5xx, webhooks ask Stripe to retry).
 */
import type { CustomerRows, ExpiringRows } from '../storage/tables.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
/** A binding lives as long as the visitor cookie that carries it (one year). */
export const BINDING_TTL_MS = 365 * DAY_MS;

/** How a browser proved its customer (migrations/0004): a Checkout this site started for it, or a sign-in link. */
export type BindingVia = 'checkout' | 'sign-in';

/** A browser's binding: the customer, how it was proved, and the e-mail it proved (lower-cased; null for old rows). */
export interface Binding {
  customerId: string;
  via: BindingVia;
  email: string | null;
}

/** A stored `via` as the type; anything else (rows from before 0004 default to 'sign-in') is the stricter. */
export function bindingVia(value: string): BindingVia {
  return value === 'checkout' ? 'checkout' : 'sign-in';
}

export class Bindings implements ExpiringRows, CustomerRows {
  private readonly db: D1Database;
  private readonly now: () => number;
  private readonly onChange: (visitorRef: string | undefined) => void;

  /**
   * `onChange` hears of every write (a visitor's reference, or undefined for many at once), so the
   * page-read copies of this isolate (subscriptions/viewer.ts) are dropped at once.
   */
  constructor(
    db: D1Database,
    options: { now?: () => number; onChange?: (visitorRef: string | undefined) => void } = {},
  ) {
    this.db = db;
    this.now = options.now ?? Date.now;
    this.onChange = options.onChange ?? (() => undefined);
  }

  /** This visitor's binding, read from the primary (for decisions that lead to a write). */
  async get(visitorRef: string): Promise<Binding | null> {
    const row = await this.db
      .prepare('SELECT customer_id, via, email FROM bindings WHERE visitor_ref = ? AND expires_at > ?')
      .bind(visitorRef, this.now())
      .first<{ customer_id: string; via: string; email: string | null }>();
    return row && { customerId: row.customer_id, via: bindingVia(row.via), email: row.email };
  }

  /** The customer bound to this visitor, read from the primary. */
  async customerOf(visitorRef: string): Promise<string | null> {
    return (await this.get(visitorRef))?.customerId ?? null;
  }

  /**
   * Binds a visitor to a customer, recording how and for which e-mail. No write when already bound
   * so. A sign-in to the customer a Checkout already proved keeps the stronger 'checkout'.
   */
  async bind(
    visitorRef: string,
    customerId: string,
    proof: { via: BindingVia; email: string | null },
  ): Promise<'bound' | 'unchanged'> {
    this.onChange(visitorRef);
    const now = this.now();
    const result = await this.db
      .prepare(
        `INSERT INTO bindings (visitor_ref, customer_id, bound_at, expires_at, via, email) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (visitor_ref) DO UPDATE SET
           via = CASE WHEN bindings.customer_id = excluded.customer_id AND bindings.via = 'checkout'
                      AND bindings.expires_at > excluded.bound_at THEN 'checkout' ELSE excluded.via END,
           customer_id = excluded.customer_id, bound_at = excluded.bound_at, expires_at = excluded.expires_at,
           email = COALESCE(excluded.email, bindings.email)
         WHERE bindings.customer_id <> excluded.customer_id OR bindings.expires_at <= excluded.bound_at
           OR (excluded.via = 'checkout' AND bindings.via <> 'checkout')
           OR (excluded.email IS NOT NULL AND bindings.email IS NOT excluded.email)`,
      )
      .bind(visitorRef, customerId, now, now + BINDING_TTL_MS, proof.via, proof.email)
      .run();
    return result.meta.changes > 0 ? 'bound' : 'unchanged';
  }

  /** Unbinds this visitor (it chose to continue as someone else). */
  async unbind(visitorRef: string): Promise<void> {
    this.onChange(visitorRef);
    await this.db.prepare('DELETE FROM bindings WHERE visitor_ref = ?').bind(visitorRef).run();
  }

  deleteCustomer(customerId: string): D1PreparedStatement {
    this.onChange(undefined);
    return this.db.prepare('DELETE FROM bindings WHERE customer_id = ?').bind(customerId);
  }

  deleteExpired(nowMs: number): D1PreparedStatement {
    return this.db.prepare('DELETE FROM bindings WHERE expires_at <= ?').bind(nowMs);
  }
}
