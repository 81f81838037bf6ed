import type { SubscriptionRecord } from './subscriptions/record';

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

/** Keys an earlier version kept in KV; read once to copy a running shop's bindings to D1. */
export const LEGACY_KV_KEYS = {
  visitor: (visitorId: string) => `visitor:${visitorId}`,
  visitorPrefix: 'visitor:',
  customerVisitor: (customerId: string, visitorId: string) => `customer-visitor:${customerId}:${visitorId}`,
  subscription: (customerId: string) => `subscription:${customerId}`,
} as const;

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
/** `meta` row set once the KV state of an earlier version has been copied to D1. */
const LEGACY_COPIED = 'legacy_kv_copied';

/** What POST /checkout remembers about a session it started. */
interface PendingCheckout {
  visitorId: string;
  /** The e-mail the visitor declared (lower-cased); null when the session reused a bound customer. */
  email: string | null;
  /** The customer the session was started for, when the visitor was already bound. */
  customerId: string | null;
}

/** The seed's `customer_id` with the Stripe `created` time of that customer, so an older one never replaces it. */
interface SharedCustomerMetadata {
  created: number;
}

/** A browser's binding and its customer's subscription record, read together for a page. */
export interface ViewerState {
  customerId: string | null;
  subscription: SubscriptionRecord | null;
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
}

const SELECT_SUBSCRIPTION = `SELECT customer_id, status, subscription_id, price_id, product_id, currency,
  current_period_end_s, cancel_at_period_end, cancel_at_s, trial_end_s, card_brand, card_last4, ever_subscribed, read_at
  FROM subscriptions WHERE customer_id = ?`;

