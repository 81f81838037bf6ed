/**
 * The hosted pages: Checkout (/checkout/:id) and the customer portal (/portal/:id).
 * Handlers are pure: they return the page (or redirect) plus the events to deliver first.
 */
import type Stripe from 'stripe';
import { isEmail } from './api.ts';
import {
  completeCheckoutSession,
  currentPeriodEnd,
  ENDED_STATUSES,
  findPromotionCode,
  pageEventContext,
  productName,
  refreshExpiry,
  StateConflictError,
  subscriptionsOf,
} from './billing.ts';
import {
  cancelAtPeriodEnd,
  cancelNow,
  CardRefusedError,
  endTrial,
  renew,
  resumeSubscription,
  switchablePrices,
  switchPrice,
  updateCard,
} from './lifecycle.ts';
import { formatInterval, formatPrice, money } from './money.ts';
import { checkCard, checkIban, FAILING_IBAN, SUCCEEDING_IBAN } from './payment-methods.ts';
import { type EmulatorState, idOf } from './state.ts';

/** What the hosted pages need. */
export interface PageContext {
  state: EmulatorState;
  /** 1 when a webhook endpoint is configured (copied into events), else 0. */
  pendingWebhooks: number;
}

/** A page or a redirect; `events` must be delivered (first attempts awaited) before answering. */
export interface PageResult {
  status: number;
  headers: Record<string, string>;
  body: string;
  events: Stripe.Event[];
}

