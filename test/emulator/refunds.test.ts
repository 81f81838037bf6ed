/** Refunds and credit notes, as the owner (and the site) will give money back. */
import type Stripe from 'stripe';
import { beforeEach, describe, expect, it } from 'vitest';
import { seeded, stripeError, paidSubscription, typesSince, useEmulator } from '../support/emulator.ts';
import { idOf } from '../../dev/stripe-emulator/state.ts';

const h = useEmulator();
beforeEach(() => h.emulator.reset());

/** A paid monthly subscription (¥1,500) and the PaymentIntent that paid its first invoice. */
async function paid(): Promise<{ subscription: Stripe.Subscription; invoice: Stripe.Invoice; paymentIntent: string }> {
  const { monthly } = seeded(h.emulator);
  const subscription = await paidSubscription(h, monthly.id);
  const invoice = await h.stripe.invoices.retrieve(idOf(subscription.latest_invoice), { expand: ['payments'] });
  return { subscription, invoice, paymentIntent: idOf(invoice.payments?.data[0]?.payment.payment_intent) };
}

describe('POST /v1/refunds', () => {
  it('refunds part of a payment intent, then the rest: amount_refunded, refunded only when full', async () => {
    const { paymentIntent } = await paid();
    let from = h.events.length;
    const partial = await h.stripe.refunds.create({
      payment_intent: paymentIntent,
      amount: 500,
      reason: 'requested_by_customer',
    });
    await h.emulator.settle();
    expect(typesSince(h, from)).toEqual(['refund.created', 'charge.refunded']);
    expect(partial).toMatchObject({
      object: 'refund',
      amount: 500,
      status: 'succeeded',
      payment_intent: paymentIntent,
    });
    let charge = await h.stripe.charges.retrieve(idOf(partial.charge));
    expect(charge).toMatchObject({ amount_refunded: 500, refunded: false });

    await expect(stripeError(h.stripe.refunds.create({ charge: charge.id, amount: 1001 }))).resolves.toMatchObject({
      statusCode: 400,
      type: 'StripeInvalidRequestError',
      param: 'amount',
      message: 'Refund amount (¥1,001) is greater than unrefunded amount on charge (¥1,000)',
    });
    from = h.events.length;
    const rest = await h.stripe.refunds.create({ charge: charge.id });
    await h.emulator.settle();
    expect(rest.amount).toBe(1000);
    const event = h.events.slice(from).find((candidate) => candidate.type === 'charge.refunded');
    expect(event?.data.object).toMatchObject({ id: charge.id, amount_refunded: 1500, refunded: true });
    charge = await h.stripe.charges.retrieve(charge.id, { expand: ['refunds'] });
    expect(charge.refunds?.data.map((refund) => refund.amount)).toEqual([1000, 500]);
    await expect(stripeError(h.stripe.refunds.create({ charge: charge.id }))).resolves.toMatchObject({
      code: 'charge_already_refunded',
      message: `Charge ${charge.id} has already been refunded.`,
    });
    expect((await h.stripe.refunds.retrieve(rest.id)).amount).toBe(1000);
  });

  it('refuses what is missing or unknown', async () => {
    await expect(stripeError(h.stripe.refunds.create({}))).resolves.toMatchObject({ statusCode: 400 });
    await expect(stripeError(h.stripe.refunds.create({ charge: 'ch_nope' }))).resolves.toMatchObject({
      code: 'resource_missing',
      param: 'charge',
    });
    await expect(stripeError(h.stripe.refunds.create({ payment_intent: 'pi_nope' }))).resolves.toMatchObject({
      code: 'resource_missing',
      param: 'payment_intent',
    });
    const { paymentIntent } = await paid();
    await expect(
      stripeError(h.stripe.refunds.create({ payment_intent: paymentIntent, amount: 0 })),
    ).resolves.toMatchObject({
      param: 'amount',
    });
  });

  it('the handle refunds the latest paid invoice of a subscription', async () => {
    const { subscription } = await paid();
    const renewed = await h.emulator.renewNow(subscription.id);
    const refund = await h.emulator.refundLatestPayment(subscription.id, 300);
    const renewal = await h.stripe.invoices.retrieve(idOf(renewed.latest_invoice), { expand: ['payments'] });
    expect(refund).toMatchObject({
      amount: 300,
      payment_intent: idOf(renewal.payments?.data[0]?.payment.payment_intent),
    });
    expect((await h.emulator.refundLatestPayment(subscription.id)).amount).toBe(1200);
    await expect(h.emulator.refundLatestPayment(subscription.id)).rejects.toThrow(/already been refunded/);
  });
});

