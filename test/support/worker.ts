/**
 * Runs the BUILT site (dist/) in real workerd (dev/built-worker.ts: Miniflare, as under
 * `wrangler dev`) on a free port, with a fresh local KV directory and only the variables given,
 * so a developer's .dev.vars never leaks into a test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBuiltWorker } from '../../dev/built-worker.ts';

/** Every variable the site reads. */
const ALL_VARIABLES = [
  'PUBLIC_STRIPE_PUBLISHABLE_API_KEY',
  'PUBLIC_STRIPE_PRICING_TABLE_ID',
  'PUBLIC_STRIPE_BUY_BUTTON_ID',
  'PUBLIC_STRIPE_CUSTOMER_PORTAL_URL',
  'STRIPE_API_KEY',
  'STRIPE_WEBHOOK_SECRET',
  'STRIPE_API_BASE',
  'MYPAGE_SHARED_CUSTOMER',
  'CATALOG_TTL_SECONDS',
  'DEMO_MODE',
  'TEST_FAULT_INJECTION',
] as const;

export type WorkerVars = Partial<Record<(typeof ALL_VARIABLES)[number], string>>;

export interface RunningWorker {
  url: string;
  /** Every line the worker logged (the site's JSON log lines among them). */
  logs: string[];
  /** The site's structured log lines, parsed. */
  jsonLogs(): Array<Record<string, unknown>>;
  /** Local state directory (like `wrangler dev --persist-to`); see kv-inspector.ts. */
  persistDir: string;
  stop(): Promise<void>;
}

export interface StartWorkerOptions {
  vars: WorkerVars;
  /** Reuse a state directory; default: a fresh one, removed on stop. */
  persistDir?: string;
}

/** Starts the built worker and resolves once it listens. */
export async function startWorker({ vars, persistDir }: StartWorkerOptions): Promise<RunningWorker> {
  const ownsPersistDir = !persistDir;
  const stateDir = persistDir ?? mkdtempSync(join(tmpdir(), 'storefront-kv-'));
  const logs: string[] = [];
  const bindings = Object.fromEntries(ALL_VARIABLES.map((name) => [name, vars[name] ?? '']));
  const worker = await startBuiltWorker({ vars: bindings, persistDir: stateDir, onLog: (line) => logs.push(line) });
  return {
    url: worker.url,
    logs,
    persistDir: stateDir,
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
