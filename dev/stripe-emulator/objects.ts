/**
 * Every Stripe object the emulator (and the tests' fixtures) builds, with Stripe's default field
 * values, in one place. Shaped after Stripe's example objects (stripe/openapi, openapi/fixtures3.json)
 * and typed with the `stripe` package, so a field the pinned API version adds is a type error here.
 *
 * Each builder takes the fields that have no default (ids, times, amounts) and any overrides;
 * everything else is what Stripe sends for an object nobody configured further.
 */
import Stripe from 'stripe';

/** `K` are required; every other field of `T` may override its default. */
type Fields<T, K extends keyof T> = Pick<T, K> & Partial<T>;

/** `unit_amount_decimal` of an integer amount (Stripe sends both). */
export function decimal(amount: number | null): Stripe.Decimal | null {
  return amount === null ? null : Stripe.Decimal.from(String(amount));
}

/** A one-page list, `{ object: 'list', data, has_more, url }`. */
export function listObject<T>(data: T[], url: string, hasMore = false): Stripe.ApiList<T> {
  return { object: 'list', data, has_more: hasMore, url };
}

export function customerObject(fields: Fields<Stripe.Customer, 'id' | 'created'>): Stripe.Customer {
  return {
    object: 'customer',
    address: null,
    balance: 0,
    currency: null,
    default_source: null,
    delinquent: false,
    description: null,
    discount: null,
    email: null,
    invoice_prefix: fields.id.slice(-8).toUpperCase(),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false,
    metadata: {},
    name: null,
    next_invoice_sequence: 1,
    phone: null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: 'none',
    test_clock: null,
    ...fields,
  };
}

export function productObject(fields: Fields<Stripe.Product, 'id' | 'created' | 'name'>): Stripe.Product {
  return {
    object: 'product',
    active: true,
    default_price: null,
    description: null,
    images: [],
    livemode: false,
    marketing_features: [],
    metadata: {},
    package_dimensions: null,
    shippable: null,
    statement_descriptor: null,
    tax_code: null,
    tax_details: null,
    type: 'service',
    unit_label: null,
    updated: fields.created,
    url: null,
    ...fields,
  };
}

/** A price's `recurring` when nothing else is said: monthly, licensed. */
const MONTHLY: Stripe.Price.Recurring = {
  interval: 'month',
  interval_count: 1,
  meter: null,
  trial_period_days: null,
  usage_type: 'licensed',
};

/** A monthly licensed recurring price unless `recurring` says otherwise (`recurring: null` is one-time). */
export function priceObject(
  fields: Fields<Stripe.Price, 'id' | 'created' | 'currency' | 'product' | 'unit_amount'>,
): Stripe.Price {
  const recurring = fields.recurring === undefined ? { ...MONTHLY } : fields.recurring;
  return {
    object: 'price',
    active: true,
    billing_scheme: 'per_unit',
    custom_unit_amount: null,
    livemode: false,
    lookup_key: null,
    metadata: {},
    nickname: null,
    tax_behavior: 'unspecified',
    tiers_mode: null,
    transform_quantity: null,
    type: recurring ? 'recurring' : 'one_time',
    unit_amount_decimal: decimal(fields.unit_amount),
    ...fields,
    recurring,
  };
}

/** The legacy Plan view of a recurring price (subscription items carry both). */
export function planFromPrice(price: Stripe.Price): Stripe.Plan {
  const recurring = price.recurring ?? MONTHLY;
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
    product: typeof price.product === 'string' ? price.product : price.product.id,
    tiers_mode: price.tiers_mode,
    transform_usage: null,
    trial_period_days: null,
    usage_type: recurring.usage_type,
  };
}

/** A copy of a price as an item holds it, so a later change to the price does not rewrite what was sold. */
export function priceCopy(price: Stripe.Price): Stripe.Price {
  return { ...price, metadata: { ...price.metadata } };
}

export function subscriptionItemObject(
  fields: Fields<
    Stripe.SubscriptionItem,
    'id' | 'created' | 'price' | 'subscription' | 'current_period_start' | 'current_period_end'
  >,
): Stripe.SubscriptionItem {
  return {
    object: 'subscription_item',
    billing_thresholds: null,
    current_trial: null,
    discounts: [],
    metadata: {},
    plan: planFromPrice(fields.price),
    quantity: 1,
    tax_rates: [],
    ...fields,
  };
}

