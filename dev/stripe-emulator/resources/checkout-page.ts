/**
 * The hosted Checkout page (GET/POST /checkout/:id): the order, the e-mail (locked when the
 * session fixes one), a promotion-code field, and a card or SEPA debit form with Stripe's test
 * numbers. Paying runs checkout-sessions.ts `completeCheckoutSession`.
 */
import type Stripe from 'stripe';
import { StateConflictError } from '../errors.ts';
import {
  CARD_FIELDS,
  customTextHtml,
  escapeHtml,
  html,
  layout,
  messagePage,
  redirect,
  type PageContext,
  type PageResult,
} from '../html.ts';
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
const ADDRESS_INPUTS: ReadonlyArray<{ key: keyof ShippingFields; label: string; autocomplete: string }> = [
  { key: 'postal_code', label: 'Postal code', autocomplete: 'postal-code' },
  { key: 'state', label: 'State / Prefecture', autocomplete: 'address-level1' },
  { key: 'city', label: 'City', autocomplete: 'address-level2' },
  { key: 'line1', label: 'Address line 1', autocomplete: 'address-line1' },
  { key: 'line2', label: 'Address line 2 (optional)', autocomplete: 'address-line2' },
];

function shippingSection(session: Stripe.Checkout.Session, form: CheckoutFormState): string {
  const collection = session.shipping_address_collection;
  if (!collection) return '';
  const values = form.shipping ?? {};
  const message = session.custom_text.shipping_address?.message;
  const selected = values.country ?? collection.allowed_countries[0];
  const options = collection.allowed_countries
    .map(
      (country) =>
        `<option value="${escapeHtml(country)}"${country === selected ? ' selected' : ''}>${escapeHtml(country)}</option>`,
    )
    .join('');
  const inputs = ADDRESS_INPUTS.map(
    ({ key, label, autocomplete }) => `<label for="shipping_${key}">${escapeHtml(label)}</label>
    <input id="shipping_${key}" name="shipping_${key}" autocomplete="shipping ${autocomplete}" value="${escapeHtml(values[key] ?? '')}"${key === 'line2' ? '' : ' required'}>`,
  ).join('\n    ');
  return `<fieldset data-testid="checkout-shipping">
      <legend>Shipping address</legend>
      ${message ? `<p class="hint" data-testid="checkout-shipping-message">${escapeHtml(message)}</p>` : ''}
      <label for="shipping_name">Full name</label>
      <input id="shipping_name" name="shipping_name" autocomplete="shipping name" value="${escapeHtml(values.name ?? '')}" required>
      <label for="shipping_country">Country or region</label>
      <select id="shipping_country" name="shipping_country" autocomplete="shipping country">${options}</select>
      ${inputs}
    </fieldset>`;
}

function phoneSection(session: Stripe.Checkout.Session, form: CheckoutFormState): string {
  if (!session.phone_number_collection?.enabled) return '';
  return `<label for="phone">Phone number</label>
    <input id="phone" name="phone" type="tel" autocomplete="tel" value="${escapeHtml(form.phone ?? '')}" required>`;
}

function termsSection(state: EmulatorState, session: Stripe.Checkout.Session, form: CheckoutFormState): string {
  if (session.consent_collection?.terms_of_service !== 'required') return '';
  const custom = session.custom_text.terms_of_service_acceptance?.message;
  const url = state.account.termsOfServiceUrl ?? '';
  // Stripe.Checkout.Session.CustomText.terms_of_service_acceptance: "displayed in place of the default terms of service agreement text"
  const text = custom
    ? customTextHtml(custom)
    : `I agree to the <a href="${escapeHtml(url)}" target="_blank" rel="noopener">Terms of Service</a>`;
  return `<label class="choice" data-testid="checkout-terms"><input type="checkbox" name="terms" value="accepted" required${form.acceptTerms ? ' checked' : ''}> <span>${text}</span></label>`;
}

