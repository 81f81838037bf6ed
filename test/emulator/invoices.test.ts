/** Invoices as shipments will read them: their fields, events, lists, payments, paying out of band and voiding. */
import type Stripe from 'stripe';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  PAID_INVOICE_EVENTS,
  seeded,
  stripeError,
  paidSubscription,
  typesSince,
  useEmulator,
} from '../support/emulator.ts';
import { idOf } from '../../dev/stripe-emulator/state.ts';

const h = useEmulator();
beforeEach(() => h.emulator.reset());

const TOKYO: Stripe.Address = {
  country: 'JP',
  postal_code: '100-0001',
  state: 'Tokyo',
  city: 'Chiyoda-ku',
  line1: '1-1 Chiyoda',
  line2: null,
};

describe('the invoices of a subscription', () => {
  it('copy the customer at finalization, name the subscription, price, product, quantity and period', async () => {
    const { monthly } = seeded(h.emulator);
    const from = h.events.length;
    const subscription = await paidSubscription(
      h,
      monthly.id,
      {
        customer_email: 'ship@example.com',
        shipping_address_collection: { allowed_countries: ['JP'] },
        phone_number_collection: { enabled: true },
      },
      { email: 'ship@example.com', shipping: { name: 'Hanako Sato', address: TOKYO }, phone: '+819000000001' },
    );
    const created = h.events.slice(from).find((event) => event.type === 'invoice.created');
    const paid = h.events.slice(from).find((event) => event.type === 'invoice.paid');
    expect(typesSince(h, from).filter((type) => type.startsWith('invoice.'))).toEqual(PAID_INVOICE_EVENTS);
    expect(created?.data.object).toMatchObject({
      status: 'draft',
      number: null,
      billing_reason: 'subscription_create',
    });

    const invoice = await h.stripe.invoices.retrieve(idOf(subscription.latest_invoice));
    expect(paid?.data.object).toMatchObject({ id: invoice.id, status: 'paid' });
    expect(invoice).toMatchObject({
      status: 'paid',
      billing_reason: 'subscription_create',
      customer_email: 'ship@example.com',
      customer_phone: '+819000000001',
      customer_shipping: { name: 'Hanako Sato', address: { postal_code: '100-0001', city: 'Chiyoda-ku' } },
      number: expect.stringMatching(/^[A-Z0-9]{8}-0001$/),
      parent: { subscription_details: { subscription: subscription.id } },
    });
    const transitions = invoice.status_transitions;
    expect(transitions.finalized_at).toBeGreaterThanOrEqual(invoice.created);
    expect(transitions.paid_at).toBeGreaterThanOrEqual(transitions.finalized_at ?? 0);
    expect(transitions.voided_at).toBeNull();
    const [line] = invoice.lines.data;
    const item = subscription.items.data[0];
    expect(line).toMatchObject({
      amount: 1500,
      quantity: 1,
      period: { start: item?.current_period_start, end: item?.current_period_end },
      pricing: { type: 'price_details', price_details: { price: monthly.id, product: idOf(monthly.product) } },
      parent: { subscription_item_details: { subscription_item: item?.id, proration: false } },
    });

    // Stripe.Invoice.customer_shipping: "Once the invoice is finalized, this field will no longer be updated."
    await h.emulator.updateShipping(idOf(subscription.customer), {
      name: 'Hanako Sato',
      address: { ...TOKYO, line1: '2-2 Marunouchi' },
    });
    expect((await h.stripe.invoices.retrieve(invoice.id)).customer_shipping?.address?.line1).toBe('1-1 Chiyoda');
    const renewed = await h.emulator.renewNow(subscription.id);
    const next = await h.stripe.invoices.retrieve(idOf(renewed.latest_invoice));
    expect(next).toMatchObject({
      billing_reason: 'subscription_cycle',
      customer_shipping: { address: { line1: '2-2 Marunouchi' } },
      number: expect.stringMatching(/-0002$/),
    });
  });

  it('are paid through a PaymentIntent and a Charge that lead back to the invoice through invoice payments', async () => {
    const { monthly } = seeded(h.emulator);
    const subscription = await paidSubscription(h, monthly.id);
    const invoice = await h.stripe.invoices.retrieve(idOf(subscription.latest_invoice), { expand: ['payments'] });
    expect(invoice).not.toHaveProperty('charge');
    expect(invoice).not.toHaveProperty('payment_intent');
    const [payment] = invoice.payments?.data ?? [];
    expect(payment).toMatchObject({
      object: 'invoice_payment',
      id: expect.stringMatching(/^inpay_/),
      invoice: invoice.id,
      is_default: true,
      status: 'paid',
      amount_paid: 1500,
      payment: { type: 'payment_intent', payment_intent: expect.stringMatching(/^pi_/) },
    });
    const paymentIntent = await h.stripe.paymentIntents.retrieve(idOf(payment?.payment.payment_intent));
    expect(paymentIntent).toMatchObject({ status: 'succeeded', amount: 1500, amount_received: 1500, currency: 'jpy' });
    const charge = await h.stripe.charges.retrieve(idOf(paymentIntent.latest_charge));
    expect(charge).toMatchObject({
      status: 'succeeded',
      paid: true,
      amount: 1500,
      amount_refunded: 0,
      refunded: false,
      payment_intent: paymentIntent.id,
      customer: subscription.customer,
      payment_method_details: { type: 'card', card: { brand: 'visa', last4: '4242' } },
    });

    // From a charge (say, in charge.refunded) back to its invoice:
    const found = await h.stripe.invoicePayments.list({
      payment: { type: 'payment_intent', payment_intent: idOf(charge.payment_intent) },
    });
    expect(found.data.map((entry) => entry.invoice)).toEqual([invoice.id]);
    expect((await h.stripe.invoicePayments.list({ invoice: invoice.id })).data).toHaveLength(1);
    const withoutType = { payment_intent: paymentIntent.id } as Stripe.InvoicePaymentListParams.Payment;
    await expect(stripeError(h.stripe.invoicePayments.list({ payment: withoutType }))).resolves.toMatchObject({
      code: 'parameter_missing',
      param: 'payment[type]',
    });
    for (const call of [h.stripe.charges.retrieve('ch_nope'), h.stripe.paymentIntents.retrieve('pi_nope')])
      await expect(stripeError(call)).resolves.toMatchObject({ statusCode: 404, code: 'resource_missing' });
  });

  it('a trial invoice is paid with nothing due: no PaymentIntent, no invoice payment', async () => {
    const { monthly } = seeded(h.emulator);
    const subscription = await paidSubscription(h, monthly.id, { subscription_data: { trial_period_days: 7 } });
    const invoice = await h.stripe.invoices.retrieve(idOf(subscription.latest_invoice), { expand: ['payments'] });
    expect(invoice).toMatchObject({ status: 'paid', amount_due: 0, total: 0 });
    expect(invoice.payments?.data).toEqual([]);
  });
});

