import { visitorReference } from '../../src/lib/visitor/cookie.ts';
import { expect, test } from './fixtures.ts';
import { SECURE_VISITOR_COOKIE as VISITOR_COOKIE } from '../../src/lib/visitor/cookie.ts';

test.use({
  stackVars: { PUBLIC_STRIPE_BUY_BUTTON_ID: 'buy_btn_e2e42', PUBLIC_STRIPE_PUBLISHABLE_API_KEY: 'pk_test_e2e42' },
});

test('Buy Button: element, script and this visitor’s one-way reference', async ({ page, stack, context }) => {
  await context.route('https://js.stripe.com/**', (route) => route.abort());
  await page.goto(stack.url);
  const button = page.locator('stripe-buy-button');
  await expect(button).toHaveAttribute('buy-button-id', 'buy_btn_e2e42');
  await expect(button).toHaveAttribute('publishable-key', 'pk_test_e2e42');
  const visitor = (await context.cookies()).find((c) => c.name === VISITOR_COOKIE);
  await expect(button).toHaveAttribute('client-reference-id', await visitorReference(visitor?.value ?? ''));
  await expect(page.locator('script[src="https://js.stripe.com/v3/buy-button.js"]')).toHaveCount(1);
});
