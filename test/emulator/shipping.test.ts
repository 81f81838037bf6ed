import type Stripe from 'stripe';
/** Selling by post: shipping address, phone, terms-of-service consent, custom text, automatic tax, a shipping line item. */
import { beforeEach, describe, expect, it } from 'vitest';
import { idOf } from '../../dev/stripe-emulator/state.ts';
import { createSession, postForm, seeded, stripeError, useEmulator } from '../support/emulator.ts';
import { SHIBUYA_STRIPE_ADDRESS } from '../support/addresses.ts';

const h = useEmulator();
beforeEach(() => h.emulator.reset());

/** The parameters a coffee-by-post session carries (the site sends them from src/lib/checkout/start.ts). */
const POSTAL: Pick<
  Stripe.Checkout.SessionCreateParams,
  'shipping_address_collection' | 'phone_number_collection' | 'consent_collection' | 'custom_text' | 'automatic_tax'
> = {
  shipping_address_collection: { allowed_countries: ['JP'] },
  phone_number_collection: { enabled: true },
  consent_collection: { terms_of_service: 'required' },
  custom_text: {
    submit: { message: 'Beans ship on the 1st of each month.' },
    shipping_address: { message: 'We deliver within Japan only.' },
    terms_of_service_acceptance: { message: 'I agree to the Terms and the Specified Commercial Transactions notice.' },
  },
  automatic_tax: { enabled: true },
};

/** A monthly JPY shipping price (same currency and interval as the beans). */
function shippingPrice(): string {
  const created = h.emulator.addProduct({ name: 'Shipping', unit_amount: 500, currency: 'jpy', interval: 'month' });
  const price = created.prices[0];
  if (!price) throw new Error('no shipping price');
  return price.id;
}

