/**
 * The hosted pages: Checkout (/checkout/:id) and the customer portal (/portal/:id).
 * Handlers are pure: they return the page (or redirect) plus the events to deliver first.
 */
import type Stripe from 'stripe';
import {
  cancelSubscription,
  completeCheckoutSession,
  pageEventContext,
  refreshExpiry,
  StateConflictError,
  subscriptionsOf,
} from './billing.ts';
import { isEmail } from './api.ts';
import { formatAmount, formatInterval, formatPrice } from './money.ts';
import type { EmulatorState } from './state.ts';

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
export function escapeHtml(value: unknown): string {
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
.status-active{background:#d7f7c2;color:#05690d}
.status-canceled{background:#ebeef1;color:#545969}
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

function messagePage(status: number, title: string, message: string, link?: { href: string; text: string }): PageResult {
  const linkHtml = link ? `<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.text)}</a></p>` : '';
  return html(status, layout(title, `<main class="wrap center"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>${linkHtml}</main>`));
}

function productOf(state: EmulatorState, price: Stripe.Price): Stripe.Product | undefined {
  return state.products.get(typeof price.product === 'string' ? price.product : price.product.id);
}

// ---------------------------------------------------------------- Checkout

/** Values echoed back into the form after an error. */
interface CheckoutFormState {
  email?: string;
  error?: string;
}

function renderCheckout(state: EmulatorState, session: Stripe.Checkout.Session, form: CheckoutFormState): string {
  const items = state.checkoutLineItems.get(session.id) ?? [];
  const first = items[0]?.price ?? null;
  const firstProduct = first ? productOf(state, first) : undefined;
  const currency = session.currency ?? first?.currency ?? 'jpy';
  const total = session.amount_total ?? 0;
  const heading = firstProduct ? `Subscribe to ${firstProduct.name}` : 'Subscribe';
  const itemRows = items
    .map((item) => {
      const price = item.price;
      const product = price ? productOf(state, price) : undefined;
      const image = product?.images[0];
      return `<div class="item">
  ${image ? `<img src="${escapeHtml(image)}" alt="">` : ''}
  <div class="text"><div class="name">${escapeHtml(product?.name ?? item.description ?? 'Item')}</div>
  <div class="desc">${escapeHtml(product?.description ?? '')}</div>
  <div class="desc">Qty ${escapeHtml(item.quantity ?? 1)} · billed ${escapeHtml(price ? formatInterval(price.recurring) : '')}</div></div>
  <div class="price">${escapeHtml(price ? formatPrice(price) : formatAmount(item.amount_total, item.currency))}</div>
</div>`;
    })
    .join('\n');
  const customerId = typeof session.customer === 'string' ? session.customer : session.customer?.id;
  const email = form.email ?? session.customer_email ?? (customerId ? state.customers.get(customerId)?.email : null) ?? '';
  const error = form.error ? `<p class="error" role="alert" id="form-error">${escapeHtml(form.error)}</p>` : '';
  const interval = first ? formatInterval(first.recurring) : '';
  const content = `<main class="wrap checkout">
<section class="summary" aria-label="Order summary">
  <a class="back" href="${escapeHtml(session.cancel_url ?? '/')}">← Back</a>
  <h1>${escapeHtml(heading)}</h1>
  <p class="amount" data-testid="checkout-amount">${escapeHtml(formatAmount(total, currency))}<small>${escapeHtml(interval)}</small></p>
  ${itemRows}
  <div class="total"><span>Total due today</span><span>${escapeHtml(formatAmount(total, currency))}</span></div>
</section>
<section class="card" aria-label="Payment">
  <form method="post" action="/checkout/${escapeHtml(encodeURIComponent(session.id))}" novalidate>
    <label for="email">E-mail</label>
    <input id="email" name="email" type="email" autocomplete="email" value="${escapeHtml(email)}" required>
    <fieldset>
      <legend>Card information</legend>
      <label for="card">Card number</label>
      <input id="card" name="card" inputmode="numeric" autocomplete="cc-number" placeholder="1234 1234 1234 1234">
      <div class="row">
        <div><label for="exp">Expiry</label><input id="exp" name="exp" autocomplete="cc-exp" placeholder="MM / YY"></div>
        <div><label for="cvc">CVC</label><input id="cvc" name="cvc" inputmode="numeric" autocomplete="cc-csc" placeholder="CVC"></div>
      </div>
    </fieldset>
    ${error}
    <button type="submit">Pay and subscribe</button>
  </form>
  <p class="hint">Test cards: <code>4242 4242 4242 4242</code> succeeds, <code>4000 0000 0000 0002</code> is declined. Any future expiry and any CVC.</p>
</section>
</main>`;
  return layout(heading, content, session.locale === 'ja' ? 'ja' : 'en');
}

function notOpenPage(session: Stripe.Checkout.Session, status: number): PageResult {
  const complete = session.status === 'complete';
  return messagePage(
    status,
    complete ? 'Already paid' : 'Checkout expired',
    complete ? 'This checkout session is already complete.' : 'This checkout session has expired and can no longer be paid.',
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

/** Cards with a special outcome, like Stripe's test cards. */
const DECLINES: ReadonlyMap<string, string> = new Map([
  ['4000000000000002', 'Your card was declined.'],
  ['4000000000009987', 'Your card was declined.'],
  ['4000000000009995', 'Your card has insufficient funds.'],
  ['4000000000000069', 'Your card has expired.'],
  ['4000000000000127', "Your card's security code is incorrect."],
  ['4000000000000119', 'An error occurred while processing your card. Try again in a little bit.'],
]);

/** Luhn checksum, as every card number must pass. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** Checks the card fields; returns the error to show (status 400 for bad input, 402 for a decline) or null. */
export function cardProblem(fields: { card: string; exp: string; cvc: string }): { status: number; message: string } | null {
  const number = fields.card.replace(/[\s-]/g, '');
  if (!/^\d{12,19}$/.test(number) || !passesLuhn(number)) return { status: 400, message: 'Your card number is invalid.' };
  const exp = fields.exp.trim();
  if (exp !== '') {
    const match = /^(\d{1,2})\s*\/\s*(\d{2}|\d{4})$/.exec(exp);
    const month = Number(match?.[1]);
    if (!match || month < 1 || month > 12) return { status: 400, message: "Your card's expiration date is invalid." };
    const year = Number(match[2]) + (match[2]?.length === 2 ? 2000 : 0);
    const now = new Date();
    if (year < now.getUTCFullYear() || (year === now.getUTCFullYear() && month < now.getUTCMonth() + 1)) {
      return { status: 400, message: "Your card's expiration year is in the past." };
    }
  }
  const cvc = fields.cvc.trim();
  if (cvc !== '' && !/^\d{3,4}$/.test(cvc)) return { status: 400, message: "Your card's security code is invalid." };
  const decline = DECLINES.get(number);
  if (decline) return { status: 402, message: decline };
  return null;
}

/** POST /checkout/:id: validates the form, then pays the session and redirects to success_url. */
export function submitCheckout(ctx: PageContext, id: string, form: URLSearchParams): PageResult {
  const session = findCheckout(ctx.state, id);
  if (!session) return messagePage(404, 'Checkout not found', 'There is no checkout session with this id.');
  if (session.status !== 'open') return notOpenPage(session, 409);
  const email = (form.get('email') ?? '').trim();
  const again = (status: number, error: string) => html(status, renderCheckout(ctx.state, session, { email, error }));
  if (email === '') return again(400, 'Enter your e-mail address.');
  if (!isEmail(email)) return again(400, 'Your e-mail address is invalid.');
  const problem = cardProblem({ card: form.get('card') ?? '', exp: form.get('exp') ?? '', cvc: form.get('cvc') ?? '' });
  if (problem) return again(problem.status, problem.message);
  let completed;
  try {
    completed = completeCheckoutSession(ctx.state, id, { email }, pageEventContext(ctx.pendingWebhooks));
  } catch (error) {
    if (error instanceof StateConflictError) return notOpenPage(session, 409);
    throw error;
  }
  const target = (completed.session.success_url ?? '/').split('{CHECKOUT_SESSION_ID}').join(completed.session.id);
  return redirect(target, completed.events);
}

// ---------------------------------------------------------------- customer portal

function renderPortal(state: EmulatorState, session: Stripe.BillingPortal.Session, notice: string | null, error: string | null): string {
  const customer = state.customers.get(session.customer);
  const subscriptions = subscriptionsOf(state, session.customer);
  const action = (suffix: string) => `/portal/${escapeHtml(encodeURIComponent(session.id))}/${suffix}`;
  const rows = subscriptions
    .map((sub) => {
      const item = sub.items.data[0];
      const product = item ? productOf(state, item.price) : undefined;
      const canceled = sub.status === 'canceled';
      const cancelForm = canceled
        ? `<span class="muted">Canceled ${escapeHtml(new Date((sub.canceled_at ?? 0) * 1000).toISOString().slice(0, 10))}</span>`
        : `<form method="post" action="${action('cancel')}"><input type="hidden" name="subscription" value="${escapeHtml(sub.id)}"><button class="danger" type="submit">Cancel subscription</button></form>`;
      const renews = !canceled && item ? `<span class="muted">Renews ${escapeHtml(new Date(item.current_period_end * 1000).toISOString().slice(0, 10))}</span>` : '';
      return `<li data-testid="portal-subscription" data-subscription-id="${escapeHtml(sub.id)}">
  <span class="plan">${escapeHtml(product?.name ?? item?.price.nickname ?? sub.id)}</span>
  <span>${escapeHtml(item ? formatPrice(item.price) : '')}</span>
  <span class="status status-${canceled ? 'canceled' : 'active'}" data-testid="portal-subscription-status">${escapeHtml(sub.status)}</span>
  ${renews}
  ${cancelForm}
</li>`;
    })
    .join('\n');
  const flowType = session.flow?.type ?? null;
  const paymentSection =
    flowType === 'payment_method_update'
      ? `<section id="payment-method" aria-labelledby="payment-method-title" class="card" style="margin-top:24px">
  <h2 id="payment-method-title" style="margin-top:0">Update payment method</h2>
  <form method="post" action="${action('payment-method')}" novalidate>
    <label for="card">Card number</label>
    <input id="card" name="card" inputmode="numeric" autocomplete="cc-number" placeholder="1234 1234 1234 1234">
    <div class="row">
      <div><label for="exp">Expiry</label><input id="exp" name="exp" autocomplete="cc-exp" placeholder="MM / YY"></div>
      <div><label for="cvc">CVC</label><input id="cvc" name="cvc" inputmode="numeric" autocomplete="cc-csc" placeholder="CVC"></div>
    </div>
    <button type="submit">Save payment method</button>
  </form>
</section>`
      : '';
  const returnLink = session.return_url ? `<a class="back" href="${escapeHtml(session.return_url)}">← Return to the shop</a>` : '';
  const content = `<main class="wrap portal">
${returnLink}
<div class="card">
  ${notice ? `<p class="notice" role="status">${escapeHtml(notice)}</p>` : ''}
  ${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
  <h1>Customer portal (emulator)</h1>
  <p class="muted"><span data-testid="portal-email">${escapeHtml(customer?.email ?? 'No e-mail on file')}</span> · <code data-testid="portal-customer">${escapeHtml(session.customer)}</code></p>
  <h2>Subscriptions</h2>
  ${rows ? `<ul class="subs">${rows}</ul>` : '<p class="muted" data-testid="portal-no-subscriptions">No subscriptions yet.</p>'}
</div>
${paymentSection}
</main>`;
  return layout('Customer portal', content, session.locale === 'ja' ? 'ja' : 'en');
}

const NOTICES: Readonly<Record<string, string>> = {
  canceled: 'Your subscription has been canceled.',
  payment_method: 'Your payment method has been updated (simulated).',
};

function portalNotFound(): PageResult {
  return messagePage(404, 'Portal session not found', 'There is no customer portal session with this id.');
}

/** GET /portal/:id (`?notice=canceled|payment_method` shows a confirmation). */
export function portalPage(ctx: PageContext, id: string, query: URLSearchParams): PageResult {
  const session = ctx.state.portalSessions.get(id);
  if (!session) return portalNotFound();
  return html(200, renderPortal(ctx.state, session, NOTICES[query.get('notice') ?? ''] ?? null, null));
}

/** POST /portal/:id/cancel: cancels one of the customer's subscriptions, then back to the portal. */
export function cancelFromPortal(ctx: PageContext, id: string, form: URLSearchParams): PageResult {
  const session = ctx.state.portalSessions.get(id);
  if (!session) return portalNotFound();
  const subscriptionId = form.get('subscription') ?? '';
  const subscription = ctx.state.subscriptions.get(subscriptionId);
  if (!subscription || subscription.customer !== session.customer) {
    return html(400, renderPortal(ctx.state, session, null, 'That subscription does not belong to this customer.'));
  }
  const { events } = cancelSubscription(ctx.state, subscriptionId, pageEventContext(ctx.pendingWebhooks));
  return redirect(`/portal/${encodeURIComponent(id)}?notice=canceled`, events);
}

/** POST /portal/:id/payment-method: the simulated card update of the payment_method_update flow. */
export function updatePaymentMethod(ctx: PageContext, id: string, form: URLSearchParams): PageResult {
  const session = ctx.state.portalSessions.get(id);
  if (!session) return portalNotFound();
  const problem = cardProblem({ card: form.get('card') ?? '', exp: form.get('exp') ?? '', cvc: form.get('cvc') ?? '' });
  if (problem) return html(problem.status, renderPortal(ctx.state, session, null, problem.message));
  ctx.state.updatedPaymentMethods.add(id);
  return redirect(`/portal/${encodeURIComponent(id)}?notice=payment_method`);
}

/** GET /: a short index for people who open the emulator in a browser. */
export function indexPage(state: EmulatorState, url: string): PageResult {
  const prices = [...state.prices.values()]
    .reverse()
    .filter((price) => price.active)
    .slice(0, 20)
    .map((price) => `<li>${escapeHtml(productOf(state, price)?.name ?? price.product)} · ${escapeHtml(formatPrice(price))} · <code>${escapeHtml(price.id)}</code></li>`)
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
