/**
 * "I'm away next month": a Japanese subscriber on a phone skips the next delivery from their storefront and sees
 * the new dates, and the owner's list at /admin agrees (the demo's stand-in signs the owner in).
 */
import { expect, payOnCheckout, test } from './fixtures.ts';

test.use({ stackVars: { DEMO_MODE: 'true', PUBLIC_STRIPE_CUSTOMER_PORTAL_URL: '', SHIPPING_COUNTRIES: 'JP' } });

const DATE = /\d{4}年\d{1,2}月\d{1,2}日/;

test('a subscriber skips next month at 390 px in Japanese, sees the new dates, and the owner’s list agrees', async ({
  browser,
  stack,
}) => {
  const monthly = [...stack.emulator.state.prices.values()].find(
    (price) => price.active && price.lookup_key === 'monthly_coffee_beans_1m_jpy',
  );
  if (!monthly) throw new Error('no seeded ¥1,500 price');
  const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto(stack.url);
  await page
    .getByRole('article')
    .filter({ has: page.locator(`input[name="price"][value="${monthly.id}"]`) })
    .getByRole('button', { name: /申し込む/ })
    .click();
  await page.getByLabel('メールアドレス').fill('tabi@example.jp');
  await page.getByRole('button', { name: 'お支払いへ進む' }).click();
  await payOnCheckout(page, { card: '4242 4242 4242 4242' });
  await expect(page).toHaveURL(new RegExp(`^${stack.url}/thanks\\?session_id=cs_test_`));
  await stack.emulator.settle();

  await page.goto(stack.url);
  const changes = page.getByTestId('delivery-changes');
  await expect(changes.getByRole('heading', { name: 'お届けの変更' })).toBeVisible();
  await expect(changes.getByTestId('cutoff')).toContainText('のお届け分の受付締切');
  // The button names the date it skips and the date of the delivery after it.
  const skip = changes.getByTestId('skip-next');
  const label = (await skip.textContent()) ?? '';
  const [skipped, following] = [...label.matchAll(new RegExp(DATE, 'g'))].map((match) => match[0]);
  expect(skipped).toBeDefined();
  expect(following).toBeDefined();
  await skip.click();

  await expect(page.getByTestId('change-flash')).toHaveText(/次回のお届けをスキップしました/);
  const dates = page.getByTestId('delivery-dates');
  await expect(dates).toContainText(`お休みするお届け：${skipped}`);
  await expect(dates).toContainText(`次回のお届け：${following}`);
  await expect(changes.getByRole('button', { name: 'スキップを取り消す' })).toBeVisible();
  // Nothing on the page is wider than the phone.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  const ownerContext = await browser.newContext({ locale: 'ja-JP' });
  const owner = await ownerContext.newPage();
  await owner.goto(`${stack.url}/admin`);
  const list = owner.getByTestId('changed-subscriptions');
  await expect(list).toContainText(`お休み：${skipped}`);
  await expect(list.getByTestId('next-shipment')).toHaveText(following ?? '');
  await ownerContext.close();
  await context.close();
});