describe('POST /v1/credit_notes', () => {
  it('on a paid invoice: a refund of its charge, post_payment_credit_notes_amount, credit_note.created', async () => {
    const { invoice } = await paid();
    const from = h.events.length;
    const creditNote = await h.stripe.creditNotes.create({
      invoice: invoice.id,
      amount: 500,
      refund_amount: 500,
      reason: 'order_change',
    });
    await h.emulator.settle();
    expect(typesSince(h, from)).toEqual(['refund.created', 'charge.refunded', 'credit_note.created']);
    expect(creditNote).toMatchObject({
      object: 'credit_note',
      id: expect.stringMatching(/^cn_/),
      invoice: invoice.id,
      amount: 500,
      total: 500,
      type: 'post_payment',
      post_payment_amount: 500,
      pre_payment_amount: 0,
      status: 'issued',
      number: `${invoice.number}-CN-01`,
      refunds: [{ amount_refunded: 500, refund: expect.stringMatching(/^re_/), type: 'refund' }],
    });
    expect(await h.stripe.invoices.retrieve(invoice.id)).toMatchObject({
      status: 'paid',
      post_payment_credit_notes_amount: 500,
    });
    expect((await h.stripe.creditNotes.retrieve(creditNote.id)).amount).toBe(500);
    expect((await h.stripe.creditNotes.list({ invoice: invoice.id })).data.map((note) => note.id)).toEqual([
      creditNote.id,
    ]);
  });

  it('the refund, credit and out-of-band amounts must add up, and no more than the invoice can be credited', async () => {
    const { invoice, subscription } = await paid();
    await expect(stripeError(h.stripe.creditNotes.create({ invoice: invoice.id, amount: 500 }))).resolves.toMatchObject(
      {
        statusCode: 400,
        param: 'amount',
      },
    );
    await expect(
      stripeError(
        h.stripe.creditNotes.create({ invoice: invoice.id, amount: 500, refund_amount: 200, out_of_band_amount: 200 }),
      ),
    ).resolves.toMatchObject({ statusCode: 400 });
    await expect(
      stripeError(h.stripe.creditNotes.create({ invoice: invoice.id, amount: 2000, refund_amount: 2000 })),
    ).resolves.toMatchObject({ statusCode: 400, param: 'amount' });
    await expect(stripeError(h.stripe.creditNotes.create({ invoice: invoice.id }))).resolves.toMatchObject({
      message: 'One of `amount`, `lines`, or `shipping_cost` must be provided.',
    });
    await expect(stripeError(h.stripe.creditNotes.create({ invoice: 'in_nope', amount: 1 }))).resolves.toMatchObject({
      code: 'resource_missing',
      param: 'invoice',
    });

    // A credit to the customer's balance is applied to the next invoice when it is finalized.
    const line = invoice.lines.data[0];
    const split = await h.stripe.creditNotes.create({
      invoice: invoice.id,
      lines: [{ type: 'invoice_line_item', invoice_line_item: line?.id ?? '', amount: 1000 }],
      refund_amount: 400,
      credit_amount: 500,
      out_of_band_amount: 100,
    });
    expect(split).toMatchObject({
      amount: 1000,
      out_of_band_amount: 100,
      lines: { data: [{ invoice_line_item: line?.id, amount: 1000 }] },
    });
    const renewed = await h.emulator.renewNow(subscription.id);
    expect(await h.stripe.invoices.retrieve(idOf(renewed.latest_invoice))).toMatchObject({
      total: 1500,
      starting_balance: -500,
      amount_due: 1000,
      amount_paid: 1000,
      ending_balance: 0,
    });
  });

  it('on an open invoice it lowers what is due first (pre_payment), and a draft is refused', async () => {
    const { monthly } = seeded(h.emulator);
    const subscription = await h.emulator.failNextRenewal((await paidSubscription(h, monthly.id)).id);
    const open = idOf(subscription.latest_invoice);
    const creditNote = await h.stripe.creditNotes.create({ invoice: open, amount: 600 });
    expect(creditNote).toMatchObject({ type: 'pre_payment', pre_payment_amount: 600, post_payment_amount: 0 });
    expect(await h.stripe.invoices.retrieve(open)).toMatchObject({
      status: 'open',
      amount_due: 900,
      amount_remaining: 900,
      pre_payment_credit_notes_amount: 600,
    });
    const handled = await h.emulator.createCreditNote(open, 900);
    expect(handled).toMatchObject({ type: 'pre_payment', amount: 900 });
    expect((await h.stripe.invoices.retrieve(open)).status).toBe('paid');
    await h.stripe.subscriptions.update(subscription.id, { pause_collection: { behavior: 'keep_as_draft' } });
    const draft = idOf((await h.emulator.renewNow(subscription.id)).latest_invoice);
    await expect(stripeError(h.stripe.creditNotes.create({ invoice: draft, amount: 100 }))).resolves.toMatchObject({
      statusCode: 400,
      param: 'invoice',
    });
  });

  it('the handle issues a refunding credit note on a paid invoice', async () => {
    const { invoice } = await paid();
    const creditNote = await h.emulator.createCreditNote(invoice.id, 1500);
    expect(creditNote).toMatchObject({ type: 'post_payment', amount: 1500, refunds: [{ amount_refunded: 1500 }] });
  });
});
