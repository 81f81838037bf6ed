/**
 * The customer portal: POST /v1/billing_portal/sessions with its `flow_data` deep links, the
 * hosted portal page in the session's language (GET /portal/:id, POST /portal/:id/action,
 * POST /portal/:id/payment-method, POST /portal/:id/shipping), its card form (`updateCard`) and its
 * plan switch among the configured products' prices (`switchPlan`), both also the test handle's.
 * Subscription actions are subscriptions.ts's and subscription-core.ts's; the page only calls them.
 */
import type Stripe from 'stripe';
import { ok, type Handler } from '../api.ts';
import { invalidRequest, missingParam, noSuch, StateConflictError } from '../errors.ts';
import {
  cardFields,
  escapeHtml,
  html,
  layout,
  messagePage,
  redirect,
  type PageContext,
  type PageResult,
} from '../html.ts';
import {
  formatDate,
  pageLanguage,
  pageStrings,
  problemMessage,
  type PageLanguage,
  type PageStrings,
  type Problem,
  type ProblemKey,
} from '../i18n.ts';
import { formatPrice } from '../money.ts';
import { portalFlowObject, portalSessionObject } from '../objects.ts';
import {
  allowOnly,
  expand,
  LOCALES,
  optionalEnum,
  optionalObject,
  optionalUrl,
  requiredString,
  type Params,
} from '../params.ts';
import {
  type EmulatorState,
  type EventContext,
  ID_PREFIX,
  idOf,
  newId,
  nowSeconds,
  pageEvents,
  snapshot,
} from '../state.ts';
import {
  allowsPlanSwitch,
  allowsShippingUpdate,
  configurationOf,
  sessionConfiguration,
} from './billing-portal-configurations.ts';
import { isShippableCountry } from './checkout-sessions.ts';
import { checkShippingFields, customerParam, type ShippingFields, updateShipping } from './customers.ts';
import { chargeInvoice } from './invoices.ts';
import { checkCard, createPaymentMethod } from './payment-methods.ts';
import type { ProrationBehavior } from './plan-changes.ts';
import { productName } from './prices.ts';
import { latestPaidCharge, refundLatestPayment } from './refunds.ts';
import {
  addInterval,
  AWAITING_PAYMENT_STATUSES,
  before,
  cancelNow,
  CHANGEABLE_STATUSES,
  currentPeriodEnd,
  isLive,
  RENEWING_STATUSES,
  subscriptionsOf,
  updated,
} from './subscription-core.ts';
import {
  cancelAtPeriodEnd,
  endTrial,
  renew,
  resumeSubscription,
  setPauseCollection,
  switchPrice,
} from './subscriptions.ts';

// ---------------------------------------------------------------- the API

/** The deep links the site sends (src/lib/subscriptions/portal.ts); Stripe has more flow types. */
const FLOW_TYPES = ['payment_method_update', 'subscription_update'] as const;

/** `flow_data` → the session's `flow`; `subscription_update` must name one of the customer's subscriptions. */
function flowParam(state: EmulatorState, customerId: string, params: Params): Stripe.BillingPortal.Session.Flow | null {
  const data = optionalObject(params, 'flow_data');
  if (!data) return null;
  allowOnly(data, ['type', 'after_completion', 'subscription_update'], 'flow_data');
  const type = optionalEnum(data, 'type', FLOW_TYPES, 'flow_data[type]');
  if (type === undefined) throw missingParam('flow_data[type]');
  const flow = portalFlowObject({ type });
  if (type === 'subscription_update') {
    const label = 'flow_data[subscription_update]';
    const inner = optionalObject(data, 'subscription_update', label);
    if (!inner) throw missingParam(label);
    const id = requiredString(inner, 'subscription', `${label}[subscription]`);
    if (state.subscriptions.get(id)?.customer !== customerId)
      throw noSuch('subscription', id, `${label}[subscription]`);
    flow.subscription_update = { subscription: id };
  }
  const after = optionalObject(data, 'after_completion', 'flow_data[after_completion]');
  if (after) {
    const label = 'flow_data[after_completion]';
    allowOnly(after, ['type', 'redirect'], label);
    const afterType = optionalEnum(after, 'type', ['portal_homepage', 'redirect'] as const, `${label}[type]`);
    if (afterType === undefined) throw missingParam(`${label}[type]`);
    const redirectTo = optionalObject(after, 'redirect', `${label}[redirect]`);
    const returnUrl = redirectTo && optionalUrl(redirectTo, 'return_url', `${label}[redirect][return_url]`);
    if (afterType === 'redirect' && !returnUrl) throw missingParam(`${label}[redirect][return_url]`);
    flow.after_completion = {
      type: afterType,
      redirect: afterType === 'redirect' && returnUrl ? { return_url: returnUrl } : null,
      hosted_confirmation: null,
    };
  }
  return flow;
}

