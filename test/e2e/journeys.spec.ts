import { choosePlan, expect, payOnCheckout, test } from './fixtures.ts';
import { SECURE_VISITOR_COOKIE as VISITOR_COOKIE } from '../../src/lib/visitor/cookie.ts';

const CARD_OK = { card: '4242 4242 4242 4242' };

test('browse: the seeded plans with formatted prices, in English and in Japanese', async ({ browser, stack }) => {
  const en = await browser.newContext({ locale: 'en-US' });
  const page = await en.newPage();
  await page.goto(stack.url);
  // An English browser's first visit lands on the English URL.
  await expect(page).toHaveURL(`${stack.url}/en/`);
  await expect(page).toHaveTitle(/Hanamame Coffee/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  // One card per product: the catalog file's three and the test fixtures' USD plan.
  await expect(page.getByRole('article')).toHaveCount(4);
  const monthlyBeans = page.getByRole('article').filter({ hasText: 'Monthly Coffee Beans' });
  await expect(monthlyBeans).toHaveCount(1);
  // Its intervals are the choices of its form, every month first.
  const howOften = monthlyBeans.getByRole('group', { name: 'How often' });
  await expect(howOften.getByRole('radio', { name: /Every month/ })).toBeChecked();
  await expect(howOften.getByRole('radio', { name: /Every 2 months ¥1,500/ })).not.toBeChecked();
  await expect(monthlyBeans).toContainText('Each delivery: two 200 g bags (whole beans)');
  await expect(page.getByRole('article').filter({ hasText: 'Yearly Coffee Beans' })).toContainText('¥15,000 / year');
  await expect(page.getByRole('article').filter({ hasText: 'USD' })).toContainText('$9.99 / month');
  await expect(page.getByText('Demo mode', { exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: 'My Page' })).toHaveAttribute('href', '/en/mypage');
  await en.close();

  const ja = await browser.newContext({ locale: 'ja-JP' });
  const jaPage = await ja.newPage();
  await jaPage.goto(stack.url);
  await expect(jaPage.locator('html')).toHaveAttribute('lang', 'ja');
  await expect(jaPage.getByRole('link', { name: 'マイページ' })).toBeVisible();
  // Japanese first: the names as entered in Stripe; the reduced-rate mark from product metadata.
  const monthly = jaPage.getByRole('article').filter({ hasText: '毎月のコーヒー豆' });
  await expect(monthly.getByRole('radio', { name: /毎月\s*￥1,500\s*（税込）/ })).toBeChecked();
  await expect(monthly).toContainText('軽減税率対象');
  await expect(jaPage.getByRole('article').filter({ hasText: 'ゴールドブレンド' })).toContainText(
    '￥2,000 / 月（税込）',
  );
  await ja.close();
});

test('the e-mail step in Japanese: a malformed address is explained, then Checkout shows it locked with the terms', async ({
  browser,
  stack,
}) => {
  const context = await browser.newContext({ locale: 'ja-JP' });
  const page = await context.newPage();
  await page.goto(stack.url);
  const labels = { subscribe: /申し込む/, email: 'メールアドレス', next: 'お支払いへ進む' };
  await choosePlan(page, '年間コーヒー豆', 'not-an-address', labels);
  await expect(page.getByRole('alert')).toContainText('@ を 1 つだけ含むメールアドレス');
  // The last page before Checkout shows the subscription's terms, as Checkout will.
  const terms = page.getByTestId('final-terms');
  await expect(terms).toContainText('ご契約内容の確認（定期購入）');
  await expect(terms).toContainText('毎年自動で更新');
  await page.getByLabel('メールアドレス').fill('kohi@example.jp');
  await page.getByRole('button', { name: 'お支払いへ進む' }).click();
  await expect(page).toHaveURL(new RegExp(`^${stack.emulator.url}/checkout/`));
  // Checkout speaks the shop page's language (the site sends locale=ja).
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
  await expect(page.getByLabel('メールアドレス')).toHaveValue('kohi@example.jp');
  await expect(page.getByLabel('メールアドレス')).toHaveAttribute('readonly', '');
  await expect(page.getByTestId('checkout-amount')).toContainText('￥15,000');
  // The final screen (特商法 Article 12-6): every item of the terms above the button, in Japanese.
  const submitMessage = page.getByTestId('checkout-submit-message');
  for (const item of [
    '【1回のお届け内容】年間コーヒー豆：200 g × 2袋（豆のまま）を毎月',
    '【お支払い金額】￥15,000 / 年（税込）',
    '【契約期間・自動更新】解約のお手続きをされるまで、毎年自動で更新',
    '【初回のお支払い】本日',
    '【お支払い方法・時期】',
    '【お届け時期】',
    '【解約について】',
  ])
    await expect(submitMessage).toContainText(item);
  // Consent to our terms, linking our own page.
  const consent = page.getByTestId('checkout-terms');
  await expect(consent.getByRole('link', { name: '利用規約' })).toHaveAttribute('href', `${stack.url}/legal/terms`);
  await context.close();
});

test('subscribe: pay, thanks, members area, and this customer’s own portal', async ({ browser, stack }) => {
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(stack.url);
  await choosePlan(page, 'Monthly Coffee Beans', 'coffee.lover@example.com');
  await payOnCheckout(page, CARD_OK);
  await expect(page).toHaveURL(new RegExp(`^${stack.url}/en/thanks\\?session_id=cs_test_`));
  await expect(page.getByRole('heading', { name: 'Thank you for subscribing!' })).toBeVisible();
  const cookie = (await context.cookies()).find((c) => c.name === VISITOR_COOKIE);
  expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax', path: '/' });

  await page.getByRole('link', { name: 'Back to the plans' }).click();
  await expect(page.getByTestId('current-plan')).toHaveText('Your plan');
  await expect(page.getByRole('button', { name: /Subscribe/ })).toHaveCount(0);
  await page.getByRole('link', { name: 'Members' }).click();
  await expect(page.getByRole('heading', { name: 'Members area' })).toBeVisible();

  await page.getByRole('banner').getByRole('link', { name: 'My Page' }).click();
  await expect(page).toHaveURL(new RegExp(`^${stack.emulator.url}/portal/`));
  await expect(page.getByTestId('portal-email')).toHaveText('coffee.lover@example.com');
  await context.close();
});

test('isolation: another browser reaches no one’s portal', async ({ browser, stack }) => {
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(stack.url);
  await page.getByRole('link', { name: 'My Page' }).click();
  await expect(page.getByRole('heading', { name: 'No subscription found' })).toBeVisible();
  await expect(page.locator('body')).not.toContainText('cus_');
  await page.goto(`${stack.url}/members`);
  await expect(page.getByRole('heading', { name: 'For subscribers only' })).toBeVisible();
  await context.close();
});

test('a declined card: the error on Checkout, back to the shop, nothing bound', async ({ browser, stack }) => {
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(stack.url);
  await choosePlan(page, 'Yearly Coffee Beans', 'declined@example.com');
  await payOnCheckout(page, { card: '4000 0000 0000 0002' });
  await expect(page.getByRole('alert')).toContainText('Your card was declined.');
  await page.getByRole('link', { name: /back/i }).first().click();
  await expect(page).toHaveURL(`${stack.url}/en/`);
  await page.getByRole('link', { name: 'My Page' }).click();
  await expect(page.getByRole('heading', { name: 'No subscription found' })).toBeVisible();
  expect([...stack.emulator.state.customers.values()].some((c) => c.email === 'declined@example.com')).toBe(false);
  await context.close();
});

test('a failed renewal: the banner, the card update in the portal, the banner gone; then cancel closes the members area', async ({
  browser,
  stack,
}) => {
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(stack.url);
  await choosePlan(page, 'Monthly Coffee Beans', 'renewal@example.com');
  await payOnCheckout(page, CARD_OK);
  await expect(page.getByRole('heading', { name: 'Thank you for subscribing!' })).toBeVisible();

  await page.getByRole('link', { name: 'Go to My Page' }).click();
  await page.getByRole('button', { name: 'Fail the next renewal' }).click();
  await expect(page.getByTestId('portal-subscription-status')).toHaveText('past_due');
  await page.getByRole('link', { name: /Return to the shop/ }).click();
  await expect(page.getByTestId('payment-banner')).toContainText('Your last payment failed: update your card');
  await expect(page.getByTestId('status-chip')).toHaveText('Payment overdue');

  await page.getByTestId('payment-banner').getByRole('link', { name: 'Update card' }).click();
  await page.getByLabel('Card number').fill('5555 5555 5555 4444');
  await page.getByRole('button', { name: 'Save payment method' }).click();
  await expect(page.getByTestId('portal-subscription-status')).toHaveText('active');
  await page.getByRole('link', { name: /Return to the shop/ }).click();
  await expect(page.getByTestId('payment-banner')).toHaveCount(0);
  await expect(page.getByTestId('current-plan')).toHaveText('Your plan');

  await page.getByRole('link', { name: 'My Page' }).click();
  await page.getByRole('button', { name: 'Cancel subscription' }).click();
  await expect(page.getByTestId('portal-subscription-status')).toHaveText('canceled');
  await page.goto(`${stack.url}/members`);
  await expect(page.getByRole('heading', { name: 'For subscribers only' })).toBeVisible();
  await page.goto(stack.url);
  await expect(page.getByRole('button', { name: /Subscribe/ })).toHaveCount(4);
  await context.close();
});
