/**
 * `npm run bench`: builds the site, serves it twice in workerd (catalog cached / uncached) against
 * the local Stripe emulator with artificial API latency, loads five targets with autocannon (in a
 * separate process, bench/load.ts), measures sizes and Lighthouse scores, prints a table and
 * writes bench/results.md. Missed goals are reported, never fatal; only a real failure (the site
 * does not start, a load run crashes) exits non-zero. Ctrl-C stops everything it started.
 *
 * Options: --no-build --no-lighthouse --latency MS (or BENCH_LATENCY_MS) --connections N
 *          --duration S --warmup S
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Emulator } from '../dev/stripe-emulator/server.ts';
import { signedCheckoutCompleted } from './events.ts';
import { runLighthouse, type LighthouseOutcome } from './lighthouse.ts';
import type { LoadArgs, LoadResult } from './protocol.ts';
import { consoleReport, markdownReport, type BenchReport, type TargetId, type TargetRow } from './report.ts';
import { bundleSize, pageWeight, treeFingerprint } from './weight.ts';

const ROOT = resolve(import.meta.dirname, '..');
const RESULTS_FILE = join(ROOT, 'bench/results.md');
const CHROME_PATH = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const STARTUP_TIMEOUT_MS = 60_000;

interface Options {
  build: boolean;
  lighthouse: boolean;
  latencyMs: number;
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
}

const USAGE = `Usage: npm run bench -- [options]
  --no-build          use the existing dist/ instead of running astro build
  --no-lighthouse     skip the Lighthouse audit
  --latency MS        Stripe emulator latency per API call (default 150, or BENCH_LATENCY_MS)
  --connections N     concurrent connections per target (default 32)
  --duration S        measured seconds per target (default 10)
  --warmup S          discarded warm-up seconds per target (default 2; 0 = none)`;

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      'no-build': { type: 'boolean', default: false },
      'no-lighthouse': { type: 'boolean', default: false },
      latency: { type: 'string' },
      connections: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const number = (name: string, raw: string | undefined, fallback: number, min: number): number => {
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be an integer ≥ ${min} (got "${raw}")`);
    return value;
  };
  return {
    build: !values['no-build'],
    lighthouse: !values['no-lighthouse'],
    latencyMs: number('latency', values.latency ?? process.env.BENCH_LATENCY_MS, 150, 0),
    connections: number('connections', values.connections, 32, 1),
    durationSeconds: number('duration', values.duration, 10, 1),
    warmupSeconds: number('warmup', values.warmup, 2, 0),
  };
}

// Everything started here, so both the normal end and Ctrl-C can stop it (last started, first stopped).
const cleanups: Array<() => Promise<void> | void> = [];
const children = new Set<ChildProcess>();
let stopping: Promise<void> | undefined;
let interrupted = false;

async function stopAll(): Promise<void> {
  // SIGINT lets Lighthouse close its Chromium; wait a little for each child to be gone.
  await Promise.all(
    [...children].map(
      (child) =>
        new Promise<void>((resolveExit) => {
          const timer = setTimeout(resolveExit, 5_000);
          child.once('close', () => {
            clearTimeout(timer);
            resolveExit();
          });
          child.kill('SIGINT');
        }),
    ),
  );
  while (cleanups.length > 0) {
    const cleanup = cleanups.pop();
    try {
      await cleanup?.();
    } catch (error) {
      console.error(`cleanup failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** Stops everything once (a second caller waits for the same stop), then exits. */
async function exit(code: number): Promise<never> {
  stopping ??= stopAll();
  await stopping;
  process.exit(code);
}

// Miniflare's own SIGINT/SIGTERM hook stops workerd and exits at once, before the async cleanup
// above can finish: whatever must not outlive this process is also undone here, synchronously.
const tempDirs = new Set<string>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGINT');
  for (const dir of tempDirs) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // workerd may still be writing as it dies; a leftover temp dir is harmless.
    }
  }
});

process.on('SIGINT', () => {
  interrupted = true;
  console.log('\nInterrupted: stopping…');
  void exit(130);
});
process.on('SIGTERM', () => {
  interrupted = true;
  void exit(143);
});

