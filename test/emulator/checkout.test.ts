/** Checkout rules and payments: one currency per customer, deleted customers, trials, promotion codes, locked e-mails, bank debits. */
import { beforeEach, describe, expect, it } from 'vitest';
import { FAILING_IBAN, FREE_PROMOTION_CODE, SUCCEEDING_IBAN } from '../../dev/stripe-emulator/server.ts';
import {
  addEuroPrice,
  createSession,
  postForm,
  seeded,
  stripeError,
  paidSubscription,
  typesSince,
  useEmulator,
} from '../support/emulator.ts';
import { idOf } from '../../dev/stripe-emulator/state.ts';

const h = useEmulator();
beforeEach(() => h.emulator.reset());

const CURRENCY_MESSAGE =
  'You cannot combine currencies on a single customer. This customer has an active subscription, subscription schedule, discount, quote, invoice item or active subscription mode checkout session with currency jpy.';

describe('accepted parameters', () => {
  it('refuses what the site never sends with Stripe’s "Received unknown parameter"', async () => {
    const { monthly } = seeded(h.emulator);
    await expect(stripeError(createSession(h.stripe, monthly.id, { metadata: { order: '1' } }))).resolves.toMatchObject(
      {
        statusCode: 400,
        rawType: 'invalid_request_error',
        message: 'Received unknown parameter: metadata',
        param: 'metadata',
      },
    );
    await expect(
      stripeError(createSession(h.stripe, monthly.id, { subscription_data: { metadata: { order: '1' } } })),
    ).resolves.toMatchObject({ message: 'Received unknown parameter: subscription_data[metadata]' });
  });

  it('takes the locales the site sends (en, ja) and auto, and refuses others', async () => {
    const { monthly } = seeded(h.emulator);
    for (const locale of ['en', 'ja', 'auto'] as const)
      await expect(createSession(h.stripe, monthly.id, { locale })).resolves.toMatchObject({ locale });
    await expect(stripeError(createSession(h.stripe, monthly.id, { locale: 'fr' }))).resolves.toMatchObject({
      statusCode: 400,
      param: 'locale',
    });
  });
});

describe('one currency per customer', () => {
  it('refuses a USD session for a customer with a live JPY subscription, until it has ended', async () => {
    const { monthly, usd } = seeded(h.emulator);
    const customer = h.emulator.addCustomer({ email: 'yen@example.com' });
    const subscription = await paidSubscription(h, monthly.id, { customer: customer.id });
    const error = await stripeError(createSession(h.stripe, usd.id, { customer: customer.id }));
    expect(error).toMatchObject({ statusCode: 400, rawType: 'invalid_request_error', message: CURRENCY_MESSAGE });
    expect(error.code).toBeUndefined();
    expect(error.param).toBeUndefined();
    // Same currency is fine.
    await expect(createSession(h.stripe, monthly.id, { customer: customer.id })).resolves.toMatchObject({
      currency: 'jpy',
    });
    await h.emulator.cancelNow(subscription.id);
    // An open JPY session still counts...
    await expect(stripeError(createSession(h.stripe, usd.id, { customer: customer.id }))).resolves.toMatchObject({
      message: CURRENCY_MESSAGE,
    });
    // ...until it is no longer open.
    for (const session of h.emulator.state.checkoutSessions.values())
      if (session.customer === customer.id) session.expires_at = 0;
    await expect(createSession(h.stripe, usd.id, { customer: customer.id })).resolves.toMatchObject({
      currency: 'usd',
    });
  });

  it('an incomplete (processing) subscription counts as live', async () => {
    const { monthly } = seeded(h.emulator);
    const customer = h.emulator.addCustomer({ email: 'bank@example.com' });
    await paidSubscription(h, addEuroPrice(h.emulator).id, { customer: customer.id }, { method: 'bank_debit' });
    for (const session of h.emulator.state.checkoutSessions.values())
      if (session.customer === customer.id) session.expires_at = 0;
    await expect(stripeError(createSession(h.stripe, monthly.id, { customer: customer.id }))).resolves.toMatchObject({
      message: CURRENCY_MESSAGE.replace('currency jpy', 'currency eur'),
    });
  });
});

