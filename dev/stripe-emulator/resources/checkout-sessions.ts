/**
 * Checkout Sessions (subscription mode only): POST /v1/checkout/sessions with its parameter rules,
 * GET /v1/checkout/sessions/:id, expiry, and paying a session (customer, PaymentMethod,
 * subscription, first invoice, events). The hosted page is checkout-page.ts.
 */
import type Stripe from 'stripe';
import { ok, type Handler } from '../api.ts';
import { invalidRequest, missingParam, noSuch, StateConflictError } from '../errors.ts';
import { checkoutSessionObject, customerDetails, discountObject, lineItemObject, priceCopy } from '../objects.ts';
import {
  allowOnly,
  expand,
  isEmail,
  LOCALES,
  optionalBoolean,
  optionalEnum,
  optionalInteger,
  optionalObject,
  optionalObjectArray,
  optionalString,
  optionalStringArray,
  optionalUrl,
  requiredString,
  type Params,
} from '../params.ts';
import { type EmulatorState, type EventContext, ID_PREFIX, idOf, newId, nowSeconds, snapshot } from '../state.ts';
import { createCustomer, customerParam } from './customers.ts';
import { chargeInvoice, createInvoice } from './invoices.ts';
import { createPaymentMethod, type Instrument, paymentMethodTypesFor } from './payment-methods.ts';
import { discountAmount, lineAmount, productName } from './prices.ts';
import { addInterval, isLive, subscriptionsOf } from './subscription-core.ts';
import { createSubscription } from './subscriptions.ts';

/** The parameters the site and the tests send; Stripe accepts many more, the emulator refuses them as unknown. */
const CREATE_PARAMS = [
  'allow_promotion_codes',
  'automatic_tax',
  'cancel_url',
  'client_reference_id',
  'consent_collection',
  'custom_text',
  'customer',
  'customer_email',
  'customer_update',
  'discounts',
  'expand',
  'expires_at',
  'line_items',
  'locale',
  'mode',
  'phone_number_collection',
  'shipping_address_collection',
  'shipping_options',
  'subscription_data',
  'success_url',
] as const;

/**
 * Countries Checkout cannot ship to: Stripe.Checkout.Session.ShippingAddressCollection.allowed_countries
 * "Unsupported country codes: `AS, CX, CC, CU, HM, IR, KP, MH, FM, NF, MP, PW, SY, UM, VI`".
 */
const UNSUPPORTED_SHIPPING_COUNTRIES = [
  'AS',
  'CX',
  'CC',
  'CU',
  'HM',
  'IR',
  'KP',
  'MH',
  'FM',
  'NF',
  'MP',
  'PW',
  'SY',
  'UM',
  'VI',
];

/** A two-letter country code Checkout can ship to. */
export function isShippableCountry(country: string): boolean {
  return /^[A-Z]{2}$/.test(country) && !UNSUPPORTED_SHIPPING_COUNTRIES.includes(country);
}

/** Stripe.Checkout.SessionCreateParams.CustomText.*.message: "Text can be up to 1200 characters in length." */
const CUSTOM_TEXT_MAX = 1200;

/** The `custom_text` entries the site will send (Stripe also has `after_submit`, refused here as unknown). */
const CUSTOM_TEXT_KEYS = ['shipping_address', 'submit', 'terms_of_service_acceptance'] as const;

/** What the session collects besides the payment, as they go on the Session object. */
type Collection = Pick<
  Stripe.Checkout.Session,
  'automatic_tax' | 'consent_collection' | 'custom_text' | 'phone_number_collection' | 'shipping_address_collection'
> & { saveShipping: boolean };

/** Checkout Sessions stay open for 24 hours unless `expires_at` says otherwise (Stripe's default). */
const LIFETIME_SECONDS = 24 * 60 * 60;

type LineInput = { price: Stripe.Price; quantity: number | null };
type SessionDiscount = { coupon: Stripe.Coupon; promotionCode: Stripe.PromotionCode | null };

