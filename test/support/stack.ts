/**
 * The system under test: the Stripe emulator (the only fake) on loopback, and the built site in
 * workerd pointed at it through STRIPE_API_BASE, with webhooks wired both ways.
 */
import { startEmulator, type Emulator, type EmulatorOptions } from '../../dev/stripe-emulator/server.ts';
import { fakeStripeSecret } from './fake-secrets.ts';
import { startWorker, type RunningWorker, type WorkerVars } from './worker.ts';

export const TEST_API_KEY = fakeStripeSecret('rk_test');
export const TEST_WEBHOOK_SECRET = fakeStripeSecret('whsec');
export const TEST_PORTAL_LOGIN_URL = 'https://billing.stripe.com/p/login/test_integration';
/** Every test client talks from 127.0.0.1: tests that do not test throttling lift the limits. */
const UNTHROTTLED = 1_000_000;

export interface Stack {
  emulator: Emulator;
  worker: RunningWorker;
  url: string;
  close(): Promise<void>;
}

export interface StackOptions {
  persistDir?: string;
  /** Keep wrangler.toml's rate limits (10 per visitor, 60 per address a minute) instead of lifting them. */
  realRateLimits?: boolean;
  /** Extra emulator options (e.g. `publicUrl` for a custom Checkout domain). */
  emulator?: Partial<EmulatorOptions>;
}

/** Starts emulator + site. `vars` override the defaults (a complete native-catalog configuration). */
export async function startStack(vars: WorkerVars = {}, options: StackOptions = {}): Promise<Stack> {
  const emulator = await startEmulator({ log: false, retrySchedule: [50, 100, 200], ...options.emulator });
  try {
    const worker = await startWorker({
      persistDir: options.persistDir,
      rateLimit: options.realRateLimits ? undefined : UNTHROTTLED,
      vars: {
        STRIPE_API_KEY: TEST_API_KEY,
        STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
        STRIPE_API_BASE: emulator.url,
        PUBLIC_STRIPE_CUSTOMER_PORTAL_URL: TEST_PORTAL_LOGIN_URL,
        ...vars,
      },
    });
    emulator.setWebhook(`${worker.url}/webhook`, vars.STRIPE_WEBHOOK_SECRET ?? TEST_WEBHOOK_SECRET);
    return {
      emulator,
      worker,
      url: worker.url,
      async close() {
        await worker.stop();
        await emulator.close();
      },
    };
  } catch (error) {
    await emulator.close();
    throw error;
  }
}