/**
 * POST /v1/billing_portal/sessions: `customer`, `configuration` (default: the default configuration), `return_url`
 * (default: the configuration's `default_return_url`), `locale`, `flow_data`; the page is `${publicUrl}/portal/<id>`.
 * A deep link needs its feature on in the configuration.
 */
export const create: Handler = ({ state, publicUrl }, { params }) => {
  allowOnly(params, ['configuration', 'customer', 'expand', 'flow_data', 'locale', 'return_url']);
  const customer = customerParam(state, params);
  if (!customer) throw missingParam('customer');
  const configuration = sessionConfiguration(state, params);
  const flow = flowParam(state, customer.id, params);
  if (flow?.type === 'subscription_update' && !allowsPlanSwitch(configuration)) {
    // Stripe's message (quoted in public code); no param is sent with it.
    throw invalidRequest(
      'This subscription cannot be updated because the subscription update feature in the portal configuration is disabled.',
    );
  }
  if (flow?.type === 'payment_method_update' && !configuration.features.payment_method_update.enabled) {
    // The subscription_update refusal's pattern; Stripe's wording for this flow is not confirmed.
    throw invalidRequest(
      'The payment method cannot be updated because the payment method update feature in the portal configuration is disabled.',
    );
  }
  const id = newId(ID_PREFIX.portalSession);
  const session = portalSessionObject({
    id,
    created: nowSeconds(),
    configuration: configuration.id,
    customer: customer.id,
    url: `${publicUrl}/portal/${id}`,
    flow,
    locale: optionalEnum(params, 'locale', LOCALES) ?? null,
    return_url: optionalUrl(params, 'return_url') ?? configuration.default_return_url,
  });
  state.portalSessions.set(id, session);
  return ok(expand(state, session, params));
};

// ---------------------------------------------------------------- the card form

/** A card the portal's form refused (400 bad input, 402 declined), with what to show; its message is the English. */
class CardRefusedError extends Error {
  readonly status: number;
  readonly problem: ProblemKey;
  constructor({ status, problem }: Problem) {
    super(problemMessage(problem, 'en'));
    this.name = 'CardRefusedError';
    this.status = status;
    this.problem = problem;
  }
}

/**
 * Saves a new card as the customer's default (payment_method.attached, customer.updated), makes it
 * the default of their live subscriptions, and pays the open invoice of any that is past due or
 * incomplete with it (paying the latest invoice makes the subscription active again:
 * docs.stripe.com/billing/subscriptions/overview#subscription-statuses, `past_due`).
 * Throws CardRefusedError for declined or malformed cards.
 */
export function updateCard(
  state: EmulatorState,
  customerId: string,
  card: { card: string; exp?: string; cvc?: string },
  context: EventContext,
): { events: Stripe.Event[] } {
  const customer = state.customers.get(customerId);
  if (!customer) throw new StateConflictError(`No such customer: '${customerId}'`);
  const checked = checkCard(card);
  if (!('type' in checked)) throw new CardRefusedError(checked);
  const paymentMethod = createPaymentMethod(state, checked, customer.id, customer.email);
  const previousSettings = snapshot(customer.invoice_settings);
  customer.invoice_settings.default_payment_method = paymentMethod.id;
  const events: Stripe.Event[] = [
    state.createEvent('payment_method.attached', paymentMethod, context),
    state.createEvent('customer.updated', customer, context, { invoice_settings: previousSettings }),
  ];
  for (const subscription of subscriptionsOf(state, customer.id).reverse()) {
    if (!isLive(subscription)) continue;
    const previous = before(subscription, ['default_payment_method', 'status']);
    subscription.default_payment_method = paymentMethod.id;
    const invoice = subscription.latest_invoice ? state.invoices.get(idOf(subscription.latest_invoice)) : undefined;
    if (
      AWAITING_PAYMENT_STATUSES.includes(subscription.status) &&
      invoice?.status === 'open' &&
      !state.processingPayments.has(invoice.id)
    ) {
      const charge = chargeInvoice(state, invoice, paymentMethod, context);
      events.push(...charge.events);
      if (charge.outcome === 'paid') subscription.status = 'active';
    }
    events.push(updated(state, subscription, previous, context));
  }
  return { events };
}

