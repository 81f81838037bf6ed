/**
 * Webhook-flood memory test: how much the workerd process serving a site grows while it is sent
 * rounds of concurrent large deliveries with a forged signature (the review's finding: 60
 * concurrent 1 MiB forged deliveries grew workerd from 114 to 302 MiB, and an isolate has 128 MB).
 *
 * Linux only: the process is found through /proc (the socket listening on the site's port →
 * its inode → the process holding it) and its resident memory read from /proc/<pid>/status.
 *
 * Standalone, against any running site (e.g. an older build, for a before/after comparison):
 *
 *   npx node bench/memory.ts http://127.0.0.1:8787 [--rounds 5] [--concurrency 60] [--only ID] [--pid PID] [--json]
 *
 * Without --pid the process is the one listening on the URL's port: right for the bench's sites
 * and `npm start` (workerd itself listens, see dev/built-worker.ts); under `wrangler dev` the port
 * may belong to wrangler's proxy (a workerd of its own), so pass the pid of the workerd that runs
 * the worker. `npm run bench` runs this file as a child process, once per flood on a fresh site,
 * with --only and --json (one MemoryResult line on stdout).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { request } from 'node:http';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { MAX_WEBHOOK_BODY_BYTES } from '../src/lib/webhook/limits.ts';
import { memoryTable, type MemoryResult, type MemoryRow } from './report.ts';

/** One flood: bodies of one size, all forged. */
interface FloodCase {
  id: MemoryRow['id'];
  /** e.g. "1 MiB" */
  sizeLabel: string;
  bodyBytes: number;
  /** What the site should answer (the row still reports whatever arrived). */
  expectedStatus: number;
}

/**
 * The site caps webhook bodies at MAX_WEBHOOK_BODY_BYTES (src/lib/webhook.ts). 1 MiB is the
 * review's flood: refused with 413 from its Content-Length, nothing read. Just under the cap is
 * read into one buffer and HMAC-checked, then refused with 400. 1 KiB shows what 60 requests in
 * flight cost workerd whatever their size (V8 heap, request objects), the floor of the other two.
 */
const FLOOD_CASES: readonly FloodCase[] = [
  { id: 'forged-1mib', sizeLabel: '1 MiB', bodyBytes: 1024 * 1024, expectedStatus: 413 },
  {
    id: 'forged-under-cap',
    sizeLabel: `${(MAX_WEBHOOK_BODY_BYTES - 1024) / 1024} KiB`,
    bodyBytes: MAX_WEBHOOK_BODY_BYTES - 1024,
    expectedStatus: 400,
  },
  { id: 'forged-1kib', sizeLabel: '1 KiB', bodyBytes: 1024, expectedStatus: 400 },
];

interface FloodOptions {
  /** Concurrent deliveries per round (default 60). */
  concurrency: number;
  /** Rounds, one after the other (default 5). */
  rounds: number;
  /** The process to watch; default: the one listening on the site's port. */
  pid?: number;
  /** Only these floods (default both, one after the other). */
  only?: Array<MemoryRow['id']>;
}

const SAMPLE_INTERVAL_MS = 25;
/** Quiet time before the baseline is taken, and again before "after". */
const SETTLE_MS = 1_000;
/** The baseline is the median of the samples over this window, at the end of the settle. */
const BASELINE_WINDOW_MS = 500;
/** Sampling goes on this long after the last answer, for memory that peaks late. */
const TAIL_MS = 1_000;
const DELIVERY_TIMEOUT_MS = 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ── Finding the process ──────────────────────────────────────────────────────────────────────

/** Inodes of the sockets listening (state 0A) on `port`, from /proc/net/tcp and tcp6. */
function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue; // no IPv6 table on this machine
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const local = fields[1];
      const state = fields[3];
      const inode = fields[9];
      if (!local || state !== '0A' || !inode) continue;
      if (Number.parseInt(local.slice(local.lastIndexOf(':') + 1), 16) === port) inodes.add(inode);
    }
  }
  return inodes;
}

/** Every process holding one of these socket inodes (needs permission to read its /proc/<pid>/fd). */
function processesHolding(inodes: Set<string>): number[] {
  const wanted = new Set([...inodes].map((inode) => `socket:[${inode}]`));
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue; // gone, or another user's
    }
    for (const fd of fds) {
      try {
        if (wanted.has(readlinkSync(`/proc/${entry}/fd/${fd}`))) {
          pids.push(Number(entry));
          break;
        }
      } catch {
        // the fd closed meanwhile
      }
    }
  }
  return pids;
}

function processName(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '?';
  }
}

/** The process serving `siteUrl`: the one listening on its port (a workerd one if several share the socket). */
function findServingProcess(siteUrl: string): number {
  if (process.platform !== 'linux')
    throw new Error('bench/memory.ts reads /proc: Linux only (or pass --pid on another /proc system)');
  const url = new URL(siteUrl);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const inodes = listeningInodes(port);
  if (inodes.size === 0) throw new Error(`nothing listens on port ${port} (per /proc/net/tcp and tcp6)`);
  const pids = processesHolding(inodes);
  if (pids.length === 0)
    throw new Error(`no readable process holds the socket on port ${port} (another user's? pass --pid)`);
  return pids.find((pid) => processName(pid).startsWith('workerd')) ?? pids[0] ?? 0;
}

