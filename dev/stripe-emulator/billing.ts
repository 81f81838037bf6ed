/**
 * What happens to the state when someone pays, cancels or opens the portal: shared by the REST
 * handlers (api.ts), the hosted pages (pages.ts) and the test helpers (server.ts).
 * Functions here take already-validated input and return the objects plus the events they caused.
 */
import type Stripe from 'stripe';
import { EmulatorState, ID_PREFIX, newId, nowSeconds } from './state.ts';

/** Where an event came from, copied into the event (`request`, `pending_webhooks`). */
export interface EventContext {
  /** Request id of the API call that caused it; null for hosted pages and helpers. */
  requestId: string | null;
  idempotencyKey: string | null;
  /** 1 when a webhook endpoint is configured, else 0. */
  pendingWebhooks: number;
}

/** Events caused by hosted pages and helpers: no API request behind them. */
export function pageEventContext(pendingWebhooks: number): EventContext {
  return { requestId: null, idempotencyKey: null, pendingWebhooks };
}

/** Thrown when an operation does not fit the object's current state (e.g. paying a completed session). */
export class StateConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StateConflictError';
  }
}

/** Checkout Sessions stay open for 24 hours unless `expires_at` says otherwise (Stripe's default). */
export const CHECKOUT_LIFETIME_SECONDS = 24 * 60 * 60;

/** Validated input of POST /v1/checkout/sessions. */
export interface CheckoutInput {
  lineItems: Array<{ price: Stripe.Price; quantity: number }>;
  successUrl: string;
  cancelUrl: string;
  clientReferenceId: string | null;
  customer: Stripe.Customer | null;
  customerEmail: string | null;
  locale: Stripe.Checkout.Session.Locale | null;
  metadata: Record<string, string>;
  /** `subscription_data[metadata]`, copied onto the subscription when it is created. */
  subscriptionMetadata: Record<string, string>;
  expiresAt: number | null;
}

function buildLineItem(price: Stripe.Price, quantity: number, product: Stripe.Product | undefined): Stripe.LineItem {
  const amount = (price.unit_amount ?? 0) * quantity;
  return {
    id: newId(ID_PREFIX.lineItem),
    object: 'item',
    adjustable_quantity: null,
    amount_discount: 0,
    amount_subtotal: amount,
    amount_tax: 0,
    amount_total: amount,
    currency: price.currency,
    description: product?.name ?? null,
    metadata: {},
    // A copy, so a later price change does not rewrite what was sold (as at Stripe).
    price: { ...price, metadata: { ...price.metadata } },
    quantity,
  };
}

