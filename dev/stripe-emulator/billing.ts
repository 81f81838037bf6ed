/**
 * The billing objects (customers, Checkout Sessions, subscriptions, invoices, portal sessions) and
 * what happens when someone pays: shared by the REST handlers (api.ts), the hosted pages (pages.ts),
 * the lifecycle actions (lifecycle.ts) and the test handle (server.ts).
 * Functions here take already-validated input and return the objects plus the events they caused.
 */
import type Stripe from 'stripe';
import { money } from './money.ts';
import { createPaymentMethod, debitFails, type Instrument } from './payment-methods.ts';
import { type EmulatorState, type EventContext, ID_PREFIX, idOf, newId, nowSeconds } from './state.ts';

/** Thrown when an operation does not fit the object's current state (e.g. paying a completed session). */
export class StateConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StateConflictError';
  }
}

/** Events caused by hosted pages and helpers: no API request behind them. */
export function pageEventContext(pendingWebhooks: number): EventContext {
  return { requestId: null, idempotencyKey: null, pendingWebhooks };
}

/** Checkout Sessions stay open for 24 hours unless `expires_at` says otherwise (Stripe's default). */
const CHECKOUT_LIFETIME_SECONDS = 24 * 60 * 60;
const DAY = 86_400;

/** docs.stripe.com/api/subscriptions/list (status): subscriptions in these states have ended. */
export const ENDED_STATUSES: ReadonlySet<string> = new Set(['canceled', 'incomplete_expired']);

/** A product's name for a price. */
export function productName(state: EmulatorState, price: Stripe.Price): string {
  return state.products.get(idOf(price.product))?.name ?? price.nickname ?? price.id;
}

/** What one unit-quantity line costs now: metered prices bill in arrears (0 up front); tiered prices by their tiers. */
function lineAmount(state: EmulatorState, price: Stripe.Price, quantity: number | null): number {
  if (price.recurring?.usage_type === 'metered') return 0;
  const count = quantity ?? 1;
  const tiers = state.priceTiers.get(price.id);
  if (!tiers) return (price.unit_amount ?? 0) * count;
  if (price.tiers_mode === 'volume') {
    const tier =
      tiers.find((candidate) => candidate.up_to === null || count <= candidate.up_to) ?? tiers[tiers.length - 1];
    return (tier?.unit_amount ?? 0) * count + (tier?.flat_amount ?? 0);
  }
  let total = 0;
  let previous = 0;
  for (const tier of tiers) {
    const upTo = tier.up_to ?? Infinity;
    if (count > previous)
      total += (Math.min(count, upTo) - previous) * (tier.unit_amount ?? 0) + (tier.flat_amount ?? 0);
    previous = upTo;
  }
  return total;
}

/** Percent off of a coupon, applied to an amount (rounded like Stripe: to the nearest minor unit). */
function discountAmount(coupon: Stripe.Coupon | null, amount: number): number {
  if (!coupon) return 0;
  if (coupon.percent_off !== null) return Math.round((amount * coupon.percent_off) / 100);
  return Math.min(amount, coupon.amount_off ?? 0);
}

// ---------------------------------------------------------------- customers

/** Creates and stores a customer. */
export function createCustomer(
  state: EmulatorState,
  input: { email: string | null; name?: string | null; locale?: string | null },
): Stripe.Customer {
  const customer: Stripe.Customer = {
    id: newId(ID_PREFIX.customer),
    object: 'customer',
    address: null,
    balance: 0,
    created: nowSeconds(),
    currency: null,
    default_source: null,
    delinquent: false,
    description: null,
    discount: null,
    email: input.email,
    invoice_prefix: newId('', 8).toUpperCase(),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false,
    metadata: {},
    name: input.name ?? null,
    next_invoice_sequence: 1,
    phone: null,
    preferred_locales: input.locale && input.locale !== 'auto' ? [input.locale] : [],
    shipping: null,
    tax_exempt: 'none',
    test_clock: null,
  };
  state.customers.set(customer.id, customer);
  return customer;
}

