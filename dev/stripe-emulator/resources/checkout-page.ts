/**
 * The hosted Checkout page (GET/POST /checkout/:id) in the session's language: the order, the e-mail
 * (locked when the session fixes one), a promotion-code field, and the payment methods of the session's
 * currency (a card; a SEPA debit too in EUR) with Stripe's test numbers. Paying runs checkout-sessions.ts
 * `completeCheckoutSession`.
 */
import type Stripe from 'stripe';
import { StateConflictError } from '../errors.ts';
import {
  cardFields,
  customTextHtml,
  escapeHtml,
  html,
  layout,
  messagePage,
  redirect,
  type PageContext,
  type PageResult,
} from '../html.ts';
import {
  countryName,
  pageLanguage,
  pageStrings,
  problemMessage,
  type PageLanguage,
  type PageStrings,
  type Problem,
} from '../i18n.ts';
import { formatInterval, formatPrice, money } from '../money.ts';
import { isEmail } from '../params.ts';
import { type EmulatorState, idOf, pageEvents } from '../state.ts';
import { completeCheckoutSession, findPromotionCode, refreshExpiry, type ShippingInput } from './checkout-sessions.ts';
import { checkCard, checkIban, FAILING_IBAN, SUCCEEDING_IBAN } from './payment-methods.ts';
import { checkShippingFields, type ShippingFields } from './customers.ts';
import { productName } from './prices.ts';

/** The e-mail a session fixes (`customer_email`, or its customer's e-mail): shown read-only, never replaced. */
export function lockedEmail(state: EmulatorState, session: Stripe.Checkout.Session): string | null {
  if (session.customer_email) return session.customer_email;
  const customerId = session.customer === null ? null : idOf(session.customer);
  return customerId ? (state.customers.get(customerId)?.email ?? null) : null;
}

/** The page's language: the session's `locale`, or the browser's for `auto`. */
function languageOf(ctx: PageContext, session: Stripe.Checkout.Session): PageLanguage {
  return pageLanguage(session.locale, ctx.acceptLanguage);
}

/** Values echoed back into the form after an error. */
interface CheckoutFormState {
  email?: string;
  method?: string;
  promotionCode?: string;
  shipping?: Partial<ShippingFields>;
  phone?: string;
  acceptTerms?: boolean;
  error?: string;
}

/** Address lines Checkout asks for, in the order a Japanese address is written (postal code first). */
const ADDRESS_INPUTS: ReadonlyArray<{
  key: keyof ShippingFields;
  label: keyof Pick<PageStrings, 'postalCode' | 'state' | 'city' | 'line1' | 'line2'>;
  autocomplete: string;
}> = [
  { key: 'postal_code', label: 'postalCode', autocomplete: 'postal-code' },
  { key: 'state', label: 'state', autocomplete: 'address-level1' },
  { key: 'city', label: 'city', autocomplete: 'address-level2' },
  { key: 'line1', label: 'line1', autocomplete: 'address-line1' },
  { key: 'line2', label: 'line2', autocomplete: 'address-line2' },
];

function shippingSection(session: Stripe.Checkout.Session, form: CheckoutFormState, language: PageLanguage): string {
  const collection = session.shipping_address_collection;
  if (!collection) return '';
  const t = pageStrings(language);
  const values = form.shipping ?? {};
  const message = session.custom_text.shipping_address?.message;
  const selected = values.country ?? collection.allowed_countries[0];
  const options = collection.allowed_countries
    .map(
      (country) =>
        `<option value="${escapeHtml(country)}"${country === selected ? ' selected' : ''}>${escapeHtml(countryName(country, language))}</option>`,
    )
    .join('');
  const inputs = ADDRESS_INPUTS.map(
    ({ key, label, autocomplete }) => `<label for="shipping_${key}">${escapeHtml(t[label])}</label>
    <input id="shipping_${key}" name="shipping_${key}" autocomplete="shipping ${autocomplete}" value="${escapeHtml(values[key] ?? '')}"${key === 'line2' ? '' : ' required'}>`,
  ).join('\n    ');
  return `<fieldset data-testid="checkout-shipping">
      <legend>${escapeHtml(t.shippingAddress)}</legend>
      ${message ? `<p class="hint" data-testid="checkout-shipping-message">${escapeHtml(message)}</p>` : ''}
      <label for="shipping_name">${escapeHtml(t.fullName)}</label>
      <input id="shipping_name" name="shipping_name" autocomplete="shipping name" value="${escapeHtml(values.name ?? '')}" required>
      <label for="shipping_country">${escapeHtml(t.country)}</label>
      <select id="shipping_country" name="shipping_country" autocomplete="shipping country">${options}</select>
      ${inputs}
    </fieldset>`;
}

