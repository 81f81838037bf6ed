/**
 * What the hosted pages share: the page result type, HTML escaping, the layout and its style,
 * message pages, redirects and the card fields. Each page lives with its resource.
 */
import type Stripe from 'stripe';
import { pageStrings, type PageLanguage, type PageStrings } from './i18n.ts';
import type { EmulatorState } from './state.ts';

/** What the hosted pages need. */
export interface PageContext {
  state: EmulatorState;
  /** 1 when a webhook endpoint is configured (copied into events), else 0. */
  pendingWebhooks: number;
  /** The browser's Accept-Language, which picks the language of sessions whose `locale` is `auto`; null for the test handle. */
  acceptLanguage: string | null;
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

/**
 * Custom text as Checkout renders it: escaped, with Markdown **bold** and [links](https://…)
 * ("You can bold text or insert a link using Markdown syntax", docs.stripe.com/payments/checkout/customization/policies)
 * and one line per line break.
 */
export function customTextHtml(message: string): string {
  return escapeHtml(message)
    .replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
    .replace(/\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)/g, '<a href="$2" target="_blank" rel="noopener">$1</a>')
    .replace(/\n/g, '<br>');
}

export function html(status: number, body: string, events: Stripe.Event[] = []): PageResult {
  return { status, headers: { ...HTML_HEADERS }, body, events };
}

/** 303 See Other: the browser follows with a GET, as after Stripe's own pages. */
export function redirect(location: string, events: Stripe.Event[] = []): PageResult {
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
.pay:has(input[name=method][value=bank]:checked) .method-card{display:none}
.pay:not(:has(input[name=method][value=bank]:checked)) .method-bank{display:none}
select{font:inherit;font-size:13px;padding:5px 8px;border:1px solid #cfd7df;border-radius:6px}
.switch{display:flex;flex-wrap:wrap;align-items:center;gap:6px;max-width:100%}
.switch select{max-width:100%}
.switch label{display:inline;margin:0}
.center{max-width:520px;margin:48px auto;text-align:center}
`;

/** A whole page in `language`, with the test-mode banner. */
export function layout(title: string, content: string, language: PageLanguage): string {
  const t = pageStrings(language);
  return `<!doctype html>
<html lang="${escapeHtml(language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} · Stripe emulator</title>
<style>${STYLE}</style>
</head>
<body>
<div class="banner"><span>${escapeHtml(t.testModeBadge)}</span>${escapeHtml(t.testModeBanner)}</div>
${content}
</body>
</html>
`;
}

/** A page with one title and one message (not found, already paid…), and a link back when there is one. */
export function messagePage(
  status: number,
  [title, message]: readonly [title: string, message: string],
  language: PageLanguage,
  link?: { href: string; text: string },
): PageResult {
  const linkHtml = link ? `<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.text)}</a></p>` : '';
  return html(
    status,
    layout(
      title,
      `<main class="wrap center"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>${linkHtml}</main>`,
      language,
    ),
  );
}

/** The card number, expiry and CVC inputs of Checkout and the portal. */
export function cardFields(t: PageStrings): string {
  return `<label for="card">${escapeHtml(t.cardNumber)}</label>
    <input id="card" name="card" inputmode="numeric" autocomplete="cc-number" placeholder="1234 1234 1234 1234">
    <div class="row">
      <div><label for="exp">${escapeHtml(t.expiry)}</label><input id="exp" name="exp" autocomplete="cc-exp" placeholder="MM / YY"></div>
      <div><label for="cvc">${escapeHtml(t.cvc)}</label><input id="cvc" name="cvc" inputmode="numeric" autocomplete="cc-csc" placeholder="CVC"></div>
    </div>`;
}
