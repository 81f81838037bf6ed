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

test('a link someone else asked for: the other browser is told whose account it opens, and Checkout asks before charging it', async ({
  browser,
  stack,
}) => {
  outbox ??= await startOutbox({ workerUrl: stack.url });
  const attackerEmail = 'mallory@attacker.example';
  stack.emulator.addCustomer({ email: attackerEmail });

  // The attacker asks for a link to her own inbox, from her own browser.
  const attacker = await browser.newContext({ locale: 'ja-JP' });
  const asking = await attacker.newPage();
  await asking.goto(`${stack.url}/mypage`);
  await asking.getByTestId('sign-in').getByLabel('メールアドレス').fill(attackerEmail);
  await asking.getByRole('button', { name: 'リンクを送る' }).click();
  await expect(asking.getByRole('heading', { name: 'メールをご確認ください' })).toBeVisible();
  let href = '';
  await expect(async () => {
    await asking.goto(outbox!.url);
    href =
      (await asking.getByRole('article').filter({ hasText: attackerEmail }).getByRole('link').getAttribute('href')) ??
      '';
    expect(href).toContain('/sign-in/confirm?token=');
  }).toPass({ timeout: 10_000 });
  await attacker.close();

  // The victim opens it on a phone: the page names the (masked) account and warns before anything happens.
  const victim = await browser.newContext({ locale: 'ja-JP', viewport: { width: 390, height: 844 } });
  const page = await victim.newPage();
  await page.goto(href);
  await expect(page.getByTestId('signing-in-as')).toHaveText('ma•••@attacker.example のアカウントでログインします。');
  await expect(page.getByTestId('other-browser-warning')).toContainText('別のブラウザーまたは端末から申し込まれたもの');
  await expect(page.getByText(attackerEmail)).toHaveCount(0);

  // Pressed anyway: signed in, but the next plan chosen names the account before any Checkout starts.
  await page.getByRole('button', { name: 'ma•••@attacker.example でログインする' }).click();
  await page.goto(stack.url);
  await page
    .getByRole('article')
    .filter({ hasText: '毎月のコーヒー豆' })
    .getByRole('button', { name: /申し込む/ })
    .first()
    .click();
  await expect(page.getByTestId('account-step')).toContainText('ma•••@attacker.example でログインしています');
  await page.getByRole('button', { name: '別のメールアドレスで申し込む' }).click();
  await expect(page.getByLabel('メールアドレス')).toHaveValue('');
  await page.getByLabel('メールアドレス').fill('victim@example.jp');
  await page.getByRole('button', { name: 'お支払いへ進む' }).click();
  await expect(page).toHaveURL(new RegExp(`^${stack.emulator.url}/checkout/`));
  const [session] = [...stack.emulator.state.checkoutSessions.values()].filter(
    (candidate) => candidate.customer_email === 'victim@example.jp',
  );
  expect(session?.customer).toBeNull();
  await victim.close();
});