// ---------------------------------------------------------------- the plan switch

/**
 * The prices the portal offers a subscription to switch to: every active price the portal configuration
 * lists for its products (Stripe.BillingPortal.Configuration.Features.SubscriptionUpdate.products[].prices),
 * whatever their billing interval (docs.stripe.com/customer-management/configure-portal: customers switch
 * between the configured products' prices), in the subscription's currency, which a subscription cannot
 * change (docs.stripe.com/billing/subscriptions/multiple-currencies; not confirmed for the portal's list).
 * A subscription of several items, or of a metered price, only cancels.
 */
function portalPrices(
  state: EmulatorState,
  configuration: Stripe.BillingPortal.Configuration,
  subscription: Stripe.Subscription,
): Stripe.Price[] {
  const current = subscription.items.data[0]?.price;
  if (!allowsPlanSwitch(configuration)) return [];
  if (subscription.items.data.length !== 1 || current?.recurring?.usage_type !== 'licensed') return [];
  return (configuration.features.subscription_update.products ?? []).flatMap(({ product, prices }) =>
    state.products.get(product)?.active
      ? prices.flatMap((id) => {
          const price = state.prices.get(id);
          return price?.active && price.recurring && price.id !== current.id && price.currency === subscription.currency
            ? [price]
            : [];
        })
      : [],
  );
}

/**
 * Switches a subscription to one of the prices a configuration offers it (the page's form and the test handle), with
 * the configuration's `proration_behavior` and `billing_cycle_anchor`.
 */
export function switchPlan(
  state: EmulatorState,
  configuration: Stripe.BillingPortal.Configuration,
  subscriptionId: string,
  priceId: string,
  context: EventContext,
): { events: Stripe.Event[] } {
  if (!allowsPlanSwitch(configuration))
    throw new StateConflictError('Switching plans is turned off in the portal configuration.');
  const subscription = state.subscriptions.get(subscriptionId);
  const price =
    subscription && portalPrices(state, configuration, subscription).find((candidate) => candidate.id === priceId);
  if (!price)
    throw new StateConflictError(`Price '${priceId}' is not a plan subscription ${subscriptionId} can switch to.`);
  const { proration_behavior: behavior, billing_cycle_anchor: anchor } = configuration.features.subscription_update;
  const proration: ProrationBehavior =
    behavior === 'always_invoice' ? 'always_invoice' : behavior === 'create_prorations' ? 'create_prorations' : 'none';
  return switchPrice(state, subscriptionId, price, context, { proration, resetAnchor: anchor === 'now' });
}

// ---------------------------------------------------------------- the hosted page

// ---------------------------------------------------------------- pausing payments

type PauseDuration = Stripe.BillingPortal.Configuration.Features.SubscriptionPause.Duration;
type PauseOption = Stripe.BillingPortal.Configuration.Features.SubscriptionPause.Duration.IntervalOption;

/** The pause control's words in the page's language (the session's locale, or the browser's for `auto`). */
function pauseWords(language: PageLanguage) {
  const ja = language === 'ja';
  const date = (seconds: number) => formatDate(seconds, language);
  const units: Record<string, [string, string]> = {
    day: ['日', 'day'],
    week: ['週間', 'week'],
    month: ['か月', 'month'],
    year: ['年', 'year'],
  };
  return {
    pause: ja ? '支払いを一時停止' : 'Pause payments',
    resume: ja ? '支払いを再開' : 'Resume payments',
    label: ja ? '停止期間' : 'Pause for',
    indefinitely: ja ? '再開するまで' : 'Until I resume',
    paused: (until: number | null) =>
      until === null
        ? ja
          ? '支払いは一時停止中です'
          : 'Payments paused'
        : ja
          ? `${date(until)} まで支払いを一時停止中`
          : `Payments paused until ${date(until)}`,
    option: ({ interval, interval_count: count }: PauseOption) => {
      const [jaUnit, enUnit] = units[interval] ?? [interval, interval];
      return ja ? `${count}${jaUnit}` : `${count} ${enUnit}${count === 1 ? '' : 's'}`;
    },
  };
}

/** The durations a customer may pause for (Stripe.BillingPortal.Configuration.Features.SubscriptionPause.Duration). */
function pauseChoices(duration: PauseDuration): Array<{ value: string; option: PauseOption | null }> {
  if (duration.type === 'indefinite') return [{ value: 'indefinite', option: null }];
  return duration.interval_options.map((option, index) => ({ value: String(index), option }));
}

