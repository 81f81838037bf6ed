/**
 * Runs the emulator on its own (offline demo, manual testing):
 *   node dev/stripe-emulator/cli.ts [--port 12111] [--host 127.0.0.1] [--allow-non-loopback]
 *                                   [--api-key rk_test_...] [--webhook-url URL]
 *                                   [--webhook-secret whsec_...] [--latency MS] [--public-url URL]
 *                                   [--async-payment-delay MS] [--terms-url URL] [--state-file PATH] [--quiet]
 * Environment fallbacks: EMULATOR_PORT, EMULATOR_HOST, EMULATOR_API_KEY, EMULATOR_WEBHOOK_URL,
 * STRIPE_WEBHOOK_SECRET, EMULATOR_LATENCY_MS, EMULATOR_PUBLIC_URL, EMULATOR_ASYNC_PAYMENT_DELAY_MS, EMULATOR_STATE_FILE.
 * --allow-non-loopback has no environment fallback: exposing the emulator is always typed out.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_TERMS_URL, startEmulator } from './server.ts';

const USAGE = `Usage: node dev/stripe-emulator/cli.ts [options]
  --port N              port to listen on (env EMULATOR_PORT, default 12111; 0 = any free port)
  --host HOST           address to bind (env EMULATOR_HOST, default 127.0.0.1; loopback only unless:)
  --allow-non-loopback  allow a --host beyond this machine (0.0.0.0, a LAN address): it serves demo customers' data
  --api-key KEY         the only key /v1 accepts, sk_test_... or rk_test_... (env EMULATOR_API_KEY; default a fresh
                        rk_test_ key per run, printed at start)
  --webhook-url URL     where to POST events, e.g. http://127.0.0.1:4321/webhook (env EMULATOR_WEBHOOK_URL)
  --webhook-secret S    whsec_... used to sign events (env STRIPE_WEBHOOK_SECRET)
  --latency MS          delay added to every /v1 call (env EMULATOR_LATENCY_MS, default 0)
  --public-url URL      base of URLs handed to browsers (env EMULATOR_PUBLIC_URL)
  --async-payment-delay MS
                        bank debits settle by themselves after MS (env EMULATOR_ASYNC_PAYMENT_DELAY_MS, default 10000)
  --terms-url URL       the account's terms-of-service URL, which consent_collection[terms_of_service]=required
                        needs (env EMULATOR_TERMS_URL; default ${DEFAULT_TERMS_URL}; '' = none)
  --state-file PATH     keep the state (catalog, customers, subscriptions, the key) in this JSON file across runs
                        (env EMULATOR_STATE_FILE; default: in memory only)
  --quiet               do not log requests
  --help                show this help`;

function fail(message: string): never {
  console.error(`stripe-emulator: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function integer(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value)) fail(`${name} must be a non-negative integer, got '${value}'`);
  return Number(value);
}

let parsed;
try {
  parsed = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'allow-non-loopback': { type: 'boolean' },
      'api-key': { type: 'string' },
      'webhook-url': { type: 'string' },
      'webhook-secret': { type: 'string' },
      latency: { type: 'string' },
      'public-url': { type: 'string' },
      'async-payment-delay': { type: 'string' },
      'terms-url': { type: 'string' },
      'state-file': { type: 'string' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
const { values } = parsed;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const env = process.env;
const port = integer(values.port ?? env['EMULATOR_PORT'], '--port', 12111);
if (port > 65535) fail('--port must be at most 65535');
const webhookUrl = values['webhook-url'] ?? env['EMULATOR_WEBHOOK_URL'] ?? undefined;
const webhookSecret = values['webhook-secret'] ?? env['STRIPE_WEBHOOK_SECRET'] ?? undefined;
if (webhookUrl && !webhookSecret) {
  console.warn(
    'stripe-emulator: --webhook-url without --webhook-secret (or STRIPE_WEBHOOK_SECRET): events will not be delivered.',
  );
}

const apiKey = values['api-key'] ?? env['EMULATOR_API_KEY'] ?? undefined;
const emulator = await startEmulator({
  port,
  host: values.host ?? env['EMULATOR_HOST'] ?? '127.0.0.1',
  allowNonLoopback: values['allow-non-loopback'] === true,
  apiKey: apiKey || undefined,
  publicUrl: values['public-url'] ?? env['EMULATOR_PUBLIC_URL'] ?? undefined,
  webhookUrl: webhookUrl || undefined,
  webhookSecret: webhookSecret || undefined,
  latencyMs: integer(values.latency ?? env['EMULATOR_LATENCY_MS'], '--latency', 0),
  // So that the demo's bank debits settle by themselves.
  asyncPaymentDelayMs: integer(
    values['async-payment-delay'] ?? env['EMULATOR_ASYNC_PAYMENT_DELAY_MS'],
    '--async-payment-delay',
    10_000,
  ),
  accountTermsUrl: (values['terms-url'] ?? env['EMULATOR_TERMS_URL'] ?? DEFAULT_TERMS_URL) || null,
  stateFile: (values['state-file'] ?? env['EMULATOR_STATE_FILE']) || undefined,
  log: values.quiet ? false : (line) => console.log(`[stripe-emulator] ${line}`),
}).catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
console.log(
  `Stripe emulator listening on ${emulator.url}${webhookUrl && webhookSecret ? ` (webhooks → ${webhookUrl})` : ''}`,
);
// A key made up for this run is useless unless the site is told: it is a test key for a local fake.
if (!apiKey) console.log(`API key (set STRIPE_API_KEY to it): ${emulator.apiKey}`);

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`stripe-emulator: ${signal}, shutting down`);
  await emulator.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
