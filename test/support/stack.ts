/**
 * The system under test: the Stripe emulator (the only fake) on loopback, and the built site in
 * workerd pointed at it through STRIPE_API_BASE, with webhooks wired both ways.
 */
import { startEmulator, type Emulator } from '../../dev/stripe-emulator/server.ts';
import { startWorker, type RunningWorker, type WorkerVars } from './worker.ts';
import { fakeStripeSecret } from './fake-secrets.ts';

export const TEST_API_KEY = fakeStripeSecret('rk_test');
export const TEST_WEBHOOK_SECRET = fakeStripeSecret('whsec');
export const TEST_PORTAL_LOGIN_URL = 'https://billing.stripe.com/p/login/test_integration';

export interface Stack {
  emulator: Emulator;
  worker: RunningWorker;
  url: string;
  close(): Promise<void>;
}

/** Starts emulator + site. `vars` override the defaults (a complete native-catalog configuration). */
export async function startStack(vars: WorkerVars = {}, options: { persistDir?: string } = {}): Promise<Stack> {
  const emulator = await startEmulator({ log: false, retrySchedule: [50, 100, 200] });
  try {
    const worker = await startWorker({
      persistDir: options.persistDir,
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