/** `line_items` of a subscription Checkout: `[{ price, quantity }]`, active recurring prices, one currency and interval. */
function lineItemsParam(state: EmulatorState, params: Params): LineInput[] {
  const raw = optionalObjectArray(params, 'line_items');
  if (!raw || raw.length === 0) throw missingParam('line_items');
  const items = raw.map((item, index) => {
    const label = `line_items[${index}]`;
    allowOnly(item, ['price', 'quantity'], label);
    const priceId = requiredString(item, 'price', `${label}[price]`);
    // docs.stripe.com/api/checkout/sessions/create: line_items.price is "The ID of the Price or Plan object"
    const price = state.prices.get(priceId);
    if (!price) throw noSuch('price', priceId, `${label}[price]`);
    // Stripe's wording for inactive prices and products as quoted in public code; not confirmed here.
    if (!price.active)
      throw invalidRequest(
        `The price specified is inactive. This field only accepts active prices.`,
        `${label}[price]`,
      );
    const product = state.products.get(idOf(price.product));
    if (!product?.active) {
      throw invalidRequest(
        `The price specified is set to \`product: ${product?.id ?? 'unknown'}\`, which is not active.`,
        `${label}[price]`,
      );
    }
    const quantity = optionalInteger(item, 'quantity', 0, 999_999, `${label}[quantity]`);
    // Messages as Stripe answers them (quoted in stripe-java#1584, invertase/stripe-firebase-extensions#134); the param is not confirmed.
    if (price.recurring?.usage_type === 'metered') {
      if (quantity !== undefined) {
        throw invalidRequest(
          `Quantity should not be specified where usage_type is \`metered\`. Remove quantity from \`${label}\``,
          `${label}[quantity]`,
        );
      }
      return { price, quantity: null };
    }
    if (quantity === undefined)
      throw invalidRequest(`Quantity is required. Add \`quantity\` to \`${label}\``, `${label}[quantity]`);
    if (quantity < 1) throw invalidRequest('This value must be greater than or equal to 1.', `${label}[quantity]`);
    return { price, quantity };
  });
  // docs.stripe.com/api/checkout/sessions/create (mode subscription: at least one recurring price, one currency and interval); wording not confirmed.
  const recurring = items.filter(({ price }) => price.recurring);
  if (recurring.length === 0) {
    throw invalidRequest(
      'You must provide at least one recurring price in `subscription` mode when using prices.',
      'line_items',
    );
  }
  if (new Set(items.map(({ price }) => price.currency)).size > 1)
    throw invalidRequest('Checkout does not support multiple prices with different currencies.', 'line_items');
  const intervals = new Set(
    recurring.map(({ price }) => `${price.recurring?.interval}/${price.recurring?.interval_count}`),
  );
  if (intervals.size > 1)
    throw invalidRequest('Checkout does not support multiple prices with different billing intervals.', 'line_items');
  return items;
}

/** `discounts`: at most one coupon or promotion code (Stripe.Checkout.SessionCreateParams.discounts). */
function discountsParam(state: EmulatorState, params: Params): SessionDiscount | null {
  const raw = optionalObjectArray(params, 'discounts');
  const [item] = raw ?? [];
  if (!item) return null;
  // Stripe.Checkout.SessionCreateParams.discounts: "Currently, only up to one may be specified."; the error's wording not confirmed.
  if ((raw?.length ?? 0) > 1) throw invalidRequest('You may only specify one discount.', 'discounts');
  allowOnly(item, ['coupon', 'promotion_code'], 'discounts[0]');
  const promotionId = optionalString(item, 'promotion_code', 'discounts[0][promotion_code]');
  if (promotionId !== undefined) {
    const promotionCode = state.promotionCodes.get(promotionId);
    if (!promotionCode) throw noSuch('promotion_code', promotionId, 'discounts[0][promotion_code]');
    const couponId = idOf(promotionCode.promotion.coupon ?? '');
    const coupon = state.coupons.get(couponId);
    if (!coupon) throw noSuch('coupon', couponId, 'discounts[0][promotion_code]');
    return { coupon, promotionCode };
  }
  const couponId = optionalString(item, 'coupon', 'discounts[0][coupon]');
  if (couponId === undefined) throw missingParam('discounts[0][coupon]');
  const coupon = state.coupons.get(couponId);
  if (!coupon) throw noSuch('coupon', couponId, 'discounts[0][coupon]');
  return { coupon, promotionCode: null };
}