/**
 * The portal's pause: Stripe's portal pauses payment collection, voiding the invoices made meanwhile
 * (`pause_collection[behavior]=void`, the subscription stays `active`: docs.stripe.com/billing/subscriptions/pause-payment;
 * that the portal pauses collection, not the subscription, is as public reports describe it, e.g. xyflow/pro-platform#48),
 * until the chosen duration ends (`resumes_at`) or indefinitely. Shown when the configuration's
 * `features.subscription_pause.enabled` is on; a paused subscription gets the resume control instead.
 */
function pauseForm(
  configuration: Stripe.BillingPortal.Configuration,
  session: Stripe.BillingPortal.Session,
  subscription: Stripe.Subscription,
  language: PageLanguage,
): string {
  const feature = configuration.features.subscription_pause;
  if (!feature.enabled || !CHANGEABLE_STATUSES.includes(subscription.status) || subscription.cancel_at !== null)
    return '';
  const words = pauseWords(language);
  if (subscription.pause_collection) return actionForm(session, subscription, 'resume_payments', words.resume);
  const selectId = `pause-${subscription.id}`;
  const options = pauseChoices(feature.duration)
    .map(
      ({ value, option }) =>
        `<option value="${escapeHtml(value)}">${escapeHtml(option ? words.option(option) : words.indefinitely)}</option>`,
    )
    .join('');
  return `<form class="pause" method="post" action="/portal/${escapeHtml(encodeURIComponent(session.id))}/action"><input type="hidden" name="subscription" value="${escapeHtml(subscription.id)}"><input type="hidden" name="action" value="pause"><label for="${escapeHtml(selectId)}" class="muted">${escapeHtml(words.label)}</label> <select id="${escapeHtml(selectId)}" name="duration">${options}</select> <button class="secondary" type="submit">${escapeHtml(words.pause)}</button></form>`;
}

/** Pauses payment collection for the duration chosen on the page (`pause_collection[behavior]=void`, `resumes_at`). */
function pauseFromPortal(
  state: EmulatorState,
  configuration: Stripe.BillingPortal.Configuration,
  subscriptionId: string,
  choice: string,
  context: EventContext,
): { events: Stripe.Event[] } {
  const feature = configuration.features.subscription_pause;
  if (!feature.enabled) throw new StateConflictError('Pausing is turned off in the portal configuration.');
  const chosen = pauseChoices(feature.duration).find(({ value }) => value === choice);
  if (!chosen) throw new StateConflictError('Choose how long to pause for.');
  const resumesAt = chosen.option
    ? addInterval(nowSeconds(), chosen.option.interval, chosen.option.interval_count)
    : null;
  return setPauseCollection(state, subscriptionId, { behavior: 'void', resumes_at: resumesAt }, context);
}

/** The date line of a subscription in the portal. */
function whenLine(subscription: Stripe.Subscription, language: PageLanguage): string {
  const t = pageStrings(language);
  const date = (seconds: number) => formatDate(seconds, language);
  if (subscription.pause_collection && isLive(subscription))
    return pauseWords(language).paused(subscription.pause_collection.resumes_at);
  if (!isLive(subscription))
    return t.canceledOn(date(subscription.ended_at ?? subscription.canceled_at ?? subscription.created));
  if (subscription.cancel_at !== null) return t.endsOn(date(subscription.cancel_at));
  if (subscription.status === 'trialing' && subscription.trial_end !== null)
    return t.trialEnds(date(subscription.trial_end));
  return t.renews(date(currentPeriodEnd(subscription)));
}

function paymentMethodLine(state: EmulatorState, subscription: Stripe.Subscription): string {
  const id = subscription.default_payment_method;
  const paymentMethod = id ? state.paymentMethods.get(idOf(id)) : undefined;
  if (paymentMethod?.card) return `${paymentMethod.card.brand} •••• ${paymentMethod.card.last4}`;
  if (paymentMethod?.sepa_debit) return `SEPA Direct Debit •••• ${paymentMethod.sepa_debit.last4 ?? ''}`;
  return '';
}

function actionForm(
  session: Stripe.BillingPortal.Session,
  subscription: Stripe.Subscription,
  action: string,
  label: string,
  style = 'secondary',
): string {
  return `<form method="post" action="/portal/${escapeHtml(encodeURIComponent(session.id))}/action"><input type="hidden" name="subscription" value="${escapeHtml(subscription.id)}"><input type="hidden" name="action" value="${escapeHtml(action)}"><button class="${style}" type="submit">${escapeHtml(label)}</button></form>`;
}

