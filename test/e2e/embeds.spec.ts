import { visitorReference } from '../../src/lib/visitor/cookie.ts';
import { expect, test } from './fixtures.ts';
import { SECURE_VISITOR_COOKIE as VISITOR_COOKIE } from '../../src/lib/visitor/cookie.ts';

// Stripe's script cannot load offline: what this site is responsible for is the markup and the e-mail step.
test.use({
  stackVars: { PUBLIC_STRIPE_PRICING_TABLE_ID: 'prctbl_e2e123', PUBLIC_STRIPE_PUBLISHABLE_API_KEY: 'pk_test_e2e123' },
});

test('Pricing Table: only this visitor’s one-way reference, then the declared e-mail locked in as customer-email', async ({
  page,
  stack,
  context,
}) => {
  await context.route('https://js.stripe.com/**', (route) => route.abort());
  await page.goto(stack.url);
  const table = page.locator('stripe-pricing-table');
  await expect(table).toHaveAttribute('pricing-table-id', 'prctbl_e2e123');
  await expect(table).toHaveAttribute('publishable-key', 'pk_test_e2e123');
  const visitor = (await context.cookies()).find((c) => c.name === VISITOR_COOKIE);
  expect(visitor).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax' });
  // The page's HTML carries the reference, never the cookie (HttpOnly would not protect an attribute).
  await expect(table).toHaveAttribute('client-reference-id', await visitorReference(visitor?.value ?? ''));
  expect(await page.content()).not.toContain(visitor?.value ?? 'no-cookie');
  await expect(page.locator('script[src="https://js.stripe.com/v3/pricing-table.js"]')).toHaveCount(1);
  await expect(page.getByText('My Page opens with a link sent to it')).toBeVisible();

  await page.getByLabel('Your e-mail address').fill('Embed@Example.com');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('The payment page will use embed@example.com')).toBeVisible();
  await expect(page.locator('stripe-pricing-table')).toHaveAttribute('customer-email', 'embed@example.com');
});
