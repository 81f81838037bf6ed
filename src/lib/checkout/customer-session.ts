import type Stripe from 'stripe';
import type { CustomerRows, ExpiringRows } from '../storage/tables.ts';

/** The Stripe component an embed storefront shows. */
export type EmbedComponent = 'pricing_table' | 'buy_button';

/**
 * A Customer Session lets a returning (bound) visitor's embed purchase reuse their Customer instead
 * of creating a new one (docs.stripe.com/payments/checkout/pricing-table#customer-session). Its
 * client secret goes to the embed's `customer-session-client-secret` attribute and expires after
 * 30 minutes (`expires_at`), so the page carrying it is never cached. Stripe errors propagate.
 */
export async function customerSessionSecret(
  stripe: Stripe,
  customerId: string,
  component: EmbedComponent,
): Promise<{ clientSecret: string; expiresAt: number }> {
  const session = await stripe.customerSessions.create({
    customer: customerId,
    components:
      component === 'pricing_table' ? { pricing_table: { enabled: true } } : { buy_button: { enabled: true } },
  });
  return { clientSecret: session.client_secret, expiresAt: session.expires_at };
}

/** D1 `customer_sessions`: the one Customer Session an embed page gives a bound visitor, reused for its life. */
export class CustomerSessions implements ExpiringRows, CustomerRows {
  private readonly db: D1Database;
  private readonly now: () => number;

  constructor(db: D1Database, now: () => number = Date.now) {
    this.db = db;
    this.now = now;
  }

  /** The Customer Session kept for this visitor and component, while it has a minute left. */
  async get(visitorRef: string, component: EmbedComponent, customerId: string): Promise<string | null> {
    const row = await this.db
      .prepare(
        `SELECT client_secret FROM customer_sessions
         WHERE visitor_ref = ? AND component = ? AND customer_id = ? AND expires_at > ?`,
      )
      .bind(visitorRef, component, customerId, this.now() + 60_000)
      .first<{ client_secret: string }>();
    return row?.client_secret ?? null;
  }

  async put(
    visitorRef: string,
    component: EmbedComponent,
    session: { customerId: string; clientSecret: string; expiresAtMs: number },
  ): Promise<void> {
    await this.db
      .prepare(
        `INSERT INTO customer_sessions (visitor_ref, component, customer_id, client_secret, expires_at)
         VALUES (?, ?, ?, ?, ?) ON CONFLICT (visitor_ref, component) DO UPDATE SET customer_id = excluded.customer_id,
           client_secret = excluded.client_secret, expires_at = excluded.expires_at`,
      )
      .bind(visitorRef, component, session.customerId, session.clientSecret, session.expiresAtMs)
      .run();
  }

  deleteCustomer(customerId: string): D1PreparedStatement {
    return this.db.prepare('DELETE FROM customer_sessions WHERE customer_id = ?').bind(customerId);
  }

  deleteExpired(nowMs: number): D1PreparedStatement {
    return this.db.prepare('DELETE FROM customer_sessions WHERE expires_at <= ?').bind(nowMs);
  }
}
