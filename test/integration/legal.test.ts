import { describe, expect, it } from 'vitest';
import { CookieClient } from '../support/client.ts';
import { textOf, withoutBreaks } from '../support/shop.ts';
import { startWorker, useStack } from '../support/stack.ts';
import { SECURE_VISITOR_COOKIE as VISITOR_COOKIE } from '../../src/lib/visitor/cookie.ts';

const JA = { 'accept-language': 'ja' };
const EN = { 'accept-language': 'en-US,en;q=0.9' };
/** The sample banner, in the page's language only (a shopper's review found both languages on one page). */
const BANNER = {
  ja: 'これは見本の表記です。開店前に、お店の実際の内容に書き換えてください。',
  en: 'This is a sample. Replace it with the shop’s own details before opening.',
} as const;
const PAGES = [
  { path: '/legal/tokushoho', ja: '特定商取引法に基づく表記', en: 'Commerce disclosure' },
  { path: '/legal/terms', ja: '利用規約', en: 'Terms of service' },
  { path: '/legal/privacy', ja: 'プライバシーポリシー', en: 'Privacy policy' },
];
const LINKS = ['href="/legal/tokushoho"', 'href="/legal/terms"', 'href="/legal/privacy"'];
/** The English pages link to the English legal pages. */
const EN_LINKS = LINKS.map((link) => link.replace('"/', '"/en/'));

describe('legal pages', () => {
  const ctx = useStack();

  it.each(PAGES)('$path answers 200 in Japanese and English, with its title and the sample banner', async (page) => {
    for (const [path, title, lang, links] of [
      [page.path, page.ja, 'ja', LINKS],
      [`/en${page.path}`, page.en, 'en', EN_LINKS],
    ] as const) {
      const response = await fetch(`${ctx.stack.url}${path}`, { redirect: 'manual' });
      expect(response.status).toBe(200);
      const html = withoutBreaks(await response.text());
      expect(html).toContain(`<html lang="${lang}"`);
      expect(html).toMatch(new RegExp(`<h1[^>]*>${title}</h1>`));
      expect(textOf(html)).toContain(BANNER[lang]);
      expect(textOf(html)).not.toContain(BANNER[lang === 'ja' ? 'en' : 'ja']);
      for (const link of links) expect(html).toContain(link);
      expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    }
  });

  it('lists every disclosure item and each plan’s tax-inclusive price', async () => {
    const ja = textOf(await (await fetch(`${ctx.stack.url}/legal/tokushoho`, { headers: JA })).text());
    for (const term of [
      '販売業者',
      '運営統括責任者',
      '所在地',
      '電話番号',
      'メールアドレス',
      '販売価格',
      '商品代金以外の必要料金',
      '引き渡し時期',
      '支払方法',
      '支払時期',
      '返品・交換・キャンセル',
      '営業時間',
    ])
      expect(ja).toContain(term);
    expect(ja).toContain('定期購入の解約方法');
    // The shop's language comes from Stripe (SHOP_LANGUAGE=ja), the reduced-rate mark from product metadata.
    expect(ja).toMatch(/毎月のコーヒー豆 ￥1,500 \/ 月（税込）・軽減税率対象/);
    expect(ja).toMatch(/年間コーヒー豆 ￥15,000 \/ 年（税込）/);
    const en = textOf(await (await fetch(`${ctx.stack.url}/legal/tokushoho`, { headers: EN })).text());
    expect(en).toMatch(/Monthly Coffee Beans ¥1,500 \/ month \(incl\. tax\) · reduced tax rate \(food\)/);
    expect(en).toMatch(/\$9\.99 \/ month \(incl\. Japanese consumption tax\)/);
  });

  it('is private for a browser with a visitor cookie (the layout may show its status)', async () => {
    const client = new CookieClient(ctx.stack.url);
    client.cookies.set(VISITOR_COOKIE, 'SomeBrowser00000000000010000000000000000000');
    for (const { path } of PAGES)
      expect((await client.get(path)).headers.get('cache-control')).toBe('private, no-store');
  });

  it.each(PAGES)('answers HEAD like GET, and 405 to a same-origin POST of $path', async ({ path }) => {
    const head = await fetch(`${ctx.stack.url}${path}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const post = await new CookieClient(ctx.stack.url).postForm(path, {});
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('links the three pages from the storefront’s and the members-only page’s footers, in the page language', async () => {
    for (const path of ['/', '/members']) {
      const ja = withoutBreaks(await (await fetch(`${ctx.stack.url}${path}`, { headers: JA })).text());
      for (const link of LINKS) expect(ja).toContain(link);
      for (const { ja: title } of PAGES) expect(ja).toContain(`>${title}</a>`);
      const en = await (await fetch(`${ctx.stack.url}${path}`, { headers: EN })).text();
      for (const { en: title } of PAGES) expect(en).toContain(`>${title}</a>`);
    }
  });

  it('shows the agreement line with the terms and disclosure links on the e-mail step', async () => {
    const client = new CookieClient(ctx.stack.url);
    const storefront = await (await client.get('/en/', EN)).text();
    const price = /name="price" value="([^"]+)"/.exec(storefront)?.[1] ?? '';
    const step = await client.postForm('/en/checkout', { price }, EN);
    expect(step.status).toBe(200);
    const html = await step.text();
    expect(textOf(html)).toContain('By continuing you agree to the terms of service');
    expect(html).toContain('<a href="/en/legal/terms">terms of service</a>');
    expect(html).toContain('<a href="/en/legal/tokushoho">commerce disclosure</a>');
  });
});

describe('legal pages without a catalog', () => {
  it('show the profile and say the prices are on the storefront', async () => {
    const worker = await startWorker({ vars: {} });
    try {
      const response = await fetch(`${worker.url}/legal/tokushoho`, { headers: JA });
      expect(response.status).toBe(200);
      const text = textOf(await response.text());
      expect(text).toContain('販売業者');
      expect(text).toContain('各プランの価格（税込）はストアのページに表示しています。');
    } finally {
      await worker.stop();
    }
  });
});
