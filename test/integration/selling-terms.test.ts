/**
 * What the site sends Checkout for a lawful Japanese subscription sale: the final screen's terms
 * (custom_text.submit), consent to our terms (consent_collection), Stripe Tax, and a shipping line.
 * The emulator refuses what Stripe refuses, so each session below is one Stripe would accept.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CookieClient } from '../support/client.ts';
import { seededPrice, startCheckout, stripeCalls, subscribe, subscriptionOf, textOf } from '../support/shop.ts';
import { useStack } from '../support/stack.ts';
import { stripeOn } from '../support/emulator.ts';

const JA = { 'accept-language': 'ja' };
const SHIPPING_PRICE = 'price_shipping_jp';

async function sessionFor(ctx: ReturnType<typeof useStack>, price: string, prefix = '') {
  const client = new CookieClient(ctx.stack.url);
  expect((await client.postForm(`${prefix}/checkout`, { price }, JA)).status).toBe(200);
  const response = await client.postForm(`${prefix}/checkout`, { price, email: 'terms@example.com' }, JA);
  expect(response.status).toBe(303);
  const id = /\/(cs_test_[A-Za-z0-9]+)/.exec(response.headers.get('location') ?? '')?.[1] ?? '';
  return stripeOn(ctx.stack.emulator).checkout.sessions.retrieve(id, { expand: ['line_items'] });
}

describe('the final screen’s terms, with a trial and promotion codes', () => {
  const ctx = useStack({ TRIAL_DAYS: '14', ALLOW_PROMOTION_CODES: 'true' });

  it('shows every item on the e-mail step, the last page before Checkout', async () => {
    const html = await (
      await new CookieClient(ctx.stack.url).postForm('/checkout', { price: seededPrice(ctx.stack.emulator, 1500) }, JA)
    ).text();
    const items = [...html.matchAll(/data-item="([a-zA-Z]+)"/g)].map((match) => match[1]);
    expect(items).toEqual([
      'contents',
      'price',
      'renewal',
      'firstCharge',
      'regularPrice',
      'payment',
      'delivery',
      'changes',
      'cancellation',
    ]);
    const text = textOf(html);
    expect(text).toContain('毎月のコーヒー豆：200 g × 2袋（豆のまま）');
    expect(text).toContain('14日間の無料お試しの後');
    expect(text).toContain('自動で更新');
  });

  it('puts the same terms above Checkout’s button, in the page’s language, within 1,200 characters', async () => {
    const session = await sessionFor(ctx, seededPrice(ctx.stack.emulator, 1500));
    expect(session.locale).toBe('ja');
    const message = session.custom_text.submit?.message ?? '';
    expect(message.length).toBeLessThanOrEqual(1200);
    for (const line of [
      '【1回のお届け内容】毎月のコーヒー豆：200 g × 2袋（豆のまま）',
      '【お支払い金額】￥1,500 / 月（税込）：軽減税率対象',
      '【契約期間・自動更新】',
      '【初回のお支払い】本日のお支払いはありません。14日間の無料お試しの後、',
      '【通常価格】',
      '【お支払い方法・時期】クレジットカード',
      '【お届け時期】',
      '【お届けの変更】次回のスキップ、1〜3か月の一時停止、お届け頻度の変更は、更新日の3日前の午前0時まで承ります。',
      '【解約について】マイページ',
    ])
      expect(message).toContain(line);
  });

  it('asks for consent to our terms, linking our own pages', async () => {
    const session = await sessionFor(ctx, seededPrice(ctx.stack.emulator, 1500));
    expect(session.consent_collection?.terms_of_service).toBe('required');
    const acceptance = session.custom_text.terms_of_service_acceptance?.message ?? '';
    expect(acceptance).toContain(`[利用規約](${ctx.stack.url}/legal/terms)`);
    expect(acceptance).toContain(`[プライバシーポリシー](${ctx.stack.url}/legal/privacy)`);
    expect(session.automatic_tax.enabled).toBe(false);
  });

  it('speaks English from an English page: the terms, the consent line and its links', async () => {
    const session = await sessionFor(ctx, seededPrice(ctx.stack.emulator, 1500), '/en');
    expect(session.locale).toBe('en');
    const message = session.custom_text.submit?.message ?? '';
    for (const line of [
      'Each delivery: Monthly Coffee Beans: two 200 g bags (whole beans)',
      'Price: ¥1,500 / month (incl. tax): reduced tax rate (food)',
      'Renewal: Renews automatically every month',
      'First charge: Nothing today: ¥1,500 (incl. tax) on ',
      'Regular price: From ',
      'Cancellation: ',
    ])
      expect(message).toContain(line);
    expect(session.custom_text.terms_of_service_acceptance?.message).toContain(
      `[terms of service](${ctx.stack.url}/en/legal/terms)`,
    );
  });
});

describe('a shipping line and Stripe Tax', () => {
  const ctx = useStack({ SHIPPING_COUNTRIES: 'JP', SHIPPING_PRICE, STRIPE_AUTOMATIC_TAX: 'true' });
  beforeAll(() => {
    ctx.stack.emulator.addProduct({
      name: '送料',
      prices: [{ id: SHIPPING_PRICE, unit_amount: 500, tax_behavior: 'inclusive' }],
    });
  });

  it('shows the shipping on the card, and leaves the shipping product and other cycles off the storefront', async () => {
    const text = textOf(await (await new CookieClient(ctx.stack.url).get('/', JA)).text());
    expect(text).toMatch(/￥1,500 \/ 月 ?（税込） ?＋送料 ￥500（税込）・軽減税率対象/);
    expect(text).not.toContain('送料 ￥500 / 月');
    expect(text).not.toContain('年間コーヒー豆');
    expect(ctx.stack.worker.logs.join('\n')).toMatch(/SHIPPING_PRICE is not an active recurring price/);
  });

  it('adds the shipping price as a second line item, totals it in the terms, and turns on automatic tax', async () => {
    const session = await sessionFor(ctx, seededPrice(ctx.stack.emulator, 1500));
    expect(session.line_items?.data.map((item) => item.price?.id)).toEqual([
      seededPrice(ctx.stack.emulator, 1500),
      SHIPPING_PRICE,
    ]);
    expect(session.automatic_tax.enabled).toBe(true);
    expect(session.custom_text.submit?.message).toContain(
      '【お支払い金額】￥2,000 / 月（税込）：商品 ￥1,500＋送料 ￥500',
    );
    expect(session.custom_text.submit?.message).toContain('【初回のお支払い】本日');
  });
});

describe('Stripe Tax for a returning customer of a digital shop', () => {
  const ctx = useStack({ STRIPE_AUTOMATIC_TAX: 'true' });

  it('lets Checkout save the address it collects, as Stripe Tax requires of a customer without one', async () => {
    const client = new CookieClient(ctx.stack.url);
    const { customerId } = await subscribe(client, ctx.stack.emulator, {
      price: seededPrice(ctx.stack.emulator, 1500),
    });
    const subscription = subscriptionOf(ctx.stack.emulator, customerId);
    await ctx.stack.emulator.cancelNow(subscription?.id ?? '');
    ctx.stack.emulator.reset();

    await startCheckout(client, seededPrice(ctx.stack.emulator, 1500));
    expect(stripeCalls(ctx.stack.emulator, '/v1/checkout/sessions')[0]?.body).toMatchObject({
      customer: customerId,
      automatic_tax: { enabled: 'true' },
      customer_update: { address: 'auto' },
    });
  });
});

describe('an account without a terms URL in its public details', () => {
  const ctx = useStack({}, { emulator: { accountTermsUrl: null } });

  it('still sells, without the consent box, and tells the owner what to set', async () => {
    const session = await sessionFor(ctx, seededPrice(ctx.stack.emulator, 1500));
    expect(session.consent_collection?.terms_of_service ?? 'none').toBe('none');
    expect(session.custom_text.terms_of_service_acceptance).toBeNull();
    expect(session.custom_text.submit?.message).toContain('【解約について】');
    expect(ctx.stack.worker.logs.join('\n')).toMatch(/Terms of service URL in Dashboard/);
  });
});
