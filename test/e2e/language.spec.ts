import { expect, test } from './fixtures.ts';

test('the header switch opens the same page in English, and the shop remembers the choice', async ({
  browser,
  stack,
}) => {
  const context = await browser.newContext({ locale: 'ja-JP' });
  const page = await context.newPage();
  await page.goto(`${stack.url}/legal/tokushoho`);
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('特定商取引法に基づく表記');

  const toEnglish = page.getByRole('banner').getByRole('link', { name: 'English' });
  await expect(toEnglish).toHaveAttribute('hreflang', 'en');
  await expect(toEnglish).toHaveAttribute('lang', 'en');
  await toEnglish.click();
  await expect(page).toHaveURL(`${stack.url}/en/legal/tokushoho`);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Commerce disclosure');
  // The header and footer stay in English.
  await expect(page.getByRole('banner').getByRole('link', { name: 'My Page' })).toHaveAttribute('href', '/en/mypage');
  await expect(page.getByRole('contentinfo').getByRole('link', { name: 'Terms of service' })).toHaveAttribute(
    'href',
    '/en/legal/terms',
  );

  // Later, the Japanese browser opens the shop's address: the choice, not Accept-Language, decides.
  await page.goto(stack.url);
  await expect(page).toHaveURL(`${stack.url}/en/`);
  await expect(page.getByRole('button', { name: /Subscribe/ }).first()).toBeVisible();

  // And back: 日本語 opens the Japanese home, which stays Japanese.
  await page.getByRole('banner').getByRole('link', { name: '日本語' }).click();
  await expect(page).toHaveURL(`${stack.url}/`);
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
  await page.goto(`${stack.url}/mypage`);
  await expect(page).toHaveURL(`${stack.url}/mypage`);
  await context.close();
});

test('a first visit in English gets /en/, and a prefixed URL always renders its language', async ({
  browser,
  stack,
}) => {
  const english = await browser.newContext({ locale: 'en-US' });
  const page = await english.newPage();
  await page.goto(`${stack.url}/legal/terms`);
  await expect(page).toHaveURL(`${stack.url}/en/legal/terms`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Terms of service');
  await english.close();

  const japanese = await browser.newContext({ locale: 'ja-JP' });
  const shared = await japanese.newPage();
  await shared.goto(`${stack.url}/en/legal/terms`);
  await expect(shared).toHaveURL(`${stack.url}/en/legal/terms`);
  await expect(shared.locator('html')).toHaveAttribute('lang', 'en');
  await japanese.close();
});