/** The customer's subscriptions, newest first. */
export function subscriptionsOf(state: EmulatorState, customerId: string): Stripe.Subscription[] {
  return [...state.subscriptions.values()].filter((sub) => sub.customer === customerId).reverse();
}

/**
 * The currency a new subscription-mode session in `currency` would clash with, or null. Counts live
 * subscriptions and open subscription-mode sessions (the wording of Stripe's error lists both).
 */
export function clashingCurrency(state: EmulatorState, customerId: string, currency: string): string | null {
  for (const sub of subscriptionsOf(state, customerId)) {
    if (!ENDED_STATUSES.has(sub.status) && sub.currency !== currency) return sub.currency;
  }
  for (const session of state.checkoutSessions.values()) {
    refreshExpiry(session);
    if (
      session.customer === customerId &&
      session.status === 'open' &&
      session.currency !== null &&
      session.currency !== currency
    ) {
      return session.currency;
    }
  }
  return null;
}

// ---------------------------------------------------------------- Checkout Sessions

/** Validated input of POST /v1/checkout/sessions. */
export interface CheckoutInput {
  /** `quantity` is null for metered prices (Checkout refuses a quantity for them). */
  lineItems: Array<{ price: Stripe.Price; quantity: number | null }>;
  successUrl: string;
  cancelUrl: string | null;
  clientReferenceId: string | null;
  customer: Stripe.Customer | null;
  customerEmail: string | null;
  locale: Stripe.Checkout.Session.Locale | null;
  metadata: Record<string, string>;
  /** `subscription_data[metadata]`, copied onto the subscription when it is created. */
  subscriptionMetadata: Record<string, string>;
  trialPeriodDays: number | null;
  allowPromotionCodes: boolean;
  /** From `discounts`. */
  discount: { coupon: Stripe.Coupon; promotionCode: Stripe.PromotionCode | null } | null;
  expiresAt: number | null;
}

function buildLineItem(state: EmulatorState, price: Stripe.Price, quantity: number | null): Stripe.LineItem {
  const amount = lineAmount(state, price, quantity);
  return {
    id: newId(ID_PREFIX.lineItem),
    object: 'item',
    adjustable_quantity: null,
    amount_discount: 0,
    amount_subtotal: amount,
    amount_tax: 0,
    amount_total: amount,
    currency: price.currency,
    description: productName(state, price),
    metadata: {},
    // A copy, so a later price change does not rewrite what was sold (as at Stripe).
    price: { ...price, metadata: { ...price.metadata } },
    quantity,
  };
}

/** Recomputes a session's totals from its line items, trial and discount (what is due today). */
function applyTotals(state: EmulatorState, session: Stripe.Checkout.Session, coupon: Stripe.Coupon | null): void {
  const items = state.checkoutLineItems.get(session.id) ?? [];
  const trial = (state.checkoutSubscriptionData.get(session.id)?.trialPeriodDays ?? null) !== null;
  let subtotal = 0;
  let discount = 0;
  for (const item of items) {
    const due = trial ? 0 : lineAmount(state, item.price as Stripe.Price, item.quantity);
    item.amount_subtotal = due;
    item.amount_discount = discountAmount(coupon, due);
    item.amount_total = due - item.amount_discount;
    subtotal += due;
    discount += item.amount_discount;
  }
  session.amount_subtotal = subtotal;
  session.amount_total = subtotal - discount;
  session.total_details = { amount_discount: discount, amount_shipping: 0, amount_tax: 0 };
}

