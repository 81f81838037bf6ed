/**
 * Invoices: GET /v1/invoices(/:id), POST /v1/invoices/:id/pay and /void, and an invoice's life: created as a
 * draft, finalized (number, frozen customer details, a PaymentIntent and its default InvoicePayment), then
 * paid, failed, voided or marked uncollectible. Subscriptions create theirs through `createInvoice`.
 */
import type Stripe from 'stripe';
import { invalidRequest, noSuch, type StripeApiError } from '../errors.ts';
import { money } from '../money.ts';
import { invoiceLineObject, invoiceObject, invoicePaymentObject, listObject } from '../objects.ts';
import {
  allowOnly,
  expand,
  newestFirst,
  optionalBoolean,
  optionalEnum,
  optionalString,
  optionalTimeRange,
  paginate,
  PAGE_PARAMS,
} from '../params.ts';
import { sendReceipt } from '../receipts.ts';
import { ok, type Handler } from '../api.ts';
import { type EmulatorState, type EventContext, ID_PREFIX, idOf, newId, nowSeconds } from '../state.ts';
import { attemptPayment, cancelPaymentIntent, createPaymentIntent, settleCharge } from './charges.ts';
import { customerParam } from './customers.ts';
import { debitFails } from './payment-methods.ts';
import { discountAmount, lineAmount, productName } from './prices.ts';
import { reactivateIfPaid } from './subscription-core.ts';
import { invoiceAccountTaxIds, invoiceCustomerTaxIds } from './tax-ids.ts';

type Status = Stripe.Invoice.Status;

// ---------------------------------------------------------------- the API

/** GET /v1/invoices/:id (`expand[]=payments` includes its InvoicePayments). */
export const retrieve: Handler = ({ state }, { params }, [id = '']) => {
  allowOnly(params, ['expand']);
  const invoice = state.invoices.get(id);
  if (!invoice) throw noSuch('invoice', id);
  return ok(expand(state, followCustomer(state, invoice), params));
};

/** docs.stripe.com/api/invoices/list (status): "The status of the invoice, one of draft, open, paid, uncollectible, or void." */
const STATUSES = ['draft', 'open', 'paid', 'uncollectible', 'void'] as const satisfies readonly Status[];

/** The subscription an invoice was made for (Stripe.Invoice.Parent.SubscriptionDetails), or ''. */
export function subscriptionOf(invoice: Stripe.Invoice): string {
  return idOf(invoice.parent?.subscription_details?.subscription);
}

/** GET /v1/invoices: `customer`, `subscription`, `status`, `created`; newest first (docs.stripe.com/api/invoices/list). */
export const list: Handler = ({ state }, { params }) => {
  allowOnly(params, [...PAGE_PARAMS, 'created', 'customer', 'status', 'subscription']);
  const customer = customerParam(state, params);
  const subscription = optionalString(params, 'subscription');
  const status = optionalEnum(params, 'status', STATUSES);
  const created = optionalTimeRange(params, 'created');
  const page = paginate(
    newestFirst(state.invoices),
    (invoice) =>
      (customer === undefined || invoice.customer === customer.id) &&
      (subscription === undefined || subscriptionOf(invoice) === subscription) &&
      (status === undefined || invoice.status === status) &&
      (created === undefined || created(invoice.created)),
    params,
    '/v1/invoices',
    'invoice',
  );
  for (const invoice of page.data) followCustomer(state, invoice);
  return ok(expand(state, page, params));
};

/**
 * Stripe's refusal of what an invoice's status does not allow: the code is Stripe's `invoice_not_editable`
 * (docs.stripe.com/error-codes#invoice-not-editable); the wording is not confirmed.
 */
function notAllowed(invoice: Stripe.Invoice, message: string): StripeApiError {
  return invalidRequest(`${message} This invoice is ${invoice.status ?? 'draft'}.`, undefined, 'invoice_not_editable');
}