/** Creates an open subscription-mode Checkout Session; its hosted page is `${publicUrl}/checkout/<id>`. */
export function createCheckoutSession(state: EmulatorState, publicUrl: string, input: CheckoutInput): Stripe.Checkout.Session {
  const id = newId(ID_PREFIX.checkoutSession, 58);
  const created = nowSeconds();
  const lineItems = input.lineItems.map(({ price, quantity }) =>
    buildLineItem(price, quantity, state.products.get(typeof price.product === 'string' ? price.product : price.product.id)),
  );
  const total = lineItems.reduce((sum, item) => sum + item.amount_total, 0);
  const session: Stripe.Checkout.Session = {
    id,
    object: 'checkout.session',
    adaptive_pricing: null,
    after_expiration: null,
    allow_promotion_codes: null,
    allowed_payment_method_types: null,
    amount_subtotal: total,
    amount_total: total,
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    billing_address_collection: null,
    cancel_url: input.cancelUrl,
    client_reference_id: input.clientReferenceId,
    client_secret: null,
    collected_information: null,
    consent: null,
    consent_collection: null,
    created,
    currency: lineItems[0]?.currency ?? null,
    currency_conversion: null,
    custom_fields: [],
    custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
    customer: input.customer?.id ?? null,
    customer_account: null,
    customer_creation: input.customer ? null : 'always',
    customer_details: null,
    customer_email: input.customerEmail,
    discounts: [],
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
    payment_method_types: ['card'],
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
  state.checkoutLineItems.set(id, lineItems);
  state.checkoutSubscriptionMetadata.set(id, { ...input.subscriptionMetadata });
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

/** Creates and stores a customer. */
export function createCustomer(
  state: EmulatorState,
  input: { email: string | null; name?: string | null; locale?: string | null; metadata?: Record<string, string> },
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
    metadata: { ...input.metadata },
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

/** `start` + `count` intervals, clamping month ends like Stripe (Jan 31 + 1 month = Feb 28/29). */
export function addInterval(start: number, interval: string, count: number): number {
  const date = new Date(start * 1000);
  if (interval === 'day') return start + count * 86_400;
  if (interval === 'week') return start + count * 7 * 86_400;
  const months = interval === 'year' ? 12 * count : count;
  const day = date.getUTCDate();
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(day, lastDay));
  return Math.floor(date.getTime() / 1000);
}

/** The legacy Plan view of a recurring price (subscription items carry both). */
function planFromPrice(price: Stripe.Price, recurring: Stripe.Price.Recurring): Stripe.Plan {
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
    meter: null,
    nickname: price.nickname,
    product: typeof price.product === 'string' ? price.product : price.product.id,
    tiers_mode: null,
    transform_usage: null,
    trial_period_days: null,
    usage_type: recurring.usage_type,
  };
}

/** Creates and stores an active subscription for the recurring line items. */
export function createSubscription(
  state: EmulatorState,
  customer: Stripe.Customer,
  lineItems: ReadonlyArray<{ price: Stripe.Price; quantity: number }>,
  metadata: Record<string, string> = {},
): Stripe.Subscription {
  const id = newId(ID_PREFIX.subscription);
  const start = nowSeconds();
  const items: Stripe.SubscriptionItem[] = lineItems.flatMap(({ price, quantity }) => {
    const recurring = price.recurring;
    if (!recurring) return []; // one-time prices are billed once, not subscribed to
    return [
      {
        id: newId(ID_PREFIX.subscriptionItem),
        object: 'subscription_item',
        billing_thresholds: null,
        created: start,
        current_period_end: addInterval(start, recurring.interval, recurring.interval_count),
        current_period_start: start,
        current_trial: null,
        discounts: [],
        metadata: {},
        plan: planFromPrice(price, recurring),
        price: { ...price, metadata: { ...price.metadata } },
        quantity,
        subscription: id,
        tax_rates: [],
      },
    ];
  });
  const subscription: Stripe.Subscription = {
    id,
    object: 'subscription',
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: start,
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
    currency: items[0]?.price.currency ?? lineItems[0]?.price.currency ?? 'jpy',
    customer: customer.id,
    customer_account: null,
    days_until_due: null,
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    ended_at: null,
    invoice_settings: { account_tax_ids: null, custom_fields: null, description: null, footer: null, issuer: { type: 'self' } },
    items: { object: 'list', data: items, has_more: false, url: `/v1/subscription_items?subscription=${id}` },
    latest_invoice: null,
    livemode: false,
    managed_payments: null,
    metadata: { ...metadata },
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: { payment_method_options: null, payment_method_types: null, save_default_payment_method: 'off' },
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: start,
    status: 'active',
    test_clock: null,
    transfer_data: null,
    trial_end: null,
    trial_settings: { end_behavior: { billing_cycle_anchor: null, missing_payment_method: 'create_invoice' } },
    trial_start: null,
  };
  customer.currency ??= subscription.currency;
  state.subscriptions.set(id, subscription);
  return subscription;
}

/** What completing a Checkout Session produced. */
export interface CompletedCheckout {
  session: Stripe.Checkout.Session;
  customer: Stripe.Customer;
  subscription: Stripe.Subscription;
  /** `customer.created` (when a customer was created) then `checkout.session.completed`. */
  events: Stripe.Event[];
}

/**
 * Pays an open session: creates the customer (unless the session has one) and an active
 * subscription, marks the session complete/paid, and records the events. Throws StateConflictError
 * when the session is not open.
 */
export function completeCheckoutSession(
  state: EmulatorState,
  sessionId: string,
  input: { email: string },
  eventContext: EventContext,
): CompletedCheckout {
  const session = state.checkoutSessions.get(sessionId);
  if (!session) throw new StateConflictError(`No such checkout.session: '${sessionId}'`);
  refreshExpiry(session);
  if (session.status !== 'open') throw new StateConflictError(`This Checkout Session is ${session.status ?? 'not open'}.`);
  const events: Stripe.Event[] = [];
  const existingId = typeof session.customer === 'string' ? session.customer : session.customer?.id;
  let customer = existingId ? state.customers.get(existingId) : undefined;
  if (!customer) {
    customer = createCustomer(state, { email: input.email, locale: session.locale });
    events.push(state.createEvent('customer.created', customer, eventContext));
  }
  const lineItems = (state.checkoutLineItems.get(session.id) ?? []).flatMap((item) =>
    item.price ? [{ price: item.price, quantity: item.quantity ?? 1 }] : [],
  );
  const subscription = createSubscription(state, customer, lineItems, state.checkoutSubscriptionMetadata.get(session.id));
  session.status = 'complete';
  session.payment_status = 'paid';
  session.customer = customer.id;
  session.subscription = subscription.id;
  session.url = null; // Stripe drops the URL once a session is complete
  session.customer_details = {
    address: null,
    business_name: null,
    email: input.email,
    individual_name: null,
    name: customer.name ?? null,
    phone: null,
    tax_exempt: 'none',
    tax_ids: [],
  };
  events.push(state.createEvent('checkout.session.completed', session, eventContext));
  return { session, customer, subscription, events };
}

/** Expires an open session (POST /v1/checkout/sessions/:id/expire); records `checkout.session.expired`. */
export function expireCheckoutSession(
  state: EmulatorState,
  sessionId: string,
  eventContext: EventContext,
): { session: Stripe.Checkout.Session; events: Stripe.Event[] } {
  const session = state.checkoutSessions.get(sessionId);
  if (!session) throw new StateConflictError(`No such checkout.session: '${sessionId}'`);
  refreshExpiry(session);
  if (session.status !== 'open') throw new StateConflictError(`This Checkout Session is ${session.status ?? 'not open'}.`);
  session.status = 'expired';
  session.url = null;
  return { session, events: [state.createEvent('checkout.session.expired', session, eventContext)] };
}

/** Validated input of POST /v1/billing_portal/sessions. */
export interface PortalInput {
  customer: Stripe.Customer;
  returnUrl: string | null;
  locale: Stripe.BillingPortal.Session.Locale | null;
  flow: Stripe.BillingPortal.Session.Flow | null;
}

/** Creates a portal session; its page is `${publicUrl}/portal/<id>`. */
export function createPortalSession(state: EmulatorState, publicUrl: string, input: PortalInput): Stripe.BillingPortal.Session {
  const id = newId(ID_PREFIX.portalSession);
  const session: Stripe.BillingPortal.Session = {
    id,
    object: 'billing_portal.session',
    configuration: state.portalConfigurationId,
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

/**
 * Cancels a subscription now: status `canceled`, `canceled_at`, `ended_at`; records
 * `customer.subscription.deleted`. Canceling a canceled subscription changes nothing and records nothing.
 */
export function cancelSubscription(
  state: EmulatorState,
  subscriptionId: string,
  eventContext: EventContext,
  details: { comment?: string | null; feedback?: Stripe.Subscription.CancellationDetails.Feedback | null } = {},
): { subscription: Stripe.Subscription; events: Stripe.Event[] } {
  const subscription = state.subscriptions.get(subscriptionId);
  if (!subscription) throw new StateConflictError(`No such subscription: '${subscriptionId}'`);
  if (subscription.status === 'canceled') return { subscription, events: [] };
  const now = nowSeconds();
  subscription.status = 'canceled';
  subscription.canceled_at = now;
  subscription.ended_at = now;
  subscription.cancel_at_period_end = false;
  subscription.cancellation_details = {
    comment: details.comment ?? null,
    feedback: details.feedback ?? null,
    feedback_option: null,
    reason: 'cancellation_requested',
  };
  return { subscription, events: [state.createEvent('customer.subscription.deleted', subscription, eventContext)] };
}

/** The customer's subscriptions, newest first. */
export function subscriptionsOf(state: EmulatorState, customerId: string): Stripe.Subscription[] {
  return [...state.subscriptions.values()].filter((sub) => sub.customer === customerId).reverse();
}
