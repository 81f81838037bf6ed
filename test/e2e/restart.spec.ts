/**
 * The demo survives a restart (issue 25): a subscriber made before `npm start` stopped still opens
 * My Page after it starts again, and a new visitor can still subscribe (the catalog's cached copy
 * names prices the restarted emulator knows). The demo is started as `npm start` starts it (dev/demo.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemo, type Demo } from '../../dev/demo.ts';
import { choosePlan, expect, payOnCheckout, test } from './fixtures.ts';

const JA = { subscribe: /申し込む/, email: 'メールアドレス', next: 'お支払いへ進む' };

test('stop and start the demo between subscribing and opening My Page', async ({ browser }) => {
  const stateDir = mkdtempSync(join(tmpdir(), 'demo-restart-'));
  const quiet = { stateDir, vars: {}, log: false as const, onSiteLog: () => {} };
  let demo: Demo | undefined = await startDemo(quiet);
  try {
    const ports = {
      sitePort: Number(new URL(demo.siteUrl).port),
      emulatorPort: Number(new URL(demo.emulator.url).port),
      outboxPort: Number(new URL(demo.outboxUrl).port),
    };
    const subscriber = await browser.newContext({ locale: 'ja-JP', viewport: { width: 390, height: 844 } });
    const page = await subscriber.newPage();
    await page.goto(demo.siteUrl);
    await choosePlan(page, '毎月のコーヒー豆', 'restart@example.jp', JA);
    await payOnCheckout(page, { card: '4242 4242 4242 4242' });
    await expect(page).toHaveURL(/\/thanks\?session_id=cs_test_/);
    await demo.emulator.settle();
    const customerBefore = [...demo.emulator.state.customers.keys()];

    await demo.stop();
    demo = undefined;
    demo = await startDemo({ ...quiet, ...ports });
    // The same customers, under the same ids, after the restart.
    expect([...demo.emulator.state.customers.keys()]).toEqual(customerBefore);

    await page.goto(demo.siteUrl);
    await expect(page.getByTestId('current-plan')).toHaveText('ご契約中のプラン');
    await expect(page.getByTestId('delivery').locator('address')).toContainText('〒150-0001');
    await page.getByRole('banner').getByRole('link', { name: 'マイページ' }).click();
    await expect(page).toHaveURL(new RegExp(`^${demo.emulator.url}/portal/`));
    await expect(page.getByTestId('portal-email')).toHaveText('restart@example.jp');
    await subscriber.close();

    // A newcomer after the restart reaches Checkout: the prices the site shows still exist.
    const newcomer = await browser.newContext({ locale: 'ja-JP' });
    const other = await newcomer.newPage();
    await other.goto(demo.siteUrl);
    await choosePlan(other, 'ゴールドブレンド', 'after-restart@example.jp', JA);
    await expect(other).toHaveURL(new RegExp(`^${demo.emulator.url}/checkout/`));
    await newcomer.close();
  } finally {
    await demo?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
});
