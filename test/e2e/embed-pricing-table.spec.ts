import { expect, test } from './fixtures.ts';

// Stripe's script cannot load offline: what this site is responsible for is the markup.
test.use({ stackVars: { PUBLIC_STRIPE_PRICING_TABLE_ID: 'prctbl_e2e123', PUBLIC_STRIPE_PUBLISHABLE_API_KEY: 'pk_test_e2e123' } });

test('6a. Pricing Table embed: element, script and this visitor’s id', async ({ page, stack, context }) => {
  await context.route('https://js.stripe.com/**', (route) => route.abort());
  await page.goto(stack.url);
  const table = page.locator('stripe-pricing-table');
  await expect(table).toHaveAttribute('pricing-table-id', 'prctbl_e2e123');
  await expect(table).toHaveAttribute('publishable-key', 'pk_test_e2e123');
  const visitor = (await context.cookies()).find((c) => c.name === 'visitor_id');
  expect(visitor?.httpOnly).toBe(true);
  expect(visitor?.sameSite).toBe('Lax');
  await expect(table).toHaveAttribute('client-reference-id', visitor!.value);
  await expect(page.locator('script[src="https://js.stripe.com/v3/pricing-table.js"]')).toHaveCount(1);
  await expect(page.locator('stripe-buy-button')).toHaveCount(0);
});
