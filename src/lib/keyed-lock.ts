/**
 * Runs tasks one at a time per key inside this isolate. KV has no compare-and-set, so concurrent
 * read-compare-write sequences on one key are serialised here; across isolates KV stays
 * last-writer-wins (see the README, "Webhook delivery guarantees").
 *
 * Waiters poll instead of awaiting the holder's promise: workerd cancels a request that waits on
 * a promise owned by another request ("the Worker's code had hung"). A holder whose request was
 * cancelled mid-task never releases, so a lock older than the lease is taken over.
 */
export class KeyedLock {
  private readonly held = new Map<string, { since: number; token: number }>();
  private nextToken = 0;

  constructor(
    private readonly leaseMs = 10_000,
    private readonly pollMs = 2,
  ) {}

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    for (;;) {
      const holder = this.held.get(key);
      if (!holder || Date.now() - holder.since > this.leaseMs) break;
      await new Promise((resolve) => setTimeout(resolve, this.pollMs));
    }
    const token = ++this.nextToken;
    this.held.set(key, { since: Date.now(), token });
    try {
      return await task();
    } finally {
      if (this.held.get(key)?.token === token) this.held.delete(key);
    }
  }
}