function switchForm(
  state: EmulatorState,
  configuration: Stripe.BillingPortal.Configuration,
  session: Stripe.BillingPortal.Session,
  subscription: Stripe.Subscription,
  language: PageLanguage,
): string {
  const prices = portalPrices(state, configuration, subscription);
  if (prices.length === 0) return '';
  const t = pageStrings(language);
  const options = prices
    .map(
      (price) =>
        `<option value="${escapeHtml(price.id)}">${escapeHtml(`${productName(state, price)} · ${formatPrice(price, language)}`)}</option>`,
    )
    .join('');
  const selectId = `price-${subscription.id}`;
  return `<form class="switch" method="post" action="/portal/${escapeHtml(encodeURIComponent(session.id))}/action"><input type="hidden" name="subscription" value="${escapeHtml(subscription.id)}"><input type="hidden" name="action" value="switch"><label for="${escapeHtml(selectId)}" class="muted">${escapeHtml(t.newPlan)}</label> <select id="${escapeHtml(selectId)}" name="price">${options}</select> <button class="secondary" type="submit">${escapeHtml(t.switchPlan)}</button></form>`;
}

/** Address lines of the portal's shipping form (`shipping_<key>`), as in Checkout. */
const SHIPPING_INPUTS: ReadonlyArray<{
  key: keyof ShippingFields;
  label: keyof Pick<PageStrings, 'fullName' | 'countryCode' | 'postalCode' | 'state' | 'city' | 'line1' | 'line2'>;
  autocomplete: string;
}> = [
  { key: 'name', label: 'fullName', autocomplete: 'name' },
  { key: 'country', label: 'countryCode', autocomplete: 'country' },
  { key: 'postal_code', label: 'postalCode', autocomplete: 'postal-code' },
  { key: 'state', label: 'state', autocomplete: 'address-level1' },
  { key: 'city', label: 'city', autocomplete: 'address-level2' },
  { key: 'line1', label: 'line1', autocomplete: 'address-line1' },
  { key: 'line2', label: 'line2', autocomplete: 'address-line2' },
];

/**
 * The shipping address form, shown when the customer has one and the configuration lets customers change it
 * (Stripe.BillingPortal.Configuration features.customer_update.allowed_updates includes `shipping`).
 */
function shippingForm(
  session: Stripe.BillingPortal.Session,
  shipping: Stripe.Customer.Shipping,
  echoed: Partial<ShippingFields> | undefined,
  t: PageStrings,
): string {
  const current: Partial<ShippingFields> = echoed ?? {
    name: shipping.name ?? '',
    country: shipping.address?.country ?? '',
    postal_code: shipping.address?.postal_code ?? '',
    state: shipping.address?.state ?? '',
    city: shipping.address?.city ?? '',
    line1: shipping.address?.line1 ?? '',
    line2: shipping.address?.line2 ?? '',
  };
  const inputs = SHIPPING_INPUTS.map(
    ({ key, label, autocomplete }) => `<label for="shipping_${key}">${escapeHtml(t[label])}</label>
    <input id="shipping_${key}" name="shipping_${key}" autocomplete="shipping ${autocomplete}" value="${escapeHtml(current[key] ?? '')}"${key === 'line2' ? '' : ' required'}>`,
  ).join('\n    ');
  return `<section id="shipping" aria-labelledby="shipping-title" class="card" style="margin-top:24px" data-testid="portal-shipping">
  <h2 id="shipping-title" style="margin-top:0">${escapeHtml(t.shippingAddress)}</h2>
  <form method="post" action="/portal/${escapeHtml(encodeURIComponent(session.id))}/shipping" novalidate>
    ${inputs}
    <button type="submit">${escapeHtml(t.saveShippingAddress)}</button>
  </form>
</section>`;
}