/** Creates an open subscription-mode Checkout Session; its hosted page is `${publicUrl}/checkout/<id>`. */
export function createCheckoutSession(
  state: EmulatorState,
  publicUrl: string,
  input: CheckoutInput,
): Stripe.Checkout.Session {
  const id = newId(ID_PREFIX.checkoutSession, 58);
  const created = nowSeconds();
  const session: Stripe.Checkout.Session = {
    id,
    object: 'checkout.session',
    adaptive_pricing: null,
    after_expiration: null,
    allow_promotion_codes: input.allowPromotionCodes ? true : null,
    allowed_payment_method_types: null,
    amount_subtotal: 0,
    amount_total: 0,
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    billing_address_collection: null,
    cancel_url: input.cancelUrl,
    client_reference_id: input.clientReferenceId,
    client_secret: null,
    collected_information: null,
    consent: null,
    consent_collection: null,
    created,
    currency: input.lineItems[0]?.price.currency ?? null,
    currency_conversion: null,
    custom_fields: [],
    custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
    customer: input.customer?.id ?? null,
    customer_account: null,
    customer_creation: input.customer ? null : 'always',
    customer_details: null,
    customer_email: input.customerEmail,
    discounts: input.discount
      ? [{ coupon: input.discount.coupon.id, promotion_code: input.discount.promotionCode?.id ?? null }]
      : [],
    expires_at: input.expiresAt ?? created + CHECKOUT_LIFETIME_SECONDS,
    integration_identifier: null,
    invoice: null,
    invoice_creation: null,
    livemode: false,
    locale: input.locale,
    managed_payments: null,
    metadata: { ...input.metadata },
    mode: 'subscription',
    origin_context: null,
    payment_intent: null,
    payment_link: null,
    payment_method_collection: 'always',
    payment_method_configuration_details: null,
    payment_method_options: {},
    payment_method_types: ['card', 'sepa_debit'],
    payment_status: 'unpaid',
    permissions: null,
    phone_number_collection: { enabled: false },
    recovered_from: null,
    saved_payment_method_options: null,
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: 'open',
    submit_type: null,
    subscription: null,
    success_url: input.successUrl,
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: 'hosted_page',
    url: `${publicUrl}/checkout/${id}`,
    wallet_options: null,
  };
  state.checkoutSessions.set(id, session);
  state.checkoutLineItems.set(
    id,
    input.lineItems.map(({ price, quantity }) => buildLineItem(state, price, quantity)),
  );
  state.checkoutSubscriptionData.set(id, {
    metadata: { ...input.subscriptionMetadata },
    trialPeriodDays: input.trialPeriodDays,
  });
  applyTotals(state, session, input.discount?.coupon ?? null);
  return session;
}

/** An open session past its `expires_at` becomes expired when next looked at, like at Stripe. */
export function refreshExpiry(session: Stripe.Checkout.Session): Stripe.Checkout.Session {
  if (session.status === 'open' && nowSeconds() >= session.expires_at) {
    session.status = 'expired';
    session.url = null;
  }
  return session;
}

/** The coupon of a session's discount (from `discounts` or a redeemed promotion code), or null. */
function sessionDiscount(
  state: EmulatorState,
  session: Stripe.Checkout.Session,
): { coupon: Stripe.Coupon; promotionCode: Stripe.PromotionCode | null } | null {
  const first = session.discounts?.[0];
  const coupon = first?.coupon ? state.coupons.get(idOf(first.coupon)) : undefined;
  if (!coupon) return null;
  return {
    coupon,
    promotionCode: first?.promotion_code ? (state.promotionCodes.get(idOf(first.promotion_code)) ?? null) : null,
  };
}

/** An active promotion code by its customer-facing code (case-insensitive, as Checkout accepts it). */
export function findPromotionCode(state: EmulatorState, code: string): Stripe.PromotionCode | undefined {
  return [...state.promotionCodes.values()].find(
    (promo) => promo.active && promo.code.toLowerCase() === code.trim().toLowerCase(),
  );
}

// ---------------------------------------------------------------- subscriptions and invoices

/** `start` + `count` intervals, clamping month ends like Stripe (Jan 31 + 1 month = Feb 28/29). */
function addInterval(start: number, interval: string, count: number): number {
  const date = new Date(start * 1000);
  if (interval === 'day') return start + count * DAY;
  if (interval === 'week') return start + count * 7 * DAY;
  const months = interval === 'year' ? 12 * count : count;
  const day = date.getUTCDate();
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(day, lastDay));
  return Math.floor(date.getTime() / 1000);
}