export function subscriptionObject(
  fields: Fields<Stripe.Subscription, 'id' | 'created' | 'currency' | 'customer' | 'items' | 'status'>,
): Stripe.Subscription {
  return {
    object: 'subscription',
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: fields.created,
    billing_cycle_anchor_config: null,
    // Stripe.SubscriptionCreateParams.BillingMode.type: "If no value is passed, the default is `flexible`" (since
    // 2025-09-30.clover, for Checkout's subscriptions too); `proration_discounts` here is not confirmed.
    billing_mode: { flexible: { proration_discounts: 'included' }, type: 'flexible', updated_at: fields.created },
    billing_schedules: [],
    billing_thresholds: null,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: null,
    cancellation_details: noCancellation(),
    collection_method: 'charge_automatically',
    customer_account: null,
    days_until_due: null,
    default_payment_method: null,
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
    latest_invoice: null,
    livemode: false,
    managed_payments: null,
    metadata: {},
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: { payment_method_options: null, payment_method_types: null, save_default_payment_method: 'off' },
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: fields.created,
    test_clock: null,
    transfer_data: null,
    trial_end: null,
    trial_settings: { end_behavior: { billing_cycle_anchor: null, missing_payment_method: 'create_invoice' } },
    trial_start: null,
    ...fields,
  };
}

/** `cancellation_details` of a subscription nobody asked to cancel. */
export function noCancellation(
  reason: Stripe.Subscription.CancellationDetails.Reason | null = null,
): Stripe.Subscription.CancellationDetails {
  return { comment: null, feedback: null, feedback_option: null, reason };
}

export function invoiceLineObject(
  fields: Fields<Stripe.InvoiceLineItem, 'id' | 'amount' | 'currency' | 'description' | 'invoice' | 'period'>,
): Stripe.InvoiceLineItem {
  return {
    object: 'line_item',
    discount_amounts: [],
    discountable: true,
    discounts: [],
    livemode: false,
    metadata: {},
    parent: null,
    pretax_credit_amounts: [],
    pricing: null,
    quantity: null,
    quantity_decimal: null,
    subscription: null,
    subtotal: fields.amount,
    taxes: [],
    ...fields,
  };
}

/**
 * A `draft` charge_automatically invoice: every invoice starts as a draft (docs.stripe.com/invoicing/integration/workflow-transitions);
 * finalizing it (invoices.ts) gives it a number, freezes the customer fields and opens it for payment.
 */
export function invoiceObject(
  fields: Fields<Stripe.Invoice, 'id' | 'created' | 'currency' | 'customer' | 'lines' | 'total'>,
): Stripe.Invoice {
  const { created, total } = fields;
  return {
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
    billing_reason: 'manual',
    collection_method: 'charge_automatically',
    custom_fields: null,
    customer_account: null,
    customer_address: null,
    customer_email: null,
    customer_name: null,
    customer_phone: null,
    customer_shipping: null,
    customer_tax_exempt: 'none',
    customer_tax_ids: [],
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    due_date: null,
    // Stripe.Invoice.effective_at: "Same as `finalized_at` unless overwritten"; ending_balance: null until finalized.
    effective_at: null,
    ending_balance: null,
    footer: null,
    from_invoice: null,
    hosted_invoice_url: null,
    invoice_pdf: null,
    issuer: { type: 'self' },
    last_finalization_error: null,
    latest_revision: null,
    livemode: false,
    metadata: {},
    next_payment_attempt: null,
    number: null,
    on_behalf_of: null,
    parent: null,
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    period_end: created,
    period_start: created,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: null,
    shipping_cost: null,
    shipping_details: null,
    starting_balance: 0,
    statement_descriptor: null,
    status: 'draft',
    status_transitions: { finalized_at: null, marked_uncollectible_at: null, paid_at: null, voided_at: null },
    subtotal: total,
    subtotal_excluding_tax: total,
    test_clock: null,
    total_discount_amounts: [],
    total_excluding_tax: total,
    total_pretax_credit_amounts: [],
    total_taxes: [],
    webhooks_delivered_at: created,
    ...fields,
  };
}