function renderPortal(
  state: EmulatorState,
  session: Stripe.BillingPortal.Session,
  language: PageLanguage,
  options: {
    notice?: string | null;
    error?: string | null;
    showCardForm?: boolean;
    shippingFields?: Partial<ShippingFields>;
  },
): string {
  const t = pageStrings(language);
  const configuration = configurationOf(state, session);
  const { subscription_cancel: cancel, payment_method_update: paymentMethodUpdate } = configuration.features;
  // Stripe.BillingPortal.Configuration.Features.SubscriptionCancel.mode: "cancel subscriptions immediately or at the end
  // of the billing period"; the emulator's test controls cancel now when the portal does not.
  const cancelsNow = cancel.enabled && cancel.mode === 'immediately';
  const customer = state.customers.get(session.customer);
  const flow = session.flow?.type ?? null;
  const focusId = flow === 'subscription_update' ? (session.flow?.subscription_update?.subscription ?? null) : null;
  const base = `/portal/${escapeHtml(encodeURIComponent(session.id))}`;
  const plan = (price: Stripe.Price) => `${productName(state, price)} · ${formatPrice(price, language)}`;
  const rows = subscriptionsOf(state, session.customer)
    .map((sub) => {
      const item = sub.items.data[0];
      const live = isLive(sub);
      const changeable = CHANGEABLE_STATUSES.includes(sub.status);
      const renewing = RENEWING_STATUSES.includes(sub.status);
      const actions = [
        changeable && !sub.cancel_at_period_end && cancel.enabled && !cancelsNow
          ? actionForm(session, sub, 'cancel_at_period_end', t.cancelAtPeriodEnd)
          : '',
        changeable && sub.cancel_at_period_end ? actionForm(session, sub, 'resume', t.resumeSubscription) : '',
        live && cancelsNow ? actionForm(session, sub, 'cancel_now', t.cancelSubscription, 'danger') : '',
        changeable && sub.id !== focusId ? switchForm(state, configuration, session, sub, language) : '',
        pauseForm(configuration, session, sub, language),
      ].join('');
      const demo = [
        live && !cancelsNow ? actionForm(session, sub, 'cancel_now', t.cancelSubscription, 'danger') : '',
        renewing ? actionForm(session, sub, 'renew', t.renewNow) : '',
        renewing ? actionForm(session, sub, 'fail_renewal', t.failNextRenewal) : '',
        sub.status === 'trialing' ? actionForm(session, sub, 'end_trial', t.endTrial) : '',
        latestPaidCharge(state, sub.id)?.refunded === false
          ? actionForm(session, sub, 'refund_last_payment', t.refundLastPayment)
          : '',
      ].join('');
      return `<li data-testid="portal-subscription" data-subscription-id="${escapeHtml(sub.id)}">
  <span class="plan">${escapeHtml(item ? productName(state, item.price) : sub.id)}</span>
  <span>${escapeHtml(item ? formatPrice(item.price, language) : '')}</span>
  <span class="status status-${escapeHtml(sub.status)}" data-status="${escapeHtml(sub.status)}" data-testid="portal-subscription-status">${escapeHtml(t.status(sub.status))}</span>
  <span class="muted">${escapeHtml(whenLine(sub, language))}</span>
  <span class="muted">${escapeHtml(paymentMethodLine(state, sub))}</span>
  ${actions ? `<div class="actions">${actions}</div>` : ''}
  ${demo ? `<fieldset class="demo"><legend>${escapeHtml(t.testControls)}</legend><div class="actions">${demo}</div></fieldset>` : ''}
</li>`;
    })
    .join('\n');
  const focus = focusId ? state.subscriptions.get(focusId) : undefined;
  const focusItem = focus?.items.data[0];
  const updateSection =
    focus && isLive(focus)
      ? `<section class="card" style="margin-top:24px" aria-labelledby="update-title"><h2 id="update-title" style="margin-top:0">${escapeHtml(t.updateYourPlan)}</h2>
  <p class="muted">${escapeHtml(focusItem ? t.currentPlan(plan(focusItem.price)) : '')}</p>
  ${switchForm(state, configuration, session, focus, language) || `<p class="muted">${escapeHtml(t.noOtherPlan)}</p>`}</section>`
      : '';
  const showCardForm =
    customer !== undefined && paymentMethodUpdate.enabled && (options.showCardForm || flow === 'payment_method_update');
  const cardButton =
    customer && paymentMethodUpdate.enabled && !showCardForm
      ? `<form method="get" action="${base}" style="margin-top:16px"><input type="hidden" name="show" value="payment_method"><button class="secondary" type="submit">${escapeHtml(t.updatePaymentMethod)}</button></form>`
      : '';
  const cardSection = showCardForm
    ? `<section id="payment-method" aria-labelledby="payment-method-title" class="card" style="margin-top:24px">
  <h2 id="payment-method-title" style="margin-top:0">${escapeHtml(t.updatePaymentMethod)}</h2>
  <form method="post" action="${base}/payment-method" novalidate>
    ${cardFields(t)}
    <button type="submit">${escapeHtml(t.savePaymentMethod)}</button>
  </form>
</section>`
    : '';
  const shippingSection =
    customer?.shipping && allowsShippingUpdate(configuration)
      ? shippingForm(session, customer.shipping, options.shippingFields, t)
      : '';
  const returnLink = session.return_url
    ? `<a class="back" href="${escapeHtml(session.return_url)}">${escapeHtml(t.returnToShop)}</a>`
    : '';
  // Stripe.BillingPortal.Configuration.BusinessProfile: "The messaging shown to customers in the portal" and the links
  const profile = configuration.business_profile;
  const headline = profile.headline ? `<p data-testid="portal-headline">${escapeHtml(profile.headline)}</p>` : '';
  const policyLinks = [
    profile.terms_of_service_url
      ? `<a href="${escapeHtml(profile.terms_of_service_url)}">${escapeHtml(t.termsOfService)}</a>`
      : '',
    profile.privacy_policy_url
      ? `<a href="${escapeHtml(profile.privacy_policy_url)}">${escapeHtml(t.privacyPolicy)}</a>`
      : '',
  ]
    .filter(Boolean)
    .join(' · ');
  const content = `<main class="wrap portal">
${returnLink}
<div class="card">
  ${options.notice ? `<p class="notice" role="status">${escapeHtml(options.notice)}</p>` : ''}
  ${options.error ? `<p class="error" role="alert">${escapeHtml(options.error)}</p>` : ''}
  <h1>${escapeHtml(t.portalTitle)}</h1>
  ${headline}
  <p class="muted"><span data-testid="portal-email">${escapeHtml(customer?.email ?? t.noEmail)}</span> · <code data-testid="portal-customer">${escapeHtml(session.customer)}</code></p>
  <h2>${escapeHtml(t.subscriptions)}</h2>
  ${rows ? `<ul class="subs">${rows}</ul>` : `<p class="muted" data-testid="portal-no-subscriptions">${escapeHtml(t.noSubscriptions)}</p>`}
  ${cardButton}
</div>
${updateSection}
${cardSection}
${shippingSection}
${policyLinks ? `<p class="muted" data-testid="portal-policies">${policyLinks}</p>` : ''}
</main>`;
  return layout(t.portalTitle, content, language);
}