interface ChildOutput {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node <args>` to completion, collecting its output (and ending it on Ctrl-C). */
function runNode(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<ChildOutput> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', (error) => {
      children.delete(child);
      resolvePromise({ code: null, stdout, stderr: `${stderr}${error.message}` });
    });
    child.on('close', (code) => {
      children.delete(child);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

function tail(text: string, lines = 20): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

async function build(): Promise<number> {
  process.stdout.write('Building the site (astro build)… ');
  const started = performance.now();
  const result = await runNode([join(ROOT, 'node_modules/astro/bin/astro.mjs'), 'build'], { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' });
  if (result.code !== 0) {
    console.log('failed');
    throw new Error(`astro build exited with ${result.code}:\n${tail(result.stdout + result.stderr, 40)}`);
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`done in ${seconds.toFixed(1)} s`);
  return seconds;
}

/** Every variable the site reads (from .dev.vars.example), empty unless given, so no local .dev.vars leaks in. */
function siteVariables(given: Record<string, string>): Record<string, string> {
  const names = [...readFileSync(join(ROOT, '.dev.vars.example'), 'utf8').matchAll(/^([A-Z0-9_]+)=/gm)].map((match) => match[1] ?? '');
  return { ...Object.fromEntries(names.filter(Boolean).map((name) => [name, ''])), ...given };
}

interface Site {
  name: string;
  url: string;
  /** startBuiltWorker called → first 200 on GET /. */
  startupMs: number;
  /** The worker's most recent log lines, for error messages. */
  recentLogs: string[];
  /** Log lines at level error since start. */
  errorLogCount: () => number;
}

async function waitForOk(url: string, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let last = 'no answer';
  while (performance.now() < deadline) {
    try {
      const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(10_000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
      last = `status ${response.status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolveSleep) => setTimeout(resolveSleep, 25));
  }
  throw new Error(`${url} gave no 200 within ${timeoutMs / 1000} s (last: ${last})`);
}

async function startSite(name: string, vars: Record<string, string>): Promise<Site> {
  const { startBuiltWorker } = await import('../dev/built-worker.ts');
  const persistDir = mkdtempSync(join(tmpdir(), `bench-${name}-`));
  tempDirs.add(persistDir);
  cleanups.push(() => {
    rmSync(persistDir, { recursive: true, force: true });
    tempDirs.delete(persistDir);
  });
  const recentLogs: string[] = [];
  let errorLogs = 0;
  const onLog = (line: string) => {
    if (line.includes('"level":"error"')) errorLogs += 1;
    recentLogs.push(line);
    if (recentLogs.length > 30) recentLogs.shift();
  };
  const started = performance.now();
  const worker = await startBuiltWorker({ vars: siteVariables(vars), persistDir, onLog });
  cleanups.push(() => worker.stop());
  try {
    await waitForOk(`${worker.url}/`, STARTUP_TIMEOUT_MS);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`the ${name} site did not start: ${message}\n${recentLogs.join('\n')}`, { cause: error });
  }
  const startupMs = performance.now() - started;
  console.log(`Site "${name}" at ${worker.url} (first 200 after ${startupMs.toFixed(0)} ms)`);
  return { name, url: worker.url, startupMs, recentLogs, errorLogCount: () => errorLogs };
}

/** Binds a fresh visitor to a new emulator customer through a signed webhook, and checks /mypage redirects. */
async function bindVisitor(site: Site, emulator: Emulator, secret: string): Promise<{ cookie: string; customerId: string }> {
  const customer = emulator.addCustomer({ email: 'bench@example.com', name: 'Bench Visitor' });
  const visitorId = randomBytes(18).toString('base64url');
  const delivery = signedCheckoutCompleted({ eventId: `evt_benchseed${randomBytes(8).toString('hex')}`, visitorId, customerId: customer.id }, secret);
  const hook = await fetch(`${site.url}/webhook`, { method: 'POST', headers: delivery.headers, body: delivery.body });
  if (hook.status !== 200) throw new Error(`binding webhook answered ${hook.status}: ${await hook.text()}`);
  const cookie = `visitor_id=${visitorId}`;
  const mypage = await fetch(`${site.url}/mypage`, { headers: { cookie }, redirect: 'manual' });
  await mypage.arrayBuffer();
  if (mypage.status !== 303) throw new Error(`GET /mypage for the bound visitor answered ${mypage.status}, not 303`);
  return { cookie, customerId: customer.id };
}

async function load(args: LoadArgs): Promise<LoadResult> {
  const output = await runNode([join(ROOT, 'bench/load.ts'), JSON.stringify(args)]);
  if (interrupted) throw new Error('interrupted');
  const line = output.stdout.trim().split('\n').pop() ?? '';
  if (output.code !== 0 || !line.startsWith('{')) {
    throw new Error(`load run "${args.title}" failed (exit ${output.code}):\n${tail(output.stderr || output.stdout)}`);
  }
  return JSON.parse(line) as LoadResult;
}

interface Target {
  id: TargetId;
  label: string;
  site: Site;
  args: Omit<LoadArgs, 'title' | 'url' | 'connections' | 'duration'>;
}

const sleep = (ms: number) => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));

