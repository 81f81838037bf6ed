/**
 * Takes screenshots of the main pages (en and ja, 1280 px and 390 px wide) into screenshots/
 * (git-ignored), against the emulator and the built site. Usage: npm run build && node scripts/screenshots.ts
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { startStack } from '../test/support/stack.ts';
import { startWorker } from '../test/support/worker.ts';

const OUT = resolve(import.meta.dirname, '../screenshots');
mkdirSync(OUT, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
const stack = await startStack({ DEMO_MODE: 'true', PUBLIC_STRIPE_CUSTOMER_PORTAL_URL: '' });
const unconfigured = await startWorker({ vars: {} });
try {
  for (const width of [1280, 390]) {
    for (const locale of ['en-US', 'ja-JP']) {
      const context = await browser.newContext({ viewport: { width, height: 900 }, locale });
      const page = await context.newPage();
      const tag = `${locale.slice(0, 2)}-${width}`;
      await page.goto(stack.url);
      await page.screenshot({ path: join(OUT, `storefront-${tag}.png`), fullPage: true });
      await page.getByRole('article').first().getByRole('button').click();
      await page.waitForURL(/\/checkout\//);
      await page.screenshot({ path: join(OUT, `checkout-${tag}.png`), fullPage: true });
      await page.getByLabel(/e-?mail/i).fill('shots@example.com');
      await page.getByLabel(/card number/i).fill('4242 4242 4242 4242');
      await page.getByLabel(/expir/i).fill('12 / 34');
      await page.getByLabel(/cvc/i).fill('123');
      await page.getByRole('button', { name: /pay|subscribe/i }).click();
      await page.waitForURL(/\/thanks/);
      await page.screenshot({ path: join(OUT, `thanks-${tag}.png`), fullPage: true });
      await page.getByRole('link', { name: /My Page|マイページ/ }).first().click();
      await page.waitForURL(/\/portal\//);
      await page.screenshot({ path: join(OUT, `portal-${tag}.png`), fullPage: true });
      const fresh = await browser.newContext({ viewport: { width, height: 900 }, locale });
      const other = await fresh.newPage();
      await other.goto(`${stack.url}/mypage`);
      await other.screenshot({ path: join(OUT, `no-subscription-${tag}.png`), fullPage: true });
      await other.goto(unconfigured.url);
      await other.screenshot({ path: join(OUT, `not-configured-${tag}.png`), fullPage: true });
      await fresh.close();
      await context.close();
    }
  }
  console.log(`screenshots in ${OUT}`);
} finally {
  await browser.close();
  await stack.close();
  await unconfigured.stop();
}
