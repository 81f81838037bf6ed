/**
 * Playwright fixtures: each test file gets the Stripe emulator and the built site in workerd
 * (free ports, fresh KV), and every failing test leaves a screenshot and the page HTML in test-results/.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startStack, type Stack } from '../support/stack.ts';
import type { WorkerVars } from '../support/worker.ts';

// No e-mail login portal: it lives on stripe.com, which this machine cannot reach.
export const E2E_DEFAULT_VARS: WorkerVars = { DEMO_MODE: 'true', PUBLIC_STRIPE_CUSTOMER_PORTAL_URL: '' };

export const test = base.extend<{ saveOnFailure: void }, { stack: Stack; stackVars: WorkerVars }>({
  stackVars: [E2E_DEFAULT_VARS, { scope: 'worker', option: true }],
  stack: [
    async ({ stackVars }, use) => {
      const stack = await startStack(stackVars);
      await use(stack);
      await stack.close();
    },
    { scope: 'worker' },
  ],
  saveOnFailure: [
    async ({ page }, use, testInfo) => {
      await use();
      if (testInfo.status !== testInfo.expectedStatus) {
        const dir = join('test-results', testInfo.titlePath.join(' - ').replace(/[^\w.-]+/g, '_').slice(0, 150));
        mkdirSync(dir, { recursive: true });
        await page.screenshot({ path: join(dir, 'failure.png'), fullPage: true }).catch(() => undefined);
        writeFileSync(join(dir, 'page.html'), await page.content().catch(() => ''));
      }
    },
    { auto: true },
  ],
});

export { expect };

/** Fills the emulator's hosted Checkout form and submits it. */
export async function payOnCheckout(page: Page, card: string, email = 'coffee.lover@example.com'): Promise<void> {
  await page.getByLabel(/e-?mail/i).fill(email);
  await page.getByLabel(/card number/i).fill(card);
  await page.getByLabel(/expir/i).fill('12 / 34');
  await page.getByLabel(/cvc/i).fill('123');
  await page.getByRole('button', { name: /pay|subscribe/i }).click();
}
