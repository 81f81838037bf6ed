/**
 * The system under test, in one place: the Stripe emulator (the only fake) on loopback, the BUILT
 * site (dist/) in real workerd pointed at it through STRIPE_API_BASE with webhooks wired both ways,
 * and two views of the site's own state for tests: `inspect` (what the site stored) and `arrange`
 * (state put in place before a test acts).
 *
 * Only `inspect` and `arrange` know where the site keeps a thing (D1 for what must be right, the
 * WSDEMO KV namespace for the seed's `customer_id` and the catalog cache). Test bodies ask for
 * "the record of this customer" or "the customer this browser is bound to", never for a key or a
 * table, so the storage can move without touching them.
 *
 * - `useStack(vars, options)`: Vitest hooks starting a stack before the tests of a file or describe
 *   block and stopping it afterwards.
 * - `startStack(vars, options)`: the same, by hand (Playwright fixtures, scripts, tests that need a
 *   stack of their own).
 * - `startWorker(options)`: the built site alone, without the emulator (setup notices, embeds).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { prepareFreshState, startBuiltWorker, type SentEmail } from '../../dev/built-worker.ts';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../dev/stripe-emulator/server.ts';
import type { SiteVariables } from '../../src/lib/config/read.ts';
import type { Shipment } from '../../src/lib/shipments/shipment.ts';
import type { ShippedMark } from '../../src/lib/shipments/shipments.ts';
import type { SubscriptionRecord } from '../../src/lib/subscriptions/record.ts';
import type { BindingVia } from '../../src/lib/visitor/bindings.ts';
import { visitorReference as referenceOf } from '../../src/lib/visitor/cookie.ts';
import { buildOwnerTables } from '../../src/owner-tables.ts';
import { buildTables } from '../../src/tables.ts';
import { fakeStripeSecret } from './fake-secrets.ts';
import { storedState } from './storage.ts';

/** The key the stacks' emulators accept (and the site is given): made up per test process, known to the leak guard. */
export const TEST_API_KEY = fakeStripeSecret('rk_test');
export const TEST_WEBHOOK_SECRET = fakeStripeSecret('whsec');
export const TEST_PORTAL_LOGIN_URL = 'https://billing.stripe.com/p/login/test_integration';
/** SIGN_IN_EMAIL_FROM for stacks that test sign-in links (off by default, as in a shop without a sender). */
export const TEST_SIGN_IN_FROM = 'shop@hanamame.example';
/** Every test client talks from 127.0.0.1: tests that do not test throttling lift the limits. */
const UNTHROTTLED = 1_000_000;

// ------------------------------------------------------------------ the built site in workerd

export type WorkerVars = SiteVariables;

export interface RunningWorker {
  url: string;
  /** Every line the worker logged (the site's JSON log lines among them). */
  logs: string[];
  /** The site's structured log lines, parsed. */
  jsonLogs(): Array<Record<string, unknown>>;
  /** Local state directory (like `wrangler dev --persist-to`). */
  persistDir: string;
  /** The worker's KV namespace WSDEMO, from the test process (for `inspect` and `arrange` only). */
  kv(): Promise<KVNamespace>;
  /** The worker's D1 database DB, from the test process (for `inspect` and `arrange` only). */
  db(): Promise<D1Database>;
  /** Runs the worker's scheduled handler once, as its Cron Trigger would. */
  scheduled(): Promise<void>;
  /** The e-mails the worker sent (captured locally). */
  sentEmails(): Promise<SentEmail[]>;
  stop(): Promise<void>;
}

export interface StartWorkerOptions {
  vars: WorkerVars;
  /** Reuse a state directory; default: a fresh one, removed on stop. */
  persistDir?: string;
  /** Overrides wrangler.jsonc's rate limits (see dev/built-worker.ts); undefined keeps them. */
  rateLimit?: number;
}

/**
 * Starts the built site (dev/built-worker.ts: Miniflare, as under `wrangler dev`) on a free port,
 * with a fresh local state directory and only the variables given (Miniflare never reads
 * .dev.vars, so a developer's keys never leak into a test), and resolves once it listens.
 */
