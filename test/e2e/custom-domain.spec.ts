import { choosePlan, expect, test } from './fixtures.ts';

/**
 * An account with a custom domain gets Checkout on it. Chrome applies the storefront's form-action
 * to the redirect that follows POST /checkout, so the CSP must let it through. The emulator hands
 * out URLs on https://pay.example.test; the browser's requests to it are served by the emulator.
 */
const CUSTOM_DOMAIN = 'https://pay.example.test';
test.use({ stackOptions: { emulator: { publicUrl: CUSTOM_DOMAIN } } });

test('the redirect to Checkout on a custom domain is not blocked by the CSP', async ({ page, context, stack }) => {
  await context.route(`${CUSTOM_DOMAIN}/**`, async (route) => {
    const url = new URL(route.request().url());
    const response = await route.fetch({ url: `${stack.emulator.url}${url.pathname}${url.search}` });
    await route.fulfill({ response });
  });
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.goto(stack.url);
  await choosePlan(page, 'Monthly Coffee Beans', 'custom@example.com');
  await expect(page).toHaveURL(new RegExp(`^${CUSTOM_DOMAIN}/checkout/cs_test_`));
  await expect(page.getByRole('button', { name: /subscribe/i })).toBeVisible();
  expect(violations).toEqual([]);
});
