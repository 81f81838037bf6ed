import { startOutbox, type Outbox } from '../../dev/outbox.ts';
import { TEST_SIGN_IN_FROM } from '../support/stack.ts';
import { choosePlan, expect, payOnCheckout, test } from './fixtures.ts';

test.use({
  stackVars: { DEMO_MODE: 'true', PUBLIC_STRIPE_CUSTOMER_PORTAL_URL: '', SIGN_IN_EMAIL_FROM: TEST_SIGN_IN_FROM },
});

let outbox: Outbox | undefined;
test.afterAll(async () => {
  await outbox?.close();
});

test('a new device: ask for a link on My Page, open it from the outbox, reach your own portal and members area', async ({
  browser,
  stack,
}) => {
  outbox = await startOutbox({ workerUrl: stack.url });
  const email = 'new.phone@example.com';
  const laptop = await browser.newContext({ locale: 'en-US' });
  const buy = await laptop.newPage();
  await buy.goto(stack.url);
  await choosePlan(buy, 'Monthly Coffee Beans', email);
  await payOnCheckout(buy, { card: '4242 4242 4242 4242' });
  await expect(buy.getByRole('heading', { name: 'Thank you for subscribing!' })).toBeVisible();
  await laptop.close();

  const phone = await browser.newContext({ locale: 'en-US' });
  const page = await phone.newPage();
  await page.goto(`${stack.url}/mypage`);
  await expect(page.getByRole('heading', { name: 'Open My Page with your e-mail' })).toBeVisible();
  await page.getByLabel('E-mail address').fill(email);
  await page.getByRole('button', { name: 'Send me a link' }).click();
  await expect(page.getByRole('heading', { name: 'Check your inbox' })).toBeVisible();

  // An unknown address gets the same page.
  const stranger = await phone.newPage();
  await stranger.goto(`${stack.url}/mypage`);
  await stranger.getByLabel('E-mail address').fill('nobody@example.com');
  await stranger.getByRole('button', { name: 'Send me a link' }).click();
  await expect(stranger.getByRole('heading', { name: 'Check your inbox' })).toBeVisible();
  await stranger.close();

  await expect(async () => {
    await page.goto(outbox!.url);
    await expect(page.getByRole('article').filter({ hasText: email })).toHaveCount(1);
  }).toPass({ timeout: 10_000 });
  await expect(page.getByText('nobody@example.com')).toHaveCount(0);
  const link = page.getByRole('article').filter({ hasText: email }).getByRole('link');
  const href = (await link.getAttribute('href')) ?? '';
  await link.click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(new RegExp(`^${stack.emulator.url}/portal/`));
  await expect(page.getByText(email)).toBeVisible();

  await page.goto(`${stack.url}/members`);
  await expect(page.getByRole('heading', { name: 'Members area' })).toBeVisible();

  // The link worked once.
  const again = await browser.newContext({ locale: 'en-US' });
  const replay = await again.newPage();
  await replay.goto(href);
  await expect(replay.getByRole('heading', { name: 'This link no longer works' })).toBeVisible();
  await again.close();
  await phone.close();
});