/**
 * POST /v1/invoices/:id/pay: docs.stripe.com/invoicing/integration/workflow-transitions pays `open` and `uncollectible`
 * invoices (a draft is finalized first). `paid_out_of_band=true` marks it paid without a payment
 * (Stripe.InvoicePayParams.paid_out_of_band: "This will result in no charge being made"); otherwise the invoice's
 * payment method is charged.
 */
export const pay: Handler = (ctx, { params }, [id = '']) => {
  allowOnly(params, ['expand', 'paid_out_of_band']);
  const state = ctx.state;
  const invoice = state.invoices.get(id);
  if (!invoice) throw noSuch('invoice', id);
  const outOfBand = optionalBoolean(params, 'paid_out_of_band') ?? false;
  if (invoice.status === 'paid') throw notAllowed(invoice, 'Invoice is already paid.');
  if (invoice.status === 'void') throw notAllowed(invoice, 'A void invoice cannot be paid.');
  if (state.processingPayments.has(invoice.id)) throw notAllowed(invoice, 'Its payment is still processing.');
  if (outOfBand) {
    const events = payOutOfBand(state, invoice, ctx.events);
    return ok(expand(state, invoice, params), [...events, ...reactivateIfPaid(state, invoice, ctx.events)]);
  }
  const paymentMethod = invoicePaymentMethod(state, invoice);
  if (!paymentMethod) {
    // Stripe's message when nothing can be charged (quoted in public issues; param not confirmed)
    throw invalidRequest(
      'This customer has no attached payment source or default payment method. Please consider adding a default payment method.',
    );
  }
  const charge = chargeInvoice(state, invoice, paymentMethod, ctx.events);
  return ok(expand(state, invoice, params), [...charge.events, ...reactivateIfPaid(state, invoice, ctx.events)]);
};

/**
 * POST /v1/invoices/:id/void: docs.stripe.com/invoicing/integration/workflow-transitions allows it from `open` and
 * `uncollectible` only (a paid invoice is corrected with a credit note instead) → `invoice.voided`.
 */
export const voidHandler: Handler = (ctx, { params }, [id = '']) => {
  allowOnly(params, ['expand']);
  const invoice = ctx.state.invoices.get(id);
  if (!invoice) throw noSuch('invoice', id);
  if (invoice.status !== 'open' && invoice.status !== 'uncollectible')
    throw notAllowed(invoice, 'You can only void an invoice that is open or uncollectible.');
  if (ctx.state.processingPayments.has(invoice.id)) throw notAllowed(invoice, 'Its payment is still processing.');
  const events = voidInvoice(ctx.state, invoice, ctx.events);
  return ok(expand(ctx.state, invoice, params), events);
};

// ---------------------------------------------------------------- creating and finalizing

/** The subscription's discount coupon, when one applies. */
function subscriptionCoupon(state: EmulatorState, subscription: Stripe.Subscription): Stripe.Coupon | null {
  const discountId = subscription.discounts[0];
  const discount = discountId === undefined ? undefined : state.discounts.get(idOf(discountId));
  const couponId = discount?.source.coupon;
  return couponId ? (state.coupons.get(idOf(couponId)) ?? null) : null;
}

/**
 * The customer details an invoice carries: Stripe.Invoice.customer_email (and _name, _phone, _address, _shipping):
 * "Until the invoice is finalized, this field will equal customer.email. Once the invoice is finalized, this field
 * will no longer be updated." Likewise `customer_tax_ids`, the customer's tax IDs.
 */
function copyCustomer(state: EmulatorState, invoice: Stripe.Invoice, customer: Stripe.Customer | undefined): void {
  invoice.customer_tax_ids = customer ? invoiceCustomerTaxIds(state, customer.id) : [];
  invoice.customer_email = customer?.email ?? null;
  invoice.customer_name = customer?.name ?? null;
  invoice.customer_phone = customer?.phone ?? null;
  invoice.customer_address = customer?.address ? { ...customer.address } : null;
  const shipping = customer?.shipping;
  invoice.customer_shipping = shipping
    ? { address: shipping.address ? { ...shipping.address } : undefined, name: shipping.name, phone: shipping.phone }
    : null;
}

