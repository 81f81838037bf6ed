import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CookieClient } from '../support/client.ts';
import { TEST_PORTAL_LOGIN_URL, useStack } from '../support/stack.ts';
import { seededPrice, startCheckout, stripeCalls, subscribe, textOf } from '../support/shop.ts';
import { idOf } from '../../dev/stripe-emulator/state.ts';
import { SECURE_VISITOR_COOKIE as VISITOR_COOKIE, visitorReference } from '../../src/lib/visitor/cookie.ts';
import { addEuroPrice, stripeOn } from '../support/emulator.ts';

const portalCustomer = () =>
  (stripeCalls(ctx.stack.emulator, '/v1/billing_portal/sessions').at(-1)?.body as { customer?: string } | undefined)
    ?.customer;

/** One stack for every describe block but the bank debits' and the trial's. */
const ctx = useStack();

describe('ownership: the declared e-mail owns the subscription', () => {
  beforeEach(() => ctx.stack.emulator.reset());
  const yen = () => seededPrice(ctx.stack.emulator, 1500);

  it('binds the browser that declared the e-mail, and it alone reaches the portal', async () => {
    const a = new CookieClient(ctx.stack.url);
    const b = new CookieClient(ctx.stack.url);
    const { customerId, thanks, sessionId } = await subscribe(a, ctx.stack.emulator, {
      price: yen(),
      email: 'owner@example.com',
    });
    expect(thanks.status).toBe(200);
    const page = textOf(await thanks.text());
    expect(page).toContain('Your subscription to “Monthly Coffee Beans” has started');
    expect(page).not.toContain(customerId);
    expect(page).not.toContain('owner@example.com');
    expect(await ctx.inspect.binding(a.cookies.get(VISITOR_COOKIE))).toBe(customerId);

    expect((await a.get('/en/mypage')).status).toBe(303);
    expect(portalCustomer()).toBe(customerId);
    const other = await b.get('/en/mypage');
    expect(other.headers.get('location')).toBe(TEST_PORTAL_LOGIN_URL);

    // B presenting A's session id learns nothing and costs no Stripe call.
    ctx.stack.emulator.reset();
    const before = await ctx.inspect.snapshot();
    const stolen = await b.get(`/en/thanks?session_id=${sessionId}`);
    expect(textOf(await stolen.text())).not.toContain('Monthly Coffee Beans');
    expect(stripeCalls(ctx.stack.emulator, `/v1/checkout/sessions/${sessionId}`, 'GET')).toEqual([]);
    expect(await ctx.inspect.snapshot()).toEqual(before);
  });

  it('a shared Checkout link pays for the declarer’s subscription and binds no one else', async () => {
    const starter = new CookieClient(ctx.stack.url);
    const payer = new CookieClient(ctx.stack.url);
    const sessionId = await startCheckout(starter, yen(), 'starter@example.com');
    // Someone else opens the link and pays: the e-mail is locked to the declarer's.
    await expect(ctx.stack.emulator.completeCheckout(sessionId, { email: 'victim@example.com' })).rejects.toThrow();
    const session = await ctx.stack.emulator.completeCheckout(sessionId);
    const customer = ctx.stack.emulator.state.customers.get(idOf(session.customer));
    expect(customer?.email).toBe('starter@example.com');

    const payerThanks = await payer.get(`/en/thanks?session_id=${sessionId}`);
    expect(textOf(await payerThanks.text())).not.toContain('Monthly Coffee Beans');
    expect(payer.cookies.has(VISITOR_COOKIE)).toBe(false);
    expect((await payer.get('/en/mypage')).headers.get('location')).toBe(TEST_PORTAL_LOGIN_URL);
    expect((await starter.get('/en/mypage')).status).toBe(303);
    expect(portalCustomer()).toBe(customer?.id);
  });

  it('binds nothing for a session this site did not start, even one carrying this browser’s reference, and logs why', async () => {
    const starter = new CookieClient(ctx.stack.url);
    const visitorId = (await (async () => {
      await startCheckout(starter, yen(), 'someone@example.com');
      return starter.cookies.get(VISITOR_COOKIE);
    })()) as string;
    // A Payment-Link-style session (created elsewhere) that carries this browser's reference.
    const stripeSession = await stripeOn(ctx.stack.emulator).checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price: yen(), quantity: 1 }],
      success_url: `${ctx.stack.url}/thanks?session_id={CHECKOUT_SESSION_ID}`,
      client_reference_id: await visitorReference(visitorId),
    });
    await ctx.stack.emulator.completeCheckout(stripeSession.id, { email: 'payer@example.com' });
    await ctx.stack.emulator.settle();
    expect(await ctx.inspect.binding(visitorId)).toBeNull();
    expect(ctx.stack.worker.jsonLogs()).toContainEqual(
      expect.objectContaining({ msg: 'checkout completed', bound: false, reason: 'not_started_here' }),
    );
  });
});

