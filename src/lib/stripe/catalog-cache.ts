import type { Plan } from './catalog.ts';
import { describeError, type Logger } from '../log/log.ts';

/** Bumped whenever Plan's shape changes: a copy stored by an older deploy is not read. */
const CATALOG_SHAPE = 3;

/**
 * The KV key of the catalog of the Stripe account a key belongs to: `catalog:v3:` and a digest of the
 * key. Another key (a new account, test or live mode, a demo emulator started afresh) reads a copy of its
 * own, so a copy never outlives the account its price ids came from; the key itself is never stored.
 */
async function catalogKey(apiKey: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`catalog-scope:${apiKey}`));
  const hex = [...new Uint8Array(digest).slice(0, 8)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `catalog:v${CATALOG_SHAPE}:${hex}`;
}

/** What KV holds under catalogKey. */
interface CachedCatalog {
  shape: typeof CATALOG_SHAPE;
  plans: Plan[];
  /** Epoch ms when Stripe was asked. */
  fetchedAt: number;
}

interface CatalogCacheDeps {
  kv: KVNamespace;
  /** STRIPE_API_KEY: the account whose catalog this is (only a digest of it reaches KV). */
  apiKey: string;
  fetchPlans: () => Promise<Plan[]>;
  /** Staleness bound; 0 disables caching (Stripe on every call). */
  ttlSeconds: number;
  /** Lets a background refresh outlive the response (ctx.waitUntil). */
  waitUntil: (promise: Promise<unknown>) => void;
  log: Logger;
  /** Called after a refresh stored a new copy: pages rendered from the old one are purged. */
  onRefreshed?: () => Promise<void>;
  now?: () => number;
}

/** How long an isolate trusts its in-memory copy before re-reading KV (another isolate may have refreshed it). */
export const MEMORY_TTL_MS = 5_000;
/** A background refresh older than this is presumed cancelled with its request, so a new one may start. */
const REFRESH_GIVE_UP_MS = 30_000;

// Per isolate, plain data only (workerd does not let one request await another request's promise).
let memory: { key: string; catalog: CachedCatalog; readAt: number } | undefined;
/** When this isolate's background refresh started, and whether a change arrived since. */
let background: { startedAt: number; again: boolean } | undefined;

/**
 * The plan catalog, served from isolate memory, then KV, then Stripe. An expired copy is still
 * served while a background refresh runs; if that refresh fails, the stale copy stays.
 */
export class CatalogCache {
  private readonly deps: CatalogCacheDeps;
  private readonly now: () => number;
  private key: string | undefined;

  constructor(deps: CatalogCacheDeps) {
    this.deps = deps;
    this.now = deps.now ?? Date.now;
  }

  async get(): Promise<Plan[]> {
    if (this.deps.ttlSeconds === 0) return this.deps.fetchPlans();

    const now = this.now();
    const key = (this.key ??= await catalogKey(this.deps.apiKey));
    if (memory?.key === key && now - memory.readAt < MEMORY_TTL_MS && this.isFresh(memory.catalog, now))
      return memory.catalog.plans;

    const stored = await this.deps.kv.get<CachedCatalog>(key, 'json');
    if (stored?.shape === CATALOG_SHAPE && Array.isArray(stored.plans)) {
      memory = { key, catalog: stored, readAt: now };
      if (!this.isFresh(stored, now)) this.refreshInBackground();
      return stored.plans;
    }
    return this.refresh();
  }

  /** Asks Stripe and stores the answer. */
  async refresh(): Promise<Plan[]> {
    const started = this.now();
    try {
      const plans = await this.deps.fetchPlans();
      const catalog: CachedCatalog = { shape: CATALOG_SHAPE, plans, fetchedAt: this.now() };
      const key = (this.key ??= await catalogKey(this.deps.apiKey));
      await this.deps.kv.put(key, JSON.stringify(catalog));
      memory = { key, catalog, readAt: this.now() };
      this.deps.log.info({ msg: 'catalog refreshed', plans: plans.length, ms: this.now() - started });
      await this.deps.onRefreshed?.().catch((error: unknown) => {
        this.deps.log.error({ msg: 'storefront purge failed', error: describeError(error) });
      });
      return plans;
    } catch (error) {
      this.deps.log.error({ msg: 'catalog refresh failed', error: describeError(error) });
      throw error;
    }
  }

  /**
   * Stripe announced a catalog change: this isolate stops trusting its copy and a refresh runs
   * after the response (the webhook answers at once). Other isolates see the new copy in KV
   * within MEMORY_TTL_MS. Changes arriving during a refresh coalesce into one more refresh.
   */
  changed(): void {
    memory = undefined;
    this.refreshInBackground();
  }

  private refreshInBackground(): void {
    const now = this.now();
    if (background && now - background.startedAt < REFRESH_GIVE_UP_MS) {
      background.again = true;
      return;
    }
    const run = { startedAt: now, again: false };
    background = run;
    const loop = async () => {
      try {
        do {
          run.again = false;
          await this.refresh();
        } while (run.again);
      } catch {
        // logged by refresh(); the stale copy keeps being served and its TTL bounds the staleness
      } finally {
        if (background === run) background = undefined;
      }
    };
    this.deps.waitUntil(loop());
  }

  private isFresh(catalog: CachedCatalog, now: number): boolean {
    return now - catalog.fetchedAt < this.deps.ttlSeconds * 1000;
  }
}
