/** The hosted customer portal, its deep links and features, Customer Sessions, and webhook ordering. */
import type Stripe from 'stripe';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  CARD_CHECKOUT_EVENTS,
  createSession,
  PAID_RENEWAL_EVENTS,
  postForm,
  seeded,
  stripeError,
  paidSubscription,
  typesSince,
  useEmulator,
} from '../support/emulator.ts';
import { idOf } from '../../dev/stripe-emulator/state.ts';

const h = useEmulator();
beforeEach(() => {
  h.emulator.reset();
  h.emulator.setPortalFeatures({ subscriptionUpdate: true });
});

async function portalFor(
  customer: string,
  params: Partial<Stripe.BillingPortal.SessionCreateParams> = {},
): Promise<{ session: Stripe.BillingPortal.Session; html: string }> {
  const session = await h.stripe.billingPortal.sessions.create({
    customer,
    return_url: 'http://127.0.0.1:4321/',
    ...params,
  });
  return { session, html: await (await fetch(session.url)).text() };
}

/** The hidden fields of the action form with this button label. */
function hasButton(html: string, label: string): boolean {
  return html.includes(`type="submit">${label}</button>`);
}

describe('the portal page', () => {
  it('lists subscriptions with status, renewal date, card and the actions', async () => {
    const { monthly } = seeded(h.emulator);
    const subscription = await paidSubscription(h, monthly.id, { customer_email: 'portal@example.com' });
    const { html } = await portalFor(idOf(subscription.customer));
    expect(html).toContain('data-testid="portal-subscription"');
    expect(html).toContain('data-testid="portal-subscription-status">active<');
    expect(html).toContain('data-testid="portal-email">portal@example.com<');
    const renews = new Date((subscription.items.data[0]?.current_period_end ?? 0) * 1000);
    expect(html).toContain(`Renews ${new Intl.DateTimeFormat('en-US', { dateStyle: 'medium' }).format(renews)}`);
    expect(html).toContain('visa •••• 4242');
    for (const label of [
      'Cancel at period end',
      'Cancel subscription',
      'Switch plan',
      'Renew now',
      'Fail the next renewal',
      'Update payment method',
    ]) {
      expect(hasButton(html, label), label).toBe(true);
    }
    expect(html).toContain('Emulator test controls (not part of Stripe&#39;s portal)');
    expect(hasButton(html, 'End the trial')).toBe(false);
  });

  it('runs its actions through the shared lifecycle, delivering the events before redirecting', async () => {
    const { monthly, gold } = seeded(h.emulator);
    const subscription = await paidSubscription(h, monthly.id);
    const { session } = await portalFor(idOf(subscription.customer));
    const act = async (fields: Record<string, string>) => {
      const from = h.events.length;
      const response = await postForm(`${session.url}/action`, { subscription: subscription.id, ...fields });
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toMatch(/^\/portal\/bps_/);
      return typesSince(h, from);
    };
    expect(await act({ action: 'cancel_at_period_end' })).toEqual(['customer.subscription.updated']);
    let html = await (await fetch(session.url)).text();
    expect(html).toMatch(/Ends on [A-Z][a-z]{2} \d{1,2}, \d{4}/);
    expect(hasButton(html, 'Resume subscription')).toBe(true);
    expect(await act({ action: 'resume' })).toEqual(['customer.subscription.updated']);
    expect(await act({ action: 'switch', price: gold.id })).toEqual(['customer.subscription.updated']);
    expect(await act({ action: 'fail_renewal' })).toEqual([
      'invoice.created',
      'customer.subscription.updated',
      'invoice.finalized',
      'invoice.payment_failed',
      'customer.subscription.updated',
    ]);
    html = await (await fetch(session.url)).text();
    expect(html).toContain('data-testid="portal-subscription-status">past_due<');
    // Renewing a past_due subscription pays the new period's invoice; the status change is a second update.
    expect(await act({ action: 'renew' })).toEqual([...PAID_RENEWAL_EVENTS, 'customer.subscription.updated']);
    expect(await act({ action: 'cancel_now' })).toEqual(['customer.subscription.deleted']);
    html = await (await fetch(session.url)).text();
    expect(html).toContain('data-testid="portal-subscription-status">canceled<');
  });

  it('shows the trial end and "End the trial" for trials', async () => {
    const { monthly } = seeded(h.emulator);
    const subscription = await paidSubscription(h, monthly.id, { subscription_data: { trial_period_days: 30 } });
    const { session, html } = await portalFor(idOf(subscription.customer));
    expect(html).toMatch(/Trial ends [A-Z][a-z]{2} \d{1,2}, \d{4}/);
    expect(hasButton(html, 'End the trial')).toBe(true);
    const response = await postForm(`${session.url}/action`, { subscription: subscription.id, action: 'end_trial' });
    expect(response.status).toBe(303);
    expect((await h.stripe.subscriptions.retrieve(subscription.id)).status).toBe('active');
  });

  it("refuses another customer's subscription", async () => {
    const { monthly } = seeded(h.emulator);
    const mine = await paidSubscription(h, monthly.id);
    const theirs = await paidSubscription(h, monthly.id);
    const { session } = await portalFor(idOf(mine.customer));
    const response = await postForm(`${session.url}/action`, { subscription: theirs.id, action: 'cancel_now' });
    expect(response.status).toBe(400);
    expect((await h.stripe.subscriptions.retrieve(theirs.id)).status).toBe('active');
  });

  it('the card form saves a card, declines test cards, and a payment_method_update deep link opens it', async () => {
    const { monthly } = seeded(h.emulator);
    const subscription = await paidSubscription(h, monthly.id);
    const { session, html } = await portalFor(idOf(subscription.customer), {
      flow_data: { type: 'payment_method_update' },
    });
    expect(hasButton(html, 'Save payment method')).toBe(true);
    const declined = await postForm(`${session.url}/payment-method`, { card: '4000 0000 0000 9995' });
    expect(declined.status).toBe(402);
    expect(await declined.text()).toContain('Your card has insufficient funds.');
    const from = h.events.length;
    const saved = await postForm(`${session.url}/payment-method`, {
      card: '3782 822463 10005',
      exp: '12 / 34',
      cvc: '1234',
    });
    expect(saved.status).toBe(303);
    expect(typesSince(h, from)).toEqual([
      'payment_method.attached',
      'customer.updated',
      'customer.subscription.updated',
    ]);
    const updated = await h.stripe.subscriptions.retrieve(subscription.id, { expand: ['default_payment_method'] });
    expect((updated.default_payment_method as Stripe.PaymentMethod).card).toMatchObject({
      brand: 'amex',
      last4: '0005',
      exp_year: 2034,
    });
  });

  it('follows a flow after_completion redirect', async () => {
    const { monthly } = seeded(h.emulator);
    const subscription = await paidSubscription(h, monthly.id);
    const { session } = await portalFor(idOf(subscription.customer), {
      flow_data: {
        type: 'payment_method_update',
        after_completion: { type: 'redirect', redirect: { return_url: 'http://127.0.0.1:4321/mypage/done' } },
      },
    });
    const saved = await postForm(`${session.url}/payment-method`, { card: '4242 4242 4242 4242' });
    expect(saved.headers.get('location')).toBe('http://127.0.0.1:4321/mypage/done');
  });
});

