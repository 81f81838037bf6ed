/** A Japanese subscriber's delivery address: typed on Checkout, shown on their storefront and in My Page (the portal). */
import { expect, payOnCheckout, test } from './fixtures.ts';

test.use({ stackVars: { DEMO_MODE: 'true', PUBLIC_STRIPE_CUSTOMER_PORTAL_URL: '', SHIPPING_COUNTRIES: 'JP' } });

test('a Japanese visitor subscribes with a delivery address and sees it on the storefront and in My Page', async ({
  browser,
  stack,
}) => {
  const monthly = [...stack.emulator.state.prices.values()].find(
    (price) => price.active && price.lookup_key === 'monthly_coffee_beans_1m_jpy',
  );
  if (!monthly) throw new Error('no seeded ¥1,500 price');
  const context = await browser.newContext({ locale: 'ja-JP' });
  const page = await context.newPage();
  await page.goto(stack.url);
  // By price id, not by the product's name (the demo catalog's names change).
  await page
    .getByRole('article')
    .filter({ has: page.locator(`input[name="price"][value="${monthly.id}"]`) })
    .getByRole('button', { name: /申し込む/ })
    .click();
  await page.getByLabel('メールアドレス').fill('yamada@example.jp');
  await page.getByRole('button', { name: 'お支払いへ進む' }).click();
  await expect(page.getByTestId('checkout-shipping')).toBeVisible();
  // Checkout and the portal speak Japanese, as the shop's pages do (locale=ja).
  await expect(page.getByLabel('電話番号')).toBeVisible();
  await expect(page.getByLabel('国または地域')).toContainText('日本');
  // The helper types the Tokyo address of test/support/addresses.ts when the page asks for one.
  await payOnCheckout(page, { card: '4242 4242 4242 4242' });
  await expect(page).toHaveURL(new RegExp(`^${stack.url}/thanks\\?session_id=cs_test_`));
  // /thanks confirms where the beans go and by when the first bag leaves (the profile's shipping days).
  await expect(page.getByTestId('first-shipment')).toHaveText(
    /^最初のお届けは\d{4}年\d{1,2}月\d{1,2}日までに発送します。/,
  );
  await expect(page.getByTestId('delivery').locator('address')).toContainText('〒150-0001');

  await page.goto(stack.url);
  const delivery = page.getByTestId('delivery');
  await expect(delivery.getByRole('heading', { name: 'お届け先' })).toBeVisible();
  await expect(delivery.locator('address')).toHaveText(/山田 太郎 様\s*〒150-0001\s*東京都渋谷区神宮前1-2-3 101号室/);

  // My Page is this customer's portal: the same address, and the place to change it.
  await delivery.getByRole('link', { name: 'お届け先を変更する' }).click();
  await expect(page).toHaveURL(new RegExp(`^${stack.emulator.url}/portal/`));
  const portal = page.getByTestId('portal-shipping');
  await expect(portal.getByLabel('郵便番号')).toHaveValue('150-0001');
  await expect(portal.getByLabel('番地')).toHaveValue('神宮前1-2-3');
  await portal.getByLabel('郵便番号').fill('060-0001');
  await portal.getByLabel('都道府県').fill('北海道');
  await portal.getByLabel('市区町村').fill('札幌市中央区');
  await portal.getByLabel('番地').fill('北1条西1-1');
  await portal.getByLabel('建物名・部屋番号（任意）').fill('');
  await portal.getByRole('button', { name: '配送先住所を保存' }).click();
  await stack.emulator.settle();

  await page.goto(stack.url);
  await expect(page.getByTestId('delivery').locator('address')).toHaveText(
    /山田 太郎 様\s*〒060-0001\s*北海道札幌市中央区北1条西1-1/,
  );
  await context.close();
});
