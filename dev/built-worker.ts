/**
 * Serves the BUILT site (dist/) in workerd through Miniflare, the engine under `wrangler dev`,
 * without wrangler's dev proxy in front: under bursts of concurrent requests on a small machine
 * that proxy drops connections ("Error inside ProxyWorker: Network connection lost"), which would
 * make the tests, the benchmark and the demo flaky. Bindings and assets come from the build's own
 * wrangler.json, exactly as `wrangler dev` reads them.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Log, LogLevel, Miniflare, convertV4MiniflareOptions } from 'miniflare';
import { unstable_getMiniflareWorkerOptions } from 'wrangler';

const ROOT = resolve(import.meta.dirname, '..');
const BUILT_CONFIG = resolve(ROOT, 'dist/server/wrangler.json');

export interface BuiltWorkerOptions {
  /** Variables and secrets, as `.dev.vars` would give them. */
  vars: Record<string, string>;
  host?: string;
  /** 0 = any free port. */
  port?: number;
  /**
   * Where local KV and D1 live (like `wrangler dev --persist-to`); data goes under `<dir>/v3`. Its
   * D1 must be migrated first (applyLocalMigrations).
   */
  persistDir: string;
  /** Each line the worker logs (console.log etc.). Default: printed to stdout. */
  onLog?: (line: string) => void;
  /**
   * Replaces every `ratelimits` limit of wrangler.jsonc (requests per period), e.g. for the
   * benchmark or tests that send many requests from one address. Default: wrangler.jsonc's limits.
   */
  rateLimit?: number;
  /** Opens workerd's V8 inspector on this port (0 = any free one), for CPU profiles (bench/profile.ts). */
  inspectorPort?: number;
}

/** One e-mail Miniflare's send_email simulation captured. */
export interface SentEmail {
  messageId: string;
  from: string;
  to: string[];
  subject: string;
  sentAt: string;
  text?: string;
  html?: string;
}

const SENT_EMAILS_API = '/cdn-cgi/local/explorer/api/local/email/sending';

/** Reads the captured e-mails from a running worker's local explorer. */
export async function readSentEmails(workerUrl: string): Promise<SentEmail[]> {
  const response = await fetch(new URL(`${SENT_EMAILS_API}?per_page=100`, workerUrl));
  const list = await response.json<{ result: SentEmail[] }>();
  return Promise.all(
    list.result.map(async (email) => {
      const url = new URL(`${SENT_EMAILS_API}?email_id=${encodeURIComponent(email.messageId)}`, workerUrl);
      return (await (await fetch(url)).json<{ result: SentEmail }>()).result;
    }),
  );
}

export interface BuiltWorker {
  url: string;
  port: number;
  /** The worker's own KV namespace, readable and writable from Node (tests inspect it). */
  kv(binding?: string): Promise<KVNamespace>;
  /** The worker's own D1 database, from Node (tests inspect it). */
  db(binding?: string): Promise<D1Database>;
  /** Runs the worker's scheduled handler once, as a Cron Trigger would. */
  scheduled(): Promise<void>;
  /** The e-mails the worker's send_email binding captured (newest first), with their bodies. */
  sentEmails(): Promise<SentEmail[]>;
  /** The inspector's URL when started with `inspectorPort`. */
  inspectorUrl(): Promise<URL>;
  stop(): Promise<void>;
}

