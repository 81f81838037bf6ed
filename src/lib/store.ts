import type { SubscriptionRecord } from './subscriptions/record.ts';

/**
 * The site's state (docs/storage.md). What must be right lives in D1, whose statements are atomic
 * and whose single primary sees every write: bindings, subscription records, processed events,
 * declared e-mails and pending checkouts. KV keeps only what is read often and written rarely: the
 * seed's `customer_id` (the workshop's contract) and the catalog cache.
 *
 * Errors from D1 and KV are not caught here: webhook callers answer 5xx so Stripe retries, pages
 * answer 5xx. Every statement is prepared and bound; a request that needs several sends one batch.
 */

/** Every key this site writes to the WSDEMO namespace. */
export const KV_KEYS = {
  /** The seed's contract: id of the most recently created customer. */
  sharedCustomer: 'customer_id',
  /** The native plan catalog cache. */
  catalog: 'catalog:v1',
} as const;

/**
 * Key prefixes an earlier (KV-only) version wrote. Its bindings were keyed by the cookie's own value,
 * which Stripe, storage and embed pages exposed, so they are not carried over (a subscriber proves
 * the e-mail once with a sign-in link); the reconciliation run deletes them.
 */
export const LEGACY_KV_PREFIXES = [
  'visitor:',
  'customer-visitor:',
  'declared-email:',
  'checkout:',
  'subscription:',
  'event:',
] as const;

const DAY_MS = 24 * 60 * 60 * 1000;
/** Stripe retries for up to 3 days in live mode; processed events are kept 7 so every retry finds one. */
const PROCESSED_EVENT_TTL_MS = 7 * DAY_MS;
/** A delivery that claimed an event and vanished (its isolate died) leaves it to a retry after this. */
const EVENT_CLAIM_LEASE_MS = 60_000;
/** A Checkout Session lives 30 minutes here, its completion webhook is retried for 3 days: keep 4. */
const PENDING_CHECKOUT_TTL_MS = 4 * DAY_MS;
/** A declared e-mail waits this long for an embed purchase. */
const DECLARED_EMAIL_TTL_MS = 30 * DAY_MS;
/** A binding lives as long as the visitor cookie that carries it (one year). */
const BINDING_TTL_MS = 365 * DAY_MS;
/** `meta` row set once the KV keys of an earlier version are all deleted. */
const LEGACY_DELETED = 'legacy_kv_deleted';

/** What POST /checkout remembers about a session it started. */
interface PendingCheckout {
  visitorRef: string;
  /** The e-mail the visitor declared (lower-cased); null when the session reused a bound customer. */
  email: string | null;
  /** The customer the session was started for, when the visitor was already bound. */
  customerId: string | null;
}

/** The seed's `customer_id` with the Stripe `created` time of that customer, so an older one never replaces it. */
interface SharedCustomerMetadata {
  created: number;
}

/** How a browser proved its customer (migrations/0004): a Checkout this site started for it, or a sign-in link. */
export type BindingVia = 'checkout' | 'sign-in';

/** A browser's binding: the customer, how it was proved, and the e-mail it proved (lower-cased; null for old rows). */
export interface Binding {
  customerId: string;
  via: BindingVia;
  email: string | null;
}

/** A browser's binding and its customer's subscription record, read together for a page. */
export interface ViewerState {
  customerId: string | null;
  /** How the binding was proved; null when the browser is not bound. */
  proof: Pick<Binding, 'via' | 'email'> | null;
  subscription: SubscriptionRecord | null;
}

/** A sign-in link not used yet, as its confirmation page sees it. */
export interface PendingSignIn {
  email: string;
  next: string;
  /** The browser that asked for the link; null for links from before migrations/0004. */
  requesterRef: string | null;
}

function bindingVia(value: string): BindingVia {
  return value === 'checkout' ? 'checkout' : 'sign-in';
}

/** A subscription row as D1 returns it. */
interface SubscriptionRow {
  customer_id: string;
  status: string;
  subscription_id: string | null;
  price_id: string | null;
  product_id: string | null;
  currency: string | null;
  current_period_end_s: number | null;
  cancel_at_period_end: number;
  cancel_at_s: number | null;
  trial_end_s: number | null;
  card_brand: string | null;
  card_last4: string | null;
  ever_subscribed: number;
  read_at: number;
  /** NULL when the record has no delivery (migrations/0003_delivery.sql). */
  delivery_name: string | null;
  delivery_postal_code: string | null;
  delivery_state: string | null;
  delivery_city: string | null;
  delivery_line1: string | null;
  delivery_line2: string | null;
  delivery_country: string | null;
}