/** The legacy Plan view of a recurring price (subscription items carry both). */
function planFromPrice(price: Stripe.Price): Stripe.Plan {
  const recurring = price.recurring ?? {
    interval: 'month',
    interval_count: 1,
    meter: null,
    trial_period_days: null,
    usage_type: 'licensed',
  };
  return {
    id: price.id,
    object: 'plan',
    active: price.active,
    amount: price.unit_amount,
    amount_decimal: price.unit_amount_decimal,
    billing_scheme: price.billing_scheme,
    created: price.created,
    currency: price.currency,
    interval: recurring.interval,
    interval_count: recurring.interval_count,
    livemode: false,
    metadata: { ...price.metadata },
    meter: recurring.meter,
    nickname: price.nickname,
    product: idOf(price.product),
    tiers_mode: price.tiers_mode,
    transform_usage: null,
    trial_period_days: null,
    usage_type: recurring.usage_type,
  };
}

/** The end of a period of `price` starting at `start`. */
export function periodEnd(price: Stripe.Price, start: number): number {
  return addInterval(start, price.recurring?.interval ?? 'month', price.recurring?.interval_count ?? 1);
}

/** Moves every item of a subscription to a new period (the pinned API keeps periods on the items). */
export function setPeriod(subscription: Stripe.Subscription, start: number, end: number): void {
  for (const item of subscription.items.data) {
    item.current_period_start = start;
    item.current_period_end = end;
  }
}

/** A subscription's current period end (all items share one period here). */
export function currentPeriodEnd(subscription: Stripe.Subscription): number {
  return subscription.items.data[0]?.current_period_end ?? subscription.created;
}

function buildItem(
  price: Stripe.Price,
  quantity: number | null,
  subscriptionId: string,
  start: number,
  end: number,
): Stripe.SubscriptionItem {
  return {
    id: newId(ID_PREFIX.subscriptionItem),
    object: 'subscription_item',
    billing_thresholds: null,
    created: start,
    current_period_end: end,
    current_period_start: start,
    current_trial: null,
    discounts: [],
    metadata: {},
    plan: planFromPrice(price),
    price: { ...price, metadata: { ...price.metadata } },
    // docs.stripe.com/billing/subscriptions/usage-based: metered items have no quantity
    ...(quantity !== null && { quantity }),
    subscription: subscriptionId,
    tax_rates: [],
  };
}

/** Replaces an item's price (a plan switch). */
export function setItemPrice(item: Stripe.SubscriptionItem, price: Stripe.Price): void {
  item.price = { ...price, metadata: { ...price.metadata } };
  item.plan = planFromPrice(price);
}

