/** A bank debit (SEPA Direct Debit), which Checkout offers only for euros: processing, then settled. */
import { addEuroPrice } from '../support/emulator.ts';
import { choosePlan, expect, payOnCheckout, test } from './fixtures.ts';

// Its own stack, uncached: the euro plan this file adds must show on the storefront at once.
test.use({ stackVars: { DEMO_MODE: 'true', PUBLIC_STRIPE_CUSTOMER_PORTAL_URL: '', CATALOG_TTL_SECONDS: '0' } });

test('a bank debit: processing, then the async webhook, then My Page works', async ({ browser, stack }) => {
  addEuroPrice(stack.emulator);
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(stack.url);
  await choosePlan(page, 'Euro Roast', 'sepa@example.com');
  // The IBAN box shows only once the bank debit is chosen.
  await expect(page.getByLabel('IBAN')).toBeHidden();
  await payOnCheckout(page, { iban: 'DE89370400440532013000' });
  await expect(page.getByRole('heading', { name: 'Your payment is processing' })).toBeVisible();
  await expect(page.getByText('we will e-mail you')).toBeVisible();
  await stack.emulator.settleAsyncPayments();
  await page.getByRole('link', { name: 'Go to My Page' }).click();
  await expect(page.getByTestId('portal-subscription-status')).toHaveText('active');
  await context.close();
});

test('a yen plan offers cards only: no bank debit, no IBAN box', async ({ browser, stack }) => {
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(stack.url);
  await choosePlan(page, 'Monthly Coffee Beans', 'card-only@example.com');
  await expect(page.getByLabel('Card number')).toBeVisible();
  await expect(page.getByLabel(/Bank debit/)).toHaveCount(0);
  await expect(page.getByLabel('IBAN')).toHaveCount(0);
  await context.close();
});