describe('GET /v1/invoices', () => {
  it('filters by customer, subscription, status and created, newest first, with pagination', async () => {
    const { monthly, yearly } = seeded(h.emulator);
    const customer = h.emulator.addCustomer({ email: 'list@example.com' });
    const first = await paidSubscription(h, monthly.id, { customer: customer.id });
    const second = await paidSubscription(h, yearly.id, { customer: customer.id });
    const renewed = await h.emulator.renewNow(first.id);
    const ids = async (params: Stripe.InvoiceListParams) =>
      (await h.stripe.invoices.list({ customer: customer.id, ...params })).data.map((invoice) => invoice.id);
    const all = await ids({});
    expect(all).toEqual([idOf(renewed.latest_invoice), idOf(second.latest_invoice), idOf(first.latest_invoice)]);
    expect(await ids({ subscription: first.id })).toEqual([idOf(renewed.latest_invoice), idOf(first.latest_invoice)]);
    expect(await ids({ status: 'open' })).toEqual([]);
    expect(await ids({ status: 'paid' })).toEqual(all);
    // The renewal is dated at the period it starts.
    const periodStart = renewed.items.data[0]?.current_period_start ?? 0;
    expect(await ids({ created: { gte: periodStart } })).toEqual([idOf(renewed.latest_invoice)]);
    expect(await ids({ created: { lt: periodStart } })).toEqual(all.slice(1));
    const paged: string[] = [];
    for await (const invoice of h.stripe.invoices.list({ customer: customer.id, limit: 1 })) paged.push(invoice.id);
    expect(paged).toEqual(all);
    await expect(stripeError(h.stripe.invoices.list({ status: 'pending' as never }))).resolves.toMatchObject({
      param: 'status',
    });
    await expect(stripeError(h.stripe.invoices.list({ created: { after: 1 } as never }))).resolves.toMatchObject({
      param: 'created[after]',
    });
  });
});