describe('subscription_update deep links and the portal configuration', () => {
  it('opens the switch UI for that subscription', async () => {
    const { monthly } = seeded(h.emulator);
    const subscription = await paidSubscription(h, monthly.id);
    const { html } = await portalFor(idOf(subscription.customer), {
      flow_data: { type: 'subscription_update', subscription_update: { subscription: subscription.id } },
    });
    expect(html).toContain('Update your plan');
    expect(html).toContain('<option value="gold-blend-monthly">ゴールドブレンド · ¥2,000 per month</option>');
    expect(html.split('type="submit">Switch plan</button>')).toHaveLength(2);
  });

  it('offers every configured price of any interval, and switches to another interval without invoicing now', async () => {
    const { monthly, bimonthly, quarterly, yearly, gold, usd } = seeded(h.emulator);
    const subscription = await paidSubscription(h, monthly.id);
    const { session, html } = await portalFor(idOf(subscription.customer), {
      flow_data: { type: 'subscription_update', subscription_update: { subscription: subscription.id } },
    });
    const offered = [...html.matchAll(/<option value="([^"]+)">/g)].map((match) => match[1]);
    // The catalog file's products and all their prices, but not the current one nor the USD test fixture.
    expect(offered).toEqual([bimonthly.id, quarterly.id, yearly.id, gold.id]);
    expect(offered).not.toContain(usd.id);
    expect(html).toContain(`<option value="${yearly.id}">年間コーヒー豆 · ¥15,000 per year</option>`);
    const from = h.events.length;
    const switched = await postForm(`${session.url}/action`, {
      subscription: subscription.id,
      action: 'switch',
      price: yearly.id,
    });
    expect(switched.status).toBe(303);
    // Flexible billing mode keeps the anchor; the portal's proration_behavior defaults to none: nothing is invoiced now.
    expect(typesSince(h, from)).toEqual(['customer.subscription.updated']);
    const after = await h.stripe.subscriptions.retrieve(subscription.id);
    expect(after.items.data[0]?.price.id).toBe(yearly.id);
    expect(after.latest_invoice).toBe(subscription.latest_invoice);
  });

  it('offers only what the configuration lists', async () => {
    const { monthly, gold } = seeded(h.emulator);
    const subscription = await paidSubscription(h, monthly.id);
    const [configuration] = (await h.stripe.billingPortal.configurations.list({ is_default: true })).data;
    const configured = (configuration?.features.subscription_update.products ?? []).map(({ product, prices }) => ({
      product,
      prices,
    }));
    try {
      h.emulator.setPortalFeatures({ products: [{ product: idOf(gold.product), prices: [gold.id] }] });
      const { html } = await portalFor(idOf(subscription.customer));
      expect([...html.matchAll(/<option value="([^"]+)">/g)].map((match) => match[1])).toEqual([gold.id]);
      h.emulator.setPortalFeatures({ products: [] });
      expect(hasButton((await portalFor(idOf(subscription.customer))).html, 'Switch plan')).toBe(false);
    } finally {
      h.emulator.setPortalFeatures({ products: configured });
    }
  });

  it('is refused with Stripe’s error when subscription updates are turned off', async () => {
    const { monthly } = seeded(h.emulator);
    const subscription = await paidSubscription(h, monthly.id);
    h.emulator.setPortalFeatures({ subscriptionUpdate: false });
    const error = await stripeError(
      h.stripe.billingPortal.sessions.create({
        customer: idOf(subscription.customer),
        flow_data: { type: 'subscription_update', subscription_update: { subscription: subscription.id } },
      }),
    );
    expect(error).toMatchObject({
      statusCode: 400,
      rawType: 'invalid_request_error',
      message:
        'This subscription cannot be updated because the subscription update feature in the portal configuration is disabled.',
    });
    expect(error.param).toBeUndefined();
    const { html } = await portalFor(idOf(subscription.customer));
    expect(hasButton(html, 'Switch plan')).toBe(false);
  });
});

describe('pausing payments in the portal (features.subscription_pause)', () => {
  beforeEach(() => h.emulator.setPortalFeatures({ subscriptionPause: false }));

  it('is off by default; when on, pauses collection (void) for the chosen duration and resumes it', async () => {
    const { monthly } = seeded(h.emulator);
    const subscription = await paidSubscription(h, monthly.id);
    const { session, html: offByDefault } = await portalFor(idOf(subscription.customer));
    expect(hasButton(offByDefault, 'Pause payments')).toBe(false);

    h.emulator.setPortalFeatures({ subscriptionPause: true });
    let html = await (await fetch(session.url)).text();
    expect(hasButton(html, 'Pause payments')).toBe(true);
    expect(html).toContain('<option value="0">1 month</option>');
    const from = h.events.length;
    const pausedAt = Math.floor(Date.now() / 1000);
    const response = await postForm(`${session.url}/action`, {
      subscription: subscription.id,
      action: 'pause',
      duration: '0',
    });
    expect(response.status).toBe(303);
    expect(typesSince(h, from)).toEqual(['customer.subscription.updated']);
    const paused = await h.stripe.subscriptions.retrieve(subscription.id);
    expect(paused).toMatchObject({ status: 'active', pause_collection: { behavior: 'void' } });
    const resumesAt = paused.pause_collection?.resumes_at ?? 0;
    expect(resumesAt - pausedAt).toBeGreaterThanOrEqual(28 * 86_400);
    expect(resumesAt - pausedAt).toBeLessThanOrEqual(31 * 86_400 + 5);
    html = await (await fetch(session.url)).text();
    expect(html).toMatch(/Payments paused until [A-Z][a-z]+ \d{1,2}, \d{4}/);
    expect(hasButton(html, 'Resume payments')).toBe(true);

    await postForm(`${session.url}/action`, { subscription: subscription.id, action: 'resume_payments' });
    expect((await h.stripe.subscriptions.retrieve(subscription.id)).pause_collection).toBeNull();
  });

  it('speaks Japanese to a ja session, offers the configured durations, refuses an unknown one', async () => {
    const { monthly } = seeded(h.emulator);
    const subscription = await paidSubscription(h, monthly.id);
    h.emulator.setPortalFeatures({
      subscriptionPause: true,
      subscriptionPauseDuration: {
        type: 'interval_options',
        interval_options: [
          { interval: 'week', interval_count: 2 },
          { interval: 'month', interval_count: 3 },
        ],
      },
    });
    const { session, html } = await portalFor(idOf(subscription.customer), { locale: 'ja' });
    expect(hasButton(html, '支払いを一時停止')).toBe(true);
    expect(html).toContain('<option value="0">2週間</option><option value="1">3か月</option>');
    const refused = await postForm(`${session.url}/action`, {
      subscription: subscription.id,
      action: 'pause',
      duration: '7',
    });
    expect(refused.status).toBe(400);
    h.emulator.setPortalFeatures({ subscriptionPauseDuration: { type: 'indefinite', interval_options: [] } });
    await postForm(`${session.url}/action`, { subscription: subscription.id, action: 'pause', duration: 'indefinite' });
    expect((await h.stripe.subscriptions.retrieve(subscription.id)).pause_collection).toEqual({
      behavior: 'void',
      resumes_at: null,
    });
    expect(await (await fetch(session.url)).text()).toContain('支払いは一時停止中です');
    h.emulator.setPortalFeatures({
      subscriptionPauseDuration: {
        type: 'interval_options',
        interval_options: [{ interval: 'month', interval_count: 1 }],
      },
    });
  });

  it('"Refund the last payment" refunds the latest paid invoice\'s charge in full', async () => {
    const { monthly } = seeded(h.emulator);
    const subscription = await paidSubscription(h, monthly.id);
    const { session, html } = await portalFor(idOf(subscription.customer));
    expect(hasButton(html, 'Refund the last payment')).toBe(true);
    const from = h.events.length;
    await postForm(`${session.url}/action`, { subscription: subscription.id, action: 'refund_last_payment' });
    expect(typesSince(h, from)).toEqual(['refund.created', 'charge.refunded']);
    expect(h.events.at(-1)?.data.object).toMatchObject({ amount_refunded: 1500, refunded: true });
    expect(hasButton(await (await fetch(session.url)).text(), 'Refund the last payment')).toBe(false);
  });
});

describe('Customer Sessions', () => {
  it('create a customer_session with a client secret, 30 minutes to live and the enabled components', async () => {
    const customer = h.emulator.addCustomer({ email: 'table@example.com' });
    const session = await h.stripe.customerSessions.create({
      customer: customer.id,
      components: { pricing_table: { enabled: true } },
      expand: ['customer'],
    });
    expect(session.object).toBe('customer_session');
    expect(session.client_secret).toMatch(/^cuss_secret_[A-Za-z0-9]{47}$/);
    expect(session.expires_at - session.created).toBe(30 * 60);
    expect(session.components?.pricing_table.enabled).toBe(true);
    expect(session.components?.buy_button.enabled).toBe(false);
    expect((session.customer as Stripe.Customer).email).toBe('table@example.com');
  });

  it('need at least one enabled component and a customer', async () => {
    const customer = h.emulator.addCustomer();
    await expect(
      stripeError(
        h.stripe.customerSessions.create({ customer: customer.id, components: { buy_button: { enabled: false } } }),
      ),
    ).resolves.toMatchObject({
      statusCode: 400,
      message: 'At least 1 component must be enabled.',
      param: 'components',
    });
    await expect(
      stripeError(h.stripe.customerSessions.create({ components: { buy_button: { enabled: true } } })),
    ).resolves.toMatchObject({
      statusCode: 400,
      code: 'parameter_missing',
      param: 'customer',
    });
    await expect(
      stripeError(
        h.stripe.customerSessions.create({ customer: 'cus_unknown', components: { buy_button: { enabled: true } } }),
      ),
    ).resolves.toMatchObject({
      code: 'resource_missing',
      param: 'customer',
      message: "No such customer: 'cus_unknown'",
    });
  });
});

describe('webhook ordering', () => {
  it('pauseWebhooks lets the page redirect first; resumeWebhooks delivers the queue in order', async () => {
    const { monthly } = seeded(h.emulator);
    const session = await createSession(h.stripe, monthly.id);
    const from = h.events.length;
    h.emulator.pauseWebhooks();
    const response = await postForm(String(session.url), {
      email: 'late@example.com',
      method: 'card',
      card: '4242424242424242',
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`http://127.0.0.1:4321/thanks?session_id=${session.id}`);
    expect(h.events.length).toBe(from);
    await h.emulator.resumeWebhooks();
    expect(typesSince(h, from)).toEqual(CARD_CHECKOUT_EVENTS);
  });

  it('by default the first attempt is made before the hosted page redirects', async () => {
    const { monthly } = seeded(h.emulator);
    const session = await createSession(h.stripe, monthly.id);
    const from = h.events.length;
    await postForm(String(session.url), { email: 'now@example.com', method: 'card', card: '4242424242424242' });
    expect(typesSince(h, from).at(-1)).toBe('checkout.session.completed');
  });
});