/** Resident set size in bytes (VmRSS), or undefined once the process is gone. */
function residentBytes(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

// ── Sampling ─────────────────────────────────────────────────────────────────────────────────

interface Sample {
  /** Epoch milliseconds (fractional): the same clock in both threads. */
  at: number;
  bytes: number;
}

const now = () => performance.timeOrigin + performance.now();

/**
 * The sampler runs in a worker thread: the flood keeps this thread's event loop busy writing
 * megabytes (timers here slip by up to ~80 ms), which could miss a short peak. Plain JavaScript,
 * as an eval'd worker is not type-stripped.
 */
const SAMPLER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const samples = [];
const take = () => {
  try {
    const match = /^VmRSS:\\s+(\\d+)\\s+kB/m.exec(readFileSync('/proc/' + workerData.pid + '/status', 'utf8'));
    if (match) samples.push({ at: performance.timeOrigin + performance.now(), bytes: Number(match[1]) * 1024 });
  } catch {}
};
take();
const timer = setInterval(take, workerData.intervalMs);
parentPort.on('message', (message) => {
  take();
  parentPort.postMessage(samples);
  if (message === 'stop') {
    clearInterval(timer);
    parentPort.close();
  }
});
`;

/** Reads the RSS every SAMPLE_INTERVAL_MS (in a worker thread) until stopped. */
function startSampler(pid: number) {
  const worker = new Worker(SAMPLER_SOURCE, { eval: true, workerData: { pid, intervalMs: SAMPLE_INTERVAL_MS } });
  const ask = (message: 'collect' | 'stop') =>
    new Promise<Sample[]>((resolve, reject) => {
      worker.once('message', (samples: Sample[]) => resolve(samples));
      worker.once('error', reject);
      worker.postMessage(message);
    });
  let stopped: Promise<Sample[]> | undefined;
  return {
    /** Every sample so far. */
    collect: () => ask('collect'),
    /** Every sample, and the thread ends (once; later calls get the same samples). */
    stop: () => (stopped ??= ask('stop')),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** The longest gap between two samples: how much a busy event loop delayed the sampler. */
function maxGap(samples: Sample[]): number {
  let gap = 0;
  for (let i = 1; i < samples.length; i++) gap = Math.max(gap, (samples[i]?.at ?? 0) - (samples[i - 1]?.at ?? 0));
  return gap;
}

// ── Deliveries ───────────────────────────────────────────────────────────────────────────────

/** A JSON body of exactly `bytes` bytes, shaped like an event (its content never matters: the signature is forged). */
function forgedBody(bytes: number): Buffer {
  const head = `{"id":"evt_forged${randomBytes(8).toString('hex')}","object":"event","type":"customer.subscription.updated","data":{"object":{"pad":"`;
  const tail = '"}}}';
  const padding = bytes - Buffer.byteLength(head) - Buffer.byteLength(tail);
  if (padding < 0) throw new Error(`a forged body cannot be ${bytes} bytes`);
  return Buffer.concat([Buffer.from(head), Buffer.alloc(padding, 'a'), Buffer.from(tail)]);
}

/** A Stripe-Signature with a current timestamp (inside the tolerance) and a random HMAC. */
function forgedSignature(): string {
  return `t=${Math.floor(Date.now() / 1000)},v1=${randomBytes(32).toString('hex')}`;
}

/**
 * POSTs one forged delivery on its own connection; resolves with the status ("413") or, when no
 * answer arrived, what happened instead ("error ECONNRESET", "closed"). Never rejects: a server
 * that answers 413 and closes while the body is still being sent is an outcome, not a crash.
 */
function deliverForged(siteUrl: URL, body: Buffer): Promise<string> {
  return new Promise((resolve) => {
    let status: number | undefined;
    let settled = false;
    const done = (outcome: string) => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    const req = request({
      protocol: siteUrl.protocol,
      hostname: siteUrl.hostname,
      port: siteUrl.port,
      path: '/webhook',
      method: 'POST',
      agent: false,
      timeout: DELIVERY_TIMEOUT_MS,
      headers: {
        'content-type': 'application/json',
        'content-length': String(body.byteLength),
        'stripe-signature': forgedSignature(),
      },
    });
    req.on('response', (res) => {
      status = res.statusCode ?? 0;
      res.resume();
      res.on('end', () => done(String(status)));
      res.on('close', () => done(String(status)));
      res.on('error', () => done(String(status)));
    });
    // An error after the answer arrived (EPIPE, ECONNRESET while still uploading) keeps the answer.
    req.on('error', (error: NodeJS.ErrnoException) =>
      done(status !== undefined ? String(status) : `error ${error.code ?? error.message}`),
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.on('close', () => done(status !== undefined ? String(status) : 'closed'));
    req.end(body);
  });
}

/** A few small forged deliveries, so the webhook route's code is loaded before any baseline. */
async function warmUp(siteUrl: URL): Promise<void> {
  const small = forgedBody(1024);
  for (let i = 0; i < 3; i++) await deliverForged(siteUrl, small);
}

async function flood(siteUrl: URL, pid: number, floodCase: FloodCase, options: FloodOptions): Promise<MemoryRow> {
  const sampler = startSampler(pid);
  try {
    await sleep(SETTLE_MS);
    const settled = await sampler.collect();
    const windowStart = now() - BASELINE_WINDOW_MS;
    const baselineBytes = median(settled.filter((sample) => sample.at >= windowStart).map((sample) => sample.bytes));
    const body = forgedBody(floodCase.bodyBytes);
    const statusCounts: Record<string, number> = {};
    const started = now();
    for (let round = 0; round < options.rounds; round++) {
      const outcomes = await Promise.all(
        Array.from({ length: options.concurrency }, () => deliverForged(siteUrl, body)),
      );
      for (const outcome of outcomes) statusCounts[outcome] = (statusCounts[outcome] ?? 0) + 1;
    }
    const wallMs = now() - started;
    await sleep(TAIL_MS);
    const tailEnd = now();
    await sleep(SETTLE_MS);
    const samples = await sampler.stop();
    const during = samples.filter((sample) => sample.at >= started && sample.at <= tailEnd);
    const peakBytes = Math.max(...during.map((sample) => sample.bytes));
    const afterBytes = samples.at(-1)?.bytes ?? Number.NaN;
    return {
      id: floodCase.id,
      label: `${floodCase.sizeLabel} forged ×${options.concurrency} (×${options.rounds} rounds)`,
      bodyBytes: floodCase.bodyBytes,
      concurrency: options.concurrency,
      rounds: options.rounds,
      expectedStatus: floodCase.expectedStatus,
      baselineBytes,
      peakBytes,
      growthBytes: peakBytes - baselineBytes,
      afterBytes,
      statusCounts,
      wallMs,
      samples: during.length,
      maxSampleGapMs: maxGap(during),
      url: siteUrl.origin,
      pid,
      processName: processName(pid),
    };
  } finally {
    await sampler.stop();
  }
}

/**
 * The floods against one running site, one after the other, each with its own baseline (so a
 * second flood starts from wherever the first left the process: restart the site and use --only
 * for independent rows, as `npm run bench` does).
 */
async function measureMemory(siteUrl: string, options: FloodOptions): Promise<MemoryResult> {
  const url = new URL(siteUrl);
  if (url.protocol !== 'http:') throw new Error(`${url.origin}: only a local http:// site can be flooded and watched`);
  const pid = options.pid ?? findServingProcess(siteUrl);
  if (residentBytes(pid) === undefined) throw new Error(`cannot read /proc/${pid}/status`);
  await warmUp(url);
  const rows: MemoryRow[] = [];
  for (const floodCase of FLOOD_CASES) {
    if (!options.only || options.only.includes(floodCase.id)) rows.push(await flood(url, pid, floodCase, options));
  }
  return { rows };
}

const USAGE = `Usage: npx node bench/memory.ts SITE_URL [options]   (Linux only)
  --rounds N        rounds per flood (default 5)
  --concurrency N   concurrent forged deliveries per round (default 60)
  --only ID         one flood only: ${FLOOD_CASES.map((floodCase) => floodCase.id).join(' or ')} (default: both, in that order)
  --pid PID         the process to watch (default: the one listening on SITE_URL's port)
  --json            print one JSON line (a MemoryResult) instead of the table`;

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      rounds: { type: 'string', default: '5' },
      concurrency: { type: 'string', default: '60' },
      pid: { type: 'string' },
      only: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help || positionals.length !== 1) {
    console.log(USAGE);
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  const integer = (name: string, raw: string): number => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be an integer ≥ 1 (got "${raw}")`);
    return value;
  };
  const only = FLOOD_CASES.find((floodCase) => floodCase.id === values.only)?.id;
  if (values.only !== undefined && !only)
    throw new Error(
      `--only must be ${FLOOD_CASES.map((floodCase) => floodCase.id).join(' or ')} (got "${values.only}")`,
    );
  const options: FloodOptions = {
    rounds: integer('rounds', values.rounds),
    concurrency: integer('concurrency', values.concurrency),
    ...(values.pid !== undefined && { pid: integer('pid', values.pid) }),
    ...(only && { only: [only] }),
  };
  const siteUrl = positionals[0] ?? '';
  if (!values.json) {
    const pid = options.pid ?? findServingProcess(siteUrl);
    options.pid = pid;
    console.log(
      `Watching pid ${pid} (${processName(pid)}) serving ${new URL(siteUrl).origin}; ${options.rounds} rounds of ${options.concurrency} forged deliveries per size…`,
    );
  }
  const result = await measureMemory(siteUrl, options);
  if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else console.log(['', ...memoryTable(result.rows), ''].join('\n'));
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`memory: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