describe('deleted customers', () => {
  it('deleting cancels live subscriptions, sends the events, and leaves a retrievable stub', async () => {
    const { monthly } = seeded(h.emulator);
    const customer = h.emulator.addCustomer({ email: 'gone@example.com' });
    const subscription = await paidSubscription(h, monthly.id, { customer: customer.id });
    const from = h.events.length;
    const deleted = await h.emulator.deleteCustomer(customer.id);
    expect(deleted).toEqual({ id: customer.id, object: 'customer', deleted: true });
    expect(typesSince(h, from)).toEqual(['customer.subscription.deleted', 'customer.deleted']);
    expect((await h.stripe.subscriptions.retrieve(subscription.id)).status).toBe('canceled');
    expect(await h.stripe.customers.retrieve(customer.id)).toMatchObject({
      id: customer.id,
      object: 'customer',
      deleted: true,
    });
    const list = await h.stripe.customers.list({ email: 'gone@example.com' });
    expect(list.data).toEqual([]);
  });

  it('every endpoint that takes `customer` answers resource_missing for it', async () => {
    const { monthly } = seeded(h.emulator);
    const customer = h.emulator.addCustomer({ email: 'deleted@example.com' });
    await h.emulator.deleteCustomer(customer.id);
    const expected = {
      statusCode: 400,
      rawType: 'invalid_request_error',
      code: 'resource_missing',
      param: 'customer',
      message: `No such customer: '${customer.id}'`,
    };
    await expect(stripeError(createSession(h.stripe, monthly.id, { customer: customer.id }))).resolves.toMatchObject(
      expected,
    );
    await expect(stripeError(h.stripe.billingPortal.sessions.create({ customer: customer.id }))).resolves.toMatchObject(
      expected,
    );
    await expect(
      stripeError(
        h.stripe.customerSessions.create({ customer: customer.id, components: { pricing_table: { enabled: true } } }),
      ),
    ).resolves.toMatchObject(expected);
    await expect(stripeError(h.stripe.subscriptions.list({ customer: customer.id }))).resolves.toMatchObject(expected);
  });

  it('DELETE /v1/customers/:id works through the API too', async () => {
    const customer = h.emulator.addCustomer({ email: 'api-delete@example.com' });
    await expect(h.stripe.customers.del(customer.id)).resolves.toMatchObject({ id: customer.id, deleted: true });
    await expect(stripeError(h.stripe.customers.del(customer.id))).resolves.toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
    });
  });
});

describe('trials', () => {
  it('subscription_data[trial_period_days] makes a trialing subscription with nothing due today', async () => {
    const { monthly } = seeded(h.emulator);
    const session = await createSession(h.stripe, monthly.id, { subscription_data: { trial_period_days: 14 } });
    expect(session.amount_total).toBe(0);
    const page = await (await fetch(String(session.url))).text();
    expect(page).toContain('14 days free');
    const paid = await h.emulator.completeCheckout(session.id);
    expect(paid.payment_status).toBe('no_payment_required');
    const subscription = await h.stripe.subscriptions.retrieve(idOf(paid.subscription));
    expect(subscription.status).toBe('trialing');
    expect(subscription.trial_end).toBe(subscription.created + 14 * 86_400);
    expect(subscription.items.data[0]?.current_period_end).toBe(subscription.trial_end);
    expect(await h.stripe.invoices.retrieve(idOf(subscription.latest_invoice))).toMatchObject({
      status: 'paid',
      amount_due: 0,
    });
  });

  it.each([
    [0, 'This value must be greater than or equal to 1.'],
    [731, 'The maximum number of trial period days is 730 (2 years).'],
  ])('trial_period_days %i is refused', async (days, message) => {
    const { monthly } = seeded(h.emulator);
    const error = await stripeError(
      createSession(h.stripe, monthly.id, { subscription_data: { trial_period_days: days } }),
    );
    expect(error).toMatchObject({
      statusCode: 400,
      rawType: 'invalid_request_error',
      message,
      param: 'subscription_data[trial_period_days]',
    });
  });

  it('730 days is allowed', async () => {
    const { monthly } = seeded(h.emulator);
    await expect(
      createSession(h.stripe, monthly.id, { subscription_data: { trial_period_days: 730 } }),
    ).resolves.toBeDefined();
  });
});