const SELECT_SUBSCRIPTION = `SELECT customer_id, status, subscription_id, price_id, product_id, currency,
  current_period_end_s, cancel_at_period_end, cancel_at_s, trial_end_s, card_brand, card_last4, ever_subscribed, read_at,
  delivery_name, delivery_postal_code, delivery_state, delivery_city, delivery_line1, delivery_line2, delivery_country
  FROM subscriptions WHERE customer_id = ?`;

/** The upsert whose WHERE is the guard: an older read of Stripe never overwrites a newer one. */
const UPSERT_SUBSCRIPTION = `INSERT INTO subscriptions (customer_id, status, subscription_id, price_id, product_id,
  currency, current_period_end_s, cancel_at_period_end, cancel_at_s, trial_end_s, card_brand, card_last4,
  ever_subscribed, read_at, delivery_name, delivery_postal_code, delivery_state, delivery_city, delivery_line1,
  delivery_line2, delivery_country) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (customer_id) DO UPDATE SET status = excluded.status, subscription_id = excluded.subscription_id,
    price_id = excluded.price_id, product_id = excluded.product_id, currency = excluded.currency,
    current_period_end_s = excluded.current_period_end_s, cancel_at_period_end = excluded.cancel_at_period_end,
    cancel_at_s = excluded.cancel_at_s, trial_end_s = excluded.trial_end_s, card_brand = excluded.card_brand,
    card_last4 = excluded.card_last4, ever_subscribed = excluded.ever_subscribed, read_at = excluded.read_at,
    delivery_name = excluded.delivery_name, delivery_postal_code = excluded.delivery_postal_code,
    delivery_state = excluded.delivery_state, delivery_city = excluded.delivery_city,
    delivery_line1 = excluded.delivery_line1, delivery_line2 = excluded.delivery_line2,
    delivery_country = excluded.delivery_country
  WHERE excluded.read_at > subscriptions.read_at`;

function recordFromRow(row: SubscriptionRow): SubscriptionRecord {
  return {
    customerId: row.customer_id,
    status: row.status,
    subscriptionId: row.subscription_id,
    priceId: row.price_id,
    productId: row.product_id,
    currency: row.currency,
    currentPeriodEnd: row.current_period_end_s,
    cancelAtPeriodEnd: row.cancel_at_period_end === 1,
    cancelAt: row.cancel_at_s,
    trialEnd: row.trial_end_s,
    card: row.card_brand && row.card_last4 ? { brand: row.card_brand, last4: row.card_last4 } : null,
    everSubscribed: row.ever_subscribed === 1,
    delivery:
      row.delivery_name === null
        ? null
        : {
            name: row.delivery_name,
            address: {
              postalCode: row.delivery_postal_code,
              state: row.delivery_state,
              city: row.delivery_city,
              line1: row.delivery_line1,
              line2: row.delivery_line2,
              country: row.delivery_country,
            },
          },
    readAt: row.read_at,
  };
}

function rowValues(record: SubscriptionRecord): (string | number | null)[] {
  return [
    record.customerId,
    record.status,
    record.subscriptionId,
    record.priceId,
    record.productId,
    record.currency,
    record.currentPeriodEnd,
    record.cancelAtPeriodEnd ? 1 : 0,
    record.cancelAt,
    record.trialEnd,
    record.card?.brand ?? null,
    record.card?.last4 ?? null,
    record.everSubscribed ? 1 : 0,
    record.readAt,
    record.delivery?.name ?? null,
    record.delivery?.address.postalCode ?? null,
    record.delivery?.address.state ?? null,
    record.delivery?.address.city ?? null,
    record.delivery?.address.line1 ?? null,
    record.delivery?.address.line2 ?? null,
    record.delivery?.address.country ?? null,
  ];
}

/**
 * How long an isolate reuses a page's read of one browser's state. Two seconds add nothing a
 * visitor could notice, and a burst of page views costs one D1 read instead of one each. Writes
 * through this isolate's Store drop the copy at once; decisions that lead to a write read D1.
 */