/** The page's language: the portal session's `locale`, or the browser's for `auto` (Stripe.BillingPortal.Session.locale). */
function languageOf(ctx: PageContext, session: Stripe.BillingPortal.Session | undefined): PageLanguage {
  return pageLanguage(session?.locale, ctx.acceptLanguage);
}

function portalNotFound(ctx: PageContext): PageResult {
  const language = languageOf(ctx, undefined);
  return messagePage(404, pageStrings(language).portalNotFound, language);
}

/** Where to go after a portal action: the flow's redirect when it asks for one, else back to the portal. */
function afterAction(session: Stripe.BillingPortal.Session, notice: string, events: Stripe.Event[]): PageResult {
  const after = session.flow?.after_completion;
  if (after?.type === 'redirect' && after.redirect) return redirect(after.redirect.return_url, events);
  return redirect(`/portal/${encodeURIComponent(session.id)}?notice=${encodeURIComponent(notice)}`, events);
}

/** GET /portal/:id (`?notice=…` shows a confirmation, `?show=payment_method` opens the card form). */
export function portalPage(ctx: PageContext, id: string, query: URLSearchParams): PageResult {
  const session = ctx.state.portalSessions.get(id);
  if (!session) return portalNotFound(ctx);
  const language = languageOf(ctx, session);
  const t = pageStrings(language);
  if (!ctx.state.customers.has(session.customer)) return messagePage(410, t.customerDeleted, language);
  return html(
    200,
    renderPortal(ctx.state, session, language, {
      notice: t.notices[query.get('notice') ?? ''] ?? null,
      showCardForm: query.get('show') === 'payment_method',
    }),
  );
}