/** An open subscription-mode Checkout Session paid by card or SEPA debit, on the hosted page. */
export function checkoutSessionObject(
  fields: Fields<Stripe.Checkout.Session, 'id' | 'created' | 'expires_at' | 'success_url' | 'url'>,
): Stripe.Checkout.Session {
  return {
    object: 'checkout.session',
    adaptive_pricing: null,
    after_expiration: null,
    allow_promotion_codes: null,
    allowed_payment_method_types: null,
    amount_subtotal: 0,
    amount_total: 0,
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    billing_address_collection: null,
    cancel_url: null,
    client_reference_id: null,
    client_secret: null,
    collected_information: null,
    consent: null,
    consent_collection: null,
    currency: null,
    currency_conversion: null,
    custom_fields: [],
    custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
    customer: null,
    customer_account: null,
    customer_creation: 'always',
    customer_details: null,
    customer_email: null,
    discounts: [],
    integration_identifier: null,
    invoice: null,
    invoice_creation: null,
    livemode: false,
    locale: null,
    managed_payments: null,
    metadata: {},
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
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: 'hosted_page',
    wallet_options: null,
    ...fields,
  };
}

export function lineItemObject(
  fields: Fields<Stripe.LineItem, 'id' | 'amount_total' | 'currency' | 'description' | 'price' | 'quantity'>,
): Stripe.LineItem {
  return {
    object: 'item',
    adjustable_quantity: null,
    amount_discount: 0,
    amount_subtotal: fields.amount_total,
    amount_tax: 0,
    metadata: {},
    ...fields,
  };
}

/** What a Checkout Session's `customer_details` hold once paid with only an e-mail collected. */
export function customerDetails(email: string, name: string | null): Stripe.Checkout.Session.CustomerDetails {
  return {
    address: null,
    business_name: null,
    email,
    individual_name: null,
    name,
    phone: null,
    tax_exempt: 'none',
    tax_ids: [],
  };
}

type PaymentMethodBase = Omit<Stripe.PaymentMethod, 'type'>;

function paymentMethodBase(fields: Fields<PaymentMethodBase, 'id' | 'created'>): PaymentMethodBase {
  return {
    object: 'payment_method',
    allow_redisplay: 'unspecified',
    billing_details: { address: null, email: null, name: null, phone: null, tax_id: null },
    customer: null,
    customer_account: null,
    livemode: false,
    metadata: {},
    ...fields,
  };
}

/** A card PaymentMethod (`card.brand`, `last4`, expiry and fingerprint from the caller). */
export function cardPaymentMethodObject(
  fields: Fields<PaymentMethodBase, 'id' | 'created'>,
  card: Pick<Stripe.PaymentMethod.Card, 'brand' | 'exp_month' | 'exp_year' | 'fingerprint' | 'last4'> &
    Partial<Stripe.PaymentMethod.Card>,
): Stripe.PaymentMethod {
  return {
    ...paymentMethodBase(fields),
    type: 'card',
    card: {
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: null },
      country: 'US',
      display_brand: card.brand,
      funding: 'credit',
      generated_from: null,
      networks: { available: [card.brand], preferred: null },
      regulated_status: 'unregulated',
      three_d_secure_usage: { supported: true },
      wallet: null,
      ...card,
    },
  };
}

export function sepaDebitPaymentMethodObject(
  fields: Fields<PaymentMethodBase, 'id' | 'created'>,
  sepaDebit: Stripe.PaymentMethod.SepaDebit,
): Stripe.PaymentMethod {
  return { ...paymentMethodBase(fields), type: 'sepa_debit', sepa_debit: sepaDebit };
}

export function portalSessionObject(
  fields: Fields<Stripe.BillingPortal.Session, 'id' | 'created' | 'configuration' | 'customer' | 'url'>,
): Stripe.BillingPortal.Session {
  return {
    object: 'billing_portal.session',
    customer_account: null,
    flow: null,
    livemode: false,
    locale: null,
    on_behalf_of: null,
    return_url: null,
    ...fields,
  };
}

/**
 * The reasons a new configuration's cancellation offers: docs.stripe.com/api/customer_portal/configurations/create
 * (the example's answer, where `cancellation_reason` was not given).
 */
const DEFAULT_CANCELLATION_REASONS: Stripe.BillingPortal.Configuration.Features.SubscriptionCancel.CancellationReason.Option[] =
  ['too_expensive', 'missing_features', 'switched_service', 'unused', 'other'];

/**
 * A portal configuration's features with every one off, as a configuration created without them answers
 * (docs.stripe.com/api/customer_portal/configurations/create, the example's answer); a pause lasts one month
 * ("Defaults to `interval_options` with a single one-month option": Stripe.BillingPortal.ConfigurationCreateParams
 * .Features.SubscriptionPause.duration).
 */
