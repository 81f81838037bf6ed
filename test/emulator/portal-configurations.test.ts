/**
 * Customer portal configurations through the API: the default one (the Dashboard's), configurations made and updated
 * as the setup CLI will, Stripe's refusals, and the hosted portal obeying the session's configuration.
 */
import type Stripe from 'stripe';
import { beforeEach, describe, expect, it } from 'vitest';
import { paidSubscription, postForm, seeded, stripeError, typesSince, useEmulator } from '../support/emulator.ts';
import { idOf } from '../../dev/stripe-emulator/state.ts';

const h = useEmulator();
beforeEach(() => h.emulator.reset());

/** The features the setup CLI will write: cards, cancel at period end, plan switches, shipping, pause, invoices. */
function shopFeatures(products: Stripe.BillingPortal.ConfigurationCreateParams.Features.SubscriptionUpdate.Product[]) {
  return {
    customer_update: { enabled: true, allowed_updates: ['shipping' as const] },
    invoice_history: { enabled: true },
    payment_method_update: { enabled: true },
    subscription_cancel: { enabled: true, mode: 'at_period_end' as const },
    subscription_pause: { enabled: true },
    subscription_update: {
      enabled: true,
      default_allowed_updates: ['price' as const],
      proration_behavior: 'none' as const,
      products,
    },
  };
}

/** The catalog's monthly product with its three prices, as a configuration lists it. */
function monthlyProduct(): { product: string; prices: string[] } {
  const { monthly, bimonthly, quarterly } = seeded(h.emulator);
  return { product: idOf(monthly.product), prices: [monthly.id, bimonthly.id, quarterly.id] };
}

async function page(url: string): Promise<string> {
  return (await fetch(url)).text();
}

const hasButton = (html: string, label: string) => html.includes(`type="submit">${label}</button>`);

describe('the default configuration', () => {
  it('is the one sessions use, as if the owner saved the portal settings, with the catalog’s products', async () => {
    const defaults = await h.stripe.billingPortal.configurations.list({ is_default: true });
    expect(defaults.data).toHaveLength(1);
    const [configuration] = defaults.data;
    expect(configuration).toMatchObject({
      object: 'billing_portal.configuration',
      active: true,
      is_default: true,
      livemode: false,
      login_page: { enabled: false, url: null },
      features: {
        customer_update: { enabled: true, allowed_updates: ['shipping'] },
        invoice_history: { enabled: true },
        payment_method_update: { enabled: true },
        subscription_cancel: { enabled: true, mode: 'at_period_end', proration_behavior: 'none' },
        subscription_pause: { enabled: false },
        subscription_update: { enabled: true, default_allowed_updates: ['price'], proration_behavior: 'none' },
      },
    });
    const catalogProducts = [...h.emulator.state.products.values()].filter((p) => p.metadata.catalog_key);
    expect(configuration?.features.subscription_update.products?.map((entry) => entry.product).sort()).toEqual(
      catalogProducts.map((product) => product.id).sort(),
    );
    expect(configuration?.features.subscription_update.products?.[0]?.prices).toEqual(monthlyProduct().prices);
    const subscription = await paidSubscription(h, seeded(h.emulator).monthly.id);
    const session = await h.stripe.billingPortal.sessions.create({ customer: idOf(subscription.customer) });
    expect(session.configuration).toBe(configuration?.id);
  });

  it('stays active', async () => {
    const [configuration] = (await h.stripe.billingPortal.configurations.list({ is_default: true })).data;
    const error = await stripeError(
      h.stripe.billingPortal.configurations.update(configuration?.id ?? '', { active: false }),
    );
    expect(error).toMatchObject({ statusCode: 400, param: 'active' });
  });
});