function renderCheckout(state: EmulatorState, session: Stripe.Checkout.Session, form: CheckoutFormState): string {
  const items = state.checkoutLineItems.get(session.id) ?? [];
  const first = items[0]?.price ?? null;
  const currency = session.currency ?? first?.currency ?? 'jpy';
  const trialDays = state.checkoutSubscriptionData.get(session.id)?.trialPeriodDays ?? null;
  const heading = first ? `Subscribe to ${productName(state, first)}` : 'Subscribe';
  const itemRows = items
    .map((item) => {
      const price = item.price;
      const product = price ? state.products.get(idOf(price.product)) : undefined;
      const image = product?.images[0];
      return `<div class="item">
  ${image ? `<img src="${escapeHtml(image)}" alt="">` : ''}
  <div class="text"><div class="name">${escapeHtml(product?.name ?? item.description ?? 'Item')}</div>
  <div class="desc">${escapeHtml(product?.description ?? '')}</div>
  <div class="desc">${item.quantity === null ? 'Billed by usage' : `Qty ${escapeHtml(item.quantity)}`} · billed ${escapeHtml(price ? formatInterval(price.recurring) : '')}</div></div>
  <div class="price">${escapeHtml(price ? formatPrice(price) : money(item.amount_total, item.currency))}</div>
</div>`;
    })
    .join('\n');
  const trial =
    trialDays === null ? '' : `<p class="notice" data-testid="checkout-trial">${escapeHtml(trialDays)} days free</p>`;
  const discount = session.total_details?.amount_discount
    ? `<div class="total"><span>Discount</span><span>−${escapeHtml(money(session.total_details.amount_discount, currency))}</span></div>`
    : '';
  const locked = lockedEmail(state, session);
  const email = locked ?? form.email ?? '';
  const error = form.error ? `<p class="error" role="alert" id="form-error">${escapeHtml(form.error)}</p>` : '';
  const bank = form.method === 'bank';
  const promotion = session.allow_promotion_codes
    ? `<label for="promotion_code">Promotion code</label>
    <input id="promotion_code" name="promotion_code" autocomplete="off" value="${escapeHtml(form.promotionCode ?? '')}">`
    : '';
  const due = session.amount_total ?? 0;
  const content = `<main class="wrap checkout">
<section class="summary" aria-label="Order summary">
  ${session.cancel_url ? `<a class="back" href="${escapeHtml(session.cancel_url)}">← Back</a>` : ''}
  <h1>${escapeHtml(heading)}</h1>
  ${trial}
  <p class="amount" data-testid="checkout-amount">${escapeHtml(money(due, currency))}<small>${escapeHtml(trialDays === null && first ? formatInterval(first.recurring) : 'due today')}</small></p>
  ${itemRows}
  ${discount}
  <div class="total"><span>Total due today</span><span>${escapeHtml(money(due, currency))}</span></div>
</section>
<section class="card" aria-label="Payment">
  <form method="post" action="/checkout/${escapeHtml(encodeURIComponent(session.id))}" novalidate>
    <label for="email">E-mail</label>
    <input id="email" name="email" type="email" autocomplete="email" value="${escapeHtml(email)}" required${locked ? ' readonly' : ''}>
    ${phoneSection(session, form)}
    ${shippingSection(session, form)}
    ${promotion}
    <fieldset>
      <legend>Payment method</legend>
      <label class="choice"><input type="radio" name="method" value="card"${bank ? '' : ' checked'}> Card</label>
      <label class="choice"><input type="radio" name="method" value="bank"${bank ? ' checked' : ''}> Bank debit (SEPA Direct Debit, test)</label>
    </fieldset>
    <fieldset>
      <legend>Card information</legend>
      ${CARD_FIELDS}
    </fieldset>
    <fieldset>
      <legend>Bank account</legend>
      <label for="iban">IBAN</label>
      <input id="iban" name="iban" autocomplete="off" placeholder="DE00 0000 0000 0000 0000 00">
    </fieldset>
    ${termsSection(state, session, form)}
    ${error}
    ${session.custom_text.submit ? `<p class="hint" data-testid="checkout-submit-message">${customTextHtml(session.custom_text.submit.message)}</p>` : ''}
    <button type="submit">${due > 0 ? 'Pay and subscribe' : 'Subscribe'}</button>
  </form>
  <p class="hint">Test cards: <code>4242 4242 4242 4242</code> succeeds, <code>4000 0000 0000 0002</code> is declined. Test IBANs (settle later): <code>${SUCCEEDING_IBAN}</code> succeeds, <code>${FAILING_IBAN}</code> fails.${session.allow_promotion_codes ? ' Promotion code <code>FREE100</code>: 100% off.' : ''}</p>
</section>
</main>`;
  return layout(heading, content, session.locale === 'ja' ? 'ja' : 'en');
}