describe('Checkout Session parameters for shipping', () => {
  it('accepts the postal session with a second, recurring shipping line item and echoes the settings', async () => {
    const { monthly } = seeded(h.emulator);
    const session = await createSession(h.stripe, monthly.id, {
      ...POSTAL,
      line_items: [
        { price: monthly.id, quantity: 1 },
        { price: shippingPrice(), quantity: 1 },
      ],
    });
    expect(session).toMatchObject({
      shipping_address_collection: { allowed_countries: ['JP'] },
      phone_number_collection: { enabled: true },
      consent_collection: { terms_of_service: 'required' },
      custom_text: {
        submit: { message: 'Beans ship on the 1st of each month.' },
        shipping_address: { message: 'We deliver within Japan only.' },
        terms_of_service_acceptance: {
          message: 'I agree to the Terms and the Specified Commercial Transactions notice.',
        },
        after_submit: null,
      },
      automatic_tax: { enabled: true, status: 'requires_location_inputs' },
      amount_total: 2000,
    });
    const expanded = await h.stripe.checkout.sessions.retrieve(session.id, { expand: ['line_items'] });
    expect(expanded.line_items?.data).toHaveLength(2);
  });

  it('validates allowed_countries: two uppercase letters, none Stripe cannot ship to, not empty', async () => {
    const { monthly } = seeded(h.emulator);
    for (const country of ['jp', 'JPN', 'IR', 'AS']) {
      await expect(
        stripeError(
          createSession(h.stripe, monthly.id, { shipping_address_collection: { allowed_countries: [country] } }),
        ),
      ).resolves.toMatchObject({ statusCode: 400, param: 'shipping_address_collection[allowed_countries][0]' });
    }
    // stripe-node leaves an empty array out, so the empty list goes as a raw form.
    const response = await fetch(`${h.emulator.url}/v1/checkout/sessions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.emulator.apiKey}` },
      body: new URLSearchParams({
        mode: 'subscription',
        'line_items[0][price]': monthly.id,
        'line_items[0][quantity]': '1',
        success_url: 'http://127.0.0.1:4321/thanks',
        'shipping_address_collection[allowed_countries]': '',
      }),
    });
    expect(response.status).toBe(400);
    await expect(response.json()).resolves.toMatchObject({
      error: { param: 'shipping_address_collection[allowed_countries]', code: 'parameter_missing' },
    });
  });

  it('refuses shipping_options in subscription mode', async () => {
    const { monthly } = seeded(h.emulator);
    await expect(
      stripeError(createSession(h.stripe, monthly.id, { shipping_options: [{ shipping_rate: 'shr_123' }] })),
    ).resolves.toMatchObject({
      statusCode: 400,
      message: 'Only Checkout Sessions in payment mode support shipping options.',
      param: 'shipping_options',
    });
  });

  it('limits each custom text message to 1,200 characters', async () => {
    const { monthly } = seeded(h.emulator);
    await expect(
      createSession(h.stripe, monthly.id, { custom_text: { submit: { message: 'a'.repeat(1200) } } }),
    ).resolves.toMatchObject({ custom_text: { submit: { message: 'a'.repeat(1200) } } });
    await expect(
      stripeError(
        createSession(h.stripe, monthly.id, { custom_text: { shipping_address: { message: 'a'.repeat(1201) } } }),
      ),
    ).resolves.toMatchObject({ statusCode: 400, param: 'custom_text[shipping_address][message]' });
  });

  it('wants consent_collection[terms_of_service]=required for the terms acceptance text', async () => {
    const { monthly } = seeded(h.emulator);
    await expect(
      stripeError(
        createSession(h.stripe, monthly.id, { custom_text: { terms_of_service_acceptance: { message: 'I agree.' } } }),
      ),
    ).resolves.toMatchObject({ statusCode: 400, param: 'custom_text[terms_of_service_acceptance]' });
    await expect(
      stripeError(createSession(h.stripe, monthly.id, { consent_collection: { terms_of_service: 'maybe' as 'none' } })),
    ).resolves.toMatchObject({ statusCode: 400, param: 'consent_collection[terms_of_service]' });
  });

  it('keeps unknown parameters refused, also inside the new ones', async () => {
    const { monthly } = seeded(h.emulator);
    await expect(
      stripeError(createSession(h.stripe, monthly.id, { consent_collection: { promotions: 'auto' } })),
    ).resolves.toMatchObject({ message: 'Received unknown parameter: consent_collection[promotions]' });
    await expect(
      stripeError(createSession(h.stripe, monthly.id, { custom_text: { after_submit: { message: 'Thanks' } } })),
    ).resolves.toMatchObject({ message: 'Received unknown parameter: custom_text[after_submit]' });
    await expect(
      stripeError(
        createSession(h.stripe, monthly.id, { phone_number_collection: { enabled: 'yes' as unknown as boolean } }),
      ),
    ).resolves.toMatchObject({ param: 'phone_number_collection[enabled]' });
  });

  it('needs an address for automatic tax on an existing customer unless Checkout may save the one it collects', async () => {
    const { monthly } = seeded(h.emulator);
    const customer = h.emulator.addCustomer({ email: 'tax@example.com' });
    await expect(
      stripeError(createSession(h.stripe, monthly.id, { customer: customer.id, automatic_tax: { enabled: true } })),
    ).resolves.toMatchObject({
      statusCode: 400,
      message: expect.stringContaining('requires a valid address on the Customer'),
    });
    await expect(
      createSession(h.stripe, monthly.id, {
        customer: customer.id,
        automatic_tax: { enabled: true },
        shipping_address_collection: { allowed_countries: ['JP'] },
        customer_update: { shipping: 'auto' },
      }),
    ).resolves.toMatchObject({ automatic_tax: { enabled: true } });
    await expect(
      createSession(h.stripe, monthly.id, {
        customer: customer.id,
        automatic_tax: { enabled: true },
        customer_update: { address: 'auto' },
      }),
    ).resolves.toMatchObject({ automatic_tax: { enabled: true } });
    await expect(
      stripeError(createSession(h.stripe, monthly.id, { customer_update: { shipping: 'auto' } })),
    ).resolves.toMatchObject({ statusCode: 400, param: 'customer_update' });
  });
});

describe('an account without a terms-of-service URL', () => {
  const bare = useEmulator({ accountTermsUrl: null });

  it('refuses consent_collection[terms_of_service]=required with Stripe’s message', async () => {
    const { monthly } = seeded(bare.emulator);
    await expect(
      stripeError(createSession(bare.stripe, monthly.id, { consent_collection: { terms_of_service: 'required' } })),
    ).resolves.toMatchObject({
      statusCode: 400,
      rawType: 'invalid_request_error',
      message: expect.stringMatching(
        /^You cannot collect consent to your terms of service unless a URL is set in the Stripe Dashboard\./,
      ),
    });
    await expect(
      createSession(bare.stripe, monthly.id, { consent_collection: { terms_of_service: 'none' } }),
    ).resolves.toMatchObject({ consent_collection: { terms_of_service: 'none' } });
  });
});

