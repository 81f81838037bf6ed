import { expect, payOnCheckout, test } from './fixtures.ts';

test.describe('storefront journeys (demo mode, emulator, real Chromium)', () => {
  test('1. browse: seeded plans with formatted prices, in English and in Japanese', async ({ browser, stack }) => {
    const en = await browser.newContext({ locale: 'en-US' });
    const page = await en.newPage();
    await page.goto(stack.url);
    await expect(page).toHaveTitle(/Hanamame Coffee/);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    const monthly = page.getByRole('article').filter({ hasText: 'Monthly Coffee Beans' });
    await expect(monthly).toContainText('¥1,500 / month');
    await expect(page.getByRole('article').filter({ hasText: 'Yearly Coffee Beans' })).toContainText('¥15,000 / year');
    await expect(page.getByRole('article').filter({ hasText: 'USD' })).toContainText('$9.99 / month');
    await expect(page.getByText('Demo mode', { exact: true })).toBeVisible();
    await expect(page.getByRole('link', { name: 'My Page' })).toHaveAttribute('href', '/mypage');
    await en.close();

    const ja = await browser.newContext({ locale: 'ja-JP' });
    const jaPage = await ja.newPage();
    await jaPage.goto(stack.url);
    await expect(jaPage.locator('html')).toHaveAttribute('lang', 'ja');
    await expect(jaPage.getByRole('link', { name: 'マイページ' })).toBeVisible();
    await expect(jaPage.getByRole('article').filter({ hasText: 'Monthly Coffee Beans' })).toContainText('￥1,500 / 月');
    await expect(jaPage.getByRole('button', { name: /申し込む/ }).first()).toBeVisible();
    await ja.close();
  });

  test('2–5. subscribe, isolation, declined card, cancel from the portal', async ({ browser, stack }) => {
    // 2. Subscribe with 4242 and reach this visitor's portal.
    const buyer = await browser.newContext({ locale: 'en-US' });
    const page = await buyer.newPage();
    await page.goto(stack.url);
    await page.getByRole('article').filter({ hasText: 'Monthly Coffee Beans' }).getByRole('button', { name: /Subscribe/ }).click();
    await expect(page).toHaveURL(new RegExp(`^${stack.emulator.url}/checkout/`));
    await expect(page.getByText('Monthly Coffee Beans').first()).toBeVisible();
    await payOnCheckout(page, '4242 4242 4242 4242');
    await expect(page).toHaveURL(new RegExp(`^${stack.url}/thanks\\?session_id=cs_test_`));
    await expect(page.getByRole('heading', { name: 'Thank you for subscribing!' })).toBeVisible();
    await expect(page.getByText('Monthly Coffee Beans')).toBeVisible();
    const customers = [...stack.emulator.state.customers.values()];
    const customer = customers.find((c) => c.email === 'coffee.lover@example.com');
    expect(customer).toBeDefined();
    await page.getByRole('link', { name: /My Page/ }).first().click();
    await expect(page).toHaveURL(new RegExp(`^${stack.emulator.url}/portal/`));
    await expect(page.getByTestId('portal-customer')).toContainText(customer!.id);

    // 3. Isolation: another browser does not reach that customer.
    const stranger = await browser.newContext({ locale: 'en-US' });
    const strangerPage = await stranger.newPage();
    await strangerPage.goto(stack.url);
    await strangerPage.getByRole('link', { name: 'My Page' }).click();
    await expect(strangerPage.getByRole('heading', { name: 'No subscription found' })).toBeVisible();
    await expect(strangerPage.locator('body')).not.toContainText(customer!.id);
    await stranger.close();

    // 5. Cancel from the portal, then back to the shop through return_url.
    const subscription = page.getByTestId('portal-subscription').first();
    await expect(subscription).toContainText(/active/i);
    await subscription.getByRole('button', { name: /cancel/i }).click();
    await expect(page.getByTestId('portal-subscription').first()).toContainText(/canceled/i);
    await expect.poll(() => stack.emulator.deliveries.filter((d) => d.type === 'customer.subscription.deleted' && d.status === 200).length).toBe(1);
    await page.getByRole('link', { name: /return/i }).click();
    await expect(page).toHaveURL(`${stack.url}/`);
    await expect(page.getByRole('heading', { name: 'Hanamame Coffee', level: 1 })).toBeVisible();
    await buyer.close();

    // 4. Declined card: error on Checkout, back to the shop, no binding written.
    const declined = await browser.newContext({ locale: 'en-US' });
    const declinedPage = await declined.newPage();
    await declinedPage.goto(stack.url);
    await declinedPage.getByRole('article').filter({ hasText: 'Yearly Coffee Beans' }).getByRole('button', { name: /Subscribe/ }).click();
    await payOnCheckout(declinedPage, '4000 0000 0000 0002', 'declined@example.com');
    await expect(declinedPage.getByRole('alert')).toContainText('Your card was declined.');
    await expect(declinedPage).toHaveURL(new RegExp(`^${stack.emulator.url}/checkout/`));
    await declinedPage.getByRole('link', { name: /back|cancel/i }).first().click();
    await expect(declinedPage).toHaveURL(`${stack.url}/`);
    await declinedPage.getByRole('link', { name: 'My Page' }).click();
    await expect(declinedPage.getByRole('heading', { name: 'No subscription found' })).toBeVisible();
    expect([...stack.emulator.state.customers.values()].some((c) => c.email === 'declined@example.com')).toBe(false);
    await declined.close();
  });
});