/** `shipping_address_collection[allowed_countries][]`: a non-empty list of countries Checkout ships to. */
function shippingAddressParam(params: Params): Stripe.Checkout.Session.ShippingAddressCollection | null {
  const label = 'shipping_address_collection';
  const data = optionalObject(params, label);
  if (!data) return null;
  allowOnly(data, ['allowed_countries'], label);
  const countries = optionalStringArray(data, 'allowed_countries');
  // Stripe.Checkout.SessionCreateParams.ShippingAddressCollection.allowed_countries is required (an array of two-letter ISO codes).
  if (!countries || countries.length === 0) throw missingParam(`${label}[allowed_countries]`);
  countries.forEach((country, index) => {
    // Stripe's enum error names the value's index; wording not confirmed.
    if (!isShippableCountry(country))
      throw invalidRequest(
        `Invalid ${label}[allowed_countries][${index}]: must be one of the supported two-letter country codes (got '${country}').`,
        `${label}[allowed_countries][${index}]`,
      );
  });
  return { allowed_countries: [...new Set(countries)] };
}

/** `custom_text[...][message]`, each up to 1,200 characters; `''` unsets an entry (Stripe's `Emptyable`). */
function customTextParam(params: Params): Stripe.Checkout.Session.CustomText {
  const text: Stripe.Checkout.Session.CustomText = {
    after_submit: null,
    shipping_address: null,
    submit: null,
    terms_of_service_acceptance: null,
  };
  const data = optionalObject(params, 'custom_text');
  if (!data) return text;
  allowOnly(data, CUSTOM_TEXT_KEYS, 'custom_text');
  for (const key of CUSTOM_TEXT_KEYS) {
    const label = `custom_text[${key}]`;
    const entry = optionalObject(data, key, label);
    if (!entry) continue;
    allowOnly(entry, ['message'], label);
    const message = requiredString(entry, 'message', `${label}[message]`);
    // Stripe's too-long string error ("Invalid string: …; must be at most N characters"); wording not confirmed.
    if (message.length > CUSTOM_TEXT_MAX)
      throw invalidRequest(
        `Invalid string: ${message.slice(0, 10)}...; must be at most ${CUSTOM_TEXT_MAX} characters`,
        `${label}[message]`,
      );
    text[key] = { message };
  }
  return text;
}

/**
 * What the session collects: shipping address, phone, terms-of-service consent, custom text,
 * automatic tax, and whether the shipping address is saved on an existing customer.
 */
