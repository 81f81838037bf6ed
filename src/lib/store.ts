import { KeyedLock } from './keyed-lock';

/** Every key this site writes to the WSDEMO namespace (documented in the README). */
export const KV_KEYS = {
  /** The seed's contract: id of the most recently created customer. */
  sharedCustomer: 'customer_id',
  /** Customer id bound to one browser's visitor id. */
  visitor: (visitorId: string) => `visitor:${visitorId}`,
  /** Marker of a processed webhook event, kept for PROCESSED_EVENT_TTL_SECONDS. */
  processedEvent: (eventId: string) => `event:${eventId}`,
  /** The native plan catalog cache. */
  catalog: 'catalog:v1',
} as const;

/** Stripe retries for up to 3 days; markers live 7 so every retry still finds one. */
export const PROCESSED_EVENT_TTL_SECONDS = 7 * 24 * 60 * 60;

/** Metadata kept beside ordered values: the Stripe `created` time of the event that wrote them. */
interface OrderedMetadata {
  created: number;
}

export type OrderedWriteOutcome = 'written' | 'unchanged' | 'stale';

// One lock for every write path to a key (webhooks and /thanks), per isolate.
const keyLock = new KeyedLock();

/**
 * The site's state in KV. Takes the namespace as an argument so it can be tested alone.
 * Errors from KV are not caught here: callers answer 5xx so Stripe retries.
 */
export class Store {
  constructor(private readonly kv: KVNamespace) {}

  /** The seed's shared customer id, if any. */
  getSharedCustomer(): Promise<string | null> {
    return this.kv.get(KV_KEYS.sharedCustomer);
  }

  /** The customer bound to this visitor, if any. */
  getVisitorCustomer(visitorId: string): Promise<string | null> {
    return this.kv.get(KV_KEYS.visitor(visitorId));
  }

  /** Binds a visitor to a customer unless a newer confirmation already bound it elsewhere. */
  bindVisitor(visitorId: string, customerId: string, created: number): Promise<OrderedWriteOutcome> {
    return this.putIfNewer(KV_KEYS.visitor(visitorId), customerId, created);
  }

  /**
   * Runs `work` for an event unless it was already processed, then marks it (only after the
   * work succeeded). Redeliveries of one event are serialised in this isolate.
   */
  applyOnce(eventId: string, work: () => Promise<unknown>): Promise<'processed' | 'duplicate'> {
    return keyLock.run(KV_KEYS.processedEvent(eventId), async () => {
      if (await this.isEventProcessed(eventId)) return 'duplicate';
      await work();
      await this.markEventProcessed(eventId);
      return 'processed';
    });
  }

  async isEventProcessed(eventId: string): Promise<boolean> {
    return (await this.kv.get(KV_KEYS.processedEvent(eventId))) !== null;
  }

  async markEventProcessed(eventId: string): Promise<void> {
    await this.kv.put(KV_KEYS.processedEvent(eventId), '1', { expirationTtl: PROCESSED_EVENT_TTL_SECONDS });
  }

  async getJson<T>(key: string): Promise<T | null> {
    return this.kv.get<T>(key, 'json');
  }

  async putJson(key: string, value: unknown): Promise<void> {
    await this.kv.put(key, JSON.stringify(value));
  }

  /**
   * Applies a webhook event whose whole effect is one ordered write: reads the event's marker and
   * the key in ONE KV call, writes the value unless a newer event already did, then marks the
   * event processed (only after the write, so a failure leaves no marker and the retry redoes it).
   * Serialised per key in this isolate, which also serialises redeliveries of the same event.
   */
  applyOrderedEvent(eventId: string, key: string, value: string, created: number): Promise<OrderedWriteOutcome | 'duplicate'> {
    return keyLock.run(key, async () => {
      const markerKey = KV_KEYS.processedEvent(eventId);
      const both = await this.kv.getWithMetadata<OrderedMetadata>([markerKey, key]);
      if (both.get(markerKey)) return 'duplicate';
      const outcome = await this.writeIfNewer(key, value, created, both.get(key) ?? null);
      await this.markEventProcessed(eventId);
      return outcome;
    });
  }

  /** Last-writer-wins by Stripe `created` time, not by arrival time: events arrive in any order. */
  private putIfNewer(key: string, value: string, created: number): Promise<OrderedWriteOutcome> {
    return keyLock.run(key, async () => this.writeIfNewer(key, value, created, await this.kv.getWithMetadata<OrderedMetadata>(key)));
  }

  private async writeIfNewer(
    key: string,
    value: string,
    created: number,
    current: { value: string | null; metadata: OrderedMetadata | null } | null,
  ): Promise<OrderedWriteOutcome> {
    if (current && current.value !== null) {
      const currentCreated = current.metadata?.created ?? 0;
      if (currentCreated > created) return 'stale';
      if (currentCreated === created && current.value === value) return 'unchanged';
    }
    await this.kv.put(key, value, { metadata: { created } satisfies OrderedMetadata });
    return 'written';
  }
}
