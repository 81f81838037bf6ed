/**
 * KV `customer_id`: the seed's contract (the workshop's shared My Page), the id of the most
 * recently created customer, with that customer's Stripe `created` time so an older one never
 * replaces it. Read often and written rarely, so KV rather than D1.
 */
const SHARED_CUSTOMER_KEY = 'customer_id';

interface SharedCustomerMetadata {
  created: number;
}

export class SharedCustomer {
  private readonly kv: KVNamespace;

  constructor(kv: KVNamespace) {
    this.kv = kv;
  }

  get(): Promise<string | null> {
    return this.kv.get(SHARED_CUSTOMER_KEY);
  }

  /** Stores the newest customer unless a newer one is already stored; no write when unchanged. */
  async set(customerId: string, created: number): Promise<void> {
    const current = await this.kv.getWithMetadata<SharedCustomerMetadata>(SHARED_CUSTOMER_KEY);
    if (current.value === customerId || (current.metadata?.created ?? 0) > created) return;
    await this.kv.put(SHARED_CUSTOMER_KEY, customerId, { metadata: { created } satisfies SharedCustomerMetadata });
  }

  /** Forgets `customerId` if it is the one stored (it was deleted in Stripe). */
  async clear(customerId: string): Promise<void> {
    if ((await this.kv.get(SHARED_CUSTOMER_KEY)) === customerId) await this.kv.delete(SHARED_CUSTOMER_KEY);
  }
}
