/**
 * Takes screenshots of the main pages (en and ja, 1280 px and 390 px wide) into screenshots/
 * (git-ignored), against the emulator and the built site. Usage: npm run screenshots
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { payOnCheckout } from '../test/support/checkout-page.ts';
import { startStack, startWorker, TEST_SIGN_IN_FROM } from '../test/support/stack.ts';
import { shipment } from '../test/unit/shipments/fixtures.ts';

const OUT = resolve(import.meta.dirname, '../screenshots');
mkdirSync(OUT, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
  ],
});
const stack = await startStack(
  {
    DEMO_MODE: 'true',
    PUBLIC_STRIPE_CUSTOMER_PORTAL_URL: '',
    SIGN_IN_EMAIL_FROM: TEST_SIGN_IN_FROM,
    // As the demo shop (npm start): beans by post, so Checkout asks for the delivery address.
    SHIPPING_COUNTRIES: 'JP',
  },
  { emulator: { testFixtures: false } },
);
const unconfigured = await startWorker({ vars: {} });
// A parcel whose name B2クラウド cannot print (髙): the labels page lists it before the download.
await stack.arrange.shipment(
  shipment({ id: 'in_1ScreenshotTakahashi', shipTo: { ...shipment().shipTo, name: '髙橋 美咲' } }),
);
const shot = (page: Page, name: string) => page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
try {
  for (const width of [1280, 390]) {
    for (const locale of ['en-US', 'ja-JP']) {
      const context = await browser.newContext({ viewport: { width, height: 900 }, locale });
      const page = await context.newPage();
      const tag = `${locale.slice(0, 2)}-${width}`;
      await page.goto(stack.url);
      await shot(page, `storefront-${tag}`);
      for (const legal of ['tokushoho', 'terms', 'privacy']) {
        await page.goto(`${stack.url}/legal/${legal}`);
        await shot(page, `legal-${legal}-${tag}`);
      }
      await page.goto(stack.url);
      await page.getByRole('article').first().getByRole('button').click();
      await page.getByLabel(/mail|メール/).fill('not-an-address');
      await page.locator('form button').click();
      await shot(page, `email-step-invalid-${tag}`);
      await page.getByLabel(/mail|メール/).fill(`shots-${tag}@example.com`);
      await page.locator('form button').click();
      await page.waitForURL(/\/checkout\//);
      await shot(page, `checkout-${tag}`);
      await payOnCheckout(page, { card: '4242 4242 4242 4242' });
      await page.waitForURL(/\/thanks/);
      await shot(page, `thanks-${tag}`);
      await page.goto(stack.url);
      await shot(page, `storefront-subscriber-${tag}`);
      await page.goto(`${stack.url}/members`);
      await shot(page, `members-${tag}`);
      // The owner's pages (the demo's stand-in for Cloudflare Access signs the owner in on loopback).
      await page.goto(`${stack.url}/admin`);
      await shot(page, `admin-home-${tag}`);
      await page.goto(`${stack.url}/admin/labels`);
      await shot(page, `admin-labels-${tag}`);
      await page.goto(`${stack.url}/admin/shipments`);
      await shot(page, `admin-shipments-${tag}`);
      const trackingInputs = page.locator('tr:not([data-shipment="in_1ScreenshotTakahashi"]) input[name^="tracking:"]');
      for (let i = 0; i < (await trackingInputs.count()); i++)
        await trackingInputs.nth(i).fill(String(400000000000 + i));
      await page.getByRole('button', { name: /Mark shipped|発送済みにする/ }).click();
      await shot(page, `admin-marked-${tag}`);
      await page.goto(`${stack.url}/admin/shipments?view=history`);
      await shot(page, `admin-history-${tag}`);
      await page.goto(stack.url);
      await shot(page, `storefront-parcel-${tag}`);
      await page.goto(`${stack.url}/mypage`);
      await page.waitForURL(/\/portal\//);
      await page.getByRole('button', { name: /Fail the next renewal|次回の更新を失敗させる/ }).click();
      await shot(page, `portal-${tag}`);
      await page.goto(stack.url);
      await shot(page, `storefront-past-due-${tag}`);
      const fresh = await browser.newContext({ viewport: { width, height: 900 }, locale });
      const other = await fresh.newPage();
      await other.goto(`${stack.url}/mypage`);
      await shot(other, `sign-in-${tag}`);
      await other.getByRole('textbox').fill(`shots-${tag}@example.com`);
      await other.locator('form button').click();
      await shot(other, `sign-in-sent-${tag}`);
      await other.goto(`${stack.url}/sign-in/confirm?token=${'A'.repeat(43)}`);
      await shot(other, `sign-in-invalid-${tag}`);
      await other.goto(`${stack.url}/members`);
      await shot(other, `members-only-${tag}`);
      await other.goto(unconfigured.url);
      await shot(other, `not-configured-${tag}`);
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
