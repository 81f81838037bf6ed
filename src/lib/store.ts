import type { SubscriptionRecord } from './subscriptions/record';

/** Every key this site writes to the WSDEMO namespace (documented in docs/storage.md). */
export const KV_KEYS = {
  /** The seed's contract: id of the most recently created customer. */
  sharedCustomer: 'customer_id',
  /** Customer id bound to one browser's visitor id. */
  visitor: (visitorId: string) => `visitor:${visitorId}`,
  /** Reverse index of the bindings, so a deleted customer's browsers can be unbound. */
  customerVisitor: (customerId: string, visitorId: string) => `customer-visitor:${customerId}:${visitorId}`,
  customerVisitors: (customerId: string) => `customer-visitor:${customerId}:`,
  /** The e-mail a browser declared for embed purchases (Pricing Table / Buy Button). */
  declaredEmail: (visitorId: string) => `declared-email:${visitorId}`,
  /** A Checkout Session this site started: who started it and which e-mail they declared. */
  pendingCheckout: (sessionId: string) => `checkout:${sessionId}`,
  /** One customer's subscription, as last read from Stripe. */
  subscription: (customerId: string) => `subscription:${customerId}`,
  /** Marker of a processed webhook event, kept for PROCESSED_EVENT_TTL_SECONDS. */
  processedEvent: (eventId: string) => `event:${eventId}`,
  /** The native plan catalog cache. */
  catalog: 'catalog:v1',
} as const;

/** Stripe retries for up to 3 days in live mode; markers live 7 so every retry still finds one. */
const PROCESSED_EVENT_TTL_SECONDS = 7 * 24 * 60 * 60;
/** A Checkout Session lives 30 minutes here, its completion webhook is retried for 3 days: keep 4. */
const PENDING_CHECKOUT_TTL_SECONDS = 4 * 24 * 60 * 60;
/** A declared e-mail waits this long for an embed purchase. */
const DECLARED_EMAIL_TTL_SECONDS = 30 * 24 * 60 * 60;

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

/**
 * How long an isolate reuses a binding or subscription record it read, for pages only. Workers KV
 * is itself eventually consistent (up to 60 s across locations), so two seconds add nothing a
 * visitor could notice, and a burst of page views costs one KV read instead of one each. Writes
 * through this isolate's Store drop the copy at once; decisions that lead to a write read KV.
 */
const PAGE_READ_TTL_MS = 2_000;
const PAGE_READ_MAX_ENTRIES = 10_000;
// Per isolate, plain values only (never a promise: workerd does not let one request await another's).
const pageReads = new Map<string, { value: unknown; until: number }>();

/**
 * The site's state in KV. Takes the namespace as an argument so it can be tested alone. Errors
 * from KV are not caught here: webhook callers answer 5xx so Stripe retries.
 *
 * KV has no compare-and-set and is eventually consistent across locations. Nothing here locks:
 * every write is idempotent (the same input writes the same value) and state is re-read from
 * Stripe, so a repeated or concurrent write costs a write, never a wrong value for long.
 */
export class Store {
  constructor(
    private readonly kv: KVNamespace,
    private readonly now: () => number = Date.now,
  ) {}

  /** A page's read of `key`: this isolate's copy if it is younger than PAGE_READ_TTL_MS, else KV. */
  private async pageRead<T>(key: string, read: () => Promise<T>): Promise<T> {
    const now = this.now();
    const cached = pageReads.get(key);
    if (cached && cached.until > now) return cached.value as T;
    const value = await read();
    if (pageReads.size >= PAGE_READ_MAX_ENTRIES) pageReads.clear();
    pageReads.set(key, { value, until: now + PAGE_READ_TTL_MS });
    return value;
  }

  private async write(key: string, value: string): Promise<void> {
    pageReads.delete(key);
    await this.kv.put(key, value);
  }

  private async remove(key: string): Promise<void> {
    pageReads.delete(key);
    await this.kv.delete(key);
  }

  // ------------------------------------------------------------------ the seed's customer_id

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

  // ------------------------------------------------------------------ visitor bindings

  /** The customer bound to this visitor, if any (for pages: may be up to 2 s old). */
  getVisitorCustomer(visitorId: string): Promise<string | null> {
    const key = KV_KEYS.visitor(visitorId);
    return this.pageRead(key, () => this.kv.get(key));
  }

  /** Binds a visitor to a customer (and indexes it under the customer). No write when already bound so. */
  async bindVisitor(visitorId: string, customerId: string): Promise<'bound' | 'unchanged'> {
    const current = await this.kv.get(KV_KEYS.visitor(visitorId));
    if (current === customerId) return 'unchanged';
    await this.kv.put(KV_KEYS.customerVisitor(customerId, visitorId), '');
    await this.write(KV_KEYS.visitor(visitorId), customerId);
    if (current) await this.kv.delete(KV_KEYS.customerVisitor(current, visitorId));
    return 'bound';
  }

