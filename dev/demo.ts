/**
 * The offline demo shop (`npm start` without a Stripe key): the Stripe emulator, the built site in
 * workerd pointed at it, and the outbox, all keeping their state in one directory so a restart finds
 * yesterday's subscribers. The e2e journey that restarts the demo starts it the same way.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { applyLocalMigrations, startBuiltWorker } from './built-worker.ts';
import { startOutbox } from './outbox.ts';
import { startEmulator, type Emulator } from './stripe-emulator/server.ts';

export interface DemoOptions {
  /** Local D1, KV, sent e-mails and the emulator's `stripe-emulator.json` (npm start: .wrangler/state). */
  stateDir: string;
  /** The site's variables (.dev.vars); the Stripe ones are replaced by the emulator's. */
  vars: Record<string, string>;
  /** 0 = any free port. */
  sitePort?: number;
  emulatorPort?: number;
  outboxPort?: number;
  /** Bank debits settle by themselves after this long (npm start: 10 s). */
  asyncPaymentDelayMs?: number;
  /** The emulator's lines; the site logs to stdout. */
  log?: ((line: string) => void) | false;
  /** The site's log lines. Default: printed. */
  onSiteLog?: (line: string) => void;
}

export interface Demo {
  siteUrl: string;
  outboxUrl: string;
  emulator: Emulator;
  stop: () => Promise<void>;
}

/** The emulator's state file inside the demo's state directory, next to the site's D1 and KV that name its ids. */
export function emulatorStateFile(stateDir: string): string {
  return join(stateDir, 'stripe-emulator.json');
}

export async function startDemo(options: DemoOptions): Promise<Demo> {
  applyLocalMigrations(options.stateDir);
  // A fresh secret per run: the emulator signs with it, the site verifies with it.
  const webhookSecret = `whsec_${randomBytes(24).toString('hex')}`;
  const emulator = await startEmulator({
    port: options.emulatorPort ?? 0,
    // Customers, subscriptions and the catalog's ids survive a restart, as the site's D1 and KV do.
    stateFile: emulatorStateFile(options.stateDir),
    asyncPaymentDelayMs: options.asyncPaymentDelayMs,
    log: options.log ?? false,
  });
  const stops: Array<() => Promise<void>> = [() => emulator.close()];
  const stop = async () => {
    await Promise.allSettled(stops.reverse().map((stopOne) => stopOne()));
  };
  try {
    const { vars } = options;
    const site = await startBuiltWorker({
      port: options.sitePort ?? 0,
      persistDir: options.stateDir,
      onLog: options.onSiteLog,
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
    stops.push(() => site.stop());
    emulator.setWebhook(`${site.url}/webhook`, webhookSecret);
    // Stripe's receipts (the emulator's e-mails) show next to the shop's own.
    const outbox = await startOutbox({
      workerUrl: site.url,
      port: options.outboxPort ?? 0,
      stripeEmails: () => emulator.state.emails,
    });
    stops.push(() => outbox.close());
    return { siteUrl: site.url, outboxUrl: outbox.url, emulator, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
