/**
 * `npm run bench`: builds the site, serves it twice in workerd (catalog cached / uncached) against
 * the local Stripe emulator with artificial API latency, makes one subscriber through the site's
 * own checkout, loads six targets with autocannon (in a separate process, bench/load.ts), floods
 * freshly started sites with forged webhooks while watching their memory (bench/memory.ts, also a
 * separate process), measures sizes and Lighthouse scores, builds an empty Astro app with the same
 * adapter and node_modules (bench/empty-app.ts) to compare upload and startup CPU with, prints a
 * table and writes bench/results.md. Missed goals are reported, never fatal; only a real failure (a
 * site does not start, the subscriber cannot be made, a load run crashes) exits non-zero. Ctrl-C
 * stops everything it started.
 *
 * Options: --no-build --no-lighthouse --no-memory --no-write --latency MS (or BENCH_LATENCY_MS)
 *          --connections N --duration S --warmup S --memory-rounds N
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Emulator } from '../dev/stripe-emulator/server.ts';
import { measureBundle, profileStartup, type BundleReport, type StartupRun } from '../scripts/check-budget.ts';
import { writeEmptyApp } from './empty-app.ts';
import { runLighthouse, type LighthouseOutcome } from './lighthouse.ts';
import type { LoadArgs, LoadResult } from './protocol.ts';
import {
  consoleReport,
  markdownReport,
  type BenchReport,
  type ColdResult,
  type EmptyAppResult,
  type MemoryOutcome,
  type MemoryResult,
  type MemoryRow,
  type Measured,
  type Outcome,
  type StartupBest,
  type TargetId,
  type TargetRow,
} from './report.ts';
import { bundleSize, pageWeight, treeFingerprint } from './weight.ts';

const ROOT = resolve(import.meta.dirname, '..');
const RESULTS_FILE = join(ROOT, 'bench/results.md');
const CHROME_PATH = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const STARTUP_TIMEOUT_MS = 60_000;
/**
 * Replaces every `ratelimits` limit (wrangler.jsonc: 10 a minute per visitor, 60 per address):
 * all the load comes from one address (127.0.0.1) and the cookie targets from one visitor, so the
 * real limits would turn nearly every request after the first seconds into a 429.
 */
const BENCH_RATE_LIMIT = 1_000_000_000;

interface Options {
  build: boolean;
  lighthouse: boolean;
  memory: boolean;
  write: boolean;
  latencyMs: number;
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  memoryRounds: number;
}

