/** Receipts: what Stripe e-mails when a payment succeeds, in the customer's language, and the demo outbox that lists them. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOutbox } from '../../dev/outbox.ts';
import { FREE_PROMOTION_CODE } from '../../dev/stripe-emulator/server.ts';
import { idOf } from '../../dev/stripe-emulator/state.ts';
import { addEuroPrice, createSession, postForm, seeded, paidSubscription, useEmulator } from '../support/emulator.ts';

const h = useEmulator();

const receiptsTo = (email: string) => h.emulator.state.emails.filter((sent) => sent.to.includes(email));

describe('receipts', () => {
  it('a Japanese customer gets one in Japanese for the first payment and each renewal', async () => {
    const { monthly } = seeded(h.emulator);
    const subscription = await paidSubscription(h, monthly.id, { locale: 'ja' }, { email: 'ryoshu@example.jp' });
    const [first] = receiptsTo('ryoshu@example.jp');
    const invoice = await h.stripe.invoices.retrieve(idOf(subscription.latest_invoice));
    expect(first).toMatchObject({
      subject: expect.stringMatching(/^はなまめ珈琲 からの領収書 \[#\d{4}-\d{4}\]$/),
      from: expect.stringContaining('はなまめ珈琲'),
      invoice: invoice.id,
    });
    const paidOn = new Intl.DateTimeFormat('ja-JP', { dateStyle: 'medium' }).format(
      new Date((invoice.status_transitions.paid_at ?? 0) * 1000),
    );
    for (const line of [
      'お支払い金額：￥1,500',
      `お支払い日：${paidOn}`,
      'お支払い方法：VISA – 4242',
      `請求書番号：${invoice.number}`,
      '毎月のコーヒー豆 × 1    ￥1,500',
    ])
      expect(first?.text, line).toContain(line);
    await h.emulator.renewNow(subscription.id);
    expect(receiptsTo('ryoshu@example.jp')).toHaveLength(2);
    // A failed renewal is no payment: no receipt.
    await h.emulator.failNextRenewal(subscription.id);
    expect(receiptsTo('ryoshu@example.jp')).toHaveLength(2);
  });

  it('an English customer gets Stripe’s English subject', async () => {
    const { yearly } = seeded(h.emulator);
    await paidSubscription(h, yearly.id, { locale: 'en' }, { email: 'receipt@example.com' });
    const [receipt] = receiptsTo('receipt@example.com');
    expect(receipt?.subject).toMatch(/^Your receipt from はなまめ珈琲 #\d{4}-\d{4}$/);
    expect(receipt?.text).toContain('Amount paid: ¥15,000');
  });

  it('a customer without a preferred locale gets the account’s language', async () => {
    const { gold } = seeded(h.emulator);
    await paidSubscription(h, gold.id, { locale: 'auto' }, { email: 'nolocale@example.com' });
    expect(receiptsTo('nolocale@example.com')[0]?.subject).toContain('からの領収書');
  });

  it('nothing paid, nothing sent: trials and 100% off; a bank debit’s receipt waits for the money', async () => {
    const { monthly } = seeded(h.emulator);
    await paidSubscription(
      h,
      monthly.id,
      { subscription_data: { trial_period_days: 7 } },
      { email: 'trial@example.com' },
    );
    expect(receiptsTo('trial@example.com')).toEqual([]);
    const free = await createSession(h.stripe, monthly.id, { allow_promotion_codes: true });
    await h.emulator.completeCheckout(free.id, { email: 'free@example.com', promotionCode: FREE_PROMOTION_CODE });
    expect(receiptsTo('free@example.com')).toEqual([]);
    await h.emulator.settleAsyncPayments();
    await paidSubscription(h, addEuroPrice(h.emulator).id, {}, { email: 'sepa@example.com', method: 'bank_debit' });
    expect(receiptsTo('sepa@example.com')).toEqual([]);
    await h.emulator.settleAsyncPayments();
    expect(receiptsTo('sepa@example.com')[0]?.text).toContain('€12.00');
  });

  it('the hosted Checkout page pays and the receipt follows', async () => {
    const { monthly } = seeded(h.emulator);
    const session = await createSession(h.stripe, monthly.id, { locale: 'en' });
    await postForm(String(session.url), { email: 'page@example.com', card: '4242424242424242' });
    expect(receiptsTo('page@example.com')).toHaveLength(1);
  });
});

describe('with "Successful payments" e-mails off', () => {
  const off = useEmulator({ successfulPaymentEmails: false });

  it('sends no receipt', async () => {
    await paidSubscription(off, seeded(off.emulator).monthly.id, {}, { email: 'quiet@example.com' });
    expect(off.emulator.state.emails).toEqual([]);
  });
});

describe('the demo outbox', () => {
  // A stand-in for the worker's local explorer, which lists the site's own e-mails.
  let site: Server;
  beforeAll(async () => {
    site = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      const one = url.searchParams.get('email_id');
      const signIn = {
        messageId: 'm1',
        from: 'shop@hanamame.example',
        to: ['ryoshu@example.jp'],
        subject: 'Your sign-in link',
        sentAt: '2000-01-01T00:00:00.000Z',
        text: 'https://shop.example/sign-in',
      };
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ result: one ? signIn : [signIn] }));
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => site.close(() => resolve())));

  it('lists Stripe’s receipts next to the shop’s e-mails, marked as Stripe’s', async () => {
    const outbox = await startOutbox({
      workerUrl: `http://127.0.0.1:${(site.address() as AddressInfo).port}`,
      stripeEmails: () => h.emulator.state.emails,
    });
    try {
      const messages = await (
        await fetch(`${outbox.url}/api/messages`)
      ).json<Array<{ subject: string; sentBy: string }>>();
      expect(messages.at(-1)).toMatchObject({ subject: 'Your sign-in link', sentBy: 'shop' });
      expect(messages.filter((message) => message.sentBy === 'stripe')).toHaveLength(h.emulator.state.emails.length);
      const html = await (await fetch(outbox.url)).text();
      expect(html).toContain('Sent by Stripe');
      expect(html).toContain('からの領収書');
    } finally {
      await outbox.close();
    }
  });
});
