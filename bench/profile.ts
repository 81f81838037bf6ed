/**
 * Where a request's CPU goes: serves the built site (dist/) in workerd with its V8 inspector open,
 * loads one target with autocannon while the CPU profiler samples the worker's isolate, and prints
 * the self time per function (and per bundle chunk) per request. Run it on two builds to compare.
 *
 *   npx node bench/profile.ts                 # every target, 6 s each, 16 connections
 *   npx node bench/profile.ts --only anonymous --seconds 10 --out /tmp/anon.cpuprofile
 *
 * Targets: `anonymous` (GET /, no cookie: the edge cache once warm), `render` (GET /?p=1: the same
 * page rendered every time, a query skips the edge cache), `visitor` (GET / with a visitor cookie
 * that is bound to no one: the personal storefront path without a subscription), `static`
 * (/favicon.svg). The emulator answers at once (latency 0).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { prepareFreshState, startBuiltWorker } from '../dev/built-worker.ts';
import { startEmulator } from '../dev/stripe-emulator/server.ts';

const ROOT = resolve(import.meta.dirname, '..');

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface CpuProfile {
  nodes: Array<{ id: number; callFrame: CallFrame }>;
  samples: number[];
  timeDeltas: number[];
}

const TARGETS = {
  anonymous: { path: '/', headers: {} },
  render: { path: '/?p=1', headers: {} },
  visitor: { path: '/', headers: { cookie: '__Host-visitor_id=ProfileVisitor0000000001' } },
  static: { path: '/favicon.svg', headers: {} },
} satisfies Record<string, { path: string; headers: Record<string, string> }>;
type TargetName = keyof typeof TARGETS;

/** A tiny CDP client over the inspector's WebSocket (Node's global WebSocket). */
async function connect(url: string): Promise<(method: string, params?: object) => Promise<unknown>> {
  const socket = new WebSocket(url);
  await new Promise((resolveOpen, rejectOpen) => {
    socket.addEventListener('open', resolveOpen, { once: true });
    socket.addEventListener('error', rejectOpen, { once: true });
  });
  let id = 0;
  const pending = new Map<number, (value: unknown) => void>();
  socket.addEventListener('message', (event: MessageEvent<string>) => {
    const message = JSON.parse(event.data) as { id?: number; result?: unknown };
    if (message.id !== undefined) pending.get(message.id)?.(message.result);
  });
  return (method, params = {}) =>
    new Promise((resolveCall) => {
      id += 1;
      pending.set(id, resolveCall);
      socket.send(JSON.stringify({ id, method, params }));
    });
}

function siteVariables(given: Record<string, string>): Record<string, string> {
  const names = [...readFileSync(join(ROOT, '.dev.vars.example'), 'utf8').matchAll(/^([A-Z0-9_]+)=/gm)].map(
    (match) => match[1] ?? '',
  );
  return { ...Object.fromEntries(names.filter(Boolean).map((name) => [name, ''])), ...given };
}

/** Self time per function and per script, in µs per request. */
function summarise(profile: CpuProfile, requests: number): string[] {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const byFunction = new Map<string, number>();
  const byScript = new Map<string, number>();
  let active = 0;
  let idle = 0;
  profile.samples.forEach((sample, index) => {
    const frame = nodes.get(sample);
    const delta = profile.timeDeltas[index] ?? 0;
    if (!frame || frame.functionName === '(idle)') {
      idle += delta;
      return;
    }
    active += delta;
    const script = frame.url ? (frame.url.split('/').pop() ?? frame.url) : '(native)';
    const name = `${frame.functionName || '(top level)'} ${script}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + delta);
    byScript.set(script, (byScript.get(script) ?? 0) + delta);
  });
  const perRequest = (us: number) => `${(us / requests).toFixed(1).padStart(7)} µs/req`;
  const share = (us: number) => `${((100 * us) / active).toFixed(1).padStart(5)} %`;
  return [
    `  ${requests} requests; isolate CPU active ${(active / 1000).toFixed(0)} ms (${perRequest(active)}), idle ${(idle / 1000).toFixed(0)} ms`,
    '  by script:',
    ...[...byScript]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([script, us]) => `    ${perRequest(us)} ${share(us)}  ${script}`),
    '  by function (self time):',
    ...[...byFunction]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15)
      .map(([name, us]) => `    ${perRequest(us)} ${share(us)}  ${name}`),
  ];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      seconds: { type: 'string', default: '6' },
      connections: { type: 'string', default: '16' },
      out: { type: 'string' },
    },
  });
  const names = (values.only ? [values.only] : Object.keys(TARGETS)) as TargetName[];
  for (const name of names) if (!(name in TARGETS)) throw new Error(`unknown target ${name}`);
  const emulator = await startEmulator({ log: false, latencyMs: 0 });
  const persistDir = mkdtempSync(join(tmpdir(), 'profile-'));
  prepareFreshState(persistDir);
  const worker = await startBuiltWorker({
    vars: siteVariables({
      // The emulator accepts only the key it was started with.
      STRIPE_API_KEY: emulator.apiKey,
      STRIPE_API_BASE: emulator.url,
      DEMO_MODE: 'true',
    }),
    persistDir,
    onLog: () => undefined,
    rateLimit: 1_000_000_000,
    inspectorPort: 0,
  });
  try {
    const inspector = await worker.inspectorUrl();
    const call = await connect(new URL('/core:user:storefront', inspector).href);
    await call('Profiler.enable');
    await call('Profiler.setSamplingInterval', { interval: 100 });
    for (const name of names) {
      const target = TARGETS[name];
      const url = `${worker.url}${target.path}`;
      const options = { url, headers: target.headers, connections: Number(values.connections) };
      await autocannon({ ...options, duration: 2 }); // warm-up: JIT, caches, the catalog
      await call('Profiler.start');
      const result = await autocannon({ ...options, duration: Number(values.seconds) });
      const { profile } = (await call('Profiler.stop')) as { profile: CpuProfile };
      if (values.out) writeFileSync(values.only ? values.out : `${values.out}.${name}`, JSON.stringify(profile));
      console.log(
        `${name}: GET ${target.path}, ${result.requests.average.toFixed(0)} req/s, p50 ${result.latency.p50} ms`,
      );
      for (const line of summarise(profile, result.requests.total)) console.log(line);
    }
  } finally {
    await worker.stop();
    await emulator.close();
    rmSync(persistDir, { recursive: true, force: true });
  }
}

await main();