describe('POST /v1/billing_portal/configurations', () => {
  it('makes a configuration that is not the default, every feature not given off, and its login page URL', async () => {
    const from = h.events.length;
    const created = await h.stripe.billingPortal.configurations.create({
      features: { invoice_history: { enabled: true } },
      business_profile: { headline: 'はなまめ珈琲の定期便', privacy_policy_url: 'https://example.com/privacy' },
      default_return_url: 'https://example.com/mypage',
      login_page: { enabled: true },
      metadata: { managed_by: 'setup' },
    });
    expect(created).toMatchObject({
      is_default: false,
      active: true,
      default_return_url: 'https://example.com/mypage',
      business_profile: {
        headline: 'はなまめ珈琲の定期便',
        privacy_policy_url: 'https://example.com/privacy',
        terms_of_service_url: null,
      },
      metadata: { managed_by: 'setup' },
      features: {
        invoice_history: { enabled: true },
        customer_update: { enabled: false, allowed_updates: [] },
        payment_method_update: { enabled: false },
        subscription_cancel: {
          enabled: false,
          mode: 'at_period_end',
          cancellation_reason: {
            enabled: false,
            options: ['too_expensive', 'missing_features', 'switched_service', 'unused', 'other'],
          },
        },
        subscription_pause: {
          enabled: false,
          duration: { type: 'interval_options', interval_options: [{ interval: 'month', interval_count: 1 }] },
        },
        subscription_update: { enabled: false, default_allowed_updates: [], products: [] },
      },
    });
    expect(created.id).toMatch(/^bpc_/);
    expect(created.login_page).toEqual({
      enabled: true,
      url: expect.stringMatching(/^https:\/\/billing\.stripe\.com\/p\/login\/test_[A-Za-z0-9]{18}$/),
    });
    await h.emulator.settle();
    expect(typesSince(h, from)).toEqual(['billing_portal.configuration.created']);
    const listed = await h.stripe.billingPortal.configurations.list({ is_default: false });
    expect(listed.data.map((configuration) => configuration.id)).toContain(created.id);
    expect((await h.stripe.billingPortal.configurations.retrieve(created.id)).id).toBe(created.id);
  });

  it('updates each feature’s fields over what it has; turning the login page off drops its URL', async () => {
    const created = await h.stripe.billingPortal.configurations.create({
      features: shopFeatures([monthlyProduct()]),
      login_page: { enabled: true },
    });
    await h.emulator.settle();
    const from = h.events.length;
    const updated = await h.stripe.billingPortal.configurations.update(created.id, {
      features: {
        subscription_pause: {
          duration: { type: 'interval_options', interval_options: [{ interval: 'week', interval_count: 2 }] },
        },
        subscription_update: { proration_behavior: 'always_invoice' },
      },
      login_page: { enabled: false },
      business_profile: { headline: 'Hello' },
    });
    expect(updated.features.subscription_pause).toEqual({
      enabled: true,
      duration: { type: 'interval_options', interval_options: [{ interval: 'week', interval_count: 2 }] },
    });
    expect(updated.features.subscription_update).toMatchObject({
      enabled: true,
      default_allowed_updates: ['price'],
      proration_behavior: 'always_invoice',
      products: [{ product: monthlyProduct().product, prices: monthlyProduct().prices }],
    });
    expect(updated.login_page).toEqual({ enabled: false, url: null });
    await h.emulator.settle();
    expect(typesSince(h, from)).toEqual(['billing_portal.configuration.updated']);
    expect(Object.keys(h.events.at(-1)?.data.previous_attributes ?? {}).sort()).toEqual([
      'business_profile',
      'features',
      'login_page',
    ]);
    const inactive = await h.stripe.billingPortal.configurations.update(created.id, { active: false });
    expect(inactive.active).toBe(false);
    expect((await h.stripe.billingPortal.configurations.list({ active: false })).data.map((c) => c.id)).toContain(
      created.id,
    );
  });

  it('refuses what Stripe refuses', async () => {
    const { gold } = seeded(h.emulator);
    const create = (params: Record<string, unknown>) =>
      h.stripe.billingPortal.configurations.create(params as unknown as Stripe.BillingPortal.ConfigurationCreateParams);
    const cases: Array<[() => Promise<unknown>, string]> = [
      [() => create({}), 'features'],
      [
        () => create({ features: { customer_update: { allowed_updates: ['email'] } } }),
        'features[customer_update][enabled]',
      ],
      [
        () => create({ features: { customer_update: { enabled: true, allowed_updates: ['favorite_color'] } } }),
        'features[customer_update][allowed_updates][0]',
      ],
      [
        () => create({ features: { subscription_cancel: { enabled: true, proration_behavior: 'always_invoice' } } }),
        'features[subscription_cancel][proration_behavior]',
      ],
      [
        () =>
          create({
            features: {
              subscription_cancel: { enabled: true, mode: 'at_period_end', proration_behavior: 'create_prorations' },
            },
          }),
        'features[subscription_cancel][proration_behavior]',
      ],
      [
        () => create({ features: { subscription_cancel: { enabled: true, cancellation_reason: { enabled: true } } } }),
        'features[subscription_cancel][cancellation_reason][options]',
      ],
      [
        () => create({ features: { subscription_pause: { enabled: true, duration: { type: 'interval_options' } } } }),
        'features[subscription_pause][duration][interval_options]',
      ],
      [
        () =>
          create({
            features: {
              subscription_pause: {
                enabled: true,
                duration: { type: 'interval_options', interval_options: [{ interval: 'month', interval_count: 37 }] },
              },
            },
          }),
        'features[subscription_pause][duration][interval_options][0][interval_count]',
      ],
      [
        () =>
          create({
            features: {
              subscription_update: {
                enabled: true,
                products: [{ product: monthlyProduct().product, prices: [gold.id] }],
              },
            },
          }),
        'features[subscription_update][products][0][prices][0]',
      ],
      [
        () =>
          create({
            features: { subscription_update: { enabled: true, products: [{ product: 'prod_missing', prices: [] }] } },
          }),
        'features[subscription_update][products][0][product]',
      ],
      [
        () =>
          create({
            features: {
              subscription_update: {
                enabled: true,
                products: Array.from({ length: 11 }, () => monthlyProduct()),
              },
            },
          }),
        'features[subscription_update][products]',
      ],
      [() => create({ features: {}, is_default: true }), 'is_default'],
    ];
    for (const [call, param] of cases) {
      const error = await stripeError(call());
      expect(error.statusCode, param).toBe(400);
      expect(error.param, param).toBe(param);
    }
  });
});