/** POST /portal/:id/action: one subscription action (portal features and the emulator's test controls). */
export function portalAction(ctx: PageContext, id: string, form: URLSearchParams): PageResult {
  const session = ctx.state.portalSessions.get(id);
  if (!session) return portalNotFound(ctx);
  const language = languageOf(ctx, session);
  const t = pageStrings(language);
  const subscriptionId = form.get('subscription') ?? '';
  const action = form.get('action') ?? '';
  const subscription = ctx.state.subscriptions.get(subscriptionId);
  const refuse = (message: string) => html(400, renderPortal(ctx.state, session, language, { error: message }));
  if (!subscription || subscription.customer !== session.customer) return refuse(t.notYours);
  const context = pageEvents(ctx.pendingWebhooks);
  const configuration = configurationOf(ctx.state, session);
  const cancel = configuration.features.subscription_cancel;
  const run: Record<string, () => { events: Stripe.Event[] }> = {
    cancel_at_period_end: () => cancelAtPeriodEnd(ctx.state, subscriptionId, context),
    resume: () => resumeSubscription(ctx.state, subscriptionId, context),
    cancel_now: () => cancelNow(ctx.state, subscriptionId, context),
    switch: () => switchPlan(ctx.state, configuration, subscriptionId, form.get('price') ?? '', context),
    renew: () => renew(ctx.state, subscriptionId, context),
    fail_renewal: () => renew(ctx.state, subscriptionId, context, { fail: true }),
    end_trial: () => endTrial(ctx.state, subscriptionId, context),
    pause: () => pauseFromPortal(ctx.state, configuration, subscriptionId, form.get('duration') ?? '', context),
    resume_payments: () => setPauseCollection(ctx.state, subscriptionId, null, context),
    refund_last_payment: () => refundLatestPayment(ctx.state, subscriptionId, undefined, context),
  };
  const handler = run[action];
  if (!handler) return refuse(t.unknownAction);
  if (action === 'switch' && !allowsPlanSwitch(configuration)) return refuse(t.switchingOff);
  if (action === 'cancel_at_period_end' && (!cancel.enabled || cancel.mode === 'immediately'))
    return refuse(t.cancellationOff);
  try {
    return afterAction(session, action, handler().events);
  } catch (error) {
    // The lifecycle's refusals (a subscription in the wrong state) are the emulator's, in English.
    if (error instanceof StateConflictError) return refuse(error.message);
    throw error;
  }
}

/** POST /portal/:id/payment-method: the card form (declines with the test cards). */
export function portalPaymentMethod(ctx: PageContext, id: string, form: URLSearchParams): PageResult {
  const session = ctx.state.portalSessions.get(id);
  if (!session) return portalNotFound(ctx);
  const language = languageOf(ctx, session);
  if (!configurationOf(ctx.state, session).features.payment_method_update.enabled)
    return html(
      400,
      renderPortal(ctx.state, session, language, { error: pageStrings(language).paymentMethodUpdatesOff }),
    );
  try {
    const card = { card: form.get('card') ?? '', exp: form.get('exp') ?? '', cvc: form.get('cvc') ?? '' };
    const { events } = updateCard(ctx.state, session.customer, card, pageEvents(ctx.pendingWebhooks));
    return afterAction(session, 'payment_method', events);
  } catch (error) {
    if (error instanceof CardRefusedError)
      return html(
        error.status,
        renderPortal(ctx.state, session, language, {
          error: problemMessage(error.problem, language),
          showCardForm: true,
        }),
      );
    if (error instanceof StateConflictError)
      return html(400, renderPortal(ctx.state, session, language, { error: error.message }));
    throw error;
  }
}

/** POST /portal/:id/shipping: the shipping address form; saves `customer.shipping` (customer.updated). */
export function portalShipping(ctx: PageContext, id: string, form: URLSearchParams): PageResult {
  const session = ctx.state.portalSessions.get(id);
  if (!session) return portalNotFound(ctx);
  const language = languageOf(ctx, session);
  const t = pageStrings(language);
  const customer = ctx.state.customers.get(session.customer);
  if (!customer) return messagePage(410, t.customerDeleted, language);
  const fields: ShippingFields = {
    name: form.get('shipping_name') ?? '',
    country: (form.get('shipping_country') ?? '').trim().toUpperCase(),
    postal_code: form.get('shipping_postal_code') ?? '',
    state: form.get('shipping_state') ?? '',
    city: form.get('shipping_city') ?? '',
    line1: form.get('shipping_line1') ?? '',
    line2: form.get('shipping_line2') ?? '',
  };
  const refuse = (message: string) =>
    html(400, renderPortal(ctx.state, session, language, { error: message, shippingFields: fields }));
  if (!customer.shipping) return refuse(t.noShippingAddress);
  if (!allowsShippingUpdate(configurationOf(ctx.state, session))) return refuse(t.shippingUpdatesOff);
  const checked = checkShippingFields(fields, isShippableCountry(fields.country) ? [fields.country] : []);
  if ('problem' in checked) return refuse(problemMessage(checked.problem, language));
  const { events } = updateShipping(ctx.state, customer.id, checked, pageEvents(ctx.pendingWebhooks));
  return afterAction(session, 'shipping', events);
}
