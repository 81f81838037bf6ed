/**
 * Text wraps where a reader expects (issue 25): in Japanese only between phrases (BudouX's `<wbr>`s
 * split the text into one node per phrase, and CSS allows no other break but after punctuation), in
 * English only at spaces and hyphens, and nowhere inside a price, a number and its unit, or "incl. tax". Checked on the
 * rendered line boxes in Chromium: a line may begin inside a text node only after a breakable space.
 */
import type { Page } from '@playwright/test';
import { choosePlan, expect, payOnCheckout, test } from './fixtures.ts';

test.use({ stackVars: { DEMO_MODE: 'true', PUBLIC_STRIPE_CUSTOMER_PORTAL_URL: '', SHIPPING_COUNTRIES: 'JP' } });

interface SplitText {
  text: string;
  /** The text around the break, with a │ where the line ends. */
  at: string;
}

/** Every place where a line ends inside a text node at a character that is not a breakable space (or a hyphen in English). */
function splitsOn(page: Page): Promise<SplitText[]> {
  return page.evaluate(() => {
    const english = document.documentElement.lang === 'en';
    // Addresses and e-mails may break anywhere rather than overflow (overflow-wrap: anywhere), by design.
    const skipped = 'script, style, address, code, input, textarea, select, option, [data-allow-anywhere]';
    const found: { text: string; at: string }[] = [];
    const range = document.createRange();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.nodeValue ?? '';
      if (!text.trim() || node.parentElement?.closest(skipped)) continue;
      let previousTop: number | undefined;
      for (let index = 0; index < text.length; index += 1) {
        range.setStart(node, index);
        range.setEnd(node, index + 1);
        const rect = range.getClientRects()[0];
        if (!rect || rect.width === 0) continue;
        const before = text[index - 1] ?? '';
        // After Japanese punctuation a line may end (「保存期間：」「お申し込み・」), as Japanese typesetting allows.
        const breakable =
          before === ' ' ||
          before === '\n' ||
          '、。，．・：；！？）」』】〉》〕'.includes(before) ||
          (english && before === '-');
        if (previousTop !== undefined && rect.top - previousTop > 2 && !breakable)
          found.push({
            text: text.trim(),
            at: `${text.slice(Math.max(0, index - 8), index)}│${text.slice(index, index + 8)}`,
          });
        previousTop = rect.top;
      }
    }
    return found;
  });
}

async function expectNoSplits(page: Page, where: string): Promise<void> {
  expect(await splitsOn(page), where).toEqual([]);
}

for (const { locale, labels, plan } of [
  {
    locale: 'ja-JP',
    labels: { subscribe: /申し込む/, email: 'メールアドレス', next: 'お支払いへ進む' },
    plan: '毎月のコーヒー豆',
  },
  { locale: 'en-US', labels: undefined, plan: 'Monthly Coffee Beans' },
] as const) {
  for (const width of [390, 1280]) {
    test(`no word, number or price split across lines: ${locale} at ${width} px`, async ({ browser, stack }) => {
      const context = await browser.newContext({ locale, viewport: { width, height: 900 } });
      const page = await context.newPage();
      for (const path of ['/', '/legal/tokushoho', '/legal/terms', '/legal/privacy', '/mypage']) {
        await page.goto(`${stack.url}${path}`);
        await expectNoSplits(page, path);
      }
      await page.goto(stack.url);
      await choosePlan(page, plan, 'not-an-address', labels);
      await expectNoSplits(page, 'the e-mail step');
      await page.getByRole('textbox').first().fill(`lines-${locale}-${width}@example.jp`);
      await page.locator('form button').first().click();
      await payOnCheckout(page, { card: '4242 4242 4242 4242' });
      await expect(page).toHaveURL(/\/thanks\?session_id=/);
      await expectNoSplits(page, '/thanks');
      for (const path of ['/', '/members']) {
        await page.goto(`${stack.url}${path}`);
        await expectNoSplits(page, `${path} as a subscriber`);
      }
      await context.close();
    });
  }
}
