/** What a browser does in the shop, for integration tests: one place for the checkout hand-off. */
import type Stripe from 'stripe';
import { expect } from 'vitest';
import type { Emulator } from '../../dev/stripe-emulator/server.ts';
import type { CookieClient } from './client.ts';

/**
 * The first listed seeded price with this amount and currency (¥1,500 every month, ¥15,000/year, ¥2,000 Gold Blend,
 * $9.99/month); the catalog's monthly beans also cost ¥1,500 every 2 and every 3 months, listed after it.
 */
export function seededPrice(emulator: Emulator, unitAmount: number, currency = 'jpy'): string {
  const price = [...emulator.state.prices.values()].findLast(
    (p) => p.unit_amount === unitAmount && p.currency === currency && p.active,
  );
  if (!price) throw new Error(`no seeded price of ${unitAmount} ${currency}`);
  return price.id;
}

/** Requests Stripe received on one path (POST by default). */
export function stripeCalls(emulator: Emulator, path: string, method = 'POST') {
  return emulator.requests.filter((request) => request.method === method && request.path === path);
}

/**
 * POST /en/checkout with a plan and an e-mail, as a browser on the English pages does: one without the shop's cookie
 * first gets the e-mail step (which sets it). Returns the Checkout Session id the site redirected to.
 */
export async function startCheckout(client: CookieClient, price: string, email?: string): Promise<string> {
  if (client.cookies.size === 0) expect((await client.postForm('/en/checkout', { price })).status).toBe(200);
  const response = await client.postForm('/en/checkout', email === undefined ? { price } : { price, email });
  expect(response.status, await response.clone().text()).toBe(303);
  const location = response.headers.get('location') ?? '';
  const sessionId = /\/(cs_test_[A-Za-z0-9]+)/.exec(location)?.[1];
  if (!sessionId) throw new Error(`no Checkout Session in ${location}`);
  return sessionId;
}

export interface Subscribed {
  sessionId: string;
  customerId: string;
  thanks: Response;
}

/**
 * The whole purchase as a browser makes it: declare the e-mail and start Checkout, pay on the
 * emulator (which sends the webhooks), come back to /thanks.
 */
export async function subscribe(
  client: CookieClient,
  emulator: Emulator,
  options: {
    price: string;
    email?: string;
    method?: 'card' | 'bank_debit' | 'bank_debit_failing';
    promotionCode?: string;
    /** The delivery address typed on Checkout (when the shop collects one); default: a Tokyo address. */
    shipping?: { name: string; address: Partial<Stripe.Address> };
  },
): Promise<Subscribed> {
  const email = options.email ?? `buyer-${Math.random().toString(36).slice(2)}@example.com`;
  const sessionId = await startCheckout(client, options.price, email);
  const session = await emulator.completeCheckout(sessionId, {
    method: options.method,
    promotionCode: options.promotionCode,
    shipping: options.shipping,
  });
  const thanks = await client.get(`/en/thanks?session_id=${sessionId}`);
  const customerId = typeof session.customer === 'string' ? session.customer : (session.customer?.id ?? '');
  return { sessionId, customerId, thanks };
}

/** The customer's (first) subscription in the emulator: what a test cancels or inspects. */
export function subscriptionOf(emulator: Emulator, customerId: string): Stripe.Subscription | undefined {
  return [...emulator.state.subscriptions.values()].find((subscription) => subscription.customer === customerId);
}

/** Waits for background work (webhook retries, a waitUntil refresh) to show, checking every 20 ms. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** An HTML page without what only steers line breaks (`<wbr>`, `nowrap` and `lang="ja"` spans), for assertions on its markup. */
export function withoutBreaks(html: string): string {
  let previous;
  let text = html.replaceAll('<wbr>', '');
  do {
    previous = text;
    text = text.replace(/<span (?:lang="ja"|class="nowrap")>([^<]*)<\/span>/g, '$1');
  } while (text !== previous);
  return text;
}

/** Visible text of an HTML page, tags removed and spaces collapsed. */
export function textOf(html: string): string {
  return withoutBreaks(html)
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ');
}

/**
 * Waits, when the minute is nearly over, for the next one: Miniflare's rate limits count in windows aligned to the
 * wall clock, so a burst that straddles a minute's end is counted twice over and a limit test would see double.
 */
export async function withinOneRateWindow(burstMs = 20_000): Promise<void> {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 60_000 - burstMs) await new Promise((resolve) => setTimeout(resolve, 60_000 - intoMinute + 100));
}
