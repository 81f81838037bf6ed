/**
 * Checkout and the portal speak the shopper's language (issue 25): the shop sends the page's language
 * as `locale`, and Stripe's pages (here the emulator's) show their labels, country names and decline
 * messages in it. A yen shop's Checkout offers cards only (SEPA debits are for euros).
 */
import { SHIBUYA_ADDRESS, PHONE, RECIPIENT } from '../support/addresses.ts';
import { choosePlan, expect, payOnCheckout, test } from './fixtures.ts';

test.use({ stackVars: { DEMO_MODE: 'true', PUBLIC_STRIPE_CUSTOMER_PORTAL_URL: '', SHIPPING_COUNTRIES: 'JP' } });

const DECLINED = '4000 0000 0000 0002';
const CARD_OK = '4242 4242 4242 4242';
const shipping = { name: RECIPIENT, ...SHIBUYA_ADDRESS, phone: PHONE };

const LANGUAGES = [
  {
    locale: 'ja-JP',
    lang: 'ja',
    labels: { subscribe: /申し込む/, email: 'メールアドレス', next: 'お支払いへ進む' },
    plan: '毎月のコーヒー豆',
    country: '日本',
    declined: 'カードが拒否されました。',
    myPage: 'マイページ',
    portalTitle: 'カスタマーポータル（エミュレーター）',
    portalButton: '支払い方法を更新',
  },
  {
    locale: 'en-US',
    lang: 'en',
    labels: undefined,
    plan: 'Monthly Coffee Beans',
    country: 'Japan',
    declined: 'Your card was declined.',
    myPage: 'My Page',
    portalTitle: 'Customer portal (emulator)',
    portalButton: 'Update payment method',
  },
] as const;

for (const language of LANGUAGES) {
  test(`Checkout and the portal in ${language.lang}: labels, country, a declined card, cards only for yen`, async ({
    browser,
    stack,
  }) => {
    const context = await browser.newContext({ locale: language.locale });
    const page = await context.newPage();
    await page.goto(stack.url);
    await choosePlan(page, language.plan, `lang-${language.lang}@example.jp`, language.labels);
    await expect(page).toHaveURL(new RegExp(`^${stack.emulator.url}/checkout/`));
    await expect(page.locator('html')).toHaveAttribute('lang', language.lang);
    await expect(page.getByTestId('checkout-shipping').locator('select option:checked')).toHaveText(language.country);
    // Cards only: no bank debit choice, no IBAN box on a yen Checkout.
    await expect(page.locator('#iban')).toHaveCount(0);
    await expect(page.locator('input[name="method"]')).toHaveCount(0);

    await payOnCheckout(page, { card: DECLINED, shipping });
    await expect(page.getByRole('alert')).toHaveText(language.declined);
    await payOnCheckout(page, { card: CARD_OK, shipping });
    await expect(page).toHaveURL(new RegExp(`^${stack.url}/(en/)?thanks\\?session_id=cs_test_`));

    await page.getByRole('banner').getByRole('link', { name: language.myPage }).click();
    await expect(page).toHaveURL(new RegExp(`^${stack.emulator.url}/portal/`));
    await expect(page.locator('html')).toHaveAttribute('lang', language.lang);
    await expect(page).toHaveTitle(new RegExp(language.portalTitle.replace(/[()（）]/g, '.')));
    await expect(page.getByRole('button', { name: language.portalButton })).toBeVisible();
    await context.close();
  });
}
