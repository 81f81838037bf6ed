/** The owner's pages (the demo's stand-in lets the owner in): the packing list, marks, label files, the results import. */
import Encoding from 'encoding-japanese';
import { describe, expect, it } from 'vitest';
import { shipmentNumber } from '../../src/lib/shipments/number.ts';
import { CookieClient } from '../support/client.ts';
import { eventually, seededPrice, subscribe, textOf, withoutBreaks } from '../support/shop.ts';
import { rawRequest } from '../support/raw-http.ts';
import { TEST_SIGN_IN_FROM, useStack } from '../support/stack.ts';
import { shipment } from '../unit/shipments/fixtures.ts';

const ctx = useStack({ DEMO_MODE: 'true', SHIPPING_COUNTRIES: 'JP', SIGN_IN_EMAIL_FROM: TEST_SIGN_IN_FROM });

/** The owner's browser: the stand-in needs no token on loopback; the language is the owner's. */
function owner(lang: 'ja' | 'en' = 'en'): CookieClient {
  const client = new CookieClient(ctx.stack.url);
  client.cookies.set('lang', lang);
  return client;
}

const cp932 = (text: string) =>
  Uint8Array.from(Encoding.convert(Encoding.stringToCode(text), { to: 'SJIS', from: 'UNICODE' }));
const fromCp932 = (bytes: ArrayBuffer) =>
  Encoding.convert(new Uint8Array(bytes), { to: 'UNICODE', from: 'SJIS', type: 'string' });

async function upload(client: CookieClient, bytes: Uint8Array<ArrayBuffer>, origin = ctx.stack.url): Promise<Response> {
  const form = new FormData();
  form.set('file', new Blob([bytes], { type: 'text/csv' }), 'issued.csv');
  return client.request('/admin/labels', { method: 'POST', body: form, headers: { origin } });
}

describe('the packing list', () => {
  it('lists a new subscriber’s parcel, marks it shipped once, notifies once, and shows the subscriber the link', async () => {
    const subscriber = new CookieClient(ctx.stack.url);
    const { customerId } = await subscribe(subscriber, ctx.stack.emulator, {
      price: seededPrice(ctx.stack.emulator, 1500),
    });
    await ctx.stack.emulator.settle();
    const parcel = (await ctx.inspect.shipments()).find((s) => s.customerId === customerId);
    if (!parcel) throw new Error('no parcel');
    expect(textOf(await (await subscriber.get('/en/')).text())).toContain('Being prepared: it ships by');

    const list = await owner().get('/admin/shipments');
    expect(list.status).toBe(200);
    const html = await list.text();
    expect(html).toContain(shipmentNumber(parcel.id));
    expect(html).toContain(parcel.shipTo.name);

    const mark = () =>
      owner().postForm('/admin/shipments', {
        carrier: 'yamato',
        shipments: parcel.id,
        [`tracking:${parcel.id}`]: '1234-5678-9012',
      });
    expect(textOf(await (await mark()).text())).toContain('1 marked shipped.');
    await eventually(async () => (await ctx.inspect.outbox()).some((mail) => mail.subject.includes('shipped')));
    expect(textOf(await (await mark()).text())).toContain('Already shipped with this tracking number.');
    const address = ctx.stack.emulator.state.customers.get(customerId)?.email ?? '';
    const notices = (await ctx.inspect.outbox()).filter(
      (mail) => mail.to.includes(address) && /shipped|発送/.test(mail.subject),
    );
    expect(notices).toHaveLength(1);
    const notice = notices[0];
    expect(notice?.text).toContain('123456789012');
    expect(notice?.text).not.toContain(parcel.shipTo.name);

    const storefront = await (await subscriber.get('/en/')).text();
    expect(storefront).toContain('data-testid="tracking-link"');
    expect(storefront).toContain('crjz.b.NQ0010?id=123456789012');
  });

  it('refuses a cross-site post (Astro’s origin check) and changes nothing', async () => {
    await ctx.arrange.shipment(shipment({ id: 'in_1CrossSite' }));
    const response = await owner().postForm(
      '/admin/shipments',
      { carrier: 'yamato', shipments: 'in_1CrossSite', 'tracking:in_1CrossSite': '123456789012' },
      { origin: 'https://evil.example' },
    );
    expect(response.status).toBe(403);
    expect((await ctx.inspect.shipments()).find((s) => s.id === 'in_1CrossSite')?.status).toBe('to_ship');
  });

  it('speaks the owner’s language, and its switch stays among the owner’s pages', async () => {
    const ja = await owner('ja').get('/admin');
    expect(await ja.text()).toContain('ショップの状況');
    const browser = new CookieClient(ctx.stack.url);
    expect(await (await browser.get('/admin', { 'accept-language': 'en' })).text()).toContain('The shop at a glance');
    const switched = await browser.get('/admin/language?to=ja&next=/admin/labels');
    expect(switched.status).toBe(303);
    expect(switched.headers.get('location')).toBe('/admin/labels');
    expect(browser.cookies.get('lang')).toBe('ja');
    for (const next of ['//evil.example', 'https://evil.example', '/mypage', '/admin/../mypage'])
      expect(
        (await browser.get(`/admin/language?to=en&next=${encodeURIComponent(next)}`)).headers.get('location'),
      ).toBe('/admin');
  });
});