/** A draft follows its customer's details until it is finalized (see copyCustomer). */
function followCustomer(state: EmulatorState, invoice: Stripe.Invoice): Stripe.Invoice {
  if (invoice.status === 'draft') copyCustomer(state, invoice, state.customers.get(idOf(invoice.customer)));
  return invoice;
}

/** A subscription item's line on an invoice, shaped like the pinned API (price under `pricing.price_details`). */
function itemLine(
  invoiceId: string,
  subscription: Stripe.Subscription,
  input: {
    item: string;
    price: Stripe.Price;
    quantity: number | null;
    amount: number;
    description: string;
    period: { start: number; end: number };
    proration: boolean;
    discount: { coupon: Stripe.Coupon; id: string } | null;
  },
): Stripe.InvoiceLineItem {
  return invoiceLineObject({
    id: newId(ID_PREFIX.invoiceLine),
    amount: input.amount,
    currency: subscription.currency,
    description: input.description,
    discount_amounts: input.discount
      ? [{ amount: discountAmount(input.discount.coupon, input.amount), discount: input.discount.id }]
      : [],
    invoice: invoiceId,
    parent: {
      type: 'subscription_item_details',
      invoice_item_details: null,
      subscription_item_details: {
        invoice_item: null,
        proration: input.proration,
        proration_details: { credited_items: null },
        subscription: subscription.id,
        subscription_item: input.item,
      },
    },
    period: input.period,
    pricing: {
      type: 'price_details',
      price_details: { price: input.price.id, product: idOf(input.price.product) },
      unit_amount_decimal: input.price.unit_amount_decimal,
    },
    quantity: input.quantity,
    subscription: subscription.id,
  });
}

/**
 * Creates the draft invoice of a subscription, with `invoice.created`: its items for the current period (unless
 * `items: false`, for an invoice of prorations only) after the prorations still pending (Stripe.Invoice.lines:
 * "pending invoice items (including prorations) … subscription items …"), which it takes.
 */
export function createInvoice(
  state: EmulatorState,
  subscription: Stripe.Subscription,
  billingReason: Stripe.Invoice.BillingReason,
  context: EventContext,
  options: { trial?: boolean; items?: boolean; at?: number } = {},
): { invoice: Stripe.Invoice; events: Stripe.Event[] } {
  const id = newId(ID_PREFIX.invoice);
  const at = options.at ?? nowSeconds();
  const coupon = subscriptionCoupon(state, subscription);
  const discount = coupon ? { coupon, id: idOf(subscription.discounts[0] ?? '') } : null;
  const prorations = (state.pendingProrations.get(subscription.id) ?? []).map((pending) =>
    itemLine(id, subscription, {
      item: pending.subscriptionItem,
      price: pending.price,
      quantity: pending.quantity,
      amount: pending.amount,
      description: pending.description,
      period: pending.period,
      proration: true,
      discount: null,
    }),
  );
  state.pendingProrations.delete(subscription.id);
  const items = (options.items ?? true) ? subscription.items.data : [];
  const lines = [
    ...prorations,
    ...items.map((item) => {
      const amount = options.trial ? 0 : lineAmount(state, item.price, item.quantity ?? null);
      const name = productName(state, item.price);
      const unit =
        item.price.unit_amount === null ? 'tiered prices' : money(item.price.unit_amount, item.price.currency);
      return itemLine(id, subscription, {
        item: item.id,
        price: item.price,
        quantity: item.quantity ?? null,
        amount,
        description: options.trial
          ? `Trial period for ${name}`
          : `${item.quantity ?? 1} × ${name} (at ${unit} / ${item.price.recurring?.interval ?? 'month'})`,
        period: { start: item.current_period_start, end: item.current_period_end },
        proration: false,
        discount,
      });
    }),
  ];
  const subtotal = lines.reduce((sum, line) => sum + line.amount, 0);
  const discounted = lines.reduce((sum, line) => sum + (line.discount_amounts?.[0]?.amount ?? 0), 0);
  const invoice = invoiceObject({
    id,
    created: at,
    currency: subscription.currency,
    customer: idOf(subscription.customer),
    lines: listObject(lines, `/v1/invoices/${id}/lines`),
    total: subtotal - discounted,
    subtotal,
    subtotal_excluding_tax: subtotal,
    total_excluding_tax: subtotal - discounted,
    billing_reason: billingReason,
    discounts: [...subscription.discounts],
    parent: {
      type: 'subscription_details',
      quote_details: null,
      subscription_details: { metadata: { ...subscription.metadata }, subscription: subscription.id },
    },
    total_discount_amounts: coupon ? [{ amount: discounted, discount: discount?.id ?? '' }] : [],
    webhooks_delivered_at: at,
  });
  copyCustomer(state, invoice, state.customers.get(idOf(subscription.customer)));
  state.invoices.set(id, invoice);
  subscription.latest_invoice = id;
  // docs.stripe.com/billing/subscriptions/webhooks: invoice.created, "Sent when an invoice is created for a new or renewing subscription"
  return { invoice, events: [state.createEvent('invoice.created', invoice, context)] };
}