const USAGE = `Usage: npm run bench -- [options]
  --no-build          use the existing dist/ instead of running astro build
  --no-lighthouse     skip the Lighthouse audit
  --no-memory         skip the webhook-flood memory rows
  --no-write          print the report only; leave bench/results.md as it is (for short trial runs)
  --latency MS        Stripe emulator latency per API call (default 150, or BENCH_LATENCY_MS)
  --connections N     concurrent connections per target (default 32)
  --duration S        measured seconds per target (default 10)
  --warmup S          discarded warm-up seconds per target (default 2; 0 = none)
  --memory-rounds N   rounds of 60 forged deliveries per memory row (default 5)`;

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      'no-build': { type: 'boolean', default: false },
      'no-lighthouse': { type: 'boolean', default: false },
      'no-memory': { type: 'boolean', default: false },
      'no-write': { type: 'boolean', default: false },
      'memory-rounds': { type: 'string' },
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
    if (!Number.isInteger(value) || value < min)
      throw new Error(`--${name} must be an integer ≥ ${min} (got "${raw}")`);
    return value;
  };
  return {
    build: !values['no-build'],
    lighthouse: !values['no-lighthouse'],
    memory: !values['no-memory'],
    write: !values['no-write'],
    memoryRounds: number('memory-rounds', values['memory-rounds'], 5, 1),
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

/** Runs `node <args>` (in `cwd`) to completion, collecting its output (and ending it on Ctrl-C). */
function runNode(args: string[], env: NodeJS.ProcessEnv = process.env, cwd = ROOT): Promise<ChildOutput> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
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

/** `astro build` of the project in `cwd` (this site by default); its duration in seconds. */
async function build(what = 'the site', cwd = ROOT): Promise<number> {
  process.stdout.write(`Building ${what} (astro build)… `);
  const started = performance.now();
  const result = await runNode(
    [join(ROOT, 'node_modules/astro/bin/astro.mjs'), 'build'],
    { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
    cwd,
  );
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
  const names = [...readFileSync(join(ROOT, '.dev.vars.example'), 'utf8').matchAll(/^([A-Z0-9_]+)=/gm)].map(
    (match) => match[1] ?? '',
  );
  return { ...Object.fromEntries(names.filter(Boolean).map((name) => [name, ''])), ...given };
}

interface Site {
  name: string;
  url: string;
  /** startBuiltWorker called → first 200 on GET /. */
  startupMs: number;
  /** The worker's most recent log lines, for error messages. */
  recentLogs: string[];
  /** Log lines at level warn and error since start, and the last few error lines. */
  logCounts: { warn: number; error: number };
  recentErrors: string[];
  /** Stops its workerd now (also done at exit; calling both is fine). */
  stop: () => Promise<void>;
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

/** A temp dir removed at the end (and at exit). */
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(dir);
  cleanups.push(() => {
    rmSync(dir, { recursive: true, force: true });
    tempDirs.delete(dir);
  });
  return dir;
}

async function startSite(name: string, vars: Record<string, string>, persistDir?: string): Promise<Site> {
  const { prepareFreshState, startBuiltWorker } = await import('../dev/built-worker.ts');
  if (!persistDir) {
    persistDir = tempDir(`bench-${name}-`);
    prepareFreshState(persistDir);
  }
  const recentLogs: string[] = [];
  const recentErrors: string[] = [];
  const logCounts = { warn: 0, error: 0 };
  const onLog = (line: string) => {
    if (line.includes('"level":"warn"')) logCounts.warn += 1;
    if (line.includes('"level":"error"')) {
      logCounts.error += 1;
      recentErrors.push(line);
      if (recentErrors.length > 5) recentErrors.shift();
    }
    recentLogs.push(line);
    if (recentLogs.length > 30) recentLogs.shift();
  };
  const started = performance.now();
  const worker = await startBuiltWorker({ vars: siteVariables(vars), persistDir, onLog, rateLimit: BENCH_RATE_LIMIT });
  let stopped: Promise<void> | undefined;
  const stop = () => (stopped ??= worker.stop());
  cleanups.push(stop);
  try {
    await waitForOk(`${worker.url}/`, STARTUP_TIMEOUT_MS);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`the ${name} site did not start: ${message}\n${recentLogs.join('\n')}`, { cause: error });
  }
  const startupMs = performance.now() - started;
  console.log(`Site "${name}" at ${worker.url} (first 200 after ${startupMs.toFixed(0)} ms)`);
  return { name, url: worker.url, startupMs, recentLogs, logCounts, recentErrors, stop };
}

interface Subscriber {
  /** `__Host-visitor_id=…`, as the browser sends it back. */
  cookie: string;
  customerId: string;
  subscriptionId: string;
}

/**
 * Makes a subscriber the way a browser does, since the site binds a browser only when the paid
 * session's customer e-mail is the one this browser declared: POST /checkout (the seeded ¥1,500
 * monthly plan and an e-mail) → 303 to the emulator's Checkout with the visitor cookie → pay there
 * → GET /thanks with the cookie. Then checks the binding: GET / shows "Your plan" and GET /mypage
 * answers 303 to the emulator's portal.
 */
async function subscribe(site: Site, emulator: Emulator): Promise<Subscriber> {
  const price = [...emulator.state.prices.values()].find(
    (candidate) => candidate.lookup_key === 'monthly_coffee_beans_1m_jpy' && candidate.active,
  );
  if (!price || price.unit_amount !== 1500)
    throw new Error('the emulator has no seeded ¥1,500 monthly price (lookup key monthly_coffee_beans_1m_jpy)');
  const email = `bench-${randomBytes(6).toString('hex')}@example.com`;
  const fail = async (step: string, response: Response): Promise<never> => {
    const body = (await response.text())
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .slice(0, 600);
    throw new Error(
      `making the subscriber: ${step} answered ${response.status}: ${body}\n${site.recentLogs.slice(-5).join('\n')}`,
    );
  };

  // Astro refuses a cross-site form POST: the site's own form sends its own origin.
  const form = { 'content-type': 'application/x-www-form-urlencoded', origin: site.url };
  // A browser without the shop's cookie first gets the e-mail step, which sets the visitor cookie
  // that the next post must carry (src/pages/checkout.astro).
  const step = await fetch(`${site.url}/checkout`, {
    method: 'POST',
    redirect: 'manual',
    headers: form,
    body: new URLSearchParams({ price: price.id }).toString(),
  });
  if (step.status !== 200) return fail('POST /checkout (e-mail step)', step);
  await step.arrayBuffer();
  const visitorCookie = step.headers
    .getSetCookie()
    .map((line) => line.split(';')[0] ?? '')
    .find((pair) => pair.startsWith('__Host-visitor_id='));
  if (!visitorCookie) throw new Error('making the subscriber: the e-mail step set no __Host-visitor_id cookie');
  const cookie = visitorCookie;

  const checkout = await fetch(`${site.url}/checkout`, {
    method: 'POST',
    redirect: 'manual',
    headers: { ...form, cookie },
    body: new URLSearchParams({ price: price.id, email }).toString(),
  });
  if (checkout.status !== 303) return fail('POST /checkout', checkout);
  await checkout.arrayBuffer();
  const sessionId = /\/checkout\/(cs_test_[A-Za-z0-9]+)/.exec(checkout.headers.get('location') ?? '')?.[1];
  if (!sessionId)
    throw new Error(
      `making the subscriber: POST /checkout redirected to ${checkout.headers.get('location')}, not to a Checkout Session`,
    );

  const session = await emulator.completeCheckout(sessionId);
  const thanks = await fetch(`${site.url}/thanks?session_id=${sessionId}`, { headers: { cookie }, redirect: 'manual' });
  if (thanks.status !== 200) return fail('GET /thanks', thanks);
  await thanks.arrayBuffer();

  // The English home (its own URL): an English Accept-Language on `/` is now a redirect to it.
  const home = await fetch(`${site.url}/en/`, { headers: { cookie }, redirect: 'manual' });
  const html = await home.text();
  if (home.status !== 200 || !html.includes('Your plan'))
    throw new Error(`making the subscriber: GET / with the cookie answered ${home.status} without "Your plan"`);
  const mypage = await fetch(`${site.url}/mypage`, { headers: { cookie }, redirect: 'manual' });
  await mypage.arrayBuffer();
  const portal = mypage.headers.get('location') ?? '';
  if (mypage.status !== 303 || !portal.startsWith(emulator.url)) {
    throw new Error(
      `making the subscriber: GET /mypage answered ${mypage.status} to "${portal}", not 303 to the emulator's portal`,
    );
  }
  const customerId = typeof session.customer === 'string' ? session.customer : session.customer?.id;
  const subscriptionId = typeof session.subscription === 'string' ? session.subscription : session.subscription?.id;
  if (!customerId || !subscriptionId)
    throw new Error(`making the subscriber: session ${sessionId} has no customer or subscription`);
  return { cookie, customerId, subscriptionId };
}

const COLD_TRIALS = 3;
const WARM_REQUESTS = 30;

/** One GET, body read; its latency in ms and its edge-cache marker. */
async function timedGet(url: string): Promise<{ ms: number; cache: string }> {
  const started = performance.now();
  // No Accept-Language, like autocannon: `/` renders the shop language (an English one would be redirected).
  const response = await fetch(url, { redirect: 'manual' });
  await response.arrayBuffer();
  const ms = performance.now() - started;
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
  return { ms, cache: response.headers.get('x-storefront-cache') ?? 'none' };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

/**
 * A fresh isolate's first GET / (bench/README.md "Cold request"). A seed site fills KV (the
 * catalog, as a deployed site has it); each trial then starts a new workerd on a copy of that state
 * without the Cache API's data, times its first GET /, then the same page warm, one request at a time.
 */
async function measureCold(common: Record<string, string>, sites: Site[]): Promise<Outcome<ColdResult>> {
  try {
    const { prepareFreshState, startBuiltWorker } = await import('../dev/built-worker.ts');
    const seedDir = tempDir('bench-cold-seed-');
    prepareFreshState(seedDir);
    const seed = await startSite('cold-seed', common, seedDir);
    sites.push(seed);
    await seed.stop();
    const trials: ColdResult['trials'] = [];
    for (let trial = 0; trial < COLD_TRIALS; trial++) {
      const dir = tempDir('bench-cold-');
      cpSync(seedDir, dir, { recursive: true });
      rmSync(join(dir, 'v3/cache'), { recursive: true, force: true });
      const worker = await startBuiltWorker({
        vars: siteVariables(common),
        persistDir: dir,
        onLog: () => undefined,
        rateLimit: BENCH_RATE_LIMIT,
      });
      try {
        const first = await timedGet(`${worker.url}/`);
        const renders: number[] = [];
        const hits: number[] = [];
        for (let i = 0; i < WARM_REQUESTS; i++) renders.push((await timedGet(`${worker.url}/?warm=${i}`)).ms);
        for (let i = 0; i < WARM_REQUESTS; i++) hits.push((await timedGet(`${worker.url}/`)).ms);
        trials.push({
          firstMs: first.ms,
          firstCache: first.cache,
          warmRenderP50Ms: median(renders),
          warmHitP50Ms: median(hits),
        });
      } finally {
        await worker.stop();
      }
      if (interrupted) throw new Error('interrupted');
    }
    const value: ColdResult = {
      trials,
      firstMs: median(trials.map((t) => t.firstMs)),
      warmRenderP50Ms: median(trials.map((t) => t.warmRenderP50Ms)),
      warmHitP50Ms: median(trials.map((t) => t.warmHitP50Ms)),
    };
    console.log(
      `Cold request: first GET / ${value.firstMs.toFixed(1)} ms, warm render p50 ${value.warmRenderP50Ms.toFixed(1)} ms, warm hit p50 ${value.warmHitP50Ms.toFixed(1)} ms`,
    );
    return { ok: true, value };
  } catch (error) {
    if (interrupted) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    console.log(`Cold request: failed: ${reason}`);
    return { ok: false, reason };
  }
}

/** `wrangler check startup` runs per worker; the fastest counts (bench/README.md "Goals"). */
const STARTUP_RUNS = 3;

const reasonOf = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'failed';

/** Runs `measureIt`, printing what it measures and whether it worked; a failure is returned, not thrown. */
function attempt<T>(what: string, measureIt: () => T): Measured<T> {
  process.stdout.write(`${what}… `);
  try {
    const value = measureIt();
    console.log('done');
    return { ok: true, value };
  } catch (error) {
    const reason = reasonOf(error);
    console.log(`failed: ${reason}`);
    return { ok: false, reason };
  }
}

/** The fastest of the runs, with its self time per script. */
function bestOf(runs: StartupRun[]): StartupBest {
  const sorted = [...runs].sort((a, b) => a.cpuMs - b.cpuMs);
  const [fastest] = sorted;
  if (!fastest) throw new Error('no startup run');
  return { bestMs: fastest.cpuMs, runsMs: sorted.map((run) => run.cpuMs), topScripts: fastest.topScripts };
}

/** The empty Astro app (bench/empty-app.ts) written and built in a temp dir; that dir. */
async function buildEmptyApp(): Promise<Measured<string>> {
  try {
    const dir = tempDir('bench-empty-astro-');
    writeEmptyApp(dir, ROOT);
    await build('an empty Astro app', dir);
    return { ok: true, value: dir };
  } catch (error) {
    if (interrupted) throw error;
    return { ok: false, reason: `it did not build: ${reasonOf(error)}` };
  }
}

/**
 * The upload (`wrangler deploy --dry-run`) and startup CPU (`wrangler check startup`, best of
 * STARTUP_RUNS) of this site and of an empty Astro app with the same adapter, config and
 * node_modules. The startup runs alternate between the two, so whatever else loads the machine
 * meanwhile weighs on both alike. Offline (the functions of scripts/check-budget.ts).
 */
async function measureAgainstEmptyApp(): Promise<{
  deployBundle: Measured<BundleReport>;
  startupCpu: Measured<StartupBest>;
  emptyApp: Measured<EmptyAppResult>;
}> {
  const deployBundle = attempt('Bundle (wrangler deploy --dry-run)', () => measureBundle());
  const emptyDir = await buildEmptyApp();
  const emptyBundle = emptyDir.ok
    ? attempt('Bundle of the empty Astro app', () => measureBundle(emptyDir.value))
    : emptyDir;
  const runs = attempt(`Startup CPU (wrangler check startup ×${STARTUP_RUNS}, alternating with the empty app)`, () => {
    const site: StartupRun[] = [];
    const empty: StartupRun[] = [];
    let emptyFailure: string | undefined;
    for (let run = 0; run < STARTUP_RUNS; run++) {
      site.push(profileStartup());
      if (!emptyDir.ok || emptyFailure !== undefined) continue;
      try {
        empty.push(profileStartup(emptyDir.value));
      } catch (error) {
        emptyFailure = reasonOf(error);
      }
    }
    return { site: bestOf(site), empty: emptyFailure ?? (empty.length > 0 ? bestOf(empty) : 'not built') };
  });
  if (!runs.ok) return { deployBundle, startupCpu: runs, emptyApp: emptyBundle.ok ? runs : emptyBundle };
  const { site, empty } = runs.value;
  let emptyApp: Measured<EmptyAppResult>;
  if (!emptyBundle.ok) emptyApp = emptyBundle;
  else if (typeof empty === 'string') emptyApp = { ok: false, reason: empty };
  else emptyApp = { ok: true, value: { bundle: emptyBundle.value, startup: empty } };
  return { deployBundle, startupCpu: { ok: true, value: site }, emptyApp };
}

/** The floods of bench/memory.ts, in its order: over the body cap (413), just under it (400), tiny (400). */
const FLOODS: Array<MemoryRow['id']> = ['forged-1mib', 'forged-under-cap', 'forged-1kib'];

/**
 * Each flood on a site started for it alone (same variables as the cached site): a site that already
 * served the load targets, or the other flood, has taken memory that could hide growth (or add to it).
 * bench/memory.ts runs in its own process and prints one JSON line.
 */
async function measureMemory(common: Record<string, string>, options: Options, sites: Site[]): Promise<MemoryOutcome> {
  const rows: MemoryRow[] = [];
  for (const flood of FLOODS) {
    const site = await startSite(`memory-${flood}`, common);
    sites.push(site);
    process.stdout.write(`Webhook flood ${flood} (${options.memoryRounds} rounds of 60 forged deliveries)… `);
    const output = await runNode([
      join(ROOT, 'bench/memory.ts'),
      site.url,
      '--json',
      '--only',
      flood,
      '--rounds',
      String(options.memoryRounds),
    ]);
    await site.stop();
    if (interrupted) throw new Error('interrupted');
    const line = output.stdout.trim().split('\n').pop() ?? '';
    if (output.code !== 0 || !line.startsWith('{')) {
      const reason = `bench/memory.ts exited with ${output.code}: ${tail(output.stderr || output.stdout, 5)}`;
      console.log(`failed: ${reason}`);
      return { ok: false, reason };
    }
    const [row] = (JSON.parse(line) as MemoryResult).rows;
    if (!row) return { ok: false, reason: `bench/memory.ts measured no ${flood} row` };
    console.log(
      `RSS +${(row.growthBytes / 1048576).toFixed(1)} MiB (${(row.baselineBytes / 1048576).toFixed(1)} → ${(row.peakBytes / 1048576).toFixed(1)} MiB)`,
    );
    rows.push(row);
  }
  return { ok: true, rows };
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
  console.log(
    `${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms, ${result.errors} errors`,
  );
  await sleep(500);
  return {
    id: target.id,
    label: target.label,
    result,
    stripeCallsPerRequest: result.sent > 0 ? stripeCalls / result.sent : 0,
  };
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
    STRIPE_API_KEY: emulator.apiKey,
    STRIPE_WEBHOOK_SECRET: webhookSecret,
    STRIPE_API_BASE: emulator.url,
    DEMO_MODE: 'true',
  };
  // One after the other: starting both at once on a small machine would skew the startup time.
  const cached = await startSite('cached', common);
  const uncached = await startSite('uncached', { ...common, CATALOG_TTL_SECONDS: '0' });
  const subscriber = await subscribe(cached, emulator);
  const bundle = bundleSize(join(ROOT, 'dist/server'));
  const weight = await pageWeight(`${cached.url}/`);

  emulator.setLatency(options.latencyMs);
  emulator.reset();
  const targets: Target[] = [
    {
      id: 'static',
      label: 'static /favicon.svg',
      site: cached,
      args: { kind: 'get', path: '/favicon.svg', okStatus: [200] },
    },
    { id: 'cached', label: 'GET / (cached)', site: cached, args: { kind: 'get', path: '/', okStatus: [200] } },
    { id: 'uncached', label: 'GET / (uncached)', site: uncached, args: { kind: 'get', path: '/', okStatus: [200] } },
    {
      id: 'subscriber',
      label: 'GET / (subscriber)',
      site: cached,
      args: { kind: 'get', path: '/', okStatus: [200], headers: { cookie: subscriber.cookie } },
    },
    {
      id: 'webhook',
      label: 'POST /webhook (subscription.updated)',
      site: cached,
      args: {
        kind: 'webhook',
        path: '/webhook',
        okStatus: [200],
        webhookSecret,
        customerId: subscriber.customerId,
        subscriptionId: subscriber.subscriptionId,
      },
    },
    {
      id: 'mypage',
      label: 'GET /mypage (subscriber)',
      site: cached,
      args: { kind: 'get', path: '/mypage', okStatus: [303], headers: { cookie: subscriber.cookie } },
    },
  ];
  const rows: TargetRow[] = [];
  for (const target of targets) rows.push(await measure(target, options, emulator));

  const sites = [cached, uncached];
  emulator.reset();
  const cold = await measureCold(common, sites);
  const { deployBundle, startupCpu, emptyApp } = await measureAgainstEmptyApp();
  const memory: MemoryOutcome = options.memory ? await measureMemory(common, options, sites) : 'skipped';

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
    warnings.push(
      'dist/ changed during the run (another build?): assets may have failed mid-run; run the benchmark again on a quiet tree.',
    );
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
    deployBundle,
    startupCpu,
    emptyApp,
    cold,
    weight,
    lighthouse,
    memory,
    warnings,
  };
  console.log(consoleReport(report));
  for (const site of sites) {
    const { warn, error } = site.logCounts;
    if (warn + error > 0) console.log(`Note: the ${site.name} site logged ${error} error and ${warn} warning line(s)`);
    if (error > 0) console.log(`  last error lines:\n${site.recentErrors.map((line) => `  ${line}`).join('\n')}`);
  }
  if (options.write) {
    writeFileSync(RESULTS_FILE, markdownReport(report));
    console.log(`Wrote ${RESULTS_FILE}`);
  } else console.log(`Not written: ${RESULTS_FILE} (--no-write)`);
}

try {
  await main();
  await exit(0);
} catch (error) {
  if (!interrupted) console.error(`\nBenchmark failed: ${error instanceof Error ? error.message : String(error)}`);
  await exit(interrupted ? 130 : 1);
}