describe('the hosted portal obeys its session’s configuration', () => {
  it('cancels immediately in `immediately` mode, and neither way when cancellation is off', async () => {
    const subscription = await paidSubscription(h, seeded(h.emulator).monthly.id);
    const customer = idOf(subscription.customer);
    const immediately = await h.stripe.billingPortal.configurations.create({
      features: { subscription_cancel: { enabled: true, mode: 'immediately' } },
    });
    const session = await h.stripe.billingPortal.sessions.create({ customer, configuration: immediately.id });
    expect(session.configuration).toBe(immediately.id);
    let html = await page(session.url);
    expect(hasButton(html, 'Cancel at period end')).toBe(false);
    // The portal's own immediate cancel, outside the emulator's test controls.
    expect(html.split('<fieldset class="demo">')[0]).toContain('type="submit">Cancel subscription</button>');

    const off = await h.stripe.billingPortal.configurations.create({
      features: { invoice_history: { enabled: true } },
    });
    const offSession = await h.stripe.billingPortal.sessions.create({ customer, configuration: off.id });
    html = await page(offSession.url);
    expect(hasButton(html, 'Cancel at period end')).toBe(false);
    expect(hasButton(html, 'Switch plan')).toBe(false);
    expect(hasButton(html, 'Update payment method')).toBe(false);
    const refused = await postForm(`${offSession.url}/action`, {
      subscription: subscription.id,
      action: 'cancel_at_period_end',
    });
    expect(refused.status).toBe(400);
    const card = await postForm(`${offSession.url}/payment-method`, { card: '4242 4242 4242 4242' });
    expect(card.status).toBe(400);
    expect((await h.stripe.subscriptions.retrieve(subscription.id)).cancel_at_period_end).toBe(false);
  });

  it('refuses deep links to features it has off, and inactive or unknown configurations', async () => {
    const subscription = await paidSubscription(h, seeded(h.emulator).monthly.id);
    const customer = idOf(subscription.customer);
    const off = await h.stripe.billingPortal.configurations.create({
      features: { invoice_history: { enabled: true } },
    });
    const cardFlow = await stripeError(
      h.stripe.billingPortal.sessions.create({
        customer,
        configuration: off.id,
        flow_data: { type: 'payment_method_update' },
      }),
    );
    expect(cardFlow.statusCode).toBe(400);
    expect(cardFlow.message).toMatch(/portal configuration is disabled/);
    const switchFlow = await stripeError(
      h.stripe.billingPortal.sessions.create({
        customer,
        configuration: off.id,
        flow_data: { type: 'subscription_update', subscription_update: { subscription: subscription.id } },
      }),
    );
    expect(switchFlow.message).toBe(
      'This subscription cannot be updated because the subscription update feature in the portal configuration is disabled.',
    );
    await h.stripe.billingPortal.configurations.update(off.id, { active: false });
    const inactive = await stripeError(h.stripe.billingPortal.sessions.create({ customer, configuration: off.id }));
    expect(inactive).toMatchObject({ statusCode: 400, param: 'configuration' });
    const unknown = await stripeError(
      h.stripe.billingPortal.sessions.create({ customer, configuration: 'bpc_missing' }),
    );
    expect(unknown).toMatchObject({ statusCode: 400, code: 'resource_missing', param: 'configuration' });
  });

  it('shows its headline, policies and return URL, and switches plans with its proration', async () => {
    const subscription = await paidSubscription(h, seeded(h.emulator).monthly.id);
    const customer = idOf(subscription.customer);
    const configuration = await h.stripe.billingPortal.configurations.create({
      features: {
        ...shopFeatures([monthlyProduct()]),
        subscription_update: {
          ...shopFeatures([monthlyProduct()]).subscription_update,
          proration_behavior: 'always_invoice',
        },
      },
      business_profile: {
        headline: 'はなまめ珈琲の定期便',
        terms_of_service_url: 'https://example.com/terms',
        privacy_policy_url: 'https://example.com/privacy',
      },
      default_return_url: 'https://example.com/mypage',
    });
    const session = await h.stripe.billingPortal.sessions.create({
      customer,
      configuration: configuration.id,
      locale: 'ja',
    });
    expect(session.return_url).toBe('https://example.com/mypage');
    const html = await page(session.url);
    expect(html).toContain('data-testid="portal-headline">はなまめ珈琲の定期便</p>');
    expect(html).toContain('<a href="https://example.com/terms">利用規約</a>');
    expect(html).toContain('<a href="https://example.com/privacy">プライバシーポリシー</a>');
    expect(html).toContain('href="https://example.com/mypage"');
    expect(hasButton(html, '支払いを一時停止')).toBe(true);
    // Only the configured product's other prices are offered: not the Gold Blend the default configuration lists.
    const offered = [...html.matchAll(/<option value="(price_[^"]+|gold-blend-monthly)">/g)].map((match) => match[1]);
    const { bimonthly, quarterly } = seeded(h.emulator);
    expect(offered).toEqual([bimonthly.id, quarterly.id]);

    const from = h.events.length;
    const switched = await postForm(`${session.url}/action`, {
      subscription: subscription.id,
      action: 'switch',
      price: bimonthly.id,
    });
    expect(switched.status).toBe(303);
    // always_invoice: the change is invoiced at once (a flexible subscription keeps its anchor).
    expect(typesSince(h, from)).toContain('invoice.created');
    const invoice = await h.stripe.invoices.retrieve(
      idOf((await h.stripe.subscriptions.retrieve(subscription.id)).latest_invoice),
    );
    expect(invoice.billing_reason).toBe('subscription_update');
  });
});
