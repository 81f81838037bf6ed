/**
 * The README's run command. Builds the site, applies migrations/ to the local D1 and serves the
 * site in workerd (dev/built-worker.ts; local KV and D1 under .wrangler/state like `wrangler dev`).
 * Without a configured STRIPE_API_KEY it runs the offline demo: it also starts the local Stripe
 * emulator, whose state is kept next to the site's (.wrangler/state/stripe-emulator.json), and points
 * the site at it. `npm start -- --fresh` deletes .wrangler/state first. Ctrl-C stops everything it started.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs, parseEnv } from 'node:util';

const ROOT = resolve(import.meta.dirname, '..');
const SITE_PORT = Number(process.env.PORT ?? 4321);
const EMULATOR_PORT = Number(process.env.EMULATOR_PORT ?? 12111);
const OUTBOX_PORT = Number(process.env.OUTBOX_PORT ?? 4322);
const SITE_URL = `http://localhost:${SITE_PORT}`;
const STATE_DIR = join(ROOT, '.wrangler/state');
/** The emulator's customers, subscriptions and catalog ids, next to the site's local D1 and KV that name them. */
const EMULATOR_STATE = join(STATE_DIR, 'stripe-emulator.json');

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

// Imported after the build: the worker runner reads dist/.
const { applyLocalMigrations, startBuiltWorker } = await import('../dev/built-worker.ts');
if (flags.fresh) {
  rmSync(STATE_DIR, { recursive: true, force: true });
  console.log(
    'Starting over (--fresh): deleted .wrangler/state (the local D1 and KV, the sent e-mails and the Stripe emulator state).',
  );
}
// A site state from before the emulator kept its own names customers and prices that no longer exist.
const staleSiteState = existsSync(join(STATE_DIR, 'v3')) && !existsSync(EMULATOR_STATE);
console.log('Applying D1 migrations to the local database…');
applyLocalMigrations(STATE_DIR);
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
    const { startEmulator } = await import('../dev/stripe-emulator/server.ts');
    // A fresh secret per run: the emulator signs with it, the site verifies with it.
    const webhookSecret = `whsec_${randomBytes(24).toString('hex')}`;
    const emulator = await startEmulator({
      port: EMULATOR_PORT,
      // Customers, subscriptions and the catalog's ids survive a restart, as the site's D1 and KV do.
      stateFile: EMULATOR_STATE,
      webhookUrl: `http://127.0.0.1:${SITE_PORT}/webhook`,
      webhookSecret,
      // Bank debits (the delayed-payment demo) settle by themselves after 10 s.
      asyncPaymentDelayMs: 10_000,
      log: (line) => console.log(`[stripe-emulator] ${line}`),
    });
    stoppers.push(() => emulator.close());
    const site = await startBuiltWorker({
      port: SITE_PORT,
      persistDir: STATE_DIR,
      vars: {
        ...vars,
        // The emulator accepts only the key it made up for this run.
        STRIPE_API_KEY: emulator.apiKey,
        STRIPE_WEBHOOK_SECRET: webhookSecret,
        STRIPE_API_BASE: emulator.url,
        DEMO_MODE: 'true',
        // The demo shop posts beans within Japan, so Checkout asks for the address (.dev.vars may name other countries).
        SHIPPING_COUNTRIES: vars.SHIPPING_COUNTRIES?.trim() || 'JP',
        // Sign-in links go through the send_email binding, whose local simulation keeps them for the outbox.
        SIGN_IN_EMAIL_FROM: vars.SIGN_IN_EMAIL_FROM || 'shop@hanamame.example',
        // The embeds need the real Stripe.js; the demo shows the native catalog.
        PUBLIC_STRIPE_PRICING_TABLE_ID: '',
        PUBLIC_STRIPE_BUY_BUTTON_ID: '',
      },
    });
    stoppers.push(() => site.stop());
    const { startOutbox } = await import('../dev/outbox.ts');
    // Stripe's receipts (the emulator's e-mails) show next to the shop's own.
    const outbox = await startOutbox({
      workerUrl: site.url,
      port: OUTBOX_PORT,
      stripeEmails: () => emulator.state.emails,
    });
    stoppers.push(() => outbox.close());
    console.log(`
┌──────────────────────────────────────────────────────────────────────┐
  DEMO MODE: no STRIPE_API_KEY is configured, so payments go to a local
  Stripe emulator at ${emulator.url}. Nothing leaves this machine.

  Open      ${SITE_URL}
  Pay with  4242 4242 4242 4242 (any future date, any CVC)
  Decline   4000 0000 0000 0002
  Outbox    ${outbox.url}  (sign-in links, and Stripe's receipts)
  Owner     ${SITE_URL}/admin  (parcels, labels, the shop at a glance: a
            local stand-in for Cloudflare Access signs you in, on this machine only)

  Subscribers, payments and the catalog are kept in .wrangler/state.
  Start over (and reseed src/content/shop/catalog.json): npm start -- --fresh

  To use your Stripe test account instead: cp .dev.vars.example .dev.vars,
  set STRIPE_API_KEY (rk_test_...) and STRIPE_WEBHOOK_SECRET, run again.
  Ctrl-C stops the site and the emulator.
└──────────────────────────────────────────────────────────────────────┘
`);
    if (staleSiteState)
      console.log(
        'Note: .wrangler/state holds site data from an earlier run whose Stripe emulator state was not kept.\nIf My Page answers "No such customer", start over with: npm start -- --fresh\n',
      );
  } else {
    const site = await startBuiltWorker({ port: SITE_PORT, persistDir: STATE_DIR, vars });
    stoppers.push(() => site.stop());
    console.log(`\n  Storefront: ${SITE_URL}  (your Stripe account, from .dev.vars; Ctrl-C to stop)`);
    console.log(`  Owner:      ${SITE_URL}/admin  (behind Cloudflare Access: ACCESS_TEAM_DOMAIN and ACCESS_AUD)\n`);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  await stop(1);
}