export function portalFeaturesOff(): Stripe.BillingPortal.Configuration.Features {
  return {
    customer_update: { allowed_updates: [], enabled: false },
    invoice_history: { enabled: false },
    payment_method_update: { enabled: false, payment_method_configuration: null },
    subscription_cancel: {
      cancellation_reason: { enabled: false, feedback_options: null, options: [...DEFAULT_CANCELLATION_REASONS] },
      enabled: false,
      mode: 'at_period_end',
      proration_behavior: 'none',
    },
    subscription_pause: {
      duration: { type: 'interval_options', interval_options: [{ interval: 'month', interval_count: 1 }] },
      enabled: false,
    },
    subscription_update: {
      billing_cycle_anchor: null,
      default_allowed_updates: [],
      enabled: false,
      products: [],
      proration_behavior: 'none',
      schedule_at_period_end: { conditions: [] },
      trial_update_behavior: 'end_trial',
    },
  };
}

/** An active, non-default portal configuration (openapi/fixtures3.json billing_portal.configuration). */
export function portalConfigurationObject(
  fields: Fields<Stripe.BillingPortal.Configuration, 'id' | 'created' | 'features'>,
): Stripe.BillingPortal.Configuration {
  return {
    object: 'billing_portal.configuration',
    active: true,
    application: null,
    business_profile: { headline: null, privacy_policy_url: null, terms_of_service_url: null },
    default_return_url: null,
    is_default: false,
    livemode: false,
    login_page: { enabled: false, url: null },
    metadata: {},
    name: null,
    updated: fields.created,
    ...fields,
  };
}

/** A portal flow of `type` with no details; the caller fills the one for its type. */
export function portalFlowObject(
  fields: Fields<Stripe.BillingPortal.Session.Flow, 'type'>,
): Stripe.BillingPortal.Session.Flow {
  return {
    after_completion: { hosted_confirmation: null, redirect: null, type: 'portal_homepage' },
    customer_update: null,
    subscription_cancel: null,
    subscription_pause: null,
    subscription_update: null,
    subscription_update_confirm: null,
    ...fields,
  };
}

/** A Customer Session with the named components enabled and every other one off. */
export function customerSessionObject(
  fields: Fields<Stripe.CustomerSession, 'client_secret' | 'created' | 'customer' | 'expires_at'>,
  enabled: ReadonlySet<string>,
): Stripe.CustomerSession {
  const on = (name: string) => ({ enabled: enabled.has(name) });
  return {
    object: 'customer_session',
    components: {
      active_entitlements: on('active_entitlements'),
      buy_button: on('buy_button'),
      customer_portal: on('customer_portal'),
      customer_sheet: { ...on('customer_sheet'), features: null },
      mobile_payment_element: { ...on('mobile_payment_element'), features: null },
      payment_element: { ...on('payment_element'), features: null },
      pricing_table: on('pricing_table'),
    },
    customer_account: null,
    livemode: false,
    ...fields,
  };
}

export function couponObject(fields: Fields<Stripe.Coupon, 'id' | 'created'>): Stripe.Coupon {
  return {
    object: 'coupon',
    amount_off: null,
    currency: null,
    duration: 'once',
    duration_in_months: null,
    livemode: false,
    max_redemptions: null,
    metadata: {},
    name: null,
    percent_off: null,
    redeem_by: null,
    times_redeemed: 0,
    valid: true,
    ...fields,
  };
}

export function promotionCodeObject(
  fields: Fields<Stripe.PromotionCode, 'id' | 'created' | 'code' | 'promotion'>,
): Stripe.PromotionCode {
  return {
    object: 'promotion_code',
    active: true,
    customer: null,
    customer_account: null,
    expires_at: null,
    livemode: false,
    max_redemptions: null,
    metadata: {},
    restrictions: { first_time_transaction: false, minimum_amount: null, minimum_amount_currency: null },
    times_redeemed: 0,
    ...fields,
  };
}

export function discountObject(fields: Fields<Stripe.Discount, 'id' | 'source' | 'start'>): Stripe.Discount {
  return {
    object: 'discount',
    checkout_session: null,
    customer: null,
    customer_account: null,
    end: null,
    invoice: null,
    invoice_item: null,
    promotion_code: null,
    subscription: null,
    subscription_item: null,
    ...fields,
  };
}