function notOpenPage(session: Stripe.Checkout.Session, status: number): PageResult {
  const complete = session.status === 'complete';
  return messagePage(
    status,
    complete ? 'Already paid' : 'Checkout expired',
    complete
      ? 'This checkout session is already complete.'
      : 'This checkout session has expired and can no longer be paid.',
    session.cancel_url ? { href: session.cancel_url, text: '← Return to the shop' } : undefined,
  );
}

function findCheckout(state: EmulatorState, id: string): Stripe.Checkout.Session | undefined {
  const session = state.checkoutSessions.get(id);
  return session && refreshExpiry(session);
}

/** GET /checkout/:id */
export function checkoutPage(ctx: PageContext, id: string): PageResult {
  const session = findCheckout(ctx.state, id);
  if (!session) return messagePage(404, 'Checkout not found', 'There is no checkout session with this id.');
  if (session.status !== 'open') return notOpenPage(session, 200);
  return html(200, renderCheckout(ctx.state, session, {}));
}

/** What the Checkout form (or `completeCheckout`) submits. */
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
 * Pays an open session from the form's fields: checks the e-mail (a locked one wins), the promotion
 * code and the card or IBAN, then completes it. Answers the problem to show, or the completion.
 */
export function payCheckout(
  ctx: PageContext,
  session: Stripe.Checkout.Session,
  fields: CheckoutFields,
): { status: number; message: string } | ReturnType<typeof completeCheckoutSession> {
  const email = lockedEmail(ctx.state, session) ?? fields.email.trim();
  if (email === '') return { status: 400, message: 'Enter your e-mail address.' };
  if (!isEmail(email)) return { status: 400, message: 'Your e-mail address is invalid.' };
  const code = session.allow_promotion_codes ? (fields.promotionCode ?? '').trim() : '';
  const promotionCode = code === '' ? null : findPromotionCode(ctx.state, code);
  if (promotionCode === undefined) return { status: 400, message: 'This code is invalid.' };
  let shipping: ShippingInput | null = null;
  if (session.shipping_address_collection) {
    const checked = checkShippingFields(fields.shipping ?? {}, session.shipping_address_collection.allowed_countries);
    if ('message' in checked) return checked;
    shipping = checked;
  }
  let phone: string | null = null;
  if (session.phone_number_collection?.enabled) {
    phone = normalisePhone(fields.phone ?? '', shipping?.address.country ?? undefined);
    if (phone === null)
      return {
        status: 400,
        message: fields.phone?.trim() ? 'Your phone number is invalid.' : 'Enter your phone number.',
      };
  }
  const termsAccepted = fields.acceptTerms === true;
  if (session.consent_collection?.terms_of_service === 'required' && !termsAccepted)
    return { status: 400, message: 'Agree to the terms of service to continue.' };
  const instrument =
    fields.method === 'bank'
      ? checkIban(fields.iban ?? '')
      : checkCard({ card: fields.card ?? '', exp: fields.exp, cvc: fields.cvc });
  if (!('type' in instrument)) return instrument;
  return completeCheckoutSession(
    ctx.state,
    session.id,
    { email, instrument, promotionCode, shipping, phone, termsAccepted },
    pageEvents(ctx.pendingWebhooks),
  );
}

/** POST /checkout/:id: validates the form, then pays the session and redirects to success_url. */
export function submitCheckout(ctx: PageContext, id: string, form: URLSearchParams): PageResult {
  const session = findCheckout(ctx.state, id);
  if (!session) return messagePage(404, 'Checkout not found', 'There is no checkout session with this id.');
  if (session.status !== 'open') return notOpenPage(session, 409);
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
    if (error instanceof StateConflictError) return notOpenPage(session, 409);
    throw error;
  }
  if ('message' in result) {
    const again = {
      email: fields.email.trim(),
      method: fields.method,
      promotionCode: fields.promotionCode,
      shipping: fields.shipping,
      phone: fields.phone,
      acceptTerms: fields.acceptTerms,
      error: result.message,
    };
    return html(result.status, renderCheckout(ctx.state, session, again));
  }
  const target = (result.session.success_url ?? '/').split('{CHECKOUT_SESSION_ID}').join(result.session.id);
  return redirect(target, result.events);
}