function collectionParams(state: EmulatorState, params: Params, customer: Stripe.Customer | null): Collection {
  // docs.stripe.com/payments/during-payment/charge-shipping: "Only Checkout Sessions in payment mode support shipping
  // options." (the emulator has subscription mode only); the API error's exact wording is not confirmed.
  if (params['shipping_options'] !== undefined)
    throw invalidRequest('Only Checkout Sessions in payment mode support shipping options.', 'shipping_options');
  const shipping = shippingAddressParam(params);

  const phone = optionalObject(params, 'phone_number_collection');
  if (phone) allowOnly(phone, ['enabled'], 'phone_number_collection');
  // Stripe.Checkout.SessionCreateParams.PhoneNumberCollection.enabled is required; "Can only be set in `payment` and `subscription` mode."
  const phoneEnabled = phone ? optionalBoolean(phone, 'enabled', 'phone_number_collection[enabled]') : false;
  if (phoneEnabled === undefined) throw missingParam('phone_number_collection[enabled]');

  const consent = optionalObject(params, 'consent_collection');
  if (consent) allowOnly(consent, ['terms_of_service'], 'consent_collection');
  const terms = consent
    ? (optionalEnum(
        consent,
        'terms_of_service',
        ['none', 'required'] as const,
        'consent_collection[terms_of_service]',
      ) ?? null)
    : null;
  // Stripe.Checkout.SessionCreateParams.ConsentCollection.terms_of_service: "There must be a valid terms of service URL set
  // in your Dashboard settings"; the message as Stripe sends it (quoted in public code, several projects); no param confirmed.
  if (terms === 'required' && !state.account.termsOfServiceUrl)
    throw invalidRequest(
      'You cannot collect consent to your terms of service unless a URL is set in the Stripe Dashboard. Update your public business details in the Dashboard https://dashboard.stripe.com/settings/public with a Terms of service URL to collect terms of service consent.',
    );

  const customText = customTextParam(params);
  // Stripe.Checkout.Session.CustomText.terms_of_service_acceptance "displayed in place of the default terms of service
  // agreement text", which only shows with consent_collection[terms_of_service]=required; the error's wording not confirmed.
  if (customText.terms_of_service_acceptance && terms !== 'required')
    throw invalidRequest(
      'You can only set `custom_text[terms_of_service_acceptance]` when `consent_collection[terms_of_service]` is `required`.',
      'custom_text[terms_of_service_acceptance]',
    );

  const update = optionalObject(params, 'customer_update');
  // Stripe.Checkout.SessionCreateParams.customer_update: "Can only be provided when `customer` is provided."; wording not confirmed.
  if (update && !customer) throw invalidRequest('customer_update can only be used with customer.', 'customer_update');
  if (update) allowOnly(update, ['address', 'shipping'], 'customer_update');
  // Stripe.Checkout.SessionCreateParams.CustomerUpdate.shipping: saves onto `customer.shipping`; "Defaults to `never`."
  const saveShipping = update
    ? optionalEnum(update, 'shipping', ['auto', 'never'] as const, 'customer_update[shipping]') === 'auto'
    : false;
  // Stripe.Checkout.SessionCreateParams.CustomerUpdate.address: saves the billing address Checkout collects; this
  // page collects none, so 'auto' only satisfies the tax rule below.
  const saveAddress = update
    ? optionalEnum(update, 'address', ['auto', 'never'] as const, 'customer_update[address]') === 'auto'
    : false;

  const tax = optionalObject(params, 'automatic_tax');
  if (tax) allowOnly(tax, ['enabled'], 'automatic_tax');
  // Stripe.Checkout.SessionCreateParams.AutomaticTax.enabled is required.
  const taxEnabled = tax ? optionalBoolean(tax, 'enabled', 'automatic_tax[enabled]') : false;
  if (taxEnabled === undefined) throw missingParam('automatic_tax[enabled]');
  // An existing customer needs an address for tax unless Checkout may save the one it collects (Stripe's message as
  // quoted in public code).
  if (taxEnabled && customer && !customer.address && !customer.shipping && !saveAddress && !(saveShipping && shipping))
    throw invalidRequest(
      "Automatic tax calculation in Checkout requires a valid address on the Customer. Add a valid address to the Customer or set either `customer_update[address]` to 'auto' or `customer_update[shipping]` to 'auto' to save the address entered in Checkout to the Customer.",
    );

  return {
    shipping_address_collection: shipping,
    phone_number_collection: { enabled: phoneEnabled },
    consent_collection:
      terms === null ? null : { payment_method_reuse_agreement: null, promotions: null, terms_of_service: terms },
    custom_text: customText,
    // docs.stripe.com/api/checkout/sessions/object#checkout_session_object-automatic_tax-status: `requires_location_inputs` until an address is known.
    automatic_tax: {
      enabled: taxEnabled,
      liability: null,
      provider: null,
      status: taxEnabled ? 'requires_location_inputs' : null,
    },
    saveShipping,
  };
}