function phoneSection(session: Stripe.Checkout.Session, form: CheckoutFormState, t: PageStrings): string {
  if (!session.phone_number_collection?.enabled) return '';
  return `<label for="phone">${escapeHtml(t.phone)}</label>
    <input id="phone" name="phone" type="tel" autocomplete="tel" value="${escapeHtml(form.phone ?? '')}" required>`;
}

function termsSection(
  state: EmulatorState,
  session: Stripe.Checkout.Session,
  form: CheckoutFormState,
  language: PageLanguage,
): string {
  if (session.consent_collection?.terms_of_service !== 'required') return '';
  const custom = session.custom_text.terms_of_service_acceptance?.message;
  const url = state.account.termsOfServiceUrl ?? '';
  const terms = language === 'ja' ? '利用規約' : 'Terms of Service';
  // Stripe.Checkout.Session.CustomText.terms_of_service_acceptance: "displayed in place of the default terms of service agreement text"
  const text = custom
    ? customTextHtml(custom)
    : pageStrings(language).agreeToTerms(
        `<a href="${escapeHtml(url)}" target="_blank" rel="noopener">${escapeHtml(terms)}</a>`,
      );
  return `<label class="choice" data-testid="checkout-terms"><input type="checkbox" name="terms" value="accepted" required${form.acceptTerms ? ' checked' : ''}> <span>${text}</span></label>`;
}

/**
 * The payment methods of the session (`payment_method_types`, by currency): the card fields alone, or a
 * choice between a card and a SEPA debit whose IBAN box shows only when chosen.
 */
function paymentSection(session: Stripe.Checkout.Session, form: CheckoutFormState, t: PageStrings): string {
  const card = `<fieldset class="method-card">
      <legend>${escapeHtml(t.cardInformation)}</legend>
      ${cardFields(t)}
    </fieldset>`;
  if (!session.payment_method_types.includes('sepa_debit')) return card;
  const bank = form.method === 'bank';
  return `<fieldset>
      <legend>${escapeHtml(t.paymentMethod)}</legend>
      <label class="choice"><input type="radio" name="method" value="card"${bank ? '' : ' checked'}> ${escapeHtml(t.card)}</label>
      <label class="choice"><input type="radio" name="method" value="bank"${bank ? ' checked' : ''}> ${escapeHtml(t.bankDebit)}</label>
    </fieldset>
    ${card}
    <fieldset class="method-bank">
      <legend>${escapeHtml(t.bankAccount)}</legend>
      <label for="iban">${escapeHtml(t.iban)}</label>
      <input id="iban" name="iban" autocomplete="off" placeholder="DE00 0000 0000 0000 0000 00">
    </fieldset>`;
}