/** The invoice's default InvoicePayment (made at finalization when something is due). */
export function defaultPaymentOf(state: EmulatorState, invoiceId: string): Stripe.InvoicePayment | undefined {
  return [...state.invoicePayments.values()].find((payment) => payment.invoice === invoiceId && payment.is_default);
}

/** The PaymentIntent collecting an invoice, when one was made. */
export function paymentIntentOf(state: EmulatorState, invoiceId: string): Stripe.PaymentIntent | undefined {
  const payment = defaultPaymentOf(state, invoiceId);
  return payment ? state.paymentIntents.get(idOf(payment.payment.payment_intent)) : undefined;
}

/**
 * Finalizes a draft (→ `open`, `invoice.finalized`): its number, its customer details frozen, the account's tax IDs
 * (its subscription's, else the account's defaults: tax-ids.ts), the customer's balance
 * applied ("credit … automatically applied to their next invoice when it's finalized", Stripe.CreditNoteCreateParams.credit_amount;
 * Stripe.Invoice.starting_balance / ending_balance), and, when something is due, the PaymentIntent and its default
 * InvoicePayment (Stripe.InvoicePayment.is_default: "Stripe automatically creates a default InvoicePayment when the
 * invoice is finalized"). A draft with nothing due is paid at once, by the caller.
 */
export function finalizeInvoice(
  state: EmulatorState,
  invoice: Stripe.Invoice,
  context: EventContext,
  at = nowSeconds(),
): Stripe.Event[] {
  const customer = state.customers.get(idOf(invoice.customer));
  copyCustomer(state, invoice, customer);
  invoice.account_tax_ids = invoiceAccountTaxIds(state, invoice);
  const sequence = customer?.next_invoice_sequence ?? 1;
  if (customer) customer.next_invoice_sequence = sequence + 1;
  invoice.number = customer ? `${customer.invoice_prefix}-${String(sequence).padStart(4, '0')}` : null;
  const balance = customer?.balance ?? 0;
  const owed = invoice.total + balance;
  invoice.starting_balance = balance;
  invoice.ending_balance = Math.min(0, owed);
  if (customer) customer.balance = invoice.ending_balance;
  invoice.amount_due = Math.max(0, owed);
  invoice.amount_remaining = invoice.amount_due;
  invoice.status = 'open';
  invoice.status_transitions.finalized_at = at;
  invoice.effective_at = at;
  if (invoice.amount_due > 0) {
    const paymentIntent = createPaymentIntent(state, invoice, at);
    const payment = invoicePaymentObject({
      id: newId(ID_PREFIX.invoicePayment),
      created: at,
      amount_requested: invoice.amount_due,
      currency: invoice.currency,
      invoice: invoice.id,
      payment: { type: 'payment_intent', payment_intent: paymentIntent.id },
    });
    state.invoicePayments.set(payment.id, payment);
  }
  // docs.stripe.com/billing/subscriptions/webhooks: invoice.finalized, "Sent when an invoice is successfully finalized and ready to be paid."
  return [state.createEvent('invoice.finalized', invoice, context)];
}