describe('billing mode', () => {
  it('subscriptions are flexible unless subscription_data[billing_mode][type] says classic', async () => {
    const { monthly } = seeded(h.emulator);
    expect((await paidSubscription(h, monthly.id)).billing_mode).toMatchObject({ type: 'flexible' });
    const classic = await paidSubscription(h, monthly.id, { subscription_data: { billing_mode: { type: 'classic' } } });
    expect(classic.billing_mode).toEqual({ flexible: null, type: 'classic' });
    await expect(
      stripeError(
        createSession(h.stripe, monthly.id, { subscription_data: { billing_mode: { type: 'mixed' as never } } }),
      ),
    ).resolves.toMatchObject({ statusCode: 400, param: 'subscription_data[billing_mode][type]' });
  });
});

describe('promotion codes', () => {
  it('allow_promotion_codes shows a code field; FREE100 makes the subscription free and active', async () => {
    const { monthly } = seeded(h.emulator);
    const session = await createSession(h.stripe, monthly.id, { allow_promotion_codes: true });
    expect(session.allow_promotion_codes).toBe(true);
    const page = await (await fetch(String(session.url))).text();
    expect(page).toContain('<label for="promotion_code">Promotion code</label>');
    const paid = await h.emulator.completeCheckout(session.id, { promotionCode: FREE_PROMOTION_CODE });
    expect(paid).toMatchObject({
      payment_status: 'no_payment_required',
      amount_total: 0,
      total_details: { amount_discount: 1500 },
    });
    const subscription = await h.stripe.subscriptions.retrieve(idOf(paid.subscription), {
      expand: ['discounts', 'latest_invoice'],
    });
    expect(subscription.status).toBe('active');
    expect(subscription.discounts[0]).toMatchObject({ object: 'discount', source: { type: 'coupon' } });
    expect(subscription.latest_invoice).toMatchObject({ status: 'paid', amount_due: 0, subtotal: 1500 });
  });

  it('a page without allow_promotion_codes has no code field', async () => {
    const { monthly } = seeded(h.emulator);
    const session = await createSession(h.stripe, monthly.id);
    expect(await (await fetch(String(session.url))).text()).not.toContain('Promotion code');
  });

  it('an unknown code is refused', async () => {
    const { monthly } = seeded(h.emulator);
    const session = await createSession(h.stripe, monthly.id, { allow_promotion_codes: true });
    await expect(h.emulator.completeCheckout(session.id, { promotionCode: 'NOPE' })).rejects.toThrow(
      'This code is invalid.',
    );
  });

  it('allow_promotion_codes together with discounts is refused (even false)', async () => {
    const { monthly } = seeded(h.emulator);
    const promo = [...h.emulator.state.promotionCodes.values()][0];
    for (const allow of [true, false]) {
      const error = await stripeError(
        createSession(h.stripe, monthly.id, {
          allow_promotion_codes: allow,
          discounts: [{ promotion_code: promo?.id }],
        }),
      );
      expect(error).toMatchObject({
        statusCode: 400,
        rawType: 'invalid_request_error',
        message: 'You may only specify one of these parameters: allow_promotion_codes, discounts.',
        param: 'allow_promotion_codes',
      });
    }
    const discounted = await createSession(h.stripe, monthly.id, { discounts: [{ promotion_code: promo?.id }] });
    expect(discounted).toMatchObject({ amount_total: 0, discounts: [{ promotion_code: promo?.id }] });
  });
});