describe('POST /v1/invoices/:id/pay and /void', () => {
  /** A subscription whose renewal failed, and its open invoice. */
  async function openInvoice(): Promise<{ subscription: Stripe.Subscription; invoice: Stripe.Invoice }> {
    const { monthly } = seeded(h.emulator);
    const subscription = await h.emulator.failNextRenewal((await paidSubscription(h, monthly.id)).id);
    return { subscription, invoice: await h.stripe.invoices.retrieve(idOf(subscription.latest_invoice)) };
  }

  it('paid_out_of_band marks an open invoice paid with invoice.paid only, and no payment', async () => {
    const { invoice, subscription } = await openInvoice();
    expect(invoice.status).toBe('open');
    const from = h.events.length;
    const paid = await h.stripe.invoices.pay(invoice.id, { paid_out_of_band: true, expand: ['payments'] });
    await h.emulator.settle();
    // The past_due subscription's latest invoice is paid: it is active again.
    expect(typesSince(h, from)).toEqual(['invoice.paid', 'customer.subscription.updated']);
    expect((await h.stripe.subscriptions.retrieve(subscription.id)).status).toBe('active');
    expect(paid).toMatchObject({
      status: 'paid',
      amount_paid: 1500,
      amount_remaining: 0,
      amount_paid_off_stripe: 1500,
    });
    expect(paid.payments?.data[0]).toMatchObject({ status: 'canceled' });
    const paymentIntent = await h.stripe.paymentIntents.retrieve(idOf(paid.payments?.data[0]?.payment.payment_intent));
    expect(paymentIntent.status).toBe('canceled');
    await expect(stripeError(h.stripe.invoices.pay(invoice.id, { paid_out_of_band: true }))).resolves.toMatchObject({
      statusCode: 400,
      type: 'StripeInvalidRequestError',
    });
  });

  it('pay charges an open invoice with the default payment method', async () => {
    const { invoice } = await openInvoice();
    const from = h.events.length;
    const paid = await h.stripe.invoices.pay(invoice.id);
    await h.emulator.settle();
    expect(typesSince(h, from)).toEqual(['invoice.paid', 'invoice.payment_succeeded', 'customer.subscription.updated']);
    expect(paid).toMatchObject({ status: 'paid', amount_paid: 1500, attempt_count: 2 });
  });

  it('void: an open invoice becomes void (invoice.voided); a paid one is refused', async () => {
    const { invoice } = await openInvoice();
    const from = h.events.length;
    const voided = await h.stripe.invoices.voidInvoice(invoice.id);
    await h.emulator.settle();
    expect(typesSince(h, from)).toEqual(['invoice.voided']);
    expect(voided).toMatchObject({ status: 'void', status_transitions: { voided_at: expect.any(Number) } });
    await expect(stripeError(h.stripe.invoices.voidInvoice(invoice.id))).resolves.toMatchObject({ statusCode: 400 });
    await expect(stripeError(h.stripe.invoices.pay(invoice.id))).resolves.toMatchObject({ statusCode: 400 });

    const { monthly } = seeded(h.emulator);
    const paid = idOf((await paidSubscription(h, monthly.id)).latest_invoice);
    await expect(stripeError(h.stripe.invoices.voidInvoice(paid))).resolves.toMatchObject({
      statusCode: 400,
      type: 'StripeInvalidRequestError',
      code: 'invoice_not_editable',
    });
    await expect(stripeError(h.stripe.invoices.voidInvoice('in_nope'))).resolves.toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
    });
  });

  it('the handle pays out of band and voids like the API', async () => {
    const first = await openInvoice();
    expect((await h.emulator.payOutOfBand(first.invoice.id)).status).toBe('paid');
    const second = await openInvoice();
    const from = h.events.length;
    expect((await h.emulator.voidInvoice(second.invoice.id)).status).toBe('void');
    expect(typesSince(h, from)).toEqual(['invoice.voided']);
    await expect(h.emulator.voidInvoice(first.invoice.id)).rejects.toThrow(/is paid/);
  });
});