// ---------------------------------------------------------------- paying

/** The PaymentMethod an invoice is charged with: its subscription's default, else the customer's. */
export function invoicePaymentMethod(state: EmulatorState, invoice: Stripe.Invoice): Stripe.PaymentMethod | undefined {
  const subscription = state.subscriptions.get(subscriptionOf(invoice));
  const customer = state.customers.get(idOf(invoice.customer));
  const id = subscription?.default_payment_method ?? customer?.invoice_settings.default_payment_method;
  return id ? state.paymentMethods.get(idOf(id)) : undefined;
}

/**
 * Marks an invoice paid; records `invoice.paid`, then `invoice.payment_succeeded` unless it was paid out of band
 * (docs.stripe.com/api/events/types: invoice.paid "Occurs whenever an invoice payment attempt succeeds or an invoice
 * is marked as paid out-of-band"; invoice.payment_succeeded "Occurs whenever an invoice payment attempt succeeds").
 */
export function markPaid(
  state: EmulatorState,
  invoice: Stripe.Invoice,
  context: EventContext,
  options: { outOfBand?: boolean; at?: number } = {},
): Stripe.Event[] {
  const at = options.at ?? nowSeconds();
  const payment = defaultPaymentOf(state, invoice.id);
  if (payment && !options.outOfBand) {
    payment.status = 'paid';
    payment.amount_paid = payment.amount_requested;
    payment.status_transitions.paid_at = at;
  }
  if (options.outOfBand) invoice.amount_paid_off_stripe = invoice.amount_remaining;
  invoice.status = 'paid';
  invoice.amount_paid = invoice.amount_due;
  invoice.amount_remaining = 0;
  invoice.attempted = true;
  invoice.attempt_count += invoice.amount_due > 0 && !options.outOfBand ? 1 : 0;
  invoice.next_payment_attempt = null;
  invoice.status_transitions.paid_at = at;
  sendReceipt(state, invoice);
  return [
    state.createEvent('invoice.paid', invoice, context),
    ...(options.outOfBand ? [] : [state.createEvent('invoice.payment_succeeded', invoice, context)]),
  ];
}

/** Records a failed attempt (the invoice stays open); records `invoice.payment_failed`. */
function markFailed(state: EmulatorState, invoice: Stripe.Invoice, context: EventContext): Stripe.Event[] {
  invoice.attempted = true;
  invoice.attempt_count += 1;
  return [state.createEvent('invoice.payment_failed', invoice, context)];
}

/**
 * Charges an invoice (finalizing a draft first): nothing due → paid; a card → a Charge, paid (or declined with
 * `fail`); a bank debit → a pending Charge, `processing` until it settles (docs.stripe.com/payments/sepa-debit: a
 * delayed notification payment method); no payment method → a failed attempt.
 */