describe('the hosted Checkout page collects the postal details', () => {
  const FORM = {
    email: 'post@example.com',
    method: 'card',
    card: '4242 4242 4242 4242',
    exp: '12 / 34',
    cvc: '123',
    shipping_name: '山田 太郎',
    shipping_country: 'JP',
    shipping_postal_code: '150-0001',
    shipping_state: '東京都',
    shipping_city: '渋谷区',
    shipping_line1: '神宮前1-2-3',
    shipping_line2: '',
    phone: '090-1234-5678',
    terms: 'accepted',
  };

  it('shows address, phone, terms and the custom texts, with only the allowed countries', async () => {
    const { monthly } = seeded(h.emulator);
    const session = await createSession(h.stripe, monthly.id, {
      ...POSTAL,
      shipping_address_collection: { allowed_countries: ['JP', 'KR'] },
    });
    const page = await (await fetch(session.url ?? '')).text();
    for (const name of ['shipping_name', 'shipping_postal_code', 'shipping_state', 'shipping_city', 'shipping_line1'])
      expect(page).toMatch(new RegExp(`name="${name}"[^>]*required`));
    expect(page).toContain('name="shipping_line2"');
    expect(page.match(/<option value="[A-Z]{2}"/g)).toEqual(['<option value="JP"', '<option value="KR"']);
    expect(page).toMatch(/name="phone"[^>]*required/);
    expect(page).toMatch(/type="checkbox" name="terms" value="accepted" required/);
    expect(page).toContain('I agree to the Terms and the Specified Commercial Transactions notice.');
    expect(page).toContain('We deliver within Japan only.');
    expect(page.indexOf('Beans ship on the 1st of each month.')).toBeLessThan(page.indexOf('<button type="submit"'));
  });

  it('shows no postal fields on the site’s current sessions', async () => {
    const { monthly } = seeded(h.emulator);
    const page = await (await fetch((await createSession(h.stripe, monthly.id)).url ?? '')).text();
    expect(page).not.toContain('shipping_name');
    expect(page).not.toContain('name="phone"');
    expect(page).not.toContain('name="terms"');
  });

  it('refuses a form without the required details, then stores them as Stripe does', async () => {
    const { monthly } = seeded(h.emulator);
    const session = await createSession(h.stripe, monthly.id, POSTAL);
    const url = session.url ?? '';
    for (const missing of [
      'shipping_name',
      'shipping_postal_code',
      'shipping_state',
      'shipping_line1',
      'phone',
      'terms',
    ]) {
      const response = await postForm(url, { ...FORM, [missing]: '' });
      expect(response.status, missing).toBe(400);
    }
    expect((await postForm(url, { ...FORM, shipping_country: 'US' })).status).toBe(400);
    const paid = await postForm(url, FORM);
    expect(paid.status).toBe(303);

    const done = await h.stripe.checkout.sessions.retrieve(session.id);
    const address = { ...SHIBUYA_STRIPE_ADDRESS, line2: null };
    expect(done).toMatchObject({
      status: 'complete',
      collected_information: { shipping_details: { name: '山田 太郎', address } },
      customer_details: { email: 'post@example.com', phone: '+819012345678' },
      consent: { terms_of_service: 'accepted' },
      automatic_tax: { enabled: true, status: 'complete' },
    });
    const customer = await h.stripe.customers.retrieve(idOf(done.customer));
    expect(customer).toMatchObject({
      phone: '+819012345678',
      shipping: { name: '山田 太郎', phone: '+819012345678', address },
    });
  });

  it('lets completeCheckout default the details, or take them', async () => {
    const { monthly } = seeded(h.emulator);
    const first = await createSession(h.stripe, monthly.id, POSTAL);
    await expect(h.emulator.completeCheckout(first.id)).resolves.toMatchObject({
      collected_information: { shipping_details: { address: { country: 'JP' } } },
      consent: { terms_of_service: 'accepted' },
    });
    const second = await createSession(h.stripe, monthly.id, POSTAL);
    await expect(h.emulator.completeCheckout(second.id, { acceptTerms: false })).rejects.toThrow(/terms/);
    const shipping = {
      name: 'Hanako Sato',
      address: { country: 'JP', postal_code: '530-0001', state: '大阪府', city: '大阪市北区', line1: '梅田1-1' },
    };
    await expect(h.emulator.completeCheckout(second.id, { shipping, phone: '+81 6 1234 5678' })).resolves.toMatchObject(
      {
        collected_information: {
          shipping_details: { name: 'Hanako Sato', address: { city: '大阪市北区', line2: null } },
        },
        customer_details: { phone: '+81612345678' },
      },
    );
  });

  it('saves the shipping address on an existing customer only with customer_update[shipping]=auto', async () => {
    const { monthly } = seeded(h.emulator);
    const kept = h.emulator.addCustomer({ email: 'kept@example.com' });
    const noUpdate = await createSession(h.stripe, monthly.id, {
      customer: kept.id,
      ...POSTAL,
      automatic_tax: undefined,
    });
    await h.emulator.completeCheckout(noUpdate.id);
    await expect(h.stripe.customers.retrieve(kept.id)).resolves.toMatchObject({ shipping: null });

    const saved = h.emulator.addCustomer({ email: 'saved@example.com' });
    const from = h.events.length;
    const withUpdate = await createSession(h.stripe, monthly.id, {
      customer: saved.id,
      ...POSTAL,
      customer_update: { shipping: 'auto' },
    });
    await h.emulator.completeCheckout(withUpdate.id);
    await expect(h.stripe.customers.retrieve(saved.id)).resolves.toMatchObject({
      shipping: { name: 'Taro Yamada', address: { country: 'JP' } },
    });
    const updated = h.events.slice(from).find((event) => event.type === 'customer.updated');
    expect(updated?.data.previous_attributes).toMatchObject({ shipping: null });
  });
});