const PAGE_READ_TTL_MS = 2_000;
const PAGE_READ_MAX_ENTRIES = 10_000;

/**
 * The site's state in D1 and KV, each taken as an argument so the Store can be tested alone. The
 * site builds one Store per isolate (site.ts), so what it remembers is remembered per isolate.
 */
export class Store {
  // Plain values only (never a promise: workerd does not let one request await another's).
  private readonly pageReads = new Map<string, { value: ViewerState; until: number }>();

  private readonly kv: KVNamespace;
  private readonly db: D1Database;
  private readonly now: () => number;

  // Plain fields, not parameter properties: Node's type stripping (dev tools import this) has none.
  constructor(kv: KVNamespace, db: D1Database, now: () => number = Date.now) {
    this.kv = kv;
    this.db = db;
    this.now = now;
  }

  // ------------------------------------------------------------------ the seed's customer_id (KV)

  getSharedCustomer(): Promise<string | null> {
    return this.kv.get(KV_KEYS.sharedCustomer);
  }

  /** Stores the newest customer unless a newer one is already stored; no write when unchanged. */
  async setSharedCustomer(customerId: string, created: number): Promise<void> {
    const current = await this.kv.getWithMetadata<SharedCustomerMetadata>(KV_KEYS.sharedCustomer);
    if (current.value === customerId || (current.metadata?.created ?? 0) > created) return;
    await this.kv.put(KV_KEYS.sharedCustomer, customerId, { metadata: { created } satisfies SharedCustomerMetadata });
  }

  async clearSharedCustomer(customerId: string): Promise<void> {
    if ((await this.kv.get(KV_KEYS.sharedCustomer)) === customerId) await this.kv.delete(KV_KEYS.sharedCustomer);
  }

  // ------------------------------------------------------------------ JSON values in KV (catalog cache)

  getJson<T>(key: string): Promise<T | null> {
    return this.kv.get<T>(key, 'json');
  }

  async putJson(key: string, value: unknown): Promise<void> {
    await this.kv.put(key, JSON.stringify(value));
  }

  // ------------------------------------------------------------------ a page's view of one browser

  /**
   * The browser's bound customer and that customer's record, in one D1 statement through the
   * Sessions API (a nearby read replica may answer). May be up to 2 s old; never use it to decide a write.
   */
  async viewerState(visitorRef: string): Promise<ViewerState> {
    const now = this.now();
    const cached = this.pageReads.get(visitorRef);
    if (cached && cached.until > now) return cached.value;
    const row = await this.db
      .withSession('first-unconstrained')
      .prepare(
        `SELECT b.customer_id AS bound_customer, b.via AS bound_via, b.email AS bound_email, s.* FROM bindings b
         LEFT JOIN subscriptions s ON s.customer_id = b.customer_id
         WHERE b.visitor_ref = ? AND b.expires_at > ?`,
      )
      .bind(visitorRef, now)
      .first<Partial<SubscriptionRow> & { bound_customer: string; bound_via: string; bound_email: string | null }>();
    const value: ViewerState = {
      customerId: row?.bound_customer ?? null,
      proof: row ? { via: bindingVia(row.bound_via), email: row.bound_email } : null,
      subscription: row?.customer_id ? recordFromRow(row as SubscriptionRow) : null,
    };
    if (this.pageReads.size >= PAGE_READ_MAX_ENTRIES) this.pageReads.clear();
    this.pageReads.set(visitorRef, { value, until: now + PAGE_READ_TTL_MS });
    return value;
  }

  // ------------------------------------------------------------------ bindings

  /** The customer bound to this visitor, read from the primary (for decisions that lead to a write). */
  async getVisitorCustomer(visitorRef: string): Promise<string | null> {
    return (await this.getBinding(visitorRef))?.customerId ?? null;
  }

  /** This visitor's binding, read from the primary (for decisions that lead to a write). */
  async getBinding(visitorRef: string): Promise<Binding | null> {
    const row = await this.db
      .prepare('SELECT customer_id, via, email FROM bindings WHERE visitor_ref = ? AND expires_at > ?')
      .bind(visitorRef, this.now())
      .first<{ customer_id: string; via: string; email: string | null }>();
    return row && { customerId: row.customer_id, via: bindingVia(row.via), email: row.email };
  }