/** `subscription_data[trial_period_days]`, or null. */
function trialParam(params: Params): number | null {
  const data = optionalObject(params, 'subscription_data') ?? {};
  allowOnly(data, ['billing_mode', 'trial_period_days'], 'subscription_data');
  const label = 'subscription_data[trial_period_days]';
  // Stripe.Checkout.SessionCreateParams.SubscriptionData.trial_period_days: "Has to be at least 1."
  const days = optionalInteger(data, 'trial_period_days', 1, Number.MAX_SAFE_INTEGER, label) ?? null;
  // Stripe's message (quoted in arlyon/async-stripe#445, stripe/stripe-ruby#804); the param is not confirmed.
  if (days !== null && days > 730)
    throw invalidRequest('The maximum number of trial period days is 730 (2 years).', label);
  return days;
}

/**
 * `subscription_data[billing_mode][type]`: Stripe.Checkout.SessionCreateParams.SubscriptionData.BillingMode.type,
 * `classic` or `flexible` ("If no value is passed, the default is `flexible`").
 */
function billingModeParam(params: Params): Stripe.Subscription.BillingMode.Type {
  const data = optionalObject(params, 'subscription_data') ?? {};
  const label = 'subscription_data[billing_mode]';
  const mode = optionalObject(data, 'billing_mode', label);
  if (!mode) return 'flexible';
  allowOnly(mode, ['type'], label);
  const type = optionalEnum(mode, 'type', ['classic', 'flexible'] as const, `${label}[type]`);
  if (type === undefined) throw missingParam(`${label}[type]`);
  return type;
}

/**
 * The currency a new subscription-mode session in `currency` would clash with, or null. Counts live
 * subscriptions and open subscription-mode sessions (the wording of Stripe's error lists both).
 */
function clashingCurrency(state: EmulatorState, customerId: string, currency: string): string | null {
  for (const sub of subscriptionsOf(state, customerId)) {
    if (isLive(sub) && sub.currency !== currency) return sub.currency;
  }
  for (const session of state.checkoutSessions.values()) {
    refreshExpiry(session);
    if (
      session.customer === customerId &&
      session.status === 'open' &&
      session.currency !== null &&
      session.currency !== currency
    )
      return session.currency;
  }
  return null;
}