/** Creates and stores a subscription (status decided by the caller). */
function createSubscription(
  state: EmulatorState,
  input: {
    customer: Stripe.Customer;
    lineItems: ReadonlyArray<{ price: Stripe.Price; quantity: number | null }>;
    metadata: Record<string, string>;
    trialDays: number | null;
    paymentMethod: Stripe.PaymentMethod;
  },
): Stripe.Subscription {
  const id = newId(ID_PREFIX.subscription);
  const start = nowSeconds();
  const trialEnd = input.trialDays === null ? null : start + input.trialDays * DAY;
  const items = input.lineItems.map(({ price, quantity }) =>
    buildItem(price, quantity, id, start, trialEnd ?? periodEnd(price, start)),
  );
  const subscription: Stripe.Subscription = {
    id,
    object: 'subscription',
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: trialEnd ?? start,
    billing_cycle_anchor_config: null,
    billing_mode: { flexible: null, type: 'classic' },
    billing_schedules: [],
    billing_thresholds: null,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: null,
    cancellation_details: { comment: null, feedback: null, feedback_option: null, reason: null },
    collection_method: 'charge_automatically',
    created: start,
    currency: input.lineItems[0]?.price.currency ?? 'jpy',
    customer: input.customer.id,
    customer_account: null,
    days_until_due: null,
    default_payment_method: input.paymentMethod.id,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    ended_at: null,
    invoice_settings: {
      account_tax_ids: null,
      custom_fields: null,
      description: null,
      footer: null,
      issuer: { type: 'self' },
    },
    items: { object: 'list', data: items, has_more: false, url: `/v1/subscription_items?subscription=${id}` },
    latest_invoice: null,
    livemode: false,
    managed_payments: null,
    metadata: { ...input.metadata },
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: { payment_method_options: null, payment_method_types: null, save_default_payment_method: 'off' },
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: start,
    status: trialEnd === null ? 'incomplete' : 'trialing',
    test_clock: null,
    transfer_data: null,
    trial_end: trialEnd,
    trial_settings: { end_behavior: { billing_cycle_anchor: null, missing_payment_method: 'create_invoice' } },
    trial_start: trialEnd === null ? null : start,
  };
  input.customer.currency = subscription.currency;
  state.subscriptions.set(id, subscription);
  return subscription;
}

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
  const sequence = customer?.next_invoice_sequence ?? 1;
  if (customer) customer.next_invoice_sequence = sequence + 1;
  const lines: Stripe.InvoiceLineItem[] = subscription.items.data.map((item) => {
    const amount = options.trial ? 0 : lineAmount(state, item.price, item.quantity ?? null);
    const off = discountAmount(coupon, amount);
    const name = productName(state, item.price);
    return {
      id: newId(ID_PREFIX.invoiceLine),
      object: 'line_item',
      amount,
      currency: subscription.currency,
      description: options.trial
        ? `Trial period for ${name}`
        : `${item.quantity ?? 1} × ${name} (at ${item.price.unit_amount === null ? 'tiered prices' : money(item.price.unit_amount, item.price.currency)} / ${item.price.recurring?.interval ?? 'month'})`,
      discount_amounts: coupon ? [{ amount: off, discount: idOf(subscription.discounts[0] ?? '') }] : [],
      discountable: true,
      discounts: [],
      invoice: id,
      livemode: false,
      metadata: {},
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
      pretax_credit_amounts: [],
      pricing: {
        type: 'price_details',
        price_details: { price: item.price.id, product: idOf(item.price.product) },
        unit_amount_decimal: item.price.unit_amount_decimal,
      },
      quantity: item.quantity ?? null,
      quantity_decimal: null,
      subscription: subscription.id,
      subtotal: amount,
      taxes: [],
    };
  });
  const subtotal = lines.reduce((sum, line) => sum + line.amount, 0);
  const discount = lines.reduce((sum, line) => sum + (line.discount_amounts?.[0]?.amount ?? 0), 0);
  const total = subtotal - discount;
  const invoice: Stripe.Invoice = {
    id,
    object: 'invoice',
    account_country: 'JP',
    account_name: 'Stripe emulator',
    account_tax_ids: null,
    amount_due: total,
    amount_overpaid: 0,
    amount_paid: 0,
    amount_remaining: total,
    amount_shipping: 0,
    application: null,
    attempt_count: 0,
    attempted: false,
    auto_advance: true,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
    automatically_finalizes_at: null,
    billing_reason: billingReason,
    collection_method: 'charge_automatically',
    created: now,
    currency: subscription.currency,
    custom_fields: null,
    customer: idOf(subscription.customer),
    customer_account: null,
    customer_address: null,
    customer_email: customer?.email ?? null,
    customer_name: customer?.name ?? null,
    customer_phone: null,
    customer_shipping: null,
    customer_tax_exempt: 'none',
    customer_tax_ids: [],
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [...subscription.discounts],
    due_date: null,
    effective_at: now,
    ending_balance: 0,
    footer: null,
    from_invoice: null,
    hosted_invoice_url: null,
    invoice_pdf: null,
    issuer: { type: 'self' },
    last_finalization_error: null,
    latest_revision: null,
    lines: { object: 'list', data: lines, has_more: false, url: `/v1/invoices/${id}/lines` },
    livemode: false,
    metadata: {},
    next_payment_attempt: null,
    number: customer ? `${customer.invoice_prefix}-${String(sequence).padStart(4, '0')}` : null,
    on_behalf_of: null,
    parent: {
      type: 'subscription_details',
      quote_details: null,
      subscription_details: { metadata: { ...subscription.metadata }, subscription: subscription.id },
    },
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    period_end: now,
    period_start: now,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: null,
    shipping_cost: null,
    shipping_details: null,
    starting_balance: 0,
    statement_descriptor: null,
    // docs.stripe.com/subscriptions/invoices: Stripe "Finalizes the invoice immediately" when collection_method is charge_automatically
    status: 'open',
    status_transitions: { finalized_at: now, marked_uncollectible_at: null, paid_at: null, voided_at: null },
    subtotal,
    subtotal_excluding_tax: subtotal,
    test_clock: null,
    total,
    total_discount_amounts: coupon ? [{ amount: discount, discount: idOf(subscription.discounts[0] ?? '') }] : [],
    total_excluding_tax: total,
    total_pretax_credit_amounts: [],
    total_taxes: [],
    webhooks_delivered_at: now,
  };
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