function renderCheckout(
  state: EmulatorState,
  session: Stripe.Checkout.Session,
  form: CheckoutFormState,
  language: PageLanguage,
): string {
  const t = pageStrings(language);
  const items = state.checkoutLineItems.get(session.id) ?? [];
  const first = items[0]?.price ?? null;
  const currency = session.currency ?? first?.currency ?? 'jpy';
  const trialDays = state.checkoutSubscriptionData.get(session.id)?.trialPeriodDays ?? null;
  const heading = t.subscribeTo(first ? productName(state, first) : null);
  const itemRows = items
    .map((item) => {
      const price = item.price;
      const product = price ? state.products.get(idOf(price.product)) : undefined;
      const image = product?.images[0];
      const billing = `${item.quantity === null ? t.billedByUsage : t.quantity(item.quantity)} · ${t.billed(price ? formatInterval(price.recurring, language) : '')}`;
      return `<div class="item">
  ${image ? `<img src="${escapeHtml(image)}" alt="">` : ''}
  <div class="text"><div class="name">${escapeHtml(product?.name ?? item.description ?? '')}</div>
  <div class="desc">${escapeHtml(product?.description ?? '')}</div>
  <div class="desc">${escapeHtml(billing)}</div></div>
  <div class="price">${escapeHtml(price ? formatPrice(price, language) : money(item.amount_total, item.currency, language))}</div>
</div>`;
    })
    .join('\n');
  const trial =
    trialDays === null ? '' : `<p class="notice" data-testid="checkout-trial">${escapeHtml(t.daysFree(trialDays))}</p>`;
  const discount = session.total_details?.amount_discount
    ? `<div class="total"><span>${escapeHtml(t.discount)}</span><span>−${escapeHtml(money(session.total_details.amount_discount, currency, language))}</span></div>`
    : '';
  const locked = lockedEmail(state, session);
  const email = locked ?? form.email ?? '';
  const error = form.error ? `<p class="error" role="alert" id="form-error">${escapeHtml(form.error)}</p>` : '';
  const promotion = session.allow_promotion_codes
    ? `<label for="promotion_code">${escapeHtml(t.promotionCode)}</label>
    <input id="promotion_code" name="promotion_code" autocomplete="off" value="${escapeHtml(form.promotionCode ?? '')}">`
    : '';
  const due = session.amount_total ?? 0;
  const sepa = session.payment_method_types.includes('sepa_debit');
  const hints = [
    t.testCardsHint('<code>4242 4242 4242 4242</code>', '<code>4000 0000 0000 0002</code>'),
    sepa ? t.testIbansHint(`<code>${SUCCEEDING_IBAN}</code>`, `<code>${FAILING_IBAN}</code>`) : '',
    session.allow_promotion_codes ? t.promotionCodeHint('<code>FREE100</code>') : '',
  ].filter(Boolean);
  const content = `<main class="wrap checkout">
<section class="summary" aria-label="${escapeHtml(t.orderSummary)}">
  ${session.cancel_url ? `<a class="back" href="${escapeHtml(session.cancel_url)}">${escapeHtml(t.back)}</a>` : ''}
  <h1>${escapeHtml(heading)}</h1>
  ${trial}
  <p class="amount" data-testid="checkout-amount">${escapeHtml(money(due, currency, language))}<small>${escapeHtml(trialDays === null && first ? formatInterval(first.recurring, language) : t.dueToday)}</small></p>
  ${itemRows}
  ${discount}
  <div class="total"><span>${escapeHtml(t.totalDueToday)}</span><span>${escapeHtml(money(due, currency, language))}</span></div>
</section>
<section class="card" aria-label="${escapeHtml(t.payment)}">
  <form class="pay" method="post" action="/checkout/${escapeHtml(encodeURIComponent(session.id))}" novalidate>
    <label for="email">${escapeHtml(t.email)}</label>
    <input id="email" name="email" type="email" autocomplete="email" value="${escapeHtml(email)}" required${locked ? ' readonly' : ''}>
    ${phoneSection(session, form, t)}
    ${shippingSection(session, form, language)}
    ${promotion}
    ${paymentSection(session, form, t)}
    ${termsSection(state, session, form, language)}
    ${error}
    ${session.custom_text.submit ? `<p class="hint" data-testid="checkout-submit-message">${customTextHtml(session.custom_text.submit.message)}</p>` : ''}
    <button type="submit">${escapeHtml(t.subscribe)}</button>
  </form>
  <p class="hint">${hints.join(' ')}</p>
</section>
</main>`;
  return layout(heading, content, language);
}

function notOpenPage(session: Stripe.Checkout.Session, status: number, language: PageLanguage): PageResult {
  const t = pageStrings(language);
  return messagePage(
    status,
    session.status === 'complete' ? t.alreadyPaid : t.checkoutExpired,
    language,
    session.cancel_url ? { href: session.cancel_url, text: t.returnToShop } : undefined,
  );
}

function findCheckout(state: EmulatorState, id: string): Stripe.Checkout.Session | undefined {
  const session = state.checkoutSessions.get(id);
  return session && refreshExpiry(session);
}

/** A page for an id that names no session, in the browser's language. */
function checkoutNotFound(ctx: PageContext): PageResult {
  const language = pageLanguage(null, ctx.acceptLanguage);
  return messagePage(404, pageStrings(language).checkoutNotFound, language);
}

/** GET /checkout/:id */
export function checkoutPage(ctx: PageContext, id: string): PageResult {
  const session = findCheckout(ctx.state, id);
  if (!session) return checkoutNotFound(ctx);
  const language = languageOf(ctx, session);
  if (session.status !== 'open') return notOpenPage(session, 200, language);
  return html(200, renderCheckout(ctx.state, session, {}, language));
}

/** What the Checkout form (or `completeCheckout`) submits. */
export interface CheckoutFields {
  email: string;
  method: 'card' | 'bank';
  card?: string;
  exp?: string;
  cvc?: string;
  iban?: string;
  promotionCode?: string;
  shipping?: Partial<ShippingFields>;
  phone?: string;
  acceptTerms?: boolean;
}

/** A phone number in E.164 as Stripe stores it: `+` and digits; a Japanese national number (0…) becomes +81… (not confirmed). */
function normalisePhone(raw: string, country: string | undefined): string | null {
  const trimmed = raw.trim();
  const digits = trimmed.replace(/[\s().-]/g, '');
  if (/^\+[1-9]\d{5,14}$/.test(digits)) return digits;
  if ((country ?? 'JP') === 'JP' && /^0\d{9,10}$/.test(digits)) return `+81${digits.slice(1)}`;
  return null;
}

/**
 * The locale Checkout was shown in, for the customer it creates: the session's `locale`, or for `auto` the
 * browser's language (none when the test handle pays, without a browser).
 */