async function measure(target: Target, options: Options, emulator: Emulator): Promise<TargetRow> {
  const base = { ...target.args, url: target.site.url, connections: options.connections };
  process.stdout.write(`${target.label}: `);
  if (options.warmupSeconds > 0) {
    process.stdout.write(`warm-up ${options.warmupSeconds} s… `);
    await load({ ...base, title: `${target.label} (warm-up)`, duration: options.warmupSeconds });
    await sleep(500); // let requests still in flight in workerd finish before counting Stripe calls
  }
  emulator.reset();
  process.stdout.write(`measuring ${options.durationSeconds} s… `);
  const result = await load({ ...base, title: target.label, duration: options.durationSeconds });
  const stripeCalls = emulator.requests.length;
  emulator.reset();
  console.log(`${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms, ${result.errors} errors`);
  await sleep(500);
  return { id: target.id, label: target.label, result, stripeCallsPerRequest: result.sent > 0 ? stripeCalls / result.sent : 0 };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  console.log(
    `Bench: ${options.connections} connections, ${options.durationSeconds} s (+${options.warmupSeconds} s warm-up) per target, Stripe latency ${options.latencyMs} ms`,
  );
  const buildSeconds = options.build ? await build() : undefined;
  const distDir = join(ROOT, 'dist');
  const distBefore = treeFingerprint(distDir);

  const { startEmulator } = await import('../dev/stripe-emulator/server.ts');
  // No latency while starting and seeding: the startup time then measures the worker, not the fake Stripe.
  const emulator = await startEmulator({ log: false, latencyMs: 0 });
  cleanups.push(() => emulator.close());
  const webhookSecret = `whsec_${randomBytes(24).toString('hex')}`;
  const common = {
    STRIPE_API_KEY: `rk_test_${randomBytes(8).toString('hex')}`,
    STRIPE_WEBHOOK_SECRET: webhookSecret,
    STRIPE_API_BASE: emulator.url,
    DEMO_MODE: 'true',
  };
  // One after the other: starting both at once on a small machine would skew the startup time.
  const cached = await startSite('cached', common);
  const uncached = await startSite('uncached', { ...common, CATALOG_TTL_SECONDS: '0' });
  const visitor = await bindVisitor(cached, emulator, webhookSecret);
  const bundle = bundleSize(join(ROOT, 'dist/server'));
  const weight = await pageWeight(`${cached.url}/`);

  emulator.setLatency(options.latencyMs);
  emulator.reset();
  const targets: Target[] = [
    { id: 'static', label: 'static /favicon.svg', site: cached, args: { kind: 'get', path: '/favicon.svg', okStatus: [200] } },
    { id: 'cached', label: 'GET / (cached)', site: cached, args: { kind: 'get', path: '/', okStatus: [200] } },
    { id: 'uncached', label: 'GET / (uncached)', site: uncached, args: { kind: 'get', path: '/', okStatus: [200] } },
    {
      id: 'webhook',
      label: 'POST /webhook (signed)',
      site: cached,
      args: { kind: 'webhook', path: '/webhook', okStatus: [200], webhookSecret, customerId: visitor.customerId },
    },
    { id: 'mypage', label: 'GET /mypage (bound)', site: cached, args: { kind: 'get', path: '/mypage', okStatus: [303], headers: { cookie: visitor.cookie } } },
  ];
  const rows: TargetRow[] = [];
  for (const target of targets) rows.push(await measure(target, options, emulator));

  let lighthouse: LighthouseOutcome | 'skipped' = 'skipped';
  if (options.lighthouse) {
    process.stdout.write('Lighthouse (mobile) on / … ');
    lighthouse = await runLighthouse(`${cached.url}/`, {
      root: ROOT,
      chromePath: CHROME_PATH,
      onSpawn: (child) => {
        children.add(child);
        child.on('close', () => children.delete(child));
      },
    });
    console.log(lighthouse.ok ? 'done' : `failed: ${lighthouse.reason}`);
  }

  const warnings: string[] = [];
  // The site serves dist/ from disk: a build by anyone else during the run swaps files under it.
  if (treeFingerprint(distDir) !== distBefore) {
    warnings.push('dist/ changed during the run (another build?): assets may have failed mid-run; run the benchmark again on a quiet tree.');
  }
  const report: BenchReport = {
    date: new Date(),
    cores: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown CPU',
    nodeVersion: process.version,
    settings: {
      connections: options.connections,
      durationSeconds: options.durationSeconds,
      warmupSeconds: options.warmupSeconds,
      latencyMs: options.latencyMs,
    },
    ...(buildSeconds !== undefined && { buildSeconds }),
    rows,
    bundle,
    startupMs: cached.startupMs,
    weight,
    lighthouse,
    warnings,
  };
  console.log(consoleReport(report));
  for (const site of [cached, uncached]) {
    const count = site.errorLogCount();
    if (count > 0) console.log(`Note: the ${site.name} site logged ${count} error line(s); last lines:\n${site.recentLogs.slice(-5).join('\n')}`);
  }
  writeFileSync(RESULTS_FILE, markdownReport(report));
  console.log(`Wrote ${RESULTS_FILE}`);
}

try {
  await main();
  await exit(0);
} catch (error) {
  if (!interrupted) console.error(`\nBenchmark failed: ${error instanceof Error ? error.message : String(error)}`);
  await exit(interrupted ? 130 : 1);
}
