/**
 * Runs the BUILT site (dist/) in real workerd (dev/built-worker.ts: Miniflare, as under
 * `wrangler dev`) on a free port, with a fresh local KV directory and only the variables given
 * (Miniflare never reads .dev.vars, so a developer's keys never leak into a test).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBuiltWorker } from '../../dev/built-worker.ts';
import type { SiteVariables } from '../../src/lib/config.ts';

export type WorkerVars = SiteVariables;

export interface RunningWorker {
  url: string;
  /** Every line the worker logged (the site's JSON log lines among them). */
  logs: string[];
  /** The site's structured log lines, parsed. */
  jsonLogs(): Array<Record<string, unknown>>;
  /** Local state directory (like `wrangler dev --persist-to`). */
  persistDir: string;
  /** The worker's KV namespace WSDEMO, from the test process. */
  kv(): Promise<KVNamespace>;
  stop(): Promise<void>;
}

export interface StartWorkerOptions {
  vars: WorkerVars;
  /** Reuse a state directory; default: a fresh one, removed on stop. */
  persistDir?: string;
  /** Overrides wrangler.toml's rate limits (see dev/built-worker.ts); undefined keeps them. */
  rateLimit?: number;
}

/** Starts the built worker and resolves once it listens. */
export async function startWorker({ vars, persistDir, rateLimit }: StartWorkerOptions): Promise<RunningWorker> {
  const ownsPersistDir = !persistDir;
  const stateDir = persistDir ?? mkdtempSync(join(tmpdir(), 'storefront-kv-'));
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
