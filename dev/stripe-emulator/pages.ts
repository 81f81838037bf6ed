/**
 * The hosted pages' routes (everything outside /v1): health, a short index, product images,
 * Checkout (resources/checkout-page.ts) and the customer portal (resources/billing-portal.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Stripe from 'stripe';
import { escapeHtml, html, layout, type PageContext, type PageResult } from './html.ts';
import { IMAGE_HEADERS, productImage } from './images.ts';
import { formatPrice } from './money.ts';
import { portalAction, portalPage, portalPaymentMethod, portalShipping } from './resources/billing-portal.ts';
import { checkoutPage, submitCheckout } from './resources/checkout-page.ts';
import { productName } from './resources/prices.ts';
import type { EmulatorState } from './state.ts';
import { header, readBody, sendText } from './transport.ts';

export interface PagesOptions {
  /** The pages' view of the emulator, read per request (with the browser's Accept-Language). */
  context: (acceptLanguage: string | null) => PageContext;
  publicUrl: () => string;
  /** Delivers a page's events (first attempts awaited) before the browser is sent on, like Stripe. */
  deliver: (events: readonly Stripe.Event[]) => Promise<void>;
}

/** GET /: a short index for people who open the emulator in a browser. */
function indexPage(state: EmulatorState, url: string): PageResult {
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
      'en',
    ),
  );
}

/** decodeURIComponent that answers null instead of throwing on malformed escapes. */
function safeDecode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

type Form = () => Promise<URLSearchParams>;
type PageRoute = {
  method: 'GET' | 'POST';
  pattern: RegExp;
  page: (ctx: PageContext, id: string, url: URL, form: Form) => PageResult | Promise<PageResult>;
};

const PAGE_ROUTES: readonly PageRoute[] = [
  { method: 'GET', pattern: /^\/checkout\/([^/]+)$/, page: (ctx, id) => checkoutPage(ctx, id) },
  {
    method: 'POST',
    pattern: /^\/checkout\/([^/]+)$/,
    page: async (ctx, id, _, form) => submitCheckout(ctx, id, await form()),
  },
  { method: 'GET', pattern: /^\/portal\/([^/]+)$/, page: (ctx, id, url) => portalPage(ctx, id, url.searchParams) },
  {
    method: 'POST',
    pattern: /^\/portal\/([^/]+)\/action$/,
    page: async (ctx, id, _, form) => portalAction(ctx, id, await form()),
  },
  {
    method: 'POST',
    pattern: /^\/portal\/([^/]+)\/payment-method$/,
    page: async (ctx, id, _, form) => portalPaymentMethod(ctx, id, await form()),
  },
  {
    method: 'POST',
    pattern: /^\/portal\/([^/]+)\/shipping$/,
    page: async (ctx, id, _, form) => portalShipping(ctx, id, await form()),
  },
];

/** Serves one request outside /v1. */
export function createPages(options: PagesOptions) {
  return async (req: IncomingMessage, res: ServerResponse, url: URL, method: string): Promise<void> => {
    const path = url.pathname;
    const isGet = method === 'GET' || method === 'HEAD';
    const send = (page: PageResult) => {
      res.writeHead(page.status, page.headers);
      res.end(page.body);
    };
    if (isGet && path === '/health') return sendText(res, 200, 'ok');
    if (isGet && path === '/') return send(indexPage(options.context(null).state, options.publicUrl()));
    const image = /^\/images\/([a-z0-9-]+)\.svg$/.exec(path);
    const svg = isGet && image ? productImage(image[1] ?? '') : undefined;
    if (svg) {
      res.writeHead(200, IMAGE_HEADERS);
      res.end(svg);
      return;
    }
    for (const route of PAGE_ROUTES) {
      const id = route.method === (isGet ? 'GET' : method) ? safeDecode(route.pattern.exec(path)?.[1] ?? '') : null;
      if (!id) continue;
      const context = options.context(header(req, 'accept-language'));
      const page = await route.page(context, id, url, async () => new URLSearchParams(await readBody(req)));
      await options.deliver(page.events);
      return send(page);
    }
    sendText(res, 404, 'Not found');
  };
}
