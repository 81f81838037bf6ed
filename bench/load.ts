/**
 * The load generator: one autocannon run against one target, in its own process so its CPU use
 * never competes with the orchestrator's event loop (which also hosts the Stripe emulator).
 *
 *   node bench/load.ts '{"title":"static","url":"http://127.0.0.1:8787","kind":"get","path":"/favicon.svg",
 *                        "connections":32,"duration":10,"okStatus":[200]}'
 *
 * Prints exactly one JSON line (a LoadResult) on stdout; exits 1 with the reason on stderr.
 */
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { eventPayload, signature } from '../test/support/webhook.ts';
import { parseLoadArgs, type LoadArgs, type LoadResult } from './protocol.ts';

/** Nearest-rank percentile of an ascending array; 0 when empty. */
function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil(fraction * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? 0;
}

const MAX_ERROR_SAMPLES = 3;

/**
 * Fresh event ids from one random run prefix and a counter, so two runs (warm-up, measurement)
 * never collide and every event is processed rather than answered as a duplicate.
 */
function eventIds(): () => string {
  const prefix = randomBytes(4).toString('hex');
  let counter = 0;
  return () => `evt_bench${prefix}${(counter++).toString(36).padStart(12, '0')}`;
}

/**
 * The request list: one fixed GET, or one POST rebuilt before every send: a new
 * `customer.subscription.updated` event (test/support/webhook.ts, the builder the tests use) with a
 * fresh id and signature. The first few unexpected answers are kept in `samples` (autocannon
 * reads every body anyway).
 */
function requestsFor(args: LoadArgs, samples: string[]): autocannon.Request[] {
  const onResponse = (status: number, body: string) => {
    if (!args.okStatus.includes(status) && samples.length < MAX_ERROR_SAMPLES)
      samples.push(`${status} ${body.slice(0, 200).replace(/\s+/g, ' ')}`);
  };
  if (args.kind === 'get') return [{ method: 'GET', path: args.path, headers: { ...args.headers }, onResponse }];
  const secret = args.webhookSecret ?? '';
  // The snapshot Stripe would send; the site only takes the customer id from it and re-reads Stripe.
  const subscription = { id: args.subscriptionId, object: 'subscription', customer: args.customerId, status: 'active' };
  const nextId = eventIds();
  return [
    {
      method: 'POST',
      path: args.path,
      setupRequest: (request) => {
        const payload = eventPayload(nextId(), 'customer.subscription.updated', subscription);
        const headers = {
          'content-type': 'application/json; charset=utf-8',
          'stripe-signature': signature(payload, secret),
        };
        return { ...request, headers: { ...request.headers, ...args.headers, ...headers }, body: payload };
      },
      onResponse,
    },
  ];
}

function run(args: LoadArgs): Promise<LoadResult> {
  // autocannon's own latency histogram keeps whole milliseconds; a fast static file answers in
  // about 1 ms, so ratios need the exact per-response times recorded here.
  const latencies: number[] = [];
  const errorSamples: string[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: args.url,
        connections: args.connections,
        duration: args.duration,
        requests: requestsFor(args, errorSamples),
      },
      (error: unknown, result: autocannon.Result) => {
        if (error) {
          reject(error instanceof Error ? error : new Error('autocannon failed'));
          return;
        }
        const sorted = Float64Array.from(latencies).sort();
        const statusCounts: Record<string, number> = {};
        let badStatus = 0;
        for (const [status, stats] of Object.entries(result.statusCodeStats ?? {})) {
          const count = stats.count ?? 0;
          statusCounts[status] = count;
          if (!args.okStatus.includes(Number(status))) badStatus += count;
        }
        resolve({
          title: args.title,
          responses: latencies.length,
          sent: result.requests.sent,
          durationSeconds: result.duration,
          requestsPerSecond: result.requests.mean,
          p50Ms: percentile(sorted, 0.5),
          p99Ms: percentile(sorted, 0.99),
          errors: badStatus + result.errors,
          socketErrors: result.errors,
          timeouts: result.timeouts,
          statusCounts,
          errorSamples,
        });
      },
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      latencies.push(responseTime);
    });
    instance.on('reqError', (error: unknown) => {
      if (errorSamples.length < MAX_ERROR_SAMPLES)
        errorSamples.push(`socket: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
}

try {
  const result = await run(parseLoadArgs(process.argv[2]));
  process.stdout.write(`${JSON.stringify(result)}\n`);
} catch (error) {
  process.stderr.write(`load: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
