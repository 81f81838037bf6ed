/**
 * The owner ships a subscriber's beans: downloads the B2クラウド file from /admin (the demo's stand-in
 * signs the owner in), brings B2クラウド's issued labels back, and the subscriber's storefront shows the
 * parcel with the carrier's tracking link.
 */
import { readFileSync } from 'node:fs';
import Encoding from 'encoding-japanese';
import Papa from 'papaparse';
import { choosePlan, expect, payOnCheckout, test } from './fixtures.ts';

test.use({ stackVars: { DEMO_MODE: 'true', PUBLIC_STRIPE_CUSTOMER_PORTAL_URL: '', SHIPPING_COUNTRIES: 'JP' } });

const TRACKING_NUMBER = '4321-8765-0001';

test('the owner exports the B2 file, imports the issued labels, and the subscriber sees the tracking link', async ({
  browser,
  stack,
}) => {
  const subscriberContext = await browser.newContext({ locale: 'en-US' });
  const subscriber = await subscriberContext.newPage();
  await subscriber.goto(stack.url);
  await choosePlan(subscriber, 'Monthly', 'parcel@example.com');
  await payOnCheckout(subscriber, { card: '4242 4242 4242 4242' });
  await expect(subscriber).toHaveURL(/\/thanks\?session_id=/);
  await stack.emulator.settle();
  await subscriber.goto(stack.url);
  await expect(subscriber.getByTestId('parcel')).toContainText('Being prepared');

  const ownerContext = await browser.newContext({ locale: 'ja-JP', acceptDownloads: true });
  const owner = await ownerContext.newPage();
  await owner.goto(`${stack.url}/admin/labels`);
  await expect(owner.getByTestId('demo-stand-in')).toBeVisible();
  const [download] = await Promise.all([owner.waitForEvent('download'), owner.getByTestId('download-b2').click()]);
  expect(download.suggestedFilename()).toMatch(/^b2-\d{4}-\d{2}-\d{2}\.csv$/);
  const exported = Encoding.convert(readFileSync((await download.path()) ?? ''), {
    to: 'UNICODE',
    from: 'SJIS',
    type: 'string',
  });
  const [header, ...rows] = Papa.parse<string[]>(exported, { skipEmptyLines: true }).data;
  expect(header?.[0]).toBe('お客様管理番号');
  expect(rows).toHaveLength(1);

  // B2クラウド prints the label and keeps its 伝票番号 (No. 4) in the issued data it exports.
  const issued = rows.map((row) =>
    row.map((cell, index) => (index === 3 ? TRACKING_NUMBER.replaceAll('-', '') : cell)),
  );
  const file = Buffer.from(
    Encoding.convert(Encoding.stringToCode(Papa.unparse([header ?? [], ...issued], { newline: '\r\n' })), {
      to: 'SJIS',
      from: 'UNICODE',
    }),
  );
  await owner.getByLabel('CSV ファイル').setInputFiles({ name: 'issued.csv', mimeType: 'text/csv', buffer: file });
  await owner.getByRole('button', { name: '取り込む' }).click();
  await expect(owner.getByTestId('import-result')).toContainText('1件を発送済みにしました。');

  await owner.goto(`${stack.url}/admin/shipments?view=history`);
  await expect(owner.getByTestId('shipments')).toContainText('432187650001');

  await subscriber.goto(stack.url);
  const parcel = subscriber.getByTestId('parcel');
  await expect(parcel).toContainText('Shipped on');
  await expect(parcel.getByTestId('tracking-link')).toHaveAttribute('href', /id=432187650001$/);
  await ownerContext.close();
  await subscriberContext.close();
});
