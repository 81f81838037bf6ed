/**
 * Serves the BUILT site (dist/) in workerd through Miniflare, the engine under `wrangler dev`,
 * without wrangler's dev proxy in front: under bursts of concurrent requests on a small machine
 * that proxy drops connections ("Error inside ProxyWorker: Network connection lost"), which would
 * make the tests, the benchmark and the demo flaky. Bindings and assets come from the build's own
 * wrangler.json, exactly as `wrangler dev` reads them.
 */
import { existsSync, readdirSync } from 'node:fs';
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
  /** Where local KV lives (like `wrangler dev --persist-to`); KV data goes under `<dir>/v3`. */
  persistDir: string;
  /** Each line the worker logs (console.log etc.). Default: printed to stdout. */
  onLog?: (line: string) => void;
  /**
   * Replaces every `[[ratelimits]]` limit of wrangler.toml (requests per period), e.g. for the
   * benchmark or tests that send many requests from one address. Default: wrangler.toml's limits.
   */
  rateLimit?: number;
}

export interface BuiltWorker {
  url: string;
  port: number;
  /** The worker's own KV namespace, readable and writable from Node (tests inspect it). */
  kv(binding?: string): Promise<KVNamespace>;
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
      logRequests: false,
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
    stop: () => mf.dispose(),
  };
}
