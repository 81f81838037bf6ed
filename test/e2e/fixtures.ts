/**
 * Playwright fixtures: each test file gets the Stripe emulator and the built site in workerd
 * (free ports, fresh KV), and every failing test leaves a screenshot and the page HTML in test-results/.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Stack, type StackOptions, startStack, type WorkerVars } from '../support/stack.ts';

// No e-mail login portal: it lives on stripe.com, which this machine cannot reach.
const E2E_DEFAULT_VARS: WorkerVars = { DEMO_MODE: 'true', PUBLIC_STRIPE_CUSTOMER_PORTAL_URL: '' };

export const test = base.extend<
  { saveOnFailure: void },
  { stack: Stack; stackVars: WorkerVars; stackOptions: StackOptions }
>({
  stackVars: [E2E_DEFAULT_VARS, { scope: 'worker', option: true }],
  stackOptions: [{}, { scope: 'worker', option: true }],
  stack: [
    async ({ stackVars, stackOptions }, use) => {
      const stack = await startStack(stackVars, stackOptions);
      await use(stack);
      await stack.close();
    },
    { scope: 'worker' },
  ],
  saveOnFailure: [
    async ({ page }, use, testInfo) => {
      await use();
      if (testInfo.status !== testInfo.expectedStatus) {
        const dir = join(
          'test-results',
          testInfo.titlePath
            .join(' - ')
            .replace(/[^\w.-]+/g, '_')
            .slice(0, 150),
        );
        mkdirSync(dir, { recursive: true });
        await page.screenshot({ path: join(dir, 'failure.png'), fullPage: true }).catch(() => undefined);
        writeFileSync(join(dir, 'page.html'), await page.content().catch(() => ''));
      }
    },
    { auto: true },
  ],
});

export { expect };
export { payOnCheckout } from '../support/checkout-page.ts';

/**
 * Chooses a plan on the storefront (the first listed price of the product named `plan`: the monthly beans are
 * also sold every 2 and 3 months) and declares the e-mail on the shop's own step page.
 */
export async function choosePlan(
  page: Page,
  plan: string,
  email: string,
  labels = { subscribe: /Subscribe/, email: 'E-mail address', next: 'Continue to payment' },
): Promise<void> {
  await page
    .getByRole('article')
    .filter({ hasText: plan })
    .first()
    .getByRole('button', { name: labels.subscribe })
    .click();
  await page.getByLabel(labels.email).fill(email);
  await page.getByRole('button', { name: labels.next }).click();
}