describe('changing the shipping address in the portal', () => {
  async function postalCustomer(): Promise<string> {
    const { monthly } = seeded(h.emulator);
    const session = await createSession(h.stripe, monthly.id, POSTAL);
    return idOf((await h.emulator.completeCheckout(session.id)).customer);
  }
  const NEW_ADDRESS = {
    shipping_name: 'Taro Yamada',
    shipping_country: 'JP',
    shipping_postal_code: '060-0001',
    shipping_state: '北海道',
    shipping_city: '札幌市中央区',
    shipping_line1: '北1条西1-1',
    shipping_line2: '101号室',
  };

  it('offers the form only to customers with a shipping address', async () => {
    const bare = h.emulator.addCustomer({ email: 'bare@example.com' });
    const none = await h.stripe.billingPortal.sessions.create({ customer: bare.id });
    expect(await (await fetch(none.url)).text()).not.toContain('portal-shipping');
    const withAddress = await h.stripe.billingPortal.sessions.create({ customer: await postalCustomer() });
    const page = await (await fetch(withAddress.url)).text();
    expect(page).toContain('data-testid="portal-shipping"');
    expect(page).toContain('value="100-0001"');
    expect((await postForm(`${none.url}/shipping`, NEW_ADDRESS)).status).toBe(400);
  });

  it('saves customer.shipping and sends customer.updated with the old address in previous_attributes', async () => {
    const customerId = await postalCustomer();
    const portal = await h.stripe.billingPortal.sessions.create({ customer: customerId });
    expect((await postForm(`${portal.url}/shipping`, { ...NEW_ADDRESS, shipping_city: '' })).status).toBe(400);
    expect((await postForm(`${portal.url}/shipping`, { ...NEW_ADDRESS, shipping_country: 'IR' })).status).toBe(400);
    const from = h.events.length;
    const response = await postForm(`${portal.url}/shipping`, NEW_ADDRESS);
    expect(response.status).toBe(303);
    const address = {
      country: 'JP',
      postal_code: '060-0001',
      state: '北海道',
      city: '札幌市中央区',
      line1: '北1条西1-1',
      line2: '101号室',
    };
    await expect(h.stripe.customers.retrieve(customerId)).resolves.toMatchObject({
      shipping: { name: 'Taro Yamada', address, phone: '+819012345678' },
    });
    const events = h.events.slice(from);
    expect(events.map((event) => event.type)).toEqual(['customer.updated']);
    expect(events[0]?.data.previous_attributes).toMatchObject({
      shipping: { address: { postal_code: '100-0001', city: 'Chiyoda-ku' } },
    });
    // The same address again changes nothing and sends nothing.
    await postForm(`${portal.url}/shipping`, NEW_ADDRESS);
    expect(h.events.length).toBe(from + 1);
  });

  it('offers no form, and refuses the post, when the configuration does not allow shipping updates', async () => {
    const portal = await h.stripe.billingPortal.sessions.create({ customer: await postalCustomer() });
    h.emulator.setPortalFeatures({ shippingUpdate: false });
    try {
      expect(await (await fetch(portal.url)).text()).not.toContain('portal-shipping');
      expect((await postForm(`${portal.url}/shipping`, NEW_ADDRESS)).status).toBe(400);
    } finally {
      h.emulator.setPortalFeatures({ shippingUpdate: true });
    }
    expect(await (await fetch(portal.url)).text()).toContain('portal-shipping');
  });

  it('lets tests change it through the handle too', async () => {
    const customerId = await postalCustomer();
    const from = h.events.length;
    const customer = await h.emulator.updateShipping(customerId, {
      name: 'Hanako Sato',
      address: {
        country: 'JP',
        postal_code: '530-0001',
        state: '大阪府',
        city: '大阪市北区',
        line1: '梅田1-1',
        line2: null,
      },
    });
    expect(customer.shipping?.name).toBe('Hanako Sato');
    expect(h.events.slice(from).map((event) => event.type)).toEqual(['customer.updated']);
  });
});