function displayedLocale(ctx: PageContext, session: Stripe.Checkout.Session): string | null {
  if (session.locale && session.locale !== 'auto') return session.locale;
  return ctx.acceptLanguage === null ? null : languageOf(ctx, session);
}

/**
 * Pays an open session from the form's fields: checks the e-mail (a locked one wins), the promotion
 * code and the card or IBAN (a SEPA debit only where the session offers one), then completes it.
 * Answers the problem to show, or the completion.
 */
export function payCheckout(
  ctx: PageContext,
  session: Stripe.Checkout.Session,
  fields: CheckoutFields,
): Problem | ReturnType<typeof completeCheckoutSession> {
  const email = lockedEmail(ctx.state, session) ?? fields.email.trim();
  if (email === '') return { status: 400, problem: 'email_missing' };
  if (!isEmail(email)) return { status: 400, problem: 'email_invalid' };
  const code = session.allow_promotion_codes ? (fields.promotionCode ?? '').trim() : '';
  const promotionCode = code === '' ? null : findPromotionCode(ctx.state, code);
  if (promotionCode === undefined) return { status: 400, problem: 'promotion_code_invalid' };
  let shipping: ShippingInput | null = null;
  if (session.shipping_address_collection) {
    const checked = checkShippingFields(fields.shipping ?? {}, session.shipping_address_collection.allowed_countries);
    if ('problem' in checked) return checked;
    shipping = checked;
  }
  let phone: string | null = null;
  if (session.phone_number_collection?.enabled) {
    phone = normalisePhone(fields.phone ?? '', shipping?.address.country ?? undefined);
    if (phone === null) return { status: 400, problem: fields.phone?.trim() ? 'phone_invalid' : 'phone_missing' };
  }
  const termsAccepted = fields.acceptTerms === true;
  if (session.consent_collection?.terms_of_service === 'required' && !termsAccepted)
    return { status: 400, problem: 'terms_required' };
  // Stripe.Checkout.Session.payment_method_types: what this session offers (a SEPA debit only in EUR).
  if (fields.method === 'bank' && !session.payment_method_types.includes('sepa_debit'))
    return { status: 400, problem: 'method_unavailable' };
  const instrument =
    fields.method === 'bank'
      ? checkIban(fields.iban ?? '')
      : checkCard({ card: fields.card ?? '', exp: fields.exp, cvc: fields.cvc });
  if (!('type' in instrument)) return instrument;
  return completeCheckoutSession(
    ctx.state,
    session.id,
    { email, instrument, promotionCode, shipping, phone, termsAccepted, locale: displayedLocale(ctx, session) },
    pageEvents(ctx.pendingWebhooks),
  );
}

/** POST /checkout/:id: validates the form, then pays the session and redirects to success_url. */
export function submitCheckout(ctx: PageContext, id: string, form: URLSearchParams): PageResult {
  const session = findCheckout(ctx.state, id);
  if (!session) return checkoutNotFound(ctx);
  const language = languageOf(ctx, session);
  if (session.status !== 'open') return notOpenPage(session, 409, language);
  const fields: CheckoutFields = {
    email: form.get('email') ?? '',
    method: form.get('method') === 'bank' ? 'bank' : 'card',
    card: form.get('card') ?? '',
    exp: form.get('exp') ?? '',
    cvc: form.get('cvc') ?? '',
    iban: form.get('iban') ?? '',
    promotionCode: form.get('promotion_code') ?? '',
    shipping: {
      name: form.get('shipping_name') ?? '',
      country: form.get('shipping_country') ?? '',
      postal_code: form.get('shipping_postal_code') ?? '',
      state: form.get('shipping_state') ?? '',
      city: form.get('shipping_city') ?? '',
      line1: form.get('shipping_line1') ?? '',
      line2: form.get('shipping_line2') ?? '',
    },
    phone: form.get('phone') ?? '',
    acceptTerms: form.get('terms') === 'accepted',
  };
  let result;
  try {
    result = payCheckout(ctx, session, fields);
  } catch (error) {
    if (error instanceof StateConflictError) return notOpenPage(session, 409, language);
    throw error;
  }
  if ('problem' in result) {
    const again = {
      email: fields.email.trim(),
      method: fields.method,
      promotionCode: fields.promotionCode,
      shipping: fields.shipping,
      phone: fields.phone,
      acceptTerms: fields.acceptTerms,
      error: problemMessage(result.problem, language),
    };
    return html(result.status, renderCheckout(ctx.state, session, again, language));
  }
  const target = (result.session.success_url ?? '/').split('{CHECKOUT_SESSION_ID}').join(result.session.id);
  return redirect(target, result.events);
}