/** POST /v1/checkout/sessions (`mode=subscription`); the hosted page is `${publicUrl}/checkout/<id>`. */
export const create: Handler = ({ state, publicUrl }, { params }) => {
  allowOnly(params, CREATE_PARAMS);
  const mode = requiredString(params, 'mode');
  if (mode !== 'subscription')
    throw invalidRequest(`The emulator supports only mode=subscription (got '${mode}').`, 'mode');
  const lineItems = lineItemsParam(state, params);
  const successUrl = optionalUrl(params, 'success_url');
  if (successUrl === undefined) throw missingParam('success_url');
  // Stripe.Checkout.SessionCreateParams.cancel_url is optional: without it Checkout shows no back button.
  const cancelUrl = optionalUrl(params, 'cancel_url') ?? null;
  const clientReferenceId = optionalString(params, 'client_reference_id') ?? null;
  // A 200-character limit (Stripe's API reference for client_reference_id); limit and wording not confirmed here.
  if (clientReferenceId !== null && clientReferenceId.length > 200)
    throw invalidRequest('client_reference_id can be at most 200 characters long.', 'client_reference_id');
  const customerEmail = optionalString(params, 'customer_email') ?? null;
  // Worded like Stripe's other exclusive pairs (stripe/stripe-node#2248); not confirmed for customer/customer_email.
  if (params['customer'] !== undefined && customerEmail !== null)
    throw invalidRequest('You may only specify one of these parameters: customer, customer_email.', 'customer_email');
  if (customerEmail !== null && !isEmail(customerEmail))
    throw invalidRequest(`Invalid email address: ${customerEmail}`, 'customer_email', 'email_invalid');
  const customer = customerParam(state, params) ?? null;
  const currency = lineItems[0]?.price.currency ?? '';
  const clash = customer ? clashingCurrency(state, customer.id, currency) : null;
  if (clash !== null) {
    // The message Stripe sends (quoted verbatim in public code, 2026); Stripe sends no code or param with it.
    throw invalidRequest(
      `You cannot combine currencies on a single customer. This customer has an active subscription, subscription schedule, discount, quote, invoice item or active subscription mode checkout session with currency ${clash}.`,
    );
  }
  const trialPeriodDays = trialParam(params);
  const allowPromotionCodes = optionalBoolean(params, 'allow_promotion_codes');
  // stripe/stripe-node#2248: Stripe refuses both together, even allow_promotion_codes=false (laravel/cashier-stripe#1164)
  if (allowPromotionCodes !== undefined && params['discounts'] !== undefined) {
    throw invalidRequest(
      'You may only specify one of these parameters: allow_promotion_codes, discounts.',
      'allow_promotion_codes',
    );
  }
  const discount = discountsParam(state, params);
  const { saveShipping, ...collection } = collectionParams(state, params, customer);
  const locale = optionalEnum(params, 'locale', LOCALES) ?? null;
  const created = nowSeconds();
  // Stripe.Checkout.SessionCreateParams.expires_at: "anywhere from 30 minutes to 24 hours after Checkout Session creation"
  const expiresAt = optionalInteger(params, 'expires_at', created + 30 * 60, created + LIFETIME_SECONDS);
  const id = newId(ID_PREFIX.checkoutSession, 58);
  const session = checkoutSessionObject({
    id,
    created,
    expires_at: expiresAt ?? created + LIFETIME_SECONDS,
    success_url: successUrl,
    url: `${publicUrl}/checkout/${id}`,
    allow_promotion_codes: allowPromotionCodes === true ? true : null,
    cancel_url: cancelUrl,
    client_reference_id: clientReferenceId,
    currency,
    customer: customer?.id ?? null,
    customer_creation: customer ? null : 'always',
    customer_email: customerEmail,
    discounts: discount ? [{ coupon: discount.coupon.id, promotion_code: discount.promotionCode?.id ?? null }] : [],
    locale,
    payment_method_types: paymentMethodTypesFor(currency),
    ...collection,
  });
  state.checkoutSessions.set(id, session);
  state.checkoutCustomerUpdate.set(id, { shipping: saveShipping });
  state.checkoutLineItems.set(
    id,
    lineItems.map(({ price, quantity }) => {
      const amount = lineAmount(state, price, quantity);
      return lineItemObject({
        id: newId(ID_PREFIX.lineItem),
        amount_total: amount,
        currency: price.currency,
        description: productName(state, price),
        price: priceCopy(price),
        quantity,
      });
    }),
  );
  state.checkoutSubscriptionData.set(id, { trialPeriodDays, billingMode: billingModeParam(params) });
  applyTotals(state, session, discount?.coupon ?? null);
  return ok(expand(state, session, params));
};

/** GET /v1/checkout/sessions/:id (`expand[]=line_items…` includes its line items). */
export const retrieve: Handler = ({ state }, { params }, [id = '']) => {
  allowOnly(params, ['expand']);
  const session = state.checkoutSessions.get(id);
  if (!session) throw noSuch('checkout.session', id);
  return ok(expand(state, refreshExpiry(session), params));
};