  /**
   * Binds a visitor to a customer, recording how and for which e-mail. No write when already bound
   * so. A sign-in to the customer a Checkout already proved keeps the stronger 'checkout'.
   */
  async bindVisitor(
    visitorRef: string,
    customerId: string,
    proof: { via: BindingVia; email: string | null },
  ): Promise<'bound' | 'unchanged'> {
    this.pageReads.delete(visitorRef);
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
  async unbindVisitor(visitorRef: string): Promise<void> {
    this.pageReads.delete(visitorRef);
    await this.db.prepare('DELETE FROM bindings WHERE visitor_ref = ?').bind(visitorRef).run();
  }

  /** Forgets a customer deleted in Stripe: its subscription record and every browser bound to it. */
  async dropCustomer(customerId: string): Promise<number> {
    this.pageReads.clear();
    const [unbound] = await this.db.batch([
      this.db.prepare('DELETE FROM bindings WHERE customer_id = ?').bind(customerId),
      this.db.prepare('DELETE FROM subscriptions WHERE customer_id = ?').bind(customerId),
      this.db.prepare('DELETE FROM customer_sessions WHERE customer_id = ?').bind(customerId),
    ]);
    return unbound?.meta.changes ?? 0;
  }

  // ------------------------------------------------------------------ declared e-mails and pending checkouts

  async getDeclaredEmail(visitorRef: string): Promise<string | null> {
    const row = await this.db
      .prepare('SELECT email FROM declared_emails WHERE visitor_ref = ? AND expires_at > ?')
      .bind(visitorRef, this.now())
      .first<{ email: string }>();
    return row?.email ?? null;
  }

  async declareEmail(visitorRef: string, email: string): Promise<void> {
    const now = this.now();
    await this.db
      .prepare(
        `INSERT INTO declared_emails (visitor_ref, email, expires_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (visitor_ref) DO UPDATE SET email = excluded.email, expires_at = excluded.expires_at
         WHERE declared_emails.email <> excluded.email OR declared_emails.expires_at <= ?4`,
      )
      .bind(visitorRef, email, now + DECLARED_EMAIL_TTL_MS, now)
      .run();
  }

  async getPendingCheckout(sessionId: string): Promise<PendingCheckout | null> {
    const row = await this.db
      .prepare('SELECT visitor_ref, email, customer_id FROM pending_checkouts WHERE session_id = ? AND expires_at > ?')
      .bind(sessionId, this.now())
      .first<{ visitor_ref: string; email: string | null; customer_id: string | null }>();
    return row && { visitorRef: row.visitor_ref, email: row.email, customerId: row.customer_id };
  }

  async putPendingCheckout(sessionId: string, pending: PendingCheckout): Promise<void> {
    await this.db
      .prepare(
        `INSERT INTO pending_checkouts (session_id, visitor_ref, email, customer_id, expires_at)
         VALUES (?, ?, ?, ?, ?) ON CONFLICT (session_id) DO NOTHING`,
      )
      .bind(sessionId, pending.visitorRef, pending.email, pending.customerId, this.now() + PENDING_CHECKOUT_TTL_MS)
      .run();
  }

  // ------------------------------------------------------------------ subscription records

  /** One customer's subscription record, read from the primary. */
  async getSubscription(customerId: string): Promise<SubscriptionRecord | null> {
    const row = await this.db.prepare(SELECT_SUBSCRIPTION).bind(customerId).first<SubscriptionRow>();
    return row ? recordFromRow(row) : null;
  }

  /**
   * Stores a freshly read record unless the stored one comes from a later read of Stripe: the
   * guard is part of the upsert, so whatever the order and whichever location, an older read never
   * overwrites a newer one.
   */
  async putSubscription(record: SubscriptionRecord): Promise<'written' | 'stale'> {
    this.pageReads.clear();
    const result = await this.db
      .prepare(UPSERT_SUBSCRIPTION)
      .bind(...rowValues(record))
      .run();
    return result.meta.changes > 0 ? 'written' : 'stale';
  }

  /**
   * Customers whose record needs a fresh read from Stripe, oldest read first: every live record
   * whose period has ended, and every record not read since `staleBefore` (epoch ms).
   */
  async recordsToReconcile(options: { staleBefore: number; liveStatuses: readonly string[]; limit: number }) {
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

  // ------------------------------------------------------------------ webhook events

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

  // ------------------------------------------------------------------ sign-in links

  /** Keeps a sign-in link's token (its SHA-256 only) for the e-mail it was sent to and the browser that asked. */
  async putSignInToken(
    tokenHash: string,
    link: { email: string; next: string; requesterRef: string },
    ttlMs: number,
  ): Promise<void> {
    await this.db
      .prepare('INSERT INTO sign_in_tokens (token_hash, email, next, expires_at, requester_ref) VALUES (?, ?, ?, ?, ?)')
      .bind(tokenHash, link.email, link.next, this.now() + ttlMs, link.requesterRef)
      .run();
  }

  /** A token that may still be used, for its confirmation page (uses nothing); null otherwise. */
  async peekSignInToken(tokenHash: string): Promise<PendingSignIn | null> {
    const row = await this.db
      .prepare(
        `SELECT email, next, requester_ref FROM sign_in_tokens
         WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?`,
      )
      .bind(tokenHash, this.now())
      .first<{ email: string; next: string; requester_ref: string | null }>();
    return row && { email: row.email, next: row.next, requesterRef: row.requester_ref };
  }

  /** Uses a token: one atomic update, so of two openings at once exactly one gets the e-mail. */
  async useSignInToken(tokenHash: string): Promise<{ email: string; next: string } | null> {
    const now = this.now();
    return this.db
      .prepare(
        `UPDATE sign_in_tokens SET used_at = ?1 WHERE token_hash = ?2 AND used_at IS NULL AND expires_at > ?1
         RETURNING email, next`,
      )
      .bind(now, tokenHash)
      .first<{ email: string; next: string }>();
  }

  // ------------------------------------------------------------------ Customer Sessions

  /** The Customer Session kept for this visitor and component, while it has a minute left. */
  async getCustomerSession(visitorRef: string, component: string, customerId: string): Promise<string | null> {
    const row = await this.db
      .prepare(
        `SELECT client_secret FROM customer_sessions
         WHERE visitor_ref = ? AND component = ? AND customer_id = ? AND expires_at > ?`,
      )
      .bind(visitorRef, component, customerId, this.now() + 60_000)
      .first<{ client_secret: string }>();
    return row?.client_secret ?? null;
  }

  async putCustomerSession(
    visitorRef: string,
    component: string,
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

  // ------------------------------------------------------------------ housekeeping

  /** Deletes expired rows (the reconciliation run calls this); returns how many went. */
  async deleteExpired(): Promise<number> {
    const now = this.now();
    const results = await this.db.batch([
      this.db.prepare('DELETE FROM processed_events WHERE expires_at <= ?').bind(now),
      this.db.prepare('DELETE FROM bindings WHERE expires_at <= ?').bind(now),
      this.db.prepare('DELETE FROM declared_emails WHERE expires_at <= ?').bind(now),
      this.db.prepare('DELETE FROM pending_checkouts WHERE expires_at <= ?').bind(now),
      this.db.prepare('DELETE FROM sign_in_tokens WHERE expires_at <= ?').bind(now),
      this.db.prepare('DELETE FROM customer_sessions WHERE expires_at <= ?').bind(now),
    ]);
    return results.reduce((sum, result) => sum + result.meta.changes, 0);
  }

  // ------------------------------------------------------------------ an earlier version's KV keys

  /**
   * Deletes up to `limit` keys an earlier version left in KV (the reconciliation run calls this
   * until none is left, then records that in D1 and stops listing). Returns how many it deleted.
   */
  async deleteLegacyKvKeys(limit: number): Promise<{ deleted: number; done: boolean }> {
    const marker = await this.db.prepare('SELECT value FROM meta WHERE name = ?').bind(LEGACY_DELETED).first();
    if (marker) return { deleted: 0, done: true };
    let deleted = 0;
    for (const prefix of LEGACY_KV_PREFIXES) {
      const page = await this.kv.list({ prefix, limit: limit - deleted });
      for (const key of page.keys) await this.kv.delete(key.name);
      deleted += page.keys.length;
      if (deleted >= limit) return { deleted, done: false };
    }
    if (deleted === 0)
      await this.db
        .prepare('INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING')
        .bind(LEGACY_DELETED, new Date(this.now()).toISOString())
        .run();
    return { deleted, done: deleted === 0 };
  }
}