  /** Forgets a customer deleted in Stripe: its subscription record and every browser bound to it. */
  async dropCustomer(customerId: string): Promise<number> {
    let unbound = 0;
    let cursor: string | undefined;
    do {
      const page: KVNamespaceListResult<unknown> = await this.kv.list({
        prefix: KV_KEYS.customerVisitors(customerId),
        cursor,
      });
      for (const key of page.keys) {
        const visitorId = key.name.slice(KV_KEYS.customerVisitors(customerId).length);
        if ((await this.kv.get(KV_KEYS.visitor(visitorId))) === customerId)
          await this.remove(KV_KEYS.visitor(visitorId));
        await this.kv.delete(key.name);
        unbound += 1;
      }
      cursor = page.list_complete ? undefined : page.cursor;
    } while (cursor);
    await this.remove(KV_KEYS.subscription(customerId));
    return unbound;
  }

  // ------------------------------------------------------------------ declared e-mails and pending checkouts

  getDeclaredEmail(visitorId: string): Promise<string | null> {
    return this.kv.get(KV_KEYS.declaredEmail(visitorId));
  }

  async declareEmail(visitorId: string, email: string): Promise<void> {
    if ((await this.getDeclaredEmail(visitorId)) === email) return;
    await this.kv.put(KV_KEYS.declaredEmail(visitorId), email, { expirationTtl: DECLARED_EMAIL_TTL_SECONDS });
  }

  getPendingCheckout(sessionId: string): Promise<PendingCheckout | null> {
    return this.kv.get<PendingCheckout>(KV_KEYS.pendingCheckout(sessionId), 'json');
  }

  async putPendingCheckout(sessionId: string, pending: PendingCheckout): Promise<void> {
    await this.kv.put(KV_KEYS.pendingCheckout(sessionId), JSON.stringify(pending), {
      expirationTtl: PENDING_CHECKOUT_TTL_SECONDS,
    });
  }

  // ------------------------------------------------------------------ subscription records

  /** One customer's subscription record (for pages: may be up to 2 s old). */
  getSubscription(customerId: string): Promise<SubscriptionRecord | null> {
    const key = KV_KEYS.subscription(customerId);
    return this.pageRead(key, () => this.kv.get<SubscriptionRecord>(key, 'json'));
  }

  /**
   * Stores a freshly read record unless the stored one comes from a later read of Stripe (a
   * slower concurrent sync must not roll it back) or says the same thing (saves KV's one write
   * per second per key for the burst of events one checkout sends).
   */
  async putSubscription(record: SubscriptionRecord): Promise<'written' | 'unchanged' | 'stale'> {
    const current = await this.kv.get<SubscriptionRecord>(KV_KEYS.subscription(record.customerId), 'json');
    if (current && current.readAt > record.readAt) return 'stale';
    if (current && sameState(current, record)) return 'unchanged';
    await this.write(KV_KEYS.subscription(record.customerId), JSON.stringify(record));
    return 'written';
  }

  // ------------------------------------------------------------------ webhook events

  async isEventProcessed(eventId: string): Promise<boolean> {
    return (await this.kv.get(KV_KEYS.processedEvent(eventId))) !== null;
  }

  async markEventProcessed(eventId: string): Promise<void> {
    await this.kv.put(KV_KEYS.processedEvent(eventId), '1', { expirationTtl: PROCESSED_EVENT_TTL_SECONDS });
  }

  /**
   * Runs `work` for an event unless it was already processed, then marks it, only after the work
   * succeeded, so a failed attempt is redone on Stripe's retry. Two copies arriving at once may
   * both run: the work is idempotent.
   */
  async applyOnce(eventId: string, work: () => Promise<unknown>): Promise<'processed' | 'duplicate'> {
    if (await this.isEventProcessed(eventId)) return 'duplicate';
    await work();
    await this.markEventProcessed(eventId);
    return 'processed';
  }

  // ------------------------------------------------------------------ JSON values (catalog cache)

  getJson<T>(key: string): Promise<T | null> {
    return this.kv.get<T>(key, 'json');
  }

  async putJson(key: string, value: unknown): Promise<void> {
    await this.kv.put(key, JSON.stringify(value));
  }
}

/** True when two records describe the same state (only the read time differs). */
function sameState(a: SubscriptionRecord, b: SubscriptionRecord): boolean {
  const { readAt: _a, ...restA } = a;
  const { readAt: _b, ...restB } = b;
  return JSON.stringify(restA) === JSON.stringify(restB);
}