export async function startWorker({ vars, persistDir, rateLimit }: StartWorkerOptions): Promise<RunningWorker> {
  const ownsPersistDir = !persistDir;
  const stateDir = persistDir ?? mkdtempSync(join(tmpdir(), 'storefront-state-'));
  if (ownsPersistDir) prepareFreshState(stateDir);
  const logs: string[] = [];
  const bindings = Object.fromEntries(
    Object.entries(vars).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  const worker = await startBuiltWorker({
    vars: bindings,
    persistDir: stateDir,
    rateLimit,
    onLog: (line) => logs.push(line),
  });
  return {
    url: worker.url,
    logs,
    persistDir: stateDir,
    kv: () => worker.kv(),
    db: () => worker.db(),
    scheduled: () => worker.scheduled(),
    sentEmails: () => worker.sentEmails(),
    jsonLogs: () =>
      logs.flatMap((line) => {
        const start = line.indexOf('{"level"');
        if (start < 0) return [];
        try {
          return [JSON.parse(line.slice(start)) as Record<string, unknown>];
        } catch {
          return [];
        }
      }),
    async stop() {
      await worker.stop();
      if (ownsPersistDir) rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

// ------------------------------------------------------------------ the site's state, for tests

/** Reads what the site stored. Every answer is what a fresh read of storage gives now. */
interface SiteInspector {
  /** The subscription record the site keeps for a customer (as last read from Stripe), or null. */
  record(customerId: string): Promise<SubscriptionRecord | null>;
  /**
   * The customer a browser is bound to, or null, by the browser's cookie value (the visitor
   * secret; storage knows only its reference). A missing cookie fails the test.
   */
  binding(visitorSecret: string | undefined): Promise<string | null>;
  /** The browsers bound to a customer, by the index that unbinds them when the customer is deleted. */
  visitorsOf(customerId: string): Promise<string[]>;
  /** The seed's `customer_id`: the newest customer (workshop mode's shared portal). */
  sharedCustomer(): Promise<string | null>;
  /** The marker of a processed webhook event, with when it expires (epoch seconds), or null. */
  processedEvent(eventId: string): Promise<{ expiresAt: number } | null>;
  /** The e-mails the site sent (the send_email binding's local capture), with their text. */
  outbox(): Promise<SentEmail[]>;
  /** How many webhook events were applied (each exactly once). */
  processedEventCount(): Promise<number>;
  /** Everything the site keeps (KV keys, D1 rows by table), for "nothing changed" and "left no trace" assertions. */
  snapshot(): Promise<Record<string, unknown[]>>;
  /** Every parcel the site recorded (to ship, shipped, called off), the oldest payment first. */
  shipments(): Promise<Shipment[]>;
}

/** Puts state in place before a test acts, as the site itself would have stored it. */
interface SiteArranger {
  /**
   * Binds a browser (by its cookie's secret) to a customer, as a purchase through the site does
   * (or, with `via: 'sign-in'`, as a sign-in link does).
   */
  bind(visitorSecret: string, customerId: string, proof?: { via: BindingVia; email: string | null }): Promise<void>;
  /** Removes a browser's binding, e.g. to leave no state behind for later tests. */
  unbind(visitorSecret: string): Promise<void>;
  /** Makes every sign-in link issued so far expire, as 15 minutes passing would. */
  expireSignInLinks(): Promise<void>;
  /** Sets the seed's `customer_id` directly, as an earlier deployment would have left it. */
  sharedCustomer(customerId: string): Promise<void>;
  /** Writes a KV key the way an earlier (KV-only) version of the site did. */
  legacyKv(key: string, value: string): Promise<void>;
  /** Replaces a customer's subscription record, e.g. to make it look read long ago. */
  record(record: SubscriptionRecord): Promise<void>;
  /** Records a parcel as a paid invoice would have. */
  shipment(shipment: Shipment): Promise<void>;
  /** Marks a parcel shipped as the owner's page would (without the notice). */
  shipped(mark: ShippedMark): Promise<void>;
}

function inspectorOn(kv: KVNamespace, db: D1Database, worker: RunningWorker): SiteInspector {
  // The site's tables on its own storage (their clock is the test's): the site's own reads, from the primary.
  const tables = buildTables(db, kv);
  const owner = buildOwnerTables(db, tables.viewerReads);
  return {
    record: (customerId) => tables.records.get(customerId),
    async binding(visitorSecret) {
      if (!visitorSecret) throw new Error('no visitor cookie: the browser has none');
      return tables.bindings.customerOf(await referenceOf(visitorSecret));
    },
    outbox: () => worker.sentEmails(),
    async visitorsOf(customerId) {
      const { results } = await db
        .prepare('SELECT visitor_ref FROM bindings WHERE customer_id = ? ORDER BY visitor_ref')
        .bind(customerId)
        .all<{ visitor_ref: string }>();
      return results.map((row) => row.visitor_ref);
    },
    sharedCustomer: () => tables.sharedCustomer.get(),
    async processedEvent(eventId) {
      const row = await db
        .prepare('SELECT expires_at FROM processed_events WHERE event_id = ? AND done = 1')
        .bind(eventId)
        .first<{ expires_at: number }>();
      return row ? { expiresAt: row.expires_at / 1000 } : null;
    },
    async processedEventCount() {
      const row = await db.prepare('SELECT count(*) AS n FROM processed_events WHERE done = 1').first<{ n: number }>();
      return row?.n ?? 0;
    },
    snapshot: () => storedState({ kv, db }),
    async shipments() {
      const all = [...(await owner.shipments.toShip()), ...(await owner.shipments.history())];
      return all.sort((a, b) => a.paidAtMs - b.paidAtMs);
    },
  };
}

function arrangerOn(kv: KVNamespace, db: D1Database): SiteArranger {
  const tables = buildTables(db, kv);
  const owner = buildOwnerTables(db, tables.viewerReads);
  return {
    async bind(visitorSecret, customerId, proof = { via: 'checkout', email: null }) {
      await tables.bindings.bind(await referenceOf(visitorSecret), customerId, proof);
    },
    async unbind(visitorSecret) {
      await db
        .prepare('DELETE FROM bindings WHERE visitor_ref = ?')
        .bind(await referenceOf(visitorSecret))
        .run();
    },
    async expireSignInLinks() {
      await db
        .prepare('UPDATE sign_in_tokens SET expires_at = ?')
        .bind(Date.now() - 1)
        .run();
    },
    // Without the `created` metadata the site adds: any newer customer replaces it.
    sharedCustomer: (customerId) => kv.put('customer_id', customerId),
    legacyKv: (key, value) => kv.put(key, value),
    async record(record) {
      await db.prepare('DELETE FROM subscriptions WHERE customer_id = ?').bind(record.customerId).run();
      await tables.records.put(record);
    },
    async shipment(shipment) {
      await owner.shipments.insert(shipment);
    },
    async shipped(mark) {
      await owner.shipments.markShipped([mark]);
    },
  };
}

// ------------------------------------------------------------------ emulator + site

export interface Stack {
  emulator: Emulator;
  worker: RunningWorker;
  url: string;
  inspect: SiteInspector;
  arrange: SiteArranger;
  close(): Promise<void>;
}

export interface StackOptions {
  persistDir?: string;
  /** Keep wrangler.jsonc's rate limits (10 per visitor, 60 per address a minute) instead of lifting them. */
  realRateLimits?: boolean;
  /** Extra emulator options (e.g. `publicUrl` for a custom Checkout domain). */
  emulator?: Partial<EmulatorOptions>;
}

/** Starts emulator + site. `vars` override the defaults (a complete native-catalog configuration). */
export async function startStack(vars: WorkerVars = {}, options: StackOptions = {}): Promise<Stack> {
  const emulator = await startEmulator({
    log: false,
    retrySchedule: [50, 100, 200],
    apiKey: TEST_API_KEY,
    // The odd products the tests buy (USD, tiered, metered, a legacy Plan id) besides the catalog file's.
    testFixtures: true,
    ...options.emulator,
  });
  let worker: RunningWorker | undefined;
  try {
    worker = await startWorker({
      persistDir: options.persistDir,
      rateLimit: options.realRateLimits ? undefined : UNTHROTTLED,
      vars: {
        STRIPE_API_KEY: emulator.apiKey,
        STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
        STRIPE_API_BASE: emulator.url,
        PUBLIC_STRIPE_CUSTOMER_PORTAL_URL: TEST_PORTAL_LOGIN_URL,
        ...vars,
      },
    });
    emulator.setWebhook(`${worker.url}/webhook`, vars.STRIPE_WEBHOOK_SECRET ?? TEST_WEBHOOK_SECRET);
    const kv = await worker.kv();
    const db = await worker.db();
    const running = worker;
    return {
      emulator,
      worker,
      url: worker.url,
      inspect: inspectorOn(kv, db, running),
      arrange: arrangerOn(kv, db),
      async close() {
        await running.stop();
        await emulator.close();
      },
    };
  } catch (error) {
    await worker?.stop();
    await emulator.close();
    throw error;
  }
}

export interface StackContext {
  readonly stack: Stack;
  readonly inspect: SiteInspector;
  readonly arrange: SiteArranger;
}

/**
 * Registers Vitest hooks that start emulator + site before the tests of the current file or
 * describe block and stop them afterwards. Use the context inside tests and hooks only.
 */
export function useStack(vars: WorkerVars = {}, options: StackOptions = {}): StackContext {
  let stack: Stack | undefined;
  beforeAll(async () => {
    stack = await startStack(vars, options);
  });
  afterAll(async () => {
    await stack?.close();
  });
  const started = () => {
    if (!stack) throw new Error('the stack is not started yet (use it inside a test or hook)');
    return stack;
  };
  return {
    get stack() {
      return started();
    },
    get inspect() {
      return started().inspect;
    },
    get arrange() {
      return started().arrange;
    },
  };
}
