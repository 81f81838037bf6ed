/**
 * The README's run command. Builds the site, applies migrations/ to the local D1 and serves the
 * site in workerd (dev/built-worker.ts; local KV and D1 under .wrangler/state like `wrangler dev`).
 * Without a configured STRIPE_API_KEY it runs the offline demo: it also starts the local Stripe
 * emulator, whose state is kept next to the site's (.wrangler/state/stripe-emulator.json), and points
 * the site at it. `npm start -- --fresh` deletes .wrangler/state first. Ctrl-C stops everything it started.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs, parseEnv } from 'node:util';

const ROOT = resolve(import.meta.dirname, '..');
const SITE_PORT = Number(process.env.PORT ?? 4321);
const EMULATOR_PORT = Number(process.env.EMULATOR_PORT ?? 12111);
const OUTBOX_PORT = Number(process.env.OUTBOX_PORT ?? 4322);
const SITE_URL = `http://localhost:${SITE_PORT}`;
const STATE_DIR = join(ROOT, '.wrangler/state');

let flags;
try {
  flags = parseArgs({ options: { fresh: { type: 'boolean' } }, strict: true }).values;
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\nUsage: npm start [-- --fresh]`);
  process.exit(2);
}

/** .dev.vars, overridden by the process environment (like wrangler). */
function configuredVariables(): Record<string, string> {
  const file = join(ROOT, '.dev.vars');
  const fromFile = existsSync(file) ? parseEnv(readFileSync(file, 'utf8')) : {};
  const names = new Set([
    ...Object.keys(fromFile),
    ...readFileSync(join(ROOT, '.dev.vars.example'), 'utf8')
      .matchAll(/^([A-Z_]+)=/gm)
      .map((m) => m[1] ?? ''),
  ]);
  const vars: Record<string, string> = {};
  for (const name of names) {
    const value = process.env[name] ?? fromFile[name];
    if (value !== undefined) vars[name] = value;
  }
  return vars;
}

console.log('Building the site…');
const build = spawnSync(process.execPath, [join(ROOT, 'node_modules/astro/bin/astro.mjs'), 'build'], {
  cwd: ROOT,
  stdio: ['ignore', 'inherit', 'inherit'],
  env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
});
if (build.status !== 0) process.exit(build.status ?? 1);

if (flags.fresh) {
  rmSync(STATE_DIR, { recursive: true, force: true });
  console.log(
    'Starting over (--fresh): deleted .wrangler/state (the local D1 and KV, the sent e-mails and the Stripe emulator state).',
  );
}
const vars = configuredVariables();
const demo = !vars.STRIPE_API_KEY?.trim();
const stoppers: Array<() => Promise<void>> = [];

let stopping = false;
async function stop(code = 0): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping…');
  await Promise.allSettled(stoppers.map((stopOne) => stopOne()));
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

try {
  if (demo) {
    const { emulatorStateFile, startDemo } = await import('../dev/demo.ts');
    const staleSiteState = existsSync(join(STATE_DIR, 'v3')) && !existsSync(emulatorStateFile(STATE_DIR));
    const {
      emulator,
      outboxUrl,
      stop: stopDemo,
    } = await startDemo({
      stateDir: STATE_DIR,
      vars,
      sitePort: SITE_PORT,
      emulatorPort: EMULATOR_PORT,
      outboxPort: OUTBOX_PORT,
      // Bank debits (the delayed-payment demo) settle by themselves after 10 s.
      asyncPaymentDelayMs: 10_000,
      log: (line) => console.log(`[stripe-emulator] ${line}`),
    });
    stoppers.push(stopDemo);
    console.log(`
┌──────────────────────────────────────────────────────────────────────┐
  DEMO MODE: no STRIPE_API_KEY is configured, so payments go to a local
  Stripe emulator at ${emulator.url}. Nothing leaves this machine.

  Open      ${SITE_URL}
  Pay with  4242 4242 4242 4242 (any future date, any CVC)
  Decline   4000 0000 0000 0002
  Outbox    ${outboxUrl}  (sign-in links, and Stripe's receipts)
  Owner     ${SITE_URL}/admin  (parcels, labels, the shop at a glance: a
            local stand-in for Cloudflare Access signs you in, on this machine only)

  Subscribers, payments and the catalog are kept in .wrangler/state.
  Start over (and reseed src/content/shop/catalog.json): npm start -- --fresh

  To use your Stripe test account instead: cp .dev.vars.example .dev.vars,
  set STRIPE_API_KEY (rk_test_...) and STRIPE_WEBHOOK_SECRET, run again.
  Ctrl-C stops the site and the emulator.
└──────────────────────────────────────────────────────────────────────┘
`);
    // A site state from before the emulator kept its own names customers and prices that no longer exist.
    if (staleSiteState)
      console.log(
        'Note: .wrangler/state holds site data from an earlier run whose Stripe emulator state was not kept.\nIf My Page answers "No such customer", start over with: npm start -- --fresh\n',
      );
  } else {
    const { applyLocalMigrations, startBuiltWorker } = await import('../dev/built-worker.ts');
    applyLocalMigrations(STATE_DIR);
    const site = await startBuiltWorker({ port: SITE_PORT, persistDir: STATE_DIR, vars });
    stoppers.push(() => site.stop());
    console.log(`\n  Storefront: ${SITE_URL}  (your Stripe account, from .dev.vars; Ctrl-C to stop)`);
    console.log(`  Owner:      ${SITE_URL}/admin  (behind Cloudflare Access: ACCESS_TEAM_DOMAIN and ACCESS_AUD)\n`);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  await stop(1);
}