/** A PaymentIntent an invoice's finalization creates to collect it (`requires_payment_method` until confirmed). */
export function paymentIntentObject(
  fields: Fields<Stripe.PaymentIntent, 'id' | 'created' | 'amount' | 'currency' | 'customer'>,
): Stripe.PaymentIntent {
  return {
    object: 'payment_intent',
    allowed_payment_method_types: null,
    amount_capturable: 0,
    amount_received: 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: 'automatic',
    client_secret: `${fields.id}_secret_${fields.id.slice(-24)}`,
    confirmation_method: 'automatic',
    customer_account: null,
    description: null,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    managed_payments: null,
    metadata: {},
    next_action: null,
    on_behalf_of: null,
    payment_method: null,
    payment_method_configuration_details: null,
    payment_method_options: null,
    payment_method_types: ['card'],
    payment_record: null,
    processing: null,
    receipt_email: null,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: 'requires_payment_method',
    transfer_group: null,
    ...fields,
  };
}

/** A Charge of a PaymentIntent (`succeeded` unless the caller says otherwise); `refunds` is only served when expanded. */
export function chargeObject(
  fields: Fields<
    Stripe.Charge,
    | 'id'
    | 'created'
    | 'amount'
    | 'currency'
    | 'customer'
    | 'payment_intent'
    | 'payment_method'
    | 'payment_method_details'
  >,
): Stripe.Charge {
  return {
    object: 'charge',
    amount_captured: fields.amount,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: null,
    billing_details: { address: null, email: null, name: null, phone: null, tax_id: null },
    calculated_statement_descriptor: 'STRIPE EMULATOR',
    captured: true,
    description: null,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: null,
    failure_message: null,
    fraud_details: {},
    livemode: false,
    metadata: {},
    on_behalf_of: null,
    outcome: {
      advice_code: null,
      network_advice_code: null,
      network_decline_code: null,
      network_status: 'approved_by_network',
      reason: null,
      risk_level: 'normal',
      seller_message: 'Payment complete.',
      type: 'authorized',
    },
    paid: true,
    receipt_email: null,
    receipt_number: null,
    receipt_url: null,
    refunded: false,
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: 'succeeded',
    transfer_data: null,
    transfer_group: null,
    ...fields,
  };
}

/** A card refund, `succeeded` at once (card refunds do not wait, docs.stripe.com/refunds#refund-statuses). */
export function refundObject(
  fields: Fields<Stripe.Refund, 'id' | 'created' | 'amount' | 'currency' | 'charge' | 'payment_intent'>,
): Stripe.Refund {
  return {
    object: 'refund',
    balance_transaction: null,
    customer: null,
    customer_account: null,
    destination_details: {
      card: { reference_status: 'pending', reference_type: 'acquirer_reference_number', type: 'refund' },
      type: 'card',
    },
    metadata: {},
    payment_method: null,
    reason: null,
    receipt_number: null,
    source_transfer_reversal: null,
    status: 'succeeded',
    transfer_reversal: null,
    ...fields,
  };
}

/** An invoice's default payment (Stripe.InvoicePayment.is_default: made "when the invoice is finalized"), `open` until paid. */
export function invoicePaymentObject(
  fields: Fields<Stripe.InvoicePayment, 'id' | 'created' | 'amount_requested' | 'currency' | 'invoice' | 'payment'>,
): Stripe.InvoicePayment {
  return {
    object: 'invoice_payment',
    amount_paid: null,
    is_default: true,
    livemode: false,
    status: 'open',
    status_transitions: { canceled_at: null, paid_at: null },
    ...fields,
  };
}

/** A credit note line for an amount of one invoice line (`invoice_line_item`). */
export function creditNoteLineObject(
  fields: Fields<Stripe.CreditNoteLineItem, 'id' | 'amount' | 'description' | 'type'>,
): Stripe.CreditNoteLineItem {
  return {
    object: 'credit_note_line_item',
    discount_amount: 0,
    discount_amounts: [],
    livemode: false,
    metadata: {},
    pretax_credit_amounts: [],
    quantity: null,
    tax_rates: [],
    taxes: [],
    unit_amount: null,
    unit_amount_decimal: null,
    ...fields,
  };
}

