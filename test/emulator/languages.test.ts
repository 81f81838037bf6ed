/** Checkout and the portal in the session's language (`ja`, `en`, or the browser's for `auto`), as Stripe shows them. */
import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { idOf } from '../../dev/stripe-emulator/state.ts';
import { createSession, postForm, seeded, paidSubscription, useEmulator } from '../support/emulator.ts';

const h = useEmulator();

/** A hosted page as a browser with this Accept-Language gets it. */
async function open(url: string, acceptLanguage = ''): Promise<string> {
  return (await fetch(url, { headers: { 'accept-language': acceptLanguage } })).text();
}

const japaneseDate = (seconds: number) =>
  new Intl.DateTimeFormat('ja-JP', { dateStyle: 'medium' }).format(new Date(seconds * 1000));

describe('Checkout', () => {
  it('with locale ja: labels, amounts, intervals and country names in Japanese', async () => {
    const { bimonthly } = seeded(h.emulator);
    const session = await createSession(h.stripe, bimonthly.id, {
      locale: 'ja',
      shipping_address_collection: { allowed_countries: ['JP', 'US'] },
      phone_number_collection: { enabled: true },
      allow_promotion_codes: true,
    });
    const html = await open(String(session.url), 'en-US,en;q=0.9');
    expect(html).toContain('<html lang="ja">');
    for (const text of [
      '毎月のコーヒー豆のお申し込み',
      '<label for="email">メールアドレス</label>',
      '<label for="phone">電話番号</label>',
      '<legend>配送先住所</legend>',
      '<option value="JP" selected>日本</option>',
      '<option value="US">アメリカ合衆国</option>',
      '<label for="shipping_postal_code">郵便番号</label>',
      '<label for="promotion_code">プロモーションコード</label>',
      '<label for="card">カード番号</label>',
      '￥1,500<small>2か月ごと</small>',
      '本日のお支払い合計',
      '数量 1 · 2か月ごと請求',
      '<button type="submit">申し込む</button>',
      'テストモード',
    ])
      expect(html, text).toContain(text);
    expect(html).not.toContain('Card number');
  });

  it('declines in the page’s language, with Stripe’s wording', async () => {
    const { monthly } = seeded(h.emulator);
    const ja = await createSession(h.stripe, monthly.id, { locale: 'ja' });
    const declined = await postForm(String(ja.url), { email: 'nein@example.com', card: '4000 0000 0000 0002' });
    expect(declined.status).toBe(402);
    expect(await declined.text()).toContain('カードが拒否されました。');
    const poor = await postForm(String(ja.url), { email: 'nein@example.com', card: '4000 0000 0000 9995' });
    expect(await poor.text()).toContain('カードの残高が不足しています。');
    const en = await createSession(h.stripe, monthly.id, { locale: 'en' });
    const english = await postForm(String(en.url), { email: 'no@example.com', card: '4000 0000 0000 0002' });
    expect(await english.text()).toContain('Your card was declined.');
  });

  it('with locale auto (or none) follows the browser’s Accept-Language; English when it speaks neither', async () => {
    const { monthly } = seeded(h.emulator);
    for (const locale of ['auto', undefined] as const) {
      const session = await createSession(h.stripe, monthly.id, locale ? { locale } : {});
      expect(await open(String(session.url), 'ja,en-US;q=0.8')).toContain('<html lang="ja">');
      expect(await open(String(session.url), 'fr-FR,en;q=0.5,ja;q=0.4')).toContain('<html lang="en">');
      expect(await open(String(session.url), 'fr-FR')).toContain('<html lang="en">');
    }
    const english = await createSession(h.stripe, monthly.id, { locale: 'en' });
    expect(await open(String(english.url), 'ja')).toContain('<html lang="en">');
  });

  it('gives the customer it creates the language it was shown in', async () => {
    const { monthly } = seeded(h.emulator);
    const auto = await createSession(h.stripe, monthly.id, { locale: 'auto' });
    const response = await fetch(String(auto.url), {
      method: 'POST',
      headers: { 'accept-language': 'ja-JP' },
      body: new URLSearchParams({ email: 'kyaku@example.jp', card: '4242424242424242' }),
      redirect: 'manual',
    });
    expect(response.status).toBe(303);
    const paid = await h.stripe.checkout.sessions.retrieve(auto.id, { expand: ['customer'] });
    expect((paid.customer as Stripe.Customer).preferred_locales).toEqual(['ja']);
    // The test handle pays without a browser: an `auto` session shows no language.
    const handle = await h.emulator.completeCheckout(
      (await createSession(h.stripe, monthly.id, { locale: 'auto' })).id,
    );
    expect((await h.stripe.customers.retrieve(idOf(handle.customer))) as Stripe.Customer).toMatchObject({
      preferred_locales: [],
    });
  });
});

describe('the portal', () => {
  it('with locale ja: buttons, statuses, dates and plans in Japanese', async () => {
    const { monthly } = seeded(h.emulator);
    const subscription = await paidSubscription(h, monthly.id);
    const portal = await h.stripe.billingPortal.sessions.create({
      customer: idOf(subscription.customer),
      locale: 'ja',
      return_url: 'http://127.0.0.1:4321/',
    });
    const html = await open(portal.url, 'en');
    expect(html).toContain('<html lang="ja">');
    for (const text of [
      'カスタマーポータル（エミュレーター）',
      'data-status="active" data-testid="portal-subscription-status">有効<',
      `次回更新日：${japaneseDate(subscription.items.data[0]?.current_period_end ?? 0)}`,
      '￥1,500（毎月）',
      'type="submit">期間の終了時にキャンセル</button>',
      'type="submit">プランを変更</button>',
      '年間コーヒー豆 · ￥15,000（毎年）',
      'type="submit">今すぐ更新</button>',
      '← ショップに戻る',
    ])
      expect(html, text).toContain(text);
    const declined = await postForm(`${portal.url}/payment-method`, { card: '4000 0000 0000 0069' });
    expect(await declined.text()).toContain('カードの有効期限が切れています。');
  });

  it('with locale auto follows the browser', async () => {
    const { monthly } = seeded(h.emulator);
    const subscription = await paidSubscription(h, monthly.id);
    const portal = await h.stripe.billingPortal.sessions.create({ customer: idOf(subscription.customer) });
    expect(await open(portal.url, 'ja-JP,ja;q=0.9')).toContain('カスタマーポータル（エミュレーター）');
    expect(await open(portal.url, 'en-GB')).toContain('Customer portal (emulator)');
  });
});