describe('locked e-mail', () => {
  it('customer_email is shown read-only and wins over a posted e-mail', async () => {
    const { monthly } = seeded(h.emulator);
    const session = await createSession(h.stripe, monthly.id, { customer_email: 'owner@example.com' });
    const page = await (await fetch(String(session.url))).text();
    expect(page).toMatch(
      /<input id="email" name="email" type="email" autocomplete="email" value="owner@example.com" required readonly>/,
    );
    const response = await postForm(String(session.url), {
      email: 'intruder@example.com',
      method: 'card',
      card: '4242 4242 4242 4242',
    });
    expect(response.status).toBe(303);
    const paid = await h.stripe.checkout.sessions.retrieve(session.id, { expand: ['customer'] });
    expect(paid.customer_details?.email).toBe('owner@example.com');
    expect(paid.customer).toMatchObject({ email: 'owner@example.com' });
  });

  it('completeCheckout refuses a different e-mail when one is locked, and uses the payer e-mail otherwise', async () => {
    const { monthly } = seeded(h.emulator);
    const customer = h.emulator.addCustomer({ email: 'known@example.com' });
    const locked = await createSession(h.stripe, monthly.id, { customer: customer.id });
    await expect(h.emulator.completeCheckout(locked.id, { email: 'other@example.com' })).rejects.toThrow(
      /locks the e-mail known@example\.com/,
    );
    await expect(h.emulator.completeCheckout(locked.id, { email: 'known@example.com' })).resolves.toMatchObject({
      status: 'complete',
    });
    const open = await createSession(h.stripe, monthly.id);
    const paid = await h.emulator.completeCheckout(open.id, { email: 'payer@example.com' });
    expect(paid.customer_details?.email).toBe('payer@example.com');
    const anonymous = await h.emulator.completeCheckout((await createSession(h.stripe, monthly.id)).id);
    expect(anonymous.customer_details?.email).toBe('customer@example.com');
  });
});

describe('payment methods by currency', () => {
  it('a JPY session offers cards only: no IBAN box, and a bank debit is refused', async () => {
    const { monthly } = seeded(h.emulator);
    const session = await createSession(h.stripe, monthly.id);
    expect(session.payment_method_types).toEqual(['card']);
    const page = await (await fetch(String(session.url))).text();
    expect(page).toContain('Card number');
    expect(page).not.toContain('name="iban"');
    expect(page).not.toContain('Bank debit');
    expect(page).not.toContain('Test IBANs');
    const refused = await postForm(String(session.url), {
      email: 'iban@example.com',
      method: 'bank',
      iban: SUCCEEDING_IBAN,
    });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('This payment method is not available for this purchase.');
    await expect(h.emulator.completeCheckout(session.id, { method: 'bank_debit' })).rejects.toThrow(
      'This payment method is not available for this purchase.',
    );
    expect(h.emulator.state.checkoutSessions.get(session.id)?.status).toBe('open');
  });

  it('an EUR session offers a card or a SEPA debit, the IBAN box shown only for the debit', async () => {
    const session = await createSession(h.stripe, addEuroPrice(h.emulator).id);
    expect(session.payment_method_types).toEqual(['card', 'sepa_debit']);
    const page = await (await fetch(String(session.url))).text();
    expect(page).toContain('<input type="radio" name="method" value="bank">');
    expect(page).toContain('<fieldset class="method-bank">');
    expect(page).toContain('.pay:not(:has(input[name=method][value=bank]:checked)) .method-bank{display:none}');
  });
});