describe('no order between the redirect and the webhook', () => {
  beforeEach(() => ctx.stack.emulator.reset());

  it('webhook first: /thanks finds the browser already bound', async () => {
    const client = new CookieClient(ctx.stack.url);
    const { customerId } = await subscribe(client, ctx.stack.emulator, {
      price: seededPrice(ctx.stack.emulator, 1500),
    });
    const delivered = ctx.stack.emulator.deliveries.filter((d) => d.type === 'checkout.session.completed');
    expect(delivered[0]?.ok).toBe(true);
    expect(await ctx.inspect.binding(client.cookies.get(VISITOR_COOKIE))).toBe(customerId);
  });

  it('redirect first: /thanks binds and syncs, the late webhook changes nothing', async () => {
    const client = new CookieClient(ctx.stack.url);
    ctx.stack.emulator.pauseWebhooks();
    const sessionId = await startCheckout(client, seededPrice(ctx.stack.emulator, 1500), 'late@example.com');
    const session = await ctx.stack.emulator.completeCheckout(sessionId);
    const customerId = idOf(session.customer);
    expect(ctx.stack.emulator.deliveries).toEqual([]);
    const thanks = await client.get(`/en/thanks?session_id=${sessionId}`);
    expect(textOf(await thanks.text())).toContain('has started');
    const visitorId = client.cookies.get(VISITOR_COOKIE);
    expect(await ctx.inspect.binding(visitorId)).toBe(customerId);
    const before = await ctx.inspect.record(customerId);
    expect(before?.status).toBe('active');

    await ctx.stack.emulator.resumeWebhooks();
    await ctx.stack.emulator.settle();
    expect(ctx.stack.emulator.deliveries.every((delivery) => delivery.ok)).toBe(true);
    expect(await ctx.inspect.binding(visitorId)).toBe(customerId);
    expect((await ctx.inspect.record(customerId))?.status).toBe('active');
    // The late events re-read Stripe (a newer readAt) and find the same state.
    expect(await ctx.inspect.record(customerId)).toEqual({ ...before, readAt: expect.any(Number) });
    expect(before).not.toBeNull();
  });
});

describe('/thanks says what happened, in English and Japanese', () => {
  // Checkout offers a bank debit (SEPA Direct Debit) only in euros: a stack of its own with a euro plan, uncached.
  const euro = useStack({ CATALOG_TTL_SECONDS: '0' });
  let euroPrice = '';
  beforeAll(() => {
    euroPrice = addEuroPrice(euro.stack.emulator).id;
  });
  beforeEach(() => euro.stack.emulator.reset());

  it('a bank debit is processing, then the async webhook makes My Page work', async () => {
    const ctx = euro;
    const client = new CookieClient(ctx.stack.url);
    const { thanks, customerId } = await subscribe(client, ctx.stack.emulator, {
      price: euroPrice,
      method: 'bank_debit',
      email: 'bank@example.com',
    });
    const text = textOf(await thanks.text());
    expect(text).toContain('is processing');
    expect(text).toContain('we will e-mail you');
    expect(await ctx.inspect.binding(client.cookies.get(VISITOR_COOKIE))).toBe(customerId);
    expect((await ctx.inspect.record(customerId))?.status).toBe('incomplete');
    await ctx.stack.emulator.settleAsyncPayments();
    await ctx.stack.emulator.settle();
    expect(
      ctx.stack.emulator.deliveries.some((d) => d.type === 'checkout.session.async_payment_succeeded' && d.ok),
    ).toBe(true);
    expect((await ctx.inspect.record(customerId))?.status).toBe('active');
    expect((await client.get('/en/mypage')).status).toBe(303);
  });

  it('a failed first bank debit leaves the subscription incomplete (as at Stripe): no members area, no second Checkout', async () => {
    const ctx = euro;
    const client = new CookieClient(ctx.stack.url);
    const { customerId } = await subscribe(client, ctx.stack.emulator, {
      price: euroPrice,
      method: 'bank_debit_failing',
    });
    await ctx.stack.emulator.settleAsyncPayments();
    await ctx.stack.emulator.settle();
    expect(ctx.stack.emulator.deliveries.some((d) => d.type === 'checkout.session.async_payment_failed' && d.ok)).toBe(
      true,
    );
    // Stripe keeps a subscription whose first invoice failed `incomplete` for 23 hours (the invoice can
    // still be paid), then makes it `incomplete_expired` (docs.stripe.com/billing/subscriptions/overview;
    // the emulator does not expire it). Until then it is live: a second Checkout sends the buyer to the
    // portal instead of starting another subscription, and the members area stays closed.
    const status = (await ctx.inspect.record(customerId))?.status;
    expect(status).toBe('incomplete');
    expect(status).toBe(
      ctx.stack.emulator.state.subscriptions.get(
        [...ctx.stack.emulator.state.subscriptions.values()].find((s) => s.customer === customerId)?.id ?? '',
      )?.status,
    );
    expect((await client.get('/en/members')).status).toBe(403);
    const again = await client.postForm('/en/checkout', { price: euroPrice });
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toBe('/en/mypage');
  });

  it('in Japanese', async () => {
    const ctx = euro;
    const client = new CookieClient(ctx.stack.url);
    const sessionId = await startCheckout(client, euroPrice, 'ja@example.com');
    await ctx.stack.emulator.completeCheckout(sessionId, { method: 'bank_debit' });
    const thanks = await client.get(`/thanks?session_id=${sessionId}`, { 'accept-language': 'ja' });
    expect(textOf(await thanks.text())).toContain('お支払いを処理中です');
  });
});

describe('/thanks with a trial', () => {
  const trial = useStack({ TRIAL_DAYS: '7' });

  it('says the trial has started and until when', async () => {
    const client = new CookieClient(trial.stack.url);
    const { thanks } = await subscribe(client, trial.stack.emulator, {
      price: seededPrice(trial.stack.emulator, 1500),
    });
    expect(textOf(await thanks.text())).toMatch(
      /Your free trial of “Monthly Coffee Beans” has started and runs until \w+ \d+, \d{4}/,
    );
  });
});