/** Starts workerd with the built worker and resolves when it listens. */
export async function startBuiltWorker(options: BuiltWorkerOptions): Promise<BuiltWorker> {
  if (!existsSync(BUILT_CONFIG)) throw new Error('dist/ is missing: run `npm run build` first');
  const { workerOptions, main } = unstable_getMiniflareWorkerOptions(BUILT_CONFIG);
  if (!main) throw new Error(`${BUILT_CONFIG} names no entry module`);
  const { modulesRules: _rules, ...bindingOptions } = workerOptions;
  const limit = options.rateLimit;
  if (limit !== undefined && bindingOptions.ratelimits) {
    for (const config of Object.values(bindingOptions.ratelimits)) config.simple.limit = limit;
  }
  // The build is already bundled (no_bundle): hand workerd every module, entry first.
  const serverDir = resolve(ROOT, 'dist/server');
  const others = readdirSync(serverDir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.mjs') && join(serverDir, file) !== main)
    .map((file) => ({ type: 'ESModule' as const, path: join(serverDir, file) }));
  const onLog = options.onLog ?? ((line: string) => console.log(line));
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      ...bindingOptions,
      name: 'storefront',
      modules: [{ type: 'ESModule', path: main }, ...others],
      modulesRoot: serverDir,
      bindings: { ...options.vars },
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 0,
      // Same layout as `wrangler dev --persist-to <dir>`, so `getPlatformProxy` can read it.
      resourcePersistencePath: resolve(options.persistDir, 'v3'),
      // No request.cf lookups: this machine may be offline.
      cf: false,
      // Miniflare's local explorer: the outbox (dev/outbox.ts) reads the e-mails the send_email
      // binding captured from /cdn-cgi/local/explorer/api/local/email/sending. Local only.
      unsafeLocalExplorer: true,
      logRequests: false,
      ...(options.inspectorPort !== undefined && { inspectorPort: options.inspectorPort }),
      log: new Log(LogLevel.WARN),
      handleStructuredLogs: ({ message }) => {
        for (const line of String(message).split('\n')) if (line) onLog(line);
      },
    }),
  );
  const url = await mf.ready;
  return {
    url: url.origin,
    port: Number(url.port),
    kv: (binding = 'WSDEMO') => mf.getKVNamespace(binding) as Promise<unknown> as Promise<KVNamespace>,
    sentEmails: () => readSentEmails(url.origin),
    db: (binding = 'DB') => mf.getD1Database(binding) as Promise<unknown> as Promise<D1Database>,
    async scheduled() {
      // The runtime object is workerd's Fetcher, whose scheduled() Miniflare's type leaves out.
      const worker = (await mf.getWorker()) as unknown as {
        scheduled(options: { cron: string }): Promise<{ outcome: string }>;
      };
      const result = await worker.scheduled({ cron: '17 * * * *' });
      if (result.outcome !== 'ok') throw new Error(`scheduled handler: ${result.outcome}`);
    },
    inspectorUrl: () => mf.getInspectorURL(),
    stop: () => mf.dispose(),
  };
}

/**
 * Applies migrations/ to the local D1 under `persistDir` with wrangler itself
 * (`wrangler d1 migrations apply DB --local --persist-to <dir>`), as `npm start`, the tests and CI
 * do before serving. Only migrations not yet applied run.
 */
export function applyLocalMigrations(persistDir: string): void {
  const result = spawnSync(
    process.execPath,
    [
      resolve(ROOT, 'node_modules/wrangler/bin/wrangler.js'),
      'd1',
      'migrations',
      'apply',
      'DB',
      '--local',
      '--persist-to',
      persistDir,
      '-c',
      resolve(ROOT, 'wrangler.jsonc'),
    ],
    {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true' },
    },
  );
  if (result.status !== 0) throw new Error(`wrangler d1 migrations apply failed:\n${result.stdout}\n${result.stderr}`);
}

/**
 * Gives a NEW state directory a migrated local D1 quickly: migrations are applied by wrangler once
 * per set of migration files into a template (under node_modules/.cache), which is then copied.
 * Tests and the benchmark start many fresh stacks; wrangler takes seconds each time.
 */
export function prepareFreshState(persistDir: string): void {
  const migrationsDir = resolve(ROOT, 'migrations');
  const hash = createHash('sha256');
  for (const file of readdirSync(migrationsDir).sort())
    hash.update(file).update(readFileSync(join(migrationsDir, file)));
  const cacheRoot = resolve(ROOT, 'node_modules/.cache/storefront-state');
  const template = join(cacheRoot, hash.digest('hex').slice(0, 16));
  if (!existsSync(template)) {
    mkdirSync(cacheRoot, { recursive: true });
    const building = mkdtempSync(join(cacheRoot, 'building-'));
    applyLocalMigrations(building);
    try {
      renameSync(building, template);
    } catch {
      // Another process made the same template first: use theirs.
      rmSync(building, { recursive: true, force: true });
    }
  }
  cpSync(template, persistDir, { recursive: true });
}