/** An `issued` credit note (openapi/fixtures3.json credit_note). */
export function creditNoteObject(
  fields: Fields<
    Stripe.CreditNote,
    'id' | 'created' | 'amount' | 'currency' | 'customer' | 'invoice' | 'lines' | 'number' | 'type'
  >,
): Stripe.CreditNote {
  return {
    object: 'credit_note',
    amount_shipping: 0,
    customer_account: null,
    customer_balance_transaction: null,
    discount_amount: 0,
    discount_amounts: [],
    effective_at: fields.created,
    livemode: false,
    memo: null,
    metadata: {},
    out_of_band_amount: null,
    pdf: `https://example.com/credit_notes/${fields.id}/pdf`,
    post_payment_amount: 0,
    pre_payment_amount: 0,
    pretax_credit_amounts: [],
    reason: null,
    refunds: [],
    shipping_cost: null,
    status: 'issued',
    subtotal: fields.amount,
    subtotal_excluding_tax: fields.amount,
    total: fields.amount,
    total_excluding_tax: fields.amount,
    total_taxes: [],
    voided_at: null,
    ...fields,
  };
}

/** One phase of a subscription schedule, with the settings nobody set left null (openapi/fixtures3.json subscription_schedule). */
export function schedulePhaseObject(
  fields: Fields<Stripe.SubscriptionSchedule.Phase, 'currency' | 'end_date' | 'items' | 'start_date'>,
): Stripe.SubscriptionSchedule.Phase {
  return {
    add_invoice_items: [],
    application_fee_percent: null,
    billing_cycle_anchor: null,
    billing_thresholds: null,
    collection_method: null,
    default_payment_method: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    invoice_settings: null,
    metadata: {},
    on_behalf_of: null,
    proration_behavior: 'create_prorations',
    transfer_data: null,
    trial_end: null,
    ...fields,
  };
}

/** An `active` subscription schedule with `end_behavior: release` (openapi/fixtures3.json subscription_schedule). */
export function subscriptionScheduleObject(
  fields: Fields<Stripe.SubscriptionSchedule, 'id' | 'created' | 'customer' | 'phases' | 'subscription'>,
): Stripe.SubscriptionSchedule {
  return {
    object: 'subscription_schedule',
    application: null,
    billing_mode: { flexible: { proration_discounts: 'included' }, type: 'flexible', updated_at: fields.created },
    canceled_at: null,
    completed_at: null,
    current_phase: null,
    customer_account: null,
    default_settings: {
      application_fee_percent: null,
      billing_cycle_anchor: 'automatic',
      billing_thresholds: null,
      collection_method: 'charge_automatically',
      default_payment_method: null,
      description: null,
      invoice_settings: {
        account_tax_ids: null,
        custom_fields: null,
        days_until_due: null,
        description: null,
        footer: null,
        issuer: { type: 'self' },
      },
      on_behalf_of: null,
      transfer_data: null,
    },
    end_behavior: 'release',
    livemode: false,
    metadata: {},
    pause_schedules: [],
    released_at: null,
    released_subscription: null,
    status: 'active',
    test_clock: null,
    ...fields,
  };
}

/**
 * The emulator's own account as GET /v1/account shows it (openapi/fixtures3.json account): a Japanese standard account
 * that takes payments, its business name and the invoices' default tax IDs from its settings.
 */
export function accountObject(fields: {
  id: string;
  created: number;
  businessName: string;
  defaultAccountTaxIds: string[];
}): Stripe.Account {
  return {
    id: fields.id,
    object: 'account',
    business_profile: {
      mcc: null,
      minority_owned_business_designation: null,
      name: fields.businessName || null,
      specified_commercial_transactions_act_url: null,
      support_address: null,
      support_email: null,
      support_phone: null,
      support_url: null,
      url: null,
    },
    business_type: null,
    capabilities: { card_payments: 'active', transfers: 'active' },
    charges_enabled: true,
    country: 'JP',
    created: fields.created,
    default_currency: 'jpy',
    details_submitted: true,
    email: null,
    metadata: {},
    payouts_enabled: true,
    settings: {
      branding: { icon: null, logo: null, primary_color: null, secondary_color: null },
      card_payments: {
        statement_descriptor_prefix: null,
        statement_descriptor_prefix_kana: null,
        statement_descriptor_prefix_kanji: null,
      },
      dashboard: { display_name: fields.businessName || null, timezone: 'Asia/Tokyo' },
      invoices: { default_account_tax_ids: [...fields.defaultAccountTaxIds], hosted_payment_method_save: null },
      payments: {
        statement_descriptor: null,
        statement_descriptor_kana: null,
        statement_descriptor_kanji: null,
        statement_descriptor_prefix_kana: null,
        statement_descriptor_prefix_kanji: null,
      },
    },
    type: 'standard',
  };
}