describe('label files and the results import', () => {
  it('lists the parcels a carrier cannot print before the download, and leaves them out of the file', async () => {
    const unprintable = shipment({ id: 'in_1Unprintable', shipTo: { ...shipment().shipTo, name: '髙橋 美咲' } });
    await ctx.arrange.shipment(unprintable);
    const page = await (await owner().get('/admin/labels')).text();
    const b2 = page.slice(page.indexOf('data-testid="format-b2"'), page.indexOf('data-testid="format-clickpost"'));
    expect(b2).toContain(shipmentNumber(unprintable.id));
    expect(withoutBreaks(b2)).toContain('<mark class="unprintable">髙</mark>');

    const file = await owner().get('/admin/labels?download=b2&part=1');
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('text/csv; charset=Shift_JIS');
    expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="b2-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(file.headers.get('cache-control')).toBe('no-store');
    const text = fromCp932(await file.arrayBuffer());
    expect(text.startsWith('お客様管理番号,')).toBe(true);
    expect(text).not.toContain(shipmentNumber(unprintable.id));
    expect(text).toContain(shipmentNumber('in_1CrossSite'));
  });

  it('imports B2’s issued labels: matches are shipped, the rest reported and never applied', async () => {
    await ctx.arrange.shipment(shipment({ id: 'in_1ImportMe' }));
    await ctx.arrange.shipment(shipment({ id: 'in_1CalledOff' }));
    await (
      await ctx.stack.worker.db()
    )
      .prepare("UPDATE shipments SET status = 'cancelled' WHERE invoice_id = 'in_1CalledOff'")
      .run();
    const row = (number: string, tracking: string) => `"${number}","0","0","${tracking}","2026/03/04"`;
    const csv = [
      'お客様管理番号,送り状種類,クール区分,伝票番号,出荷予定日',
      row('1ImportMe', '555566667777'),
      row('1CalledOff', '555566667778'),
      row('1NoSuchParcel', '555566667779'),
    ].join('\r\n');
    const response = await upload(owner(), cp932(csv));
    expect(response.status).toBe(200);
    const result = textOf(await response.text());
    expect(result).toContain('1 marked shipped.');
    expect(result).toContain('Row 2 1CalledOff Cancelled: do not send this parcel.');
    expect(result).toContain('Row 3 1NoSuchParcel No such shipment.');
    const parcels = await ctx.inspect.shipments();
    expect(parcels.find((s) => s.id === 'in_1ImportMe')).toMatchObject({ status: 'shipped', carrier: 'yamato' });
    expect(parcels.find((s) => s.id === 'in_1CalledOff')).toMatchObject({ status: 'cancelled', trackingNumber: null });
  });

  it('refuses an upload over 1 MiB, a cross-site upload, and a file that is not B2’s', async () => {
    // Refused from Content-Length before the body is read: a raw client reads the answer fetch() would lose to EPIPE.
    const boundary = 'oversize';
    const body = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="issued.csv"\r\nContent-Type: text/csv\r\n\r\n${'A'.repeat(1024 * 1024 + 1)}\r\n--${boundary}--\r\n`;
    const { host } = new URL(ctx.stack.url);
    const oversized = await rawRequest(
      ctx.stack.url,
      `POST /admin/labels HTTP/1.1\nHost: ${host}\nOrigin: ${ctx.stack.url}\nContent-Type: multipart/form-data; boundary=${boundary}\nContent-Length: ${body.length}\nConnection: close`,
      body,
    );
    expect(oversized.status).toBe(413);
    expect((await upload(owner(), cp932('a,b\r\n1,2'), 'https://evil.example')).status).toBe(403);
    expect((await upload(owner(), cp932('just one column\r\nx'))).status).toBe(422);
  });
});

describe('the owner’s home', () => {
  it('shows today’s parcels, the subscribers, the last webhook and the charts with their numbers as text', async () => {
    await ctx.stack.worker.scheduled();
    const response = await owner().get('/admin');
    const html = await response.text();
    expect(html).toMatch(/data-testid="today"/);
    expect(textOf(html)).toMatch(/\d+ to ship/);
    expect(html).toContain('data-testid="subscribers"');
    expect(textOf(html)).toMatch(/Last event applied: [a-z_.]+ \(/);
    expect(textOf(html)).toMatch(/Last run: .+ re-read/);
    expect(html).toMatch(/<svg[^>]+role="img"/);
    expect(html).toMatch(/<desc id="shipments-desc">[^<]*Week of/);
    expect(textOf(html)).toContain('The owner’s pages open with the demo’s stand-in.');
  });
  it('runs npm run doctor’s checks with the site’s key on /admin/checks, reads only, each failure with its fix', async () => {
    const home = await (await owner('ja').get('/admin')).text();
    expect(home).toContain('href="/admin/checks"');
    const before = ctx.stack.emulator.requests.length;
    const response = await owner().get('/admin/checks');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const html = await response.text();
    expect(textOf(html)).toMatch(/\d+ to fix, \d+ fine, \d+ not checked here/);
    expect(html).toContain('data-testid="checks-stripe-key"');
    // The demo's sample profile is a failure, with the fix beside it.
    expect(html).toMatch(/data-status="fail">[\s\S]*?Fix: /);
    const calls = ctx.stack.emulator.requests.slice(before);
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((call) => call.method === 'GET')).toBe(true);
  });
});
