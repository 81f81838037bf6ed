/**
 * Invoices: GET /v1/invoices/:id, the invoice of each subscription period, and charging it
 * (paid at once by card; `processing` for a bank debit, settled later by subscriptions.ts).
 */
import type Stripe from 'stripe';
import { noSuch } from '../errors.ts';
import { money } from '../money.ts';
import { invoiceLineObject, invoiceObject, listObject } from '../objects.ts';
import { allowOnly, expand } from '../params.ts';
import { sendReceipt } from '../receipts.ts';
import { ok, type Handler } from '../api.ts';
import { type EmulatorState, type EventContext, ID_PREFIX, idOf, newId, nowSeconds } from '../state.ts';
import { debitFails } from './payment-methods.ts';
import { discountAmount, lineAmount, productName } from './prices.ts';

/** GET /v1/invoices/:id */
export const retrieve: Handler = ({ state }, { params }, [id = '']) => {
  allowOnly(params, ['expand']);
  const invoice = state.invoices.get(id);
  if (!invoice) throw noSuch('invoice', id);
  return ok(expand(state, invoice, params));
};

/** The subscription's discount coupon, when one applies. */
function subscriptionCoupon(state: EmulatorState, subscription: Stripe.Subscription): Stripe.Coupon | null {
  const discountId = subscription.discounts[0];
  const discount = discountId === undefined ? undefined : state.discounts.get(idOf(discountId));
  const couponId = discount?.source.coupon;
  return couponId ? (state.coupons.get(idOf(couponId)) ?? null) : null;
}

/**
 * Creates, finalizes and stores the invoice of a subscription period (shaped like the pinned API:
 * the subscription sits under `parent.subscription_details`, Stripe.Invoice has no `subscription`).
 */
export function createInvoice(
  state: EmulatorState,
  subscription: Stripe.Subscription,
  billingReason: Stripe.Invoice.BillingReason,
  options: { trial?: boolean } = {},
): Stripe.Invoice {
  const id = newId(ID_PREFIX.invoice);
  const now = nowSeconds();
  const customer = state.customers.get(idOf(subscription.customer));
  const coupon = subscriptionCoupon(state, subscription);
  const discountId = idOf(subscription.discounts[0] ?? '');
  const sequence = customer?.next_invoice_sequence ?? 1;
  if (customer) customer.next_invoice_sequence = sequence + 1;
  const lines = subscription.items.data.map((item) => {
    const amount = options.trial ? 0 : lineAmount(state, item.price, item.quantity ?? null);
    const name = productName(state, item.price);
    const unit = item.price.unit_amount === null ? 'tiered prices' : money(item.price.unit_amount, item.price.currency);
    return invoiceLineObject({
      id: newId(ID_PREFIX.invoiceLine),
      amount,
      currency: subscription.currency,
      description: options.trial
        ? `Trial period for ${name}`
        : `${item.quantity ?? 1} × ${name} (at ${unit} / ${item.price.recurring?.interval ?? 'month'})`,
      discount_amounts: coupon ? [{ amount: discountAmount(coupon, amount), discount: discountId }] : [],
      invoice: id,
      parent: {
        type: 'subscription_item_details',
        invoice_item_details: null,
        subscription_item_details: {
          invoice_item: null,
          proration: false,
          proration_details: { credited_items: null },
          subscription: subscription.id,
          subscription_item: item.id,
        },
      },
      period: { start: item.current_period_start, end: item.current_period_end },
      pricing: {
        type: 'price_details',
        price_details: { price: item.price.id, product: idOf(item.price.product) },
        unit_amount_decimal: item.price.unit_amount_decimal,
      },
      quantity: item.quantity ?? null,
      subscription: subscription.id,
    });
  });
  const subtotal = lines.reduce((sum, line) => sum + line.amount, 0);
  const discount = lines.reduce((sum, line) => sum + (line.discount_amounts?.[0]?.amount ?? 0), 0);
  const invoice = invoiceObject({
    id,
    created: now,
    currency: subscription.currency,
    customer: idOf(subscription.customer),
    lines: listObject(lines, `/v1/invoices/${id}/lines`),
    total: subtotal - discount,
    subtotal,
    subtotal_excluding_tax: subtotal,
    billing_reason: billingReason,
    customer_email: customer?.email ?? null,
    customer_name: customer?.name ?? null,
    discounts: [...subscription.discounts],
    number: customer ? `${customer.invoice_prefix}-${String(sequence).padStart(4, '0')}` : null,
    parent: {
      type: 'subscription_details',
      quote_details: null,
      subscription_details: { metadata: { ...subscription.metadata }, subscription: subscription.id },
    },
    total_discount_amounts: coupon ? [{ amount: discount, discount: discountId }] : [],
  });
  state.invoices.set(id, invoice);
  subscription.latest_invoice = id;
  return invoice;
}

/** Marks an invoice paid; records `invoice.paid` and `invoice.payment_succeeded`. */
export function markPaid(state: EmulatorState, invoice: Stripe.Invoice, context: EventContext): Stripe.Event[] {
  invoice.status = 'paid';
  invoice.amount_paid = invoice.amount_due;
  invoice.amount_remaining = 0;
  invoice.attempted = true;
  invoice.attempt_count += invoice.amount_due > 0 ? 1 : 0;
  invoice.next_payment_attempt = null;
  invoice.status_transitions.paid_at = nowSeconds();
  sendReceipt(state, invoice);
  return [
    state.createEvent('invoice.paid', invoice, context),
    state.createEvent('invoice.payment_succeeded', invoice, context),
  ];
}

/** Records a failed attempt (the invoice stays open); records `invoice.payment_failed`. */
export function markFailed(state: EmulatorState, invoice: Stripe.Invoice, context: EventContext): Stripe.Event[] {
  invoice.attempted = true;
  invoice.attempt_count += 1;
  return [state.createEvent('invoice.payment_failed', invoice, context)];
}

/**
 * Charges an invoice with a PaymentMethod: nothing due → paid; a card → paid; a bank debit →
 * `processing`, settled later (docs.stripe.com/payments/sepa-debit: a delayed notification payment method).
 */
export function chargeInvoice(
  state: EmulatorState,
  invoice: Stripe.Invoice,
  paymentMethod: Stripe.PaymentMethod | undefined,
  context: EventContext,
  checkoutSessionId: string | null = null,
): { outcome: 'paid' | 'processing' | 'failed'; events: Stripe.Event[] } {
  if (invoice.amount_due === 0) return { outcome: 'paid', events: markPaid(state, invoice, context) };
  if (!paymentMethod) return { outcome: 'failed', events: markFailed(state, invoice, context) };
  if (paymentMethod.type === 'sepa_debit') {
    invoice.attempted = true;
    state.processingPayments.set(invoice.id, {
      invoiceId: invoice.id,
      checkoutSessionId,
      succeeds: !debitFails(paymentMethod),
    });
    return { outcome: 'processing', events: [] };
  }
  return { outcome: 'paid', events: markPaid(state, invoice, context) };
}