/** The PaymentMethod a subscription is charged with: its own default, else the customer's. */
export function paymentMethodOf(
  state: EmulatorState,
  subscription: Stripe.Subscription,
): Stripe.PaymentMethod | undefined {
  const own = subscription.default_payment_method;
  const customer = state.customers.get(idOf(subscription.customer));
  const fallback = customer?.invoice_settings.default_payment_method;
  const id = own ?? fallback;
  return id ? state.paymentMethods.get(idOf(id)) : undefined;
}

// ---------------------------------------------------------------- paying a Checkout Session

/** How the hosted page (or `completeCheckout`) pays. */
export interface CheckoutPayment {
  email: string;
  instrument: Instrument;
  /** A redeemed promotion code (only when the session allows them). */
  promotionCode?: Stripe.PromotionCode | null;
}

/**
 * Pays an open session: creates the customer (unless the session has one), its PaymentMethod, the
 * subscription and its first invoice, completes the session and records the events. Throws
 * StateConflictError when the session is not open.
 */
export function completeCheckoutSession(
  state: EmulatorState,
  sessionId: string,
  payment: CheckoutPayment,
  context: EventContext,
): { session: Stripe.Checkout.Session; subscription: Stripe.Subscription; events: Stripe.Event[] } {
  const session = state.checkoutSessions.get(sessionId);
  if (!session) throw new StateConflictError(`No such checkout.session: '${sessionId}'`);
  refreshExpiry(session);
  if (session.status !== 'open')
    throw new StateConflictError(`This Checkout Session is ${session.status ?? 'not open'}.`);
  const existingId = session.customer === null ? null : idOf(session.customer);
  if (existingId !== null && !state.customers.has(existingId))
    throw new StateConflictError(`No such customer: '${existingId}'`);
  if (payment.promotionCode) {
    const coupon = state.coupons.get(idOf(payment.promotionCode.promotion.coupon ?? ''));
    session.discounts = [{ coupon: coupon?.id ?? null, promotion_code: payment.promotionCode.id }];
    applyTotals(state, session, coupon ?? null);
  }
  const events: Stripe.Event[] = [];
  let customer = existingId === null ? undefined : state.customers.get(existingId);
  const isNew = !customer;
  customer ??= createCustomer(state, { email: payment.email, locale: session.locale });
  const paymentMethod = createPaymentMethod(state, payment.instrument, customer.id, payment.email);
  const previousDefault = customer.invoice_settings.default_payment_method;
  customer.invoice_settings.default_payment_method = paymentMethod.id;
  if (isNew) events.push(state.createEvent('customer.created', customer, context));
  events.push(state.createEvent('payment_method.attached', paymentMethod, context));
  if (!isNew) {
    events.push(
      state.createEvent('customer.updated', customer, context, {
        invoice_settings: { ...customer.invoice_settings, default_payment_method: previousDefault },
      }),
    );
  }

  const data = state.checkoutSubscriptionData.get(session.id) ?? { metadata: {}, trialPeriodDays: null };
  const lineItems = (state.checkoutLineItems.get(session.id) ?? []).map((item) => ({
    price: item.price as Stripe.Price,
    quantity: item.quantity,
  }));
  const subscription = createSubscription(state, {
    customer,
    lineItems,
    metadata: data.metadata,
    trialDays: data.trialPeriodDays,
    paymentMethod,
  });
  const discount = sessionDiscount(state, session);
  if (discount) {
    const record: Stripe.Discount = {
      id: newId(ID_PREFIX.discount),
      object: 'discount',
      checkout_session: session.id,
      customer: customer.id,
      customer_account: null,
      end:
        discount.coupon.duration === 'forever'
          ? null
          : addInterval(subscription.created, 'month', discount.coupon.duration_in_months ?? 1),
      invoice: null,
      invoice_item: null,
      promotion_code: discount.promotionCode?.id ?? null,
      source: { coupon: discount.coupon.id, type: 'coupon' },
      start: subscription.created,
      subscription: subscription.id,
      subscription_item: null,
    };
    state.discounts.set(record.id, record);
    subscription.discounts = [record.id];
    discount.coupon.times_redeemed += 1;
    if (discount.promotionCode) discount.promotionCode.times_redeemed += 1;
  }
  const invoice = createInvoice(state, subscription, 'subscription_create', { trial: data.trialPeriodDays !== null });
  const charge = chargeInvoice(state, invoice, paymentMethod, context, session.id);
  // docs.stripe.com/billing/subscriptions/overview#subscription-statuses: "Subscriptions can also be incomplete
  // if there's a pending payment and the PaymentIntent status is processing."
  if (subscription.status === 'incomplete' && charge.outcome === 'paid') subscription.status = 'active';
  events.push(state.createEvent('customer.subscription.created', subscription, context), ...charge.events);

  session.status = 'complete';
  // docs.stripe.com/api/checkout/sessions/object#checkout_session_object-payment_status
  session.payment_status =
    invoice.amount_due === 0 ? 'no_payment_required' : charge.outcome === 'paid' ? 'paid' : 'unpaid';
  session.customer = customer.id;
  session.subscription = subscription.id;
  session.url = null; // Stripe drops the URL once a session is complete
  session.customer_details = {
    address: null,
    business_name: null,
    email: payment.email,
    individual_name: null,
    name: customer.name ?? null,
    phone: null,
    tax_exempt: 'none',
    tax_ids: [],
  };
  events.push(state.createEvent('checkout.session.completed', session, context));
  return { session, subscription, events };
}

// ---------------------------------------------------------------- portal sessions

/** Validated input of POST /v1/billing_portal/sessions. */
export interface PortalInput {
  customer: Stripe.Customer;
  returnUrl: string | null;
  locale: Stripe.BillingPortal.Session.Locale | null;
  flow: Stripe.BillingPortal.Session.Flow | null;
}

/** Creates a portal session; its page is `${publicUrl}/portal/<id>`. */
export function createPortalSession(
  state: EmulatorState,
  publicUrl: string,
  input: PortalInput,
): Stripe.BillingPortal.Session {
  const id = newId(ID_PREFIX.portalSession);
  const session: Stripe.BillingPortal.Session = {
    id,
    object: 'billing_portal.session',
    configuration: state.portalConfiguration.id,
    created: nowSeconds(),
    customer: input.customer.id,
    customer_account: null,
    flow: input.flow,
    livemode: false,
    locale: input.locale,
    on_behalf_of: null,
    return_url: input.returnUrl,
    url: `${publicUrl}/portal/${id}`,
  };
  state.portalSessions.set(id, session);
  return session;
}