describe('bank debits (delayed notification)', () => {
  it('complete unpaid with an incomplete subscription, then succeed when settled', async () => {
    await h.emulator.settleAsyncPayments(); // earlier tests' debits
    const session = await createSession(h.stripe, addEuroPrice(h.emulator).id);
    const from = h.events.length;
    const paid = await h.emulator.completeCheckout(session.id, { method: 'bank_debit' });
    expect(paid).toMatchObject({ status: 'complete', payment_status: 'unpaid' });
    expect(typesSince(h, from)).toEqual([
      'customer.created',
      'payment_method.attached',
      'customer.subscription.created',
      'invoice.created',
      'invoice.finalized',
      'checkout.session.completed',
    ]);
    const subscription = await h.stripe.subscriptions.retrieve(idOf(paid.subscription), {
      expand: ['latest_invoice', 'default_payment_method'],
    });
    expect(subscription.status).toBe('incomplete');
    expect(subscription.latest_invoice).toMatchObject({ status: 'open', amount_paid: 0, amount_remaining: 1200 });
    expect(subscription.default_payment_method).toMatchObject({
      type: 'sepa_debit',
      sepa_debit: { last4: SUCCEEDING_IBAN.slice(-4), country: 'DE' },
    });

    const settled = h.events.length;
    await h.emulator.settleAsyncPayments();
    expect(typesSince(h, settled)).toEqual([
      'invoice.paid',
      'invoice.payment_succeeded',
      'customer.subscription.updated',
      'checkout.session.async_payment_succeeded',
    ]);
    expect(h.events.at(-2)?.data.previous_attributes).toEqual({ status: 'incomplete' });
    expect(await h.stripe.checkout.sessions.retrieve(session.id)).toMatchObject({ payment_status: 'paid' });
    expect(await h.stripe.subscriptions.retrieve(subscription.id)).toMatchObject({ status: 'active' });
  });

  it('fail with async_payment_failed and invoice.payment_failed; the subscription stays incomplete', async () => {
    await h.emulator.settleAsyncPayments();
    const session = await createSession(h.stripe, addEuroPrice(h.emulator).id);
    const paid = await h.emulator.completeCheckout(session.id, { method: 'bank_debit_failing' });
    const from = h.events.length;
    await h.emulator.settleAsyncPayments();
    expect(typesSince(h, from)).toEqual(['invoice.payment_failed', 'checkout.session.async_payment_failed']);
    expect(await h.stripe.checkout.sessions.retrieve(session.id)).toMatchObject({ payment_status: 'unpaid' });
    const subscription = await h.stripe.subscriptions.retrieve(idOf(paid.subscription), { expand: ['latest_invoice'] });
    expect(subscription).toMatchObject({ status: 'incomplete', latest_invoice: { status: 'open', attempt_count: 1 } });
  });

  it('the hosted page takes an IBAN and refuses a malformed one', async () => {
    const session = await createSession(h.stripe, addEuroPrice(h.emulator).id);
    const page = await (await fetch(String(session.url))).text();
    expect(page).toContain('Bank debit (SEPA Direct Debit, test)');
    const bad = await postForm(String(session.url), { email: 'iban@example.com', method: 'bank', iban: 'DE00 1234' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Your IBAN is invalid.');
    const good = await postForm(String(session.url), {
      email: 'iban@example.com',
      method: 'bank',
      iban: FAILING_IBAN.replace(/(.{4})/g, '$1 '),
    });
    expect(good.status).toBe(303);
    expect(await h.stripe.checkout.sessions.retrieve(session.id)).toMatchObject({ payment_status: 'unpaid' });
    await h.emulator.settleAsyncPayments();
  });
});

describe('bank debits settling by themselves', () => {
  const timed = useEmulator({ asyncPaymentDelayMs: 50 });

  it('after asyncPaymentDelayMs', async () => {
    const session = await createSession(timed.stripe, addEuroPrice(timed.emulator).id);
    await timed.emulator.completeCheckout(session.id, { method: 'bank_debit' });
    await expect
      .poll(() => timed.emulator.state.checkoutSessions.get(session.id)?.payment_status, { timeout: 2000 })
      .toBe('paid');
    await timed.emulator.settle();
    expect(timed.events.map((event) => event.type)).toContain('checkout.session.async_payment_succeeded');
  });
});