/** Escapes text for HTML content and quoted attribute values. */
function escapeHtml(value: unknown): string {
  return String(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const HTML_HEADERS = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } as const;

function html(status: number, body: string, events: Stripe.Event[] = []): PageResult {
  return { status, headers: { ...HTML_HEADERS }, body, events };
}

/** 303 See Other: the browser follows with a GET, as after Stripe's own pages. */
function redirect(location: string, events: Stripe.Event[] = []): PageResult {
  // Node refuses non-ASCII header values; the URL parser percent-encodes them.
  const safe = /^[\x21-\x7e]*$/.test(location) ? location : new URL(location).href;
  return { status: 303, headers: { location: safe, 'cache-control': 'no-store' }, body: '', events };
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Hiragino Sans","Noto Sans JP",sans-serif;color:#1a1f36;background:#f6f8fa}
a{color:#635bff}
.banner{background:#ffde92;color:#6b4a00;text-align:center;font-size:13px;font-weight:600;padding:6px 12px;letter-spacing:.02em}
.banner span{background:#ff9f1a;color:#fff;border-radius:4px;padding:1px 6px;margin-right:8px;font-size:11px;text-transform:uppercase}
.wrap{max-width:980px;margin:0 auto;padding:32px 20px 64px}
.checkout{display:grid;grid-template-columns:1fr 1fr;gap:48px;align-items:start}
@media (max-width:760px){.checkout{grid-template-columns:1fr;gap:24px}.item{flex-wrap:wrap}.item .price{width:100%;text-align:right}}
.back{display:inline-block;margin-bottom:24px;color:#4f566b;text-decoration:none;font-weight:500}
.back:hover{color:#1a1f36}
.summary h1{font-size:16px;color:#4f566b;font-weight:500;margin:0 0 4px}
.amount{font-size:36px;font-weight:700;letter-spacing:-.02em;margin:0}
.amount small{font-size:15px;font-weight:500;color:#4f566b;margin-left:6px}
.item{display:flex;gap:16px;align-items:center;margin-top:28px;padding-top:20px;border-top:1px solid #e3e8ee}
.item img{width:88px;height:66px;border-radius:8px;object-fit:cover;background:#e3e8ee}
.item .text{flex:1 1 160px;min-width:0}
.item .name{font-weight:600}
.item .desc{color:#697386;font-size:13px}
.item .price{margin-left:auto;font-weight:600;white-space:nowrap}
.total{display:flex;justify-content:space-between;margin-top:20px;padding-top:16px;border-top:1px solid #e3e8ee;font-weight:600}
.card{background:#fff;border-radius:12px;box-shadow:0 2px 6px rgba(50,50,93,.08),0 1px 2px rgba(0,0,0,.06);padding:28px}
label{display:block;font-size:13px;font-weight:500;color:#4f566b;margin:16px 0 6px}
input{width:100%;font:inherit;padding:10px 12px;border:1px solid #cfd7df;border-radius:6px;background:#fff;color:#1a1f36}
input:focus{outline:2px solid #a5a0ff;border-color:#635bff}
fieldset{border:0;padding:0;margin:24px 0 0}
legend{font-size:14px;font-weight:600;color:#1a1f36;padding:0}
fieldset label:first-of-type{margin-top:8px}
form > label:first-child{margin-top:0}
.row{display:grid;grid-template-columns:1fr 1fr;gap:12px}
button,.button{display:inline-block;width:100%;margin-top:24px;padding:12px 16px;font:inherit;font-weight:600;color:#fff;background:#635bff;border:0;border-radius:6px;cursor:pointer;text-align:center;text-decoration:none}
button:hover,.button:hover{background:#5147e5}
button.danger{background:#fff;color:#c0123c;border:1px solid #e6b8c3;width:auto;margin-top:0;padding:6px 12px;font-size:13px}
button.danger:hover{background:#fff5f7}
.error{color:#c0123c;background:#fff5f7;border:1px solid #f5c2cd;border-radius:6px;padding:10px 12px;margin:16px 0 0}
.notice{color:#0b6b3a;background:#effaf3;border:1px solid #b8e6c9;border-radius:6px;padding:10px 12px;margin:0 0 16px}
.hint{color:#697386;font-size:12px;margin-top:16px}
.hint code,code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px;background:#f1f3f7;border-radius:4px;padding:1px 4px}
.portal h1{font-size:22px;margin:0 0 4px}
.portal h2{font-size:16px;margin:28px 0 12px}
.muted{color:#697386}
.subs{list-style:none;padding:0;margin:0}
.subs li{display:flex;flex-wrap:wrap;align-items:center;gap:12px;padding:14px 0;border-top:1px solid #e3e8ee}
.subs .plan{font-weight:600}
.subs form{margin-left:auto}
.status{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;font-weight:600}
.status-active,.status-trialing{background:#d7f7c2;color:#05690d}
.status-past_due,.status-incomplete,.status-unpaid{background:#ffe7d9;color:#a1380b}
.status-canceled,.status-incomplete_expired{background:#ebeef1;color:#545969}
.actions{display:flex;flex-wrap:wrap;gap:8px;width:100%}
.actions form{margin:0}
button.secondary{background:#fff;color:#1a1f36;border:1px solid #cfd7df;width:auto;margin-top:0;padding:6px 12px;font-size:13px}
fieldset.demo{border:1px dashed #ff9f1a;border-radius:8px;padding:8px 12px;margin:4px 0 0;width:100%}
fieldset.demo legend{font-size:12px;color:#6b4a00;padding:0 4px}
.choice{display:flex;gap:8px;align-items:center;margin:8px 0 0;font-weight:500;color:#1a1f36}
.choice input{width:auto}
input[readonly]{background:#f1f3f7;color:#4f566b}
select{font:inherit;font-size:13px;padding:5px 8px;border:1px solid #cfd7df;border-radius:6px}
.switch{display:flex;flex-wrap:wrap;align-items:center;gap:6px;max-width:100%}
.switch select{max-width:100%}
.switch label{display:inline;margin:0}
.center{max-width:520px;margin:48px auto;text-align:center}
`;

function layout(title: string, content: string, lang = 'en'): string {
  return `<!doctype html>
<html lang="${escapeHtml(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} · Stripe emulator</title>
<style>${STYLE}</style>
</head>
<body>
<div class="banner"><span>Test mode</span>Stripe emulator (test mode): no real payment is made.</div>
${content}
</body>
</html>
`;
}

function messagePage(
  status: number,
  title: string,
  message: string,
  link?: { href: string; text: string },
): PageResult {
  const linkHtml = link ? `<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.text)}</a></p>` : '';
  return html(
    status,
    layout(
      title,
      `<main class="wrap center"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>${linkHtml}</main>`,
    ),
  );
}

function productOf(state: EmulatorState, price: Stripe.Price): Stripe.Product | undefined {
  return state.products.get(idOf(price.product));
}

const date = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 10);

const CARD_FIELDS = `<label for="card">Card number</label>
    <input id="card" name="card" inputmode="numeric" autocomplete="cc-number" placeholder="1234 1234 1234 1234">
    <div class="row">
      <div><label for="exp">Expiry</label><input id="exp" name="exp" autocomplete="cc-exp" placeholder="MM / YY"></div>
      <div><label for="cvc">CVC</label><input id="cvc" name="cvc" inputmode="numeric" autocomplete="cc-csc" placeholder="CVC"></div>
    </div>`;

// ---------------------------------------------------------------- Checkout

/** The e-mail a session fixes (`customer_email`, or its customer's e-mail): shown read-only, never replaced. */
function lockedEmail(state: EmulatorState, session: Stripe.Checkout.Session): string | null {
  if (session.customer_email) return session.customer_email;
  const customerId = session.customer === null ? null : idOf(session.customer);
  return customerId ? (state.customers.get(customerId)?.email ?? null) : null;
}

/** Values echoed back into the form after an error. */
interface CheckoutFormState {
  email?: string;
  method?: string;
  promotionCode?: string;
  error?: string;
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
      const product = price ? productOf(state, price) : undefined;
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
    ${error}
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
export interface CheckoutFields {
  email: string;
  method: 'card' | 'bank';
  card?: string;
  exp?: string;
  cvc?: string;
  iban?: string;
  promotionCode?: string;
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
  const instrument =
    fields.method === 'bank'
      ? checkIban(fields.iban ?? '')
      : checkCard({ card: fields.card ?? '', exp: fields.exp, cvc: fields.cvc });
  if (!('type' in instrument)) return instrument;
  return completeCheckoutSession(
    ctx.state,
    session.id,
    { email, instrument, promotionCode },
    pageEventContext(ctx.pendingWebhooks),
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
      error: result.message,
    };
    return html(result.status, renderCheckout(ctx.state, session, again));
  }
  const target = (result.session.success_url ?? '/').split('{CHECKOUT_SESSION_ID}').join(result.session.id);
  return redirect(target, result.events);
}

// ---------------------------------------------------------------- customer portal

const ACTION_NOTICES: Readonly<Record<string, string>> = {
  cancel_at_period_end: 'Your subscription will end at the end of the current period.',
  resume: 'Your subscription will continue.',
  cancel_now: 'Your subscription has been canceled.',
  switch: 'Your plan has been switched.',
  payment_method: 'Your payment method has been updated.',
  renew: 'Renewed (emulator test control).',
  fail_renewal: 'A failed renewal was run (emulator test control).',
  end_trial: 'The trial has ended (emulator test control).',
};

/** The date line of a subscription in the portal. */
function whenLine(subscription: Stripe.Subscription): string {
  if (ENDED_STATUSES.has(subscription.status))
    return `Canceled ${date(subscription.ended_at ?? subscription.canceled_at ?? subscription.created)}`;
  if (subscription.cancel_at !== null) return `Ends on ${date(subscription.cancel_at)}`;
  if (subscription.status === 'trialing' && subscription.trial_end !== null)
    return `Trial ends ${date(subscription.trial_end)}`;
  return `Renews ${date(currentPeriodEnd(subscription))}`;
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
  session: Stripe.BillingPortal.Session,
  subscription: Stripe.Subscription,
): string {
  const prices = state.portalConfiguration.subscriptionUpdate ? switchablePrices(state, subscription) : [];
  if (prices.length === 0) return '';
  const options = prices
    .map(
      (price) =>
        `<option value="${escapeHtml(price.id)}">${escapeHtml(`${productName(state, price)} · ${formatPrice(price)}`)}</option>`,
    )
    .join('');
  const selectId = `price-${subscription.id}`;
  return `<form class="switch" method="post" action="/portal/${escapeHtml(encodeURIComponent(session.id))}/action"><input type="hidden" name="subscription" value="${escapeHtml(subscription.id)}"><input type="hidden" name="action" value="switch"><label for="${escapeHtml(selectId)}" class="muted">New plan</label> <select id="${escapeHtml(selectId)}" name="price">${options}</select> <button class="secondary" type="submit">Switch plan</button></form>`;
}

function renderPortal(
  state: EmulatorState,
  session: Stripe.BillingPortal.Session,
  options: { notice?: string | null; error?: string | null; showCardForm?: boolean },
): string {
  const customer = state.customers.get(session.customer);
  const flow = session.flow?.type ?? null;
  const focusId = flow === 'subscription_update' ? (session.flow?.subscription_update?.subscription ?? null) : null;
  const base = `/portal/${escapeHtml(encodeURIComponent(session.id))}`;
  const rows = subscriptionsOf(state, session.customer)
    .map((sub) => {
      const item = sub.items.data[0];
      const live = !ENDED_STATUSES.has(sub.status);
      const changeable = ['active', 'trialing', 'past_due'].includes(sub.status);
      const actions = [
        changeable && !sub.cancel_at_period_end
          ? actionForm(session, sub, 'cancel_at_period_end', 'Cancel at period end')
          : '',
        changeable && sub.cancel_at_period_end ? actionForm(session, sub, 'resume', 'Resume subscription') : '',
        live ? actionForm(session, sub, 'cancel_now', 'Cancel subscription', 'danger') : '',
        changeable && sub.id !== focusId ? switchForm(state, session, sub) : '',
      ].join('');
      const demo = [
        sub.status === 'active' || sub.status === 'past_due' ? actionForm(session, sub, 'renew', 'Renew now') : '',
        sub.status === 'active' || sub.status === 'past_due'
          ? actionForm(session, sub, 'fail_renewal', 'Fail the next renewal')
          : '',
        sub.status === 'trialing' ? actionForm(session, sub, 'end_trial', 'End the trial') : '',
      ].join('');
      return `<li data-testid="portal-subscription" data-subscription-id="${escapeHtml(sub.id)}">
  <span class="plan">${escapeHtml(item ? productName(state, item.price) : sub.id)}</span>
  <span>${escapeHtml(item ? formatPrice(item.price) : '')}</span>
  <span class="status status-${escapeHtml(sub.status)}" data-testid="portal-subscription-status">${escapeHtml(sub.status)}</span>
  <span class="muted">${escapeHtml(whenLine(sub))}</span>
  <span class="muted">${escapeHtml(paymentMethodLine(state, sub))}</span>
  ${actions ? `<div class="actions">${actions}</div>` : ''}
  ${demo ? `<fieldset class="demo"><legend>Emulator test controls (not part of Stripe's portal)</legend><div class="actions">${demo}</div></fieldset>` : ''}
</li>`;
    })
    .join('\n');
  const focus = focusId ? state.subscriptions.get(focusId) : undefined;
  const updateSection =
    focus && !ENDED_STATUSES.has(focus.status)
      ? `<section class="card" style="margin-top:24px" aria-labelledby="update-title"><h2 id="update-title" style="margin-top:0">Update your plan</h2>
  <p class="muted">${escapeHtml(focus.items.data[0] ? `Current plan: ${productName(state, focus.items.data[0].price)} · ${formatPrice(focus.items.data[0].price)}` : '')}</p>
  ${switchForm(state, session, focus) || '<p class="muted">No other plan is available for this subscription.</p>'}</section>`
      : '';
  const showCardForm = customer !== undefined && (options.showCardForm || flow === 'payment_method_update');
  const cardButton =
    customer && !showCardForm
      ? `<form method="get" action="${base}" style="margin-top:16px"><input type="hidden" name="show" value="payment_method"><button class="secondary" type="submit">Update payment method</button></form>`
      : '';
  const cardSection = showCardForm
    ? `<section id="payment-method" aria-labelledby="payment-method-title" class="card" style="margin-top:24px">
  <h2 id="payment-method-title" style="margin-top:0">Update payment method</h2>
  <form method="post" action="${base}/payment-method" novalidate>
    ${CARD_FIELDS}
    <button type="submit">Save payment method</button>
  </form>
</section>`
    : '';
  const returnLink = session.return_url
    ? `<a class="back" href="${escapeHtml(session.return_url)}">← Return to the shop</a>`
    : '';
  const content = `<main class="wrap portal">
${returnLink}
<div class="card">
  ${options.notice ? `<p class="notice" role="status">${escapeHtml(options.notice)}</p>` : ''}
  ${options.error ? `<p class="error" role="alert">${escapeHtml(options.error)}</p>` : ''}
  <h1>Customer portal (emulator)</h1>
  <p class="muted"><span data-testid="portal-email">${escapeHtml(customer?.email ?? 'No e-mail on file')}</span> · <code data-testid="portal-customer">${escapeHtml(session.customer)}</code></p>
  <h2>Subscriptions</h2>
  ${rows ? `<ul class="subs">${rows}</ul>` : '<p class="muted" data-testid="portal-no-subscriptions">No subscriptions yet.</p>'}
  ${cardButton}
</div>
${updateSection}
${cardSection}
</main>`;
  return layout('Customer portal', content, session.locale === 'ja' ? 'ja' : 'en');
}

function portalNotFound(): PageResult {
  return messagePage(404, 'Portal session not found', 'There is no customer portal session with this id.');
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
  if (!session) return portalNotFound();
  if (!ctx.state.customers.has(session.customer))
    return messagePage(410, 'Customer deleted', 'This customer no longer exists.');
  return html(
    200,
    renderPortal(ctx.state, session, {
      notice: ACTION_NOTICES[query.get('notice') ?? ''] ?? null,
      showCardForm: query.get('show') === 'payment_method',
    }),
  );
}

/** POST /portal/:id/action: one subscription action (portal features and the emulator's test controls). */
export function portalAction(ctx: PageContext, id: string, form: URLSearchParams): PageResult {
  const session = ctx.state.portalSessions.get(id);
  if (!session) return portalNotFound();
  const subscriptionId = form.get('subscription') ?? '';
  const action = form.get('action') ?? '';
  const subscription = ctx.state.subscriptions.get(subscriptionId);
  const refuse = (message: string) => html(400, renderPortal(ctx.state, session, { error: message }));
  if (!subscription || subscription.customer !== session.customer)
    return refuse('That subscription does not belong to this customer.');
  const context = pageEventContext(ctx.pendingWebhooks);
  const run: Record<string, () => { events: Stripe.Event[] }> = {
    cancel_at_period_end: () => cancelAtPeriodEnd(ctx.state, subscriptionId, context),
    resume: () => resumeSubscription(ctx.state, subscriptionId, context),
    cancel_now: () => cancelNow(ctx.state, subscriptionId, context),
    switch: () => {
      if (!ctx.state.portalConfiguration.subscriptionUpdate)
        throw new StateConflictError('Switching plans is turned off in the portal configuration.');
      return switchPrice(ctx.state, subscriptionId, form.get('price') ?? '', context);
    },
    renew: () => renew(ctx.state, subscriptionId, context),
    fail_renewal: () => renew(ctx.state, subscriptionId, context, { fail: true }),
    end_trial: () => endTrial(ctx.state, subscriptionId, context),
  };
  const handler = run[action];
  if (!handler) return refuse('Unknown action.');
  try {
    return afterAction(session, action, handler().events);
  } catch (error) {
    if (error instanceof StateConflictError) return refuse(error.message);
    throw error;
  }
}

/** POST /portal/:id/payment-method: the card form (declines with the test cards). */
export function portalPaymentMethod(ctx: PageContext, id: string, form: URLSearchParams): PageResult {
  const session = ctx.state.portalSessions.get(id);
  if (!session) return portalNotFound();
  try {
    const card = { card: form.get('card') ?? '', exp: form.get('exp') ?? '', cvc: form.get('cvc') ?? '' };
    const { events } = updateCard(ctx.state, session.customer, card, pageEventContext(ctx.pendingWebhooks));
    return afterAction(session, 'payment_method', events);
  } catch (error) {
    if (error instanceof CardRefusedError)
      return html(error.status, renderPortal(ctx.state, session, { error: error.message, showCardForm: true }));
    if (error instanceof StateConflictError)
      return html(400, renderPortal(ctx.state, session, { error: error.message }));
    throw error;
  }
}

/** GET /: a short index for people who open the emulator in a browser. */
export function indexPage(state: EmulatorState, url: string): PageResult {
  const prices = [...state.prices.values()]
    .reverse()
    .filter((price) => price.active)
    .slice(0, 20)
    .map(
      (price) =>
        `<li>${escapeHtml(productName(state, price))} · ${escapeHtml(formatPrice(price))} · <code>${escapeHtml(price.id)}</code></li>`,
    )
    .join('');
  return html(
    200,
    layout(
      'Stripe emulator',
      `<main class="wrap"><div class="card"><h1>Stripe emulator</h1>
<p>A local fake of the Stripe API at <code>${escapeHtml(url)}/v1</code>, with hosted Checkout and customer-portal pages. Nothing leaves this machine.</p>
<h2>Active prices</h2><ul>${prices || '<li class="muted">none</li>'}</ul></div></main>`,
    ),
  );
}
