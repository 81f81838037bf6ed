import type { Plan } from './catalog';
import { describeError, type Logger } from './log';
import { KV_KEYS, type Store } from './store';

/** What KV holds under KV_KEYS.catalog. */
export interface CachedCatalog {
  plans: Plan[];
  /** Epoch ms when Stripe was asked. */
  fetchedAt: number;
}

export type CatalogSource = 'memory' | 'kv' | 'stripe' | 'stale';

export interface CatalogResult {
  plans: Plan[];
  source: CatalogSource;
}

export interface CatalogCacheDeps {
  store: Store;
  fetchPlans: () => Promise<Plan[]>;
  /** Staleness bound; 0 disables caching (Stripe on every call). */
  ttlSeconds: number;
  /** Lets a background refresh outlive the response (ctx.waitUntil). */
  waitUntil: (promise: Promise<unknown>) => void;
  log: Logger;
  now?: () => number;
}

/** How long an isolate trusts its in-memory copy before re-reading KV (other isolates may have refreshed it). */
export const MEMORY_TTL_MS = 10_000;
/** A refresh older than this is presumed dead (its request was cancelled) and no longer waited for. */
const REFRESH_LEASE_MS = 30_000;
const POLL_MS = 5;

interface RefreshState {
  startedAt: number;
  done: boolean;
  ok: boolean;
}

// Per isolate, shared by requests as plain data only: workerd cancels a request that awaits a
// promise owned by another request, so waiters poll these flags instead.
let memory: { catalog: CachedCatalog; readAt: number } | undefined;
let current: RefreshState | undefined;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The plan catalog, served from isolate memory, then KV, then Stripe. An expired copy is still
 * served while one background refresh runs; if that refresh fails, the stale copy stays.
 */
export class CatalogCache {
  private readonly now: () => number;

  constructor(private readonly deps: CatalogCacheDeps) {
    this.now = deps.now ?? Date.now;
  }

  async get(): Promise<CatalogResult> {
    if (this.deps.ttlSeconds === 0) return { plans: await this.deps.fetchPlans(), source: 'stripe' };

    const now = this.now();
    if (memory && now - memory.readAt < MEMORY_TTL_MS && this.isFresh(memory.catalog, now)) {
      return { plans: memory.catalog.plans, source: 'memory' };
    }

    const stored = await this.deps.store.getJson<CachedCatalog>(KV_KEYS.catalog);
    if (stored && Array.isArray(stored.plans)) {
      memory = { catalog: stored, readAt: now };
      if (this.isFresh(stored, now)) return { plans: stored.plans, source: 'kv' };
      if (!this.refreshRunning()) this.deps.waitUntil(this.refresh().catch(() => undefined));
      return { plans: stored.plans, source: 'stale' };
    }

    return { plans: await this.refresh(), source: 'stripe' };
  }

  /**
   * Asks Stripe and stores the answer. A refresh already running in this isolate is joined
   * (waited for) instead of duplicated, if it started at or after `notBefore`.
   */
  async refresh(notBefore = 0): Promise<Plan[]> {
    for (;;) {
      const running = this.refreshRunning() ? current : undefined;
      if (!running) break;
      while (!running.done && this.now() - running.startedAt < REFRESH_LEASE_MS) await sleep(POLL_MS);
      if (running.startedAt >= notBefore && running.done && running.ok && memory) return memory.catalog.plans;
    }
    return this.fetchAndStore();
  }

  /**
   * Refresh for a change Stripe just announced: a refresh that started before the change may have
   * read the old catalog, so only one started now or later counts.
   */
  refreshAfterChange(): Promise<Plan[]> {
    return this.refresh(this.now());
  }

  private refreshRunning(): boolean {
    return current !== undefined && !current.done && this.now() - current.startedAt < REFRESH_LEASE_MS;
  }

  private async fetchAndStore(): Promise<Plan[]> {
    const state: RefreshState = { startedAt: this.now(), done: false, ok: false };
    current = state;
    try {
      const plans = await this.deps.fetchPlans();
      const catalog: CachedCatalog = { plans, fetchedAt: this.now() };
      await this.deps.store.putJson(KV_KEYS.catalog, catalog);
      memory = { catalog, readAt: this.now() };
      state.ok = true;
      this.deps.log.info({ msg: 'catalog refreshed', plans: plans.length, ms: this.now() - state.startedAt });
      return plans;
    } catch (error) {
      this.deps.log.error({ msg: 'catalog refresh failed', error: describeError(error) });
      throw error;
    } finally {
      state.done = true;
    }
  }

  private isFresh(catalog: CachedCatalog, now: number): boolean {
    return now - catalog.fetchedAt < this.deps.ttlSeconds * 1000;
  }
}