/** The upsert whose WHERE is the guard: an older read of Stripe never overwrites a newer one. */
const UPSERT_SUBSCRIPTION = `INSERT INTO subscriptions (customer_id, status, subscription_id, price_id, product_id,
  currency, current_period_end_s, cancel_at_period_end, cancel_at_s, trial_end_s, card_brand, card_last4,
  ever_subscribed, read_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (customer_id) DO UPDATE SET status = excluded.status, subscription_id = excluded.subscription_id,
    price_id = excluded.price_id, product_id = excluded.product_id, currency = excluded.currency,
    current_period_end_s = excluded.current_period_end_s, cancel_at_period_end = excluded.cancel_at_period_end,
    cancel_at_s = excluded.cancel_at_s, trial_end_s = excluded.trial_end_s, card_brand = excluded.card_brand,
    card_last4 = excluded.card_last4, ever_subscribed = excluded.ever_subscribed, read_at = excluded.read_at
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
  /** Once the legacy KV state is known to be copied, no page looks in KV again. */
  private legacyCopied = false;

  constructor(
    private readonly kv: KVNamespace,
    private readonly db: D1Database,
    private readonly now: () => number = Date.now,
  ) {}

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
  async viewerState(visitorId: string): Promise<ViewerState> {
    const now = this.now();
    const cached = this.pageReads.get(visitorId);
    if (cached && cached.until > now) return cached.value;
    const row = await this.db
      .withSession('first-unconstrained')
      .prepare(
        `SELECT (SELECT value FROM meta WHERE name = ?1) AS legacy_copied, b.customer_id AS bound_customer, s.*
         FROM (SELECT 1) LEFT JOIN bindings b ON b.visitor_ref = ?2 AND b.expires_at > ?3
         LEFT JOIN subscriptions s ON s.customer_id = b.customer_id`,
      )
      .bind(LEGACY_COPIED, visitorId, now)
      .first<Partial<SubscriptionRow> & { legacy_copied: string | null; bound_customer: string | null }>();
    if (row?.legacy_copied) this.legacyCopied = true;
    let value: ViewerState = {
      customerId: row?.bound_customer ?? null,
      subscription: row?.customer_id ? recordFromRow(row as SubscriptionRow) : null,
    };
    if (!value.customerId && !this.legacyCopied) value = (await this.copyLegacyBinding(visitorId)) ?? value;
    if (this.pageReads.size >= PAGE_READ_MAX_ENTRIES) this.pageReads.clear();
    this.pageReads.set(visitorId, { value, until: now + PAGE_READ_TTL_MS });
    return value;
  }

  // ------------------------------------------------------------------ bindings

  /** The customer bound to this visitor, read from the primary (for decisions that lead to a write). */
  async getVisitorCustomer(visitorId: string): Promise<string | null> {
    const row = await this.db
      .prepare('SELECT customer_id FROM bindings WHERE visitor_ref = ? AND expires_at > ?')
      .bind(visitorId, this.now())
      .first<{ customer_id: string }>();
    if (row) return row.customer_id;
    if (this.legacyCopied) return null;
    return (await this.copyLegacyBinding(visitorId))?.customerId ?? null;
  }

  /** Binds a visitor to a customer. No write when already bound so. */
  async bindVisitor(visitorId: string, customerId: string): Promise<'bound' | 'unchanged'> {
    this.pageReads.delete(visitorId);
    const now = this.now();
    const result = await this.db
      .prepare(
        `INSERT INTO bindings (visitor_ref, customer_id, bound_at, expires_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (visitor_ref) DO UPDATE SET customer_id = excluded.customer_id, bound_at = excluded.bound_at,
           expires_at = excluded.expires_at
         WHERE bindings.customer_id <> excluded.customer_id OR bindings.expires_at <= excluded.bound_at`,
      )
      .bind(visitorId, customerId, now, now + BINDING_TTL_MS)
      .run();
    return result.meta.changes > 0 ? 'bound' : 'unchanged';
  }

  /** Forgets a customer deleted in Stripe: its subscription record and every browser bound to it. */
  async dropCustomer(customerId: string): Promise<number> {
    this.pageReads.clear();
    const [unbound] = await this.db.batch([
      this.db.prepare('DELETE FROM bindings WHERE customer_id = ?').bind(customerId),
      this.db.prepare('DELETE FROM subscriptions WHERE customer_id = ?').bind(customerId),
    ]);
    return unbound?.meta.changes ?? 0;
  }

  // ------------------------------------------------------------------ declared e-mails and pending checkouts

  async getDeclaredEmail(visitorId: string): Promise<string | null> {
    const row = await this.db
      .prepare('SELECT email FROM declared_emails WHERE visitor_ref = ? AND expires_at > ?')
      .bind(visitorId, this.now())
      .first<{ email: string }>();
    return row?.email ?? null;
  }

  async declareEmail(visitorId: string, email: string): Promise<void> {
    const now = this.now();
    await this.db
      .prepare(
        `INSERT INTO declared_emails (visitor_ref, email, expires_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (visitor_ref) DO UPDATE SET email = excluded.email, expires_at = excluded.expires_at
         WHERE declared_emails.email <> excluded.email OR declared_emails.expires_at <= ?4`,
      )
      .bind(visitorId, email, now + DECLARED_EMAIL_TTL_MS, now)
      .run();
  }

  async getPendingCheckout(sessionId: string): Promise<PendingCheckout | null> {
    const row = await this.db
      .prepare('SELECT visitor_ref, email, customer_id FROM pending_checkouts WHERE session_id = ? AND expires_at > ?')
      .bind(sessionId, this.now())
      .first<{ visitor_ref: string; email: string | null; customer_id: string | null }>();
    return row && { visitorId: row.visitor_ref, email: row.email, customerId: row.customer_id };
  }

  async putPendingCheckout(sessionId: string, pending: PendingCheckout): Promise<void> {
    await this.db
      .prepare(
        `INSERT INTO pending_checkouts (session_id, visitor_ref, email, customer_id, expires_at)
         VALUES (?, ?, ?, ?, ?) ON CONFLICT (session_id) DO NOTHING`,
      )
      .bind(sessionId, pending.visitorId, pending.email, pending.customerId, this.now() + PENDING_CHECKOUT_TTL_MS)
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

  // ------------------------------------------------------------------ housekeeping

  /** Deletes expired rows (the reconciliation run calls this); returns how many went. */
  async deleteExpired(): Promise<number> {
    const now = this.now();
    const results = await this.db.batch([
      this.db.prepare('DELETE FROM processed_events WHERE expires_at <= ?').bind(now),
      this.db.prepare('DELETE FROM bindings WHERE expires_at <= ?').bind(now),
      this.db.prepare('DELETE FROM declared_emails WHERE expires_at <= ?').bind(now),
      this.db.prepare('DELETE FROM pending_checkouts WHERE expires_at <= ?').bind(now),
    ]);
    return results.reduce((sum, result) => sum + result.meta.changes, 0);
  }

  // ------------------------------------------------------------------ a running shop's KV state

  /**
   * Copies one binding an earlier version kept in KV (`visitor:<id>`, and the customer's record)
   * into D1, then deletes the KV keys: each is looked up once. Undefined when KV has none.
   */
  private async copyLegacyBinding(visitorId: string): Promise<ViewerState | undefined> {
    const customerId = await this.kv.get(LEGACY_KV_KEYS.visitor(visitorId));
    if (!customerId) return undefined;
    const record = await this.kv.get<SubscriptionRecord>(LEGACY_KV_KEYS.subscription(customerId), 'json');
    await this.bindVisitor(visitorId, customerId);
    if (record) await this.putSubscription(record);
    await this.kv.delete(LEGACY_KV_KEYS.visitor(visitorId));
    await this.kv.delete(LEGACY_KV_KEYS.customerVisitor(customerId, visitorId));
    return { customerId, subscription: (await this.getSubscription(customerId)) ?? null };
  }

  /**
   * Copies up to `limit` legacy KV bindings to D1 (the reconciliation run calls this until none is
   * left, then marks the copy done so pages stop looking in KV). Returns how many it copied.
   */
  async copyLegacyBindings(limit: number): Promise<{ copied: number; done: boolean }> {
    if (this.legacyCopied) return { copied: 0, done: true };
    const page = await this.kv.list({ prefix: LEGACY_KV_KEYS.visitorPrefix, limit });
    let copied = 0;
    for (const key of page.keys) {
      if (await this.copyLegacyBinding(key.name.slice(LEGACY_KV_KEYS.visitorPrefix.length))) copied += 1;
    }
    const done = page.list_complete && page.keys.length === 0;
    if (done) {
      await this.db
        .prepare('INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING')
        .bind(LEGACY_COPIED, new Date(this.now()).toISOString())
        .run();
      this.legacyCopied = true;
    }
    return { copied, done };
  }
}