/** Recomputes a session's totals from its line items, trial and discount (what is due today). */
function applyTotals(state: EmulatorState, session: Stripe.Checkout.Session, coupon: Stripe.Coupon | null): void {
  const trial = (state.checkoutSubscriptionData.get(session.id)?.trialPeriodDays ?? null) !== null;
  let subtotal = 0;
  let discount = 0;
  for (const item of state.checkoutLineItems.get(session.id) ?? []) {
    const due = trial || !item.price ? 0 : lineAmount(state, item.price, item.quantity);
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

/** An open session past its `expires_at` becomes expired when next looked at, like at Stripe. */
export function refreshExpiry(session: Stripe.Checkout.Session): Stripe.Checkout.Session {
  if (session.status === 'open' && nowSeconds() >= session.expires_at) {
    session.status = 'expired';
    session.url = null;
  }
  return session;
}

/** An active promotion code by its customer-facing code (case-insensitive, as Checkout accepts it). */
export function findPromotionCode(state: EmulatorState, code: string): Stripe.PromotionCode | undefined {
  return [...state.promotionCodes.values()].find(
    (promo) => promo.active && promo.code.toLowerCase() === code.trim().toLowerCase(),
  );
}

/** The coupon of a session's discount (from `discounts` or a redeemed promotion code), or null. */
function sessionDiscount(state: EmulatorState, session: Stripe.Checkout.Session): SessionDiscount | null {
  const first = session.discounts?.[0];
  const coupon = first?.coupon ? state.coupons.get(idOf(first.coupon)) : undefined;
  if (!coupon) return null;
  const promotionCode = first?.promotion_code ? state.promotionCodes.get(idOf(first.promotion_code)) : undefined;
  return { coupon, promotionCode: promotionCode ?? null };
}

/** How the hosted page (or `completeCheckout`) pays. */
export interface CheckoutPayment {
  email: string;
  instrument: Instrument;
  /** A redeemed promotion code (only when the session allows them). */
  promotionCode?: Stripe.PromotionCode | null;
  /** The shipping name and address (when the session collects them). */
  shipping?: ShippingInput | null;
  /** The phone number (when the session collects it). */
  phone?: string | null;
  /** The terms-of-service box was ticked (when the session requires consent). */
  termsAccepted?: boolean;
  /** The locale the page was shown in (the session's, or the browser's for `auto`); null without a browser. */
  locale?: string | null;
}

/** A shipping name and address as Checkout collects them. */
export interface ShippingInput {
  name: string;
  address: Stripe.Address;
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
  const shipping = session.shipping_address_collection ? (payment.shipping ?? null) : null;
  const phone = session.phone_number_collection?.enabled ? (payment.phone ?? null) : null;
  // docs.stripe.com/payments/checkout/customization (shipping address, phone and terms are required fields of the page).
  if (session.shipping_address_collection && !shipping)
    throw new StateConflictError('This Checkout Session needs a shipping address.');
  if (session.phone_number_collection?.enabled && !phone)
    throw new StateConflictError('This Checkout Session needs a phone number.');
  if (session.consent_collection?.terms_of_service === 'required' && payment.termsAccepted !== true)
    throw new StateConflictError('This Checkout Session needs the terms of service accepted.');
  const events: Stripe.Event[] = [];
  let customer = existingId === null ? undefined : state.customers.get(existingId);
  const isNew = !customer;
  // Stripe.Customer.preferred_locales of the customer Checkout creates: the language Checkout was shown in. Stripe's
  // docs do not say so; its receipts follow the customer's language and merchants report Checkout's customers get the
  // browser's (edalzell/statamic-charge#41): not confirmed.
  customer ??= createCustomer(state, { email: payment.email, locale: payment.locale ?? session.locale });
  // Stripe.Customer.shipping ("Mailing and shipping address for the customer") and `phone`: Checkout fills them on the
  // customer it creates; an existing customer's shipping only with customer_update[shipping]=auto (CustomerUpdate.shipping).
  const previousShipping = snapshot(customer.shipping);
  const saveShipping = isNew || state.checkoutCustomerUpdate.get(session.id)?.shipping === true;
  if (shipping && saveShipping) customer.shipping = { address: { ...shipping.address }, name: shipping.name, phone };
  if (isNew && phone) customer.phone = phone;
  const paymentMethod = createPaymentMethod(state, payment.instrument, customer.id, payment.email);
  const previousDefault = customer.invoice_settings.default_payment_method;
  customer.invoice_settings.default_payment_method = paymentMethod.id;
  if (isNew) events.push(state.createEvent('customer.created', customer, context));
  events.push(state.createEvent('payment_method.attached', paymentMethod, context));
  if (!isNew) {
    events.push(
      state.createEvent('customer.updated', customer, context, {
        invoice_settings: { ...customer.invoice_settings, default_payment_method: previousDefault },
        ...(shipping && saveShipping && { shipping: previousShipping }),
      }),
    );
  }

  const subscriptionData = state.checkoutSubscriptionData.get(session.id);
  const trialDays = subscriptionData?.trialPeriodDays ?? null;
  const billingMode = subscriptionData?.billingMode ?? 'flexible';
  const lineItems = (state.checkoutLineItems.get(session.id) ?? []).flatMap((item) =>
    item.price ? [{ price: item.price, quantity: item.quantity }] : [],
  );
  const subscription = createSubscription(state, { customer, lineItems, trialDays, paymentMethod, billingMode });
  const discount = sessionDiscount(state, session);
  if (discount) {
    const { coupon, promotionCode } = discount;
    const record = discountObject({
      id: newId(ID_PREFIX.discount),
      source: { coupon: coupon.id, type: 'coupon' },
      start: subscription.created,
      checkout_session: session.id,
      customer: customer.id,
      end:
        coupon.duration === 'forever'
          ? null
          : addInterval(subscription.created, 'month', coupon.duration_in_months ?? 1),
      promotion_code: promotionCode?.id ?? null,
      subscription: subscription.id,
    });
    state.discounts.set(record.id, record);
    subscription.discounts = [record.id];
    coupon.times_redeemed += 1;
    if (promotionCode) promotionCode.times_redeemed += 1;
  }
  const first = createInvoice(state, subscription, 'subscription_create', context, { trial: trialDays !== null });
  const invoice = first.invoice;
  const charge = chargeInvoice(state, invoice, paymentMethod, context, { checkoutSessionId: session.id });
  // docs.stripe.com/billing/subscriptions/overview#subscription-statuses: "Subscriptions can also be incomplete
  // if there's a pending payment and the PaymentIntent status is processing."
  if (subscription.status === 'incomplete' && charge.outcome === 'paid') subscription.status = 'active';
  events.push(
    state.createEvent('customer.subscription.created', subscription, context),
    ...first.events,
    ...charge.events,
  );

  session.status = 'complete';
  // docs.stripe.com/api/checkout/sessions/object#checkout_session_object-payment_status
  session.payment_status =
    invoice.amount_due === 0 ? 'no_payment_required' : charge.outcome === 'paid' ? 'paid' : 'unpaid';
  session.customer = customer.id;
  session.subscription = subscription.id;
  session.url = null; // Stripe drops the URL once a session is complete
  session.customer_details = { ...customerDetails(payment.email, customer.name ?? null), phone };
  // Stripe.Checkout.Session.collected_information.shipping_details: "Shipping information for this Checkout Session."
  // (the pinned API version has no top-level `shipping_details` on the session any more).
  if (shipping)
    session.collected_information = {
      business_name: null,
      individual_name: null,
      shipping_details: { name: shipping.name, address: { ...shipping.address } },
    };
  // Stripe.Checkout.Session.Consent.terms_of_service: "If `accepted`, the customer … has agreed to the merchant's terms of service."
  if (session.consent_collection?.terms_of_service === 'required')
    session.consent = { promotions: null, terms_of_service: 'accepted' };
  // docs.stripe.com/api/checkout/sessions/object#checkout_session_object-automatic_tax-status: `complete` once the address is known.
  if (session.automatic_tax.enabled) session.automatic_tax.status = 'complete';
  events.push(state.createEvent('checkout.session.completed', session, context));
  return { session, subscription, events };
}
