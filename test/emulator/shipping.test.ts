/** Selling by post: shipping address, phone, terms-of-service consent, custom text, automatic tax, a shipping line item. */
import { beforeEach, describe, expect, it } from 'vitest';
import { createSession, seeded, stripeError, useEmulator } from './helpers.ts';

const h = useEmulator();
beforeEach(() => h.emulator.reset());

/** What the "coffee by post" session will send (the site does not yet). */
const POSTAL = {
  shipping_address_collection: { allowed_countries: ['JP'] },
  phone_number_collection: { enabled: true },
  consent_collection: { terms_of_service: 'required' },
  custom_text: {
    submit: { message: 'Beans ship on the 1st of each month.' },
    shipping_address: { message: 'We deliver within Japan only.' },
    terms_of_service_acceptance: { message: 'I agree to the Terms and the Specified Commercial Transactions notice.' },
  },
  automatic_tax: { enabled: true },
} as const;

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

  it('needs an address for automatic tax on an existing customer unless Checkout may save the shipping address', async () => {
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