export function chargeInvoice(
  state: EmulatorState,
  invoice: Stripe.Invoice,
  paymentMethod: Stripe.PaymentMethod | undefined,
  context: EventContext,
  options: { checkoutSessionId?: string | null; fail?: boolean; at?: number } = {},
): { outcome: 'paid' | 'processing' | 'failed'; events: Stripe.Event[] } {
  const at = options.at ?? nowSeconds();
  const events = invoice.status === 'draft' ? finalizeInvoice(state, invoice, context, at) : [];
  const done = (outcome: 'paid' | 'processing' | 'failed', more: Stripe.Event[] = []) => ({
    outcome,
    events: [...events, ...more],
  });
  if (invoice.amount_due === 0) return done('paid', markPaid(state, invoice, context, { at }));
  const paymentIntent = paymentIntentOf(state, invoice.id);
  if (!paymentMethod || !paymentIntent) return done('failed', markFailed(state, invoice, context));
  if (options.fail) {
    attemptPayment(state, paymentIntent, paymentMethod, 'failed', at);
    return done('failed', markFailed(state, invoice, context));
  }
  if (paymentMethod.type === 'sepa_debit') {
    attemptPayment(state, paymentIntent, paymentMethod, 'pending', at);
    invoice.attempted = true;
    state.processingPayments.set(invoice.id, {
      invoiceId: invoice.id,
      checkoutSessionId: options.checkoutSessionId ?? null,
      succeeds: !debitFails(paymentMethod),
    });
    return done('processing');
  }
  attemptPayment(state, paymentIntent, paymentMethod, 'succeeded', at);
  return done('paid', markPaid(state, invoice, context, { at }));
}

/** A processing bank debit settles: the invoice is paid (`invoice.paid`…) or its attempt failed (`invoice.payment_failed`). */
export function settleInvoicePayment(
  state: EmulatorState,
  invoice: Stripe.Invoice,
  succeeds: boolean,
  context: EventContext,
): Stripe.Event[] {
  const paymentIntent = paymentIntentOf(state, invoice.id);
  if (paymentIntent) settleCharge(state, paymentIntent, succeeds);
  return succeeds ? markPaid(state, invoice, context) : markFailed(state, invoice, context);
}

/** Marks an invoice paid outside Stripe (finalizing a draft first); its PaymentIntent is canceled. */
export function payOutOfBand(state: EmulatorState, invoice: Stripe.Invoice, context: EventContext): Stripe.Event[] {
  const at = nowSeconds();
  const events = invoice.status === 'draft' ? finalizeInvoice(state, invoice, context, at) : [];
  const paymentIntent = paymentIntentOf(state, invoice.id);
  if (paymentIntent) cancelPaymentIntent(paymentIntent, 'automatic', at);
  const payment = defaultPaymentOf(state, invoice.id);
  if (payment) {
    payment.status = 'canceled';
    payment.status_transitions.canceled_at = at;
  }
  return [...events, ...markPaid(state, invoice, context, { outOfBand: true, at })];
}

// ---------------------------------------------------------------- voiding and uncollectible

/** Voids an invoice (`invoice.voided`): its PaymentIntent and default payment are canceled. */
export function voidInvoice(
  state: EmulatorState,
  invoice: Stripe.Invoice,
  context: EventContext,
  at = nowSeconds(),
): Stripe.Event[] {
  invoice.status = 'void';
  invoice.status_transitions.voided_at = at;
  invoice.next_payment_attempt = null;
  const paymentIntent = paymentIntentOf(state, invoice.id);
  if (paymentIntent) cancelPaymentIntent(paymentIntent, 'void_invoice', at);
  const payment = defaultPaymentOf(state, invoice.id);
  if (payment) {
    payment.status = 'canceled';
    payment.status_transitions.canceled_at = at;
  }
  return [state.createEvent('invoice.voided', invoice, context)];
}

/** Marks an open invoice uncollectible (`invoice.marked_uncollectible`); it can still be paid later. */
export function markUncollectible(
  state: EmulatorState,
  invoice: Stripe.Invoice,
  context: EventContext,
  at = nowSeconds(),
): Stripe.Event[] {
  invoice.status = 'uncollectible';
  invoice.status_transitions.marked_uncollectible_at = at;
  invoice.next_payment_attempt = null;
  return [state.createEvent('invoice.marked_uncollectible', invoice, context)];
}
