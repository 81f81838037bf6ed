/**
 * The emulator's HTTP server and its test-facing handle (`startEmulator`).
 *
 *   const emulator = await startEmulator({ webhookUrl, webhookSecret, log: false });
 *   const stripe = new Stripe('rk_test_x', { host: '127.0.0.1', port: emulator.port, protocol: 'http' });
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { handleApi, type ApiResponse } from './api.ts';
import { createCustomer, pageEventContext, refreshExpiry, StateConflictError } from './billing.ts';
import { defaultErrorType, invalidRequest, rateLimited, StripeApiError, type StripeErrorType } from './errors.ts';
import { FormParseError, parseStripeForm } from './form.ts';
import { IMAGE_HEADERS, productImage } from './images.ts';
import * as lifecycle from './lifecycle.ts';
import {
  checkoutPage,
  indexPage,
  payCheckout,
  portalAction,
  portalPage,
  portalPaymentMethod,
  submitCheckout,
  type PageResult,
} from './pages.ts';
import { FAILING_IBAN, SUCCEEDING_IBAN } from './payment-methods.ts';
import { addManyProducts, addProduct, seedCatalog, type CreatedProduct, type ProductInput } from './seed.ts';
import { EmulatorState, ID_PREFIX, idOf, newId } from './state.ts';
import { WebhookDispatcher, type DeliveryRecord } from './webhooks.ts';

export { FREE_PROMOTION_CODE, LEGACY_PLAN_ID } from './seed.ts';
export { FAILING_IBAN, SUCCEEDING_IBAN } from './payment-methods.ts';

/** Options of `startEmulator`. */
export interface EmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Base of URLs handed to browsers (Checkout/portal `url`, product images); default the listening URL. Its host is also accepted in Host headers. */
  publicUrl?: string;
  /** Where events are POSTed, e.g. http://127.0.0.1:8787/webhook; can also be set later with setWebhook. */
  webhookUrl?: string;
  /** whsec_...; nothing is delivered without it. */
  webhookSecret?: string;
  /** Delay (ms) added to every /v1 call (default 0), for benchmarks. */
  latencyMs?: number;
  /** Waits (ms) before each webhook retry; default 0.5 s, 1 s, 2 s ... 32 s (8 attempts in all). */
  retrySchedule?: number[];
  /** Bank debits settle by themselves this many ms after they start; default null: only `settleAsyncPayments()` settles them. */
  asyncPaymentDelayMs?: number | null;
  /** One line per request ("POST /v1/checkout/sessions 200 3ms"); default console.log; false = silent. */
  log?: ((line: string) => void) | false;
}

/** One /v1 request as received. */
interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  /** Parsed query string (bracket notation expanded). */
  query: Record<string, unknown>;
  /** Parsed form body (bracket notation expanded). */
  body: Record<string, unknown>;
  /** Epoch milliseconds. */
  at: number;
  /** The answer's HTTP status; undefined while in flight or when the socket was dropped. */
  status?: number;
  requestId: string;
  idempotencyKey: string | null;
  /** The `Stripe-Version` header the client sent. */
  stripeVersion: string | null;
}

/** A scripted failure for matching /v1 calls (see `failNext`). */
interface ApiFault {
  /** Default: any method. */
  method?: string;
  /** Exact path (no query string) or a pattern; default: any /v1 path. */
  path?: string | RegExp;
  /** Default 500. */
  status?: number;
  /** Default from the status (402 card_error, 5xx api_error, else invalid_request_error). */
  type?: StripeErrorType | (string & Record<never, never>);
  /** Default "Injected fault (Stripe emulator)." */
  message?: string;
  code?: string;
  param?: string;
  decline_code?: string;
  /** How many matching calls fail; default 1 (Infinity for all). */
  count?: number;
  /** Destroy the socket instead of answering (a network error for the client). */
  drop?: boolean;
  /** Sets the `Stripe-Should-Retry` header (stripe-node obeys it when deciding to retry). */
  shouldRetry?: boolean;
}

/** How `completeCheckout` pays: a card (4242…), or a bank debit that settles later, succeeding or failing. */
type CheckoutMethod = 'card' | 'bank_debit' | 'bank_debit_failing';

/** A running emulator. Lifecycle methods resolve after the first delivery attempt of the events they cause. */
export interface Emulator {
  /** e.g. http://127.0.0.1:41235 */
  url: string;
  port: number;
  state: EmulatorState;
  /** Every /v1 request, oldest first (cleared in place by reset()). */
  requests: RecordedRequest[];
  /** Every webhook delivery attempt, oldest first (cleared in place by reset()). */
  deliveries: DeliveryRecord[];
  setWebhook(url: string, secret: string): void;
  setLatency(ms: number): void;
  /** Makes the next matching /v1 calls fail (any status, type, message, code, or a dropped socket). */
  failNext(fault: ApiFault): void;
  /** Makes the next matching /v1 calls answer Stripe's test-mode 429 rate limit. */
  rateLimitNext(fault?: Pick<ApiFault, 'method' | 'path' | 'count'>): void;
  /** While down, every /v1 call answers 500 api_error, or with 'drop' has its socket destroyed. */
  setDown(down: boolean | 'drop'): void;
  /** Holds webhook first attempts back (pages still redirect) until `resumeWebhooks`. */
  pauseWebhooks(): void;
  /** Delivers what was held back, in order, awaiting each first attempt. */
  resumeWebhooks(): Promise<void>;
  /** The portal configuration's features; `subscriptionUpdate` is on by default. */
  setPortalFeatures(features: { subscriptionUpdate: boolean }): void;
  /**
   * Pays an open Checkout Session like the hosted page (customer, subscription, invoice, webhooks),
   * without the redirect. Throws when `email` differs from the e-mail the session locks.
   */
  completeCheckout(
    sessionId: string,
    options?: { email?: string; method?: CheckoutMethod; promotionCode?: string },
  ): Promise<Stripe.Checkout.Session>;
  /** Settles every processing bank debit now. */
  settleAsyncPayments(): Promise<void>;
  /** Starts the next period now and pays it. */
  renewNow(subscriptionId: string): Promise<Stripe.Subscription>;
  /** Starts the next period now with a failing payment: invoice.payment_failed, past_due. */
  failNextRenewal(subscriptionId: string): Promise<Stripe.Subscription>;
  endTrial(subscriptionId: string): Promise<Stripe.Subscription>;
  cancelAtPeriodEnd(subscriptionId: string): Promise<Stripe.Subscription>;
  resumeSubscription(subscriptionId: string): Promise<Stripe.Subscription>;
  cancelNow(subscriptionId: string): Promise<Stripe.Subscription>;
  switchPrice(subscriptionId: string, priceId: string): Promise<Stripe.Subscription>;
  /** Saves a card as the customer's default, as the portal's form does (rejects for declined test cards). */
  updateCard(customerId: string, cardNumber: string): Promise<Stripe.PaymentMethod>;
  /** Deletes a customer as the Dashboard does (its subscriptions are canceled). */
  deleteCustomer(customerId: string): Promise<Stripe.DeletedCustomer>;
  /** Adds a customer (as the Dashboard would), without events. */
  addCustomer(input?: { email?: string | null; name?: string | null }): Stripe.Customer;
  /** Adds a product with its prices, without events. */
  addProduct(input: ProductInput): CreatedProduct;
  /** Adds `count` products with one monthly JPY price each ("Extra Beans #n"). */
  addManyProducts(count: number): CreatedProduct[];
  /** Changes a price, without events. */
  updatePrice(id: string, patch: Partial<Pick<Stripe.Price, 'unit_amount' | 'active'>>): Stripe.Price;
  /** Clears requests, deliveries, paused webhooks, scripted faults and the down switch (not the catalog or customers). */
  reset(): void;
  /** Resolves when no webhook delivery or retry is pending. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** Bodies above this are refused; stripe-node's requests are tiny. */
const MAX_BODY_BYTES = 1024 * 1024;
/** Idempotency keys remembered (oldest forgotten first). */
const MAX_IDEMPOTENCY_ENTRIES = 10_000;

interface StoredResponse {
  fingerprint: string;
  status: number;
  body: string;
}

function formatBaseUrl(host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host;
  return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
}

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}

class BodyTooLargeError extends Error {}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES)
      tooLarge = true; // keep draining so the client sees our answer
    else chunks.push(buffer);
  }
  if (tooLarge) throw new BodyTooLargeError('Request body too large');
  return Buffer.concat(chunks).toString('utf8');
}

/** decodeURIComponent that answers null instead of throwing on malformed escapes. */
function safeDecode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/**
 * A key as Stripe echoes it in "Invalid API Key provided": its prefix (`rk_test_`) and last 4
 * characters, the rest as asterisks (stripe/stripe-node#361: `sk_test_**********************Aso0`).
 */
function maskKey(key: string): string {
  const prefix = /^[a-z]+_(?:(?:test|live)_)?/.exec(key)?.[0] ?? '';
  const hidden = Math.max(0, key.length - prefix.length - 4);
  return `${prefix}${'*'.repeat(hidden)}${key.slice(prefix.length + hidden)}`;
}

/** null when the Authorization header carries a test-mode secret or restricted key; Stripe answers 401 with `invalid_request_error`. */
function authenticationProblem(authorization: string | null): StripeApiError | null {
  const fail = (message: string) => new StripeApiError(401, { type: 'invalid_request_error', message });
  let key: string | undefined = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  const basic = /^Basic\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  if (!key && basic) key = Buffer.from(basic, 'base64').toString('utf8').split(':')[0]; // curl -u sk_test_...:
  if (!key) {
    // Stripe's body for a request without a key, as quoted in gadelkareem/skeleton#20 (type invalid_request_error).
    return fail(
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
    );
  }
  if (/^(sk|rk)_test_[A-Za-z0-9_]+$/.test(key)) return null;
  // Stripe's wording for any key it does not know (stripe/stripe-node#361), live keys included: the emulator knows only test keys.
  return fail(`Invalid API Key provided: ${maskKey(key)}`);
}

function matchesFault(fault: ApiFault, method: string, path: string): boolean {
  if (fault.method && fault.method.toUpperCase() !== method) return false;
  if (fault.path === undefined) return true;
  return typeof fault.path === 'string' ? fault.path === path : fault.path.test(path);
}

/** Starts the emulator; resolves once it listens. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const log: (line: string) => void = options.log === false ? () => {} : (options.log ?? ((line) => console.log(line)));
  const state = new EmulatorState();
  const dispatcher = new WebhookDispatcher({
    url: options.webhookUrl,
    secret: options.webhookSecret,
    retrySchedule: options.retrySchedule,
    log,
  });
  const requests: RecordedRequest[] = [];
  const faults: Array<ApiFault & { remaining: number; rateLimit?: boolean }> = [];
  const idempotency = new Map<string, StoredResponse>();
  const asyncTimers = new Map<string, NodeJS.Timeout>();
  let latencyMs = Math.max(0, options.latencyMs ?? 0);
  let down: boolean | 'drop' = false;
  let publicUrl = '';
  let allowedHosts = new Set<string>();

  const pendingWebhooks = () => (dispatcher.enabled ? 1 : 0);
  const pageContext = () => ({ state, pendingWebhooks: pendingWebhooks() });
  const helperContext = () => pageEventContext(pendingWebhooks());

  /** Bank debits settle by themselves after `asyncPaymentDelayMs` (when set); a timer per processing payment. */
  const scheduleAsyncPayments = () => {
    const delay = options.asyncPaymentDelayMs;
    if (delay === null || delay === undefined) return;
    for (const invoiceId of state.processingPayments.keys()) {
      if (asyncTimers.has(invoiceId)) continue;
      const timer = setTimeout(() => {
        asyncTimers.delete(invoiceId);
        dispatcher.deliverInBackground(lifecycle.settleAsyncPayment(state, invoiceId, helperContext()).events);
      }, delay);
      timer.unref();
      asyncTimers.set(invoiceId, timer);
    }
  };
  /** Delivers events caused by a page or a helper, awaiting first attempts (the pages' default, like Stripe). */
  const deliver = async (events: readonly Stripe.Event[]) => {
    scheduleAsyncPayments();
    await dispatcher.deliverAll(events);
  };

  const sendJson = (res: ServerResponse, status: number, body: unknown, extraHeaders: Record<string, string> = {}) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body, null, 2);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-cache, no-store',
      ...extraHeaders,
    });
    res.end(text);
  };

  const sendPage = (res: ServerResponse, page: PageResult) => {
    res.writeHead(page.status, page.headers);
    res.end(page.body);
  };

  async function handleV1(req: IncomingMessage, res: ServerResponse, url: URL, method: string): Promise<void> {
    const requestId = newId(ID_PREFIX.request, 14);
    const headers: Record<string, string> = {
      'request-id': requestId,
      'stripe-version': header(req, 'stripe-version') ?? Stripe.API_VERSION,
    };
    const record: RecordedRequest = {
      method,
      path: url.pathname,
      query: {},
      body: {},
      at: Date.now(),
      requestId,
      idempotencyKey: header(req, 'idempotency-key'),
      stripeVersion: header(req, 'stripe-version'),
    };
    requests.push(record);
    const fail = (error: StripeApiError, extra: Record<string, string> = {}) => {
      record.status = error.status;
      sendJson(res, error.status, error.toBody(), { ...headers, ...error.headers, ...extra });
    };

    let bodyText = '';
    let parseError: StripeApiError | null = null;
    try {
      bodyText = await readBody(req);
      record.query = parseStripeForm(url.search.slice(1));
      const contentType = (header(req, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      if (bodyText.trim() !== '' && contentType !== 'application/x-www-form-urlencoded') {
        throw invalidRequest(
          'Invalid request: the body must be application/x-www-form-urlencoded (Stripe v1 does not accept JSON).',
        );
      }
      record.body = parseStripeForm(bodyText);
    } catch (error) {
      if (error instanceof StripeApiError) parseError = error;
      else if (error instanceof BodyTooLargeError) parseError = invalidRequest('Request body too large.');
      else if (error instanceof FormParseError)
        parseError = invalidRequest(`Invalid request: ${error.message}`, error.param);
      else throw error;
    }

    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    if (down === 'drop') {
      req.socket.destroy();
      return;
    }
    if (down)
      return fail(
        new StripeApiError(500, { type: 'api_error', message: 'The Stripe emulator is simulating an outage.' }),
      );

    const authProblem = authenticationProblem(header(req, 'authorization'));
    if (authProblem) return fail(authProblem);

    const faultIndex = faults.findIndex((fault) => matchesFault(fault, method, url.pathname));
    const fault = faults[faultIndex];
    if (fault) {
      fault.remaining -= 1;
      if (fault.remaining <= 0) faults.splice(faultIndex, 1);
      if (fault.drop) {
        req.socket.destroy();
        return;
      }
      if (fault.rateLimit) return fail(rateLimited());
      const status = fault.status ?? 500;
      return fail(
        new StripeApiError(status, {
          type: fault.type ?? defaultErrorType(status),
          message: fault.message ?? 'Injected fault (Stripe emulator).',
          code: fault.code,
          param: fault.param,
          decline_code: fault.decline_code,
        }),
        fault.shouldRetry === undefined ? {} : { 'stripe-should-retry': String(fault.shouldRetry) },
      );
    }
    if (parseError) return fail(parseError);

    // Idempotent replays, as stripe-node's retries of POSTs rely on.
    const idempotencyKey = method === 'POST' ? record.idempotencyKey : null;
    const fingerprint = `${method} ${url.pathname}?${url.search}\n${bodyText}`;
    if (idempotencyKey) {
      const stored = idempotency.get(idempotencyKey);
      if (stored && stored.fingerprint !== fingerprint) {
        return fail(
          new StripeApiError(400, {
            type: 'idempotency_error',
            message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
          }),
        );
      }
      if (stored) {
        record.status = stored.status;
        sendJson(res, stored.status, stored.body, {
          ...headers,
          'idempotent-replayed': 'true',
          'original-request': requestId,
        });
        return;
      }
    }

    let response: ApiResponse;
    try {
      response = handleApi(
        { state, publicUrl, pendingWebhooks: pendingWebhooks() },
        { method, path: url.pathname, params: { ...record.query, ...record.body }, requestId, idempotencyKey },
      );
    } catch (error) {
      if (!(error instanceof StripeApiError)) throw error;
      response = { status: error.status, body: error.toBody(), events: [] };
    }
    const text = JSON.stringify(response.body, null, 2);
    if (idempotencyKey && response.status < 500) {
      if (idempotency.size >= MAX_IDEMPOTENCY_ENTRIES) idempotency.delete(idempotency.keys().next().value ?? '');
      idempotency.set(idempotencyKey, { fingerprint, status: response.status, body: text });
    }
    record.status = response.status;
    sendJson(res, response.status, text, headers);
    // Stripe sends events caused by API calls after answering the call.
    scheduleAsyncPayments();
    dispatcher.deliverInBackground(response.events);
  }

  async function handleOther(req: IncomingMessage, res: ServerResponse, url: URL, method: string): Promise<void> {
    const path = url.pathname;
    const isGet = method === 'GET' || method === 'HEAD';
    const readForm = async () => new URLSearchParams(await readBody(req));
    const deliverThenSend = async (page: PageResult) => {
      // Like Stripe, the first delivery attempt happens before the browser is sent on.
      await deliver(page.events);
      sendPage(res, page);
    };

    if (isGet && path === '/health') {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('ok');
      return;
    }
    if (isGet && path === '/') return sendPage(res, indexPage(state, publicUrl));
    const image = /^\/images\/([a-z0-9-]+)\.svg$/.exec(path);
    if (isGet && image) {
      const svg = productImage(image[1] ?? '');
      if (svg) {
        res.writeHead(200, IMAGE_HEADERS);
        res.end(svg);
        return;
      }
    }
    const checkout = /^\/checkout\/([^/]+)$/.exec(path);
    const checkoutId = checkout && safeDecode(checkout[1] ?? '');
    if (checkoutId) {
      if (isGet) return sendPage(res, checkoutPage(pageContext(), checkoutId));
      if (method === 'POST') return deliverThenSend(submitCheckout(pageContext(), checkoutId, await readForm()));
    }
    const portal = /^\/portal\/([^/]+)(?:\/(action|payment-method))?$/.exec(path);
    const portalId = portal && safeDecode(portal[1] ?? '');
    if (portal && portalId) {
      const action = portal[2];
      if (isGet && !action) return sendPage(res, portalPage(pageContext(), portalId, url.searchParams));
      if (method === 'POST' && action === 'action')
        return deliverThenSend(portalAction(pageContext(), portalId, await readForm()));
      if (method === 'POST' && action === 'payment-method')
        return deliverThenSend(portalPaymentMethod(pageContext(), portalId, await readForm()));
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('Not found');
  }

  const server = createServer((req, res) => {
    const started = performance.now();
    const method = (req.method ?? 'GET').toUpperCase();
    // DNS rebinding guard: a page on another origin whose name resolves to 127.0.0.1 must not drive the
    // emulator, so only requests addressed to a loopback name with our port (or to publicUrl) are answered.
    if (!allowedHosts.has((header(req, 'host') ?? '').toLowerCase())) {
      res.writeHead(421, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
      res.end(`Misdirected request: this Stripe emulator answers only to ${[...allowedHosts].join(', ')}.\n`);
      log(`${method} (refused Host ${JSON.stringify(header(req, 'host') ?? '')}) 421`);
      return;
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://emulator.invalid');
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Bad request');
      return;
    }
    res.on('close', () => {
      const status = res.writableFinished ? String(res.statusCode) : 'dropped';
      log(`${method} ${url.pathname} ${status} ${Math.round(performance.now() - started)}ms`);
    });
    const isApi = url.pathname === '/v1' || url.pathname.startsWith('/v1/');
    (isApi ? handleV1(req, res, url, method) : handleOther(req, res, url, method)).catch((error: unknown) => {
      // A bug here must not take the emulator down: answer 500 and say what happened.
      if (!(error instanceof BodyTooLargeError)) console.error('[stripe-emulator]', error);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (isApi) {
        sendJson(
          res,
          500,
          new StripeApiError(500, { type: 'api_error', message: `Emulator error: ${String(error)}` }).toBody(),
        );
      } else if (error instanceof BodyTooLargeError) {
        res.writeHead(413, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('Request body too large');
      } else {
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('Emulator error');
      }
    });
  });
  // Browsers and stripe-node keep connections alive; do not let that stall close().
  server.keepAliveTimeout = 5_000;

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = formatBaseUrl(host, port);
  publicUrl = (options.publicUrl ?? url).replace(/\/+$/, '');
  allowedHosts = new Set([`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]);
  if (options.publicUrl) allowedHosts.add(new URL(publicUrl).host.toLowerCase());
  seedCatalog(state, publicUrl);

  /** Runs a lifecycle action, delivers its events, and answers the subscription it changed. */
  const act = async (
    subscriptionId: string,
    run: (context: ReturnType<typeof helperContext>) => { events: Stripe.Event[] },
  ) => {
    await deliver(run(helperContext()).events);
    const subscription = state.subscriptions.get(subscriptionId);
    if (!subscription) throw new StateConflictError(`No such subscription: '${subscriptionId}'`);
    return subscription;
  };
  let closed: Promise<void> | null = null;

  return {
    url,
    port,
    state,
    requests,
    deliveries: dispatcher.deliveries,
    setWebhook(webhookUrl, secret) {
      dispatcher.configure(webhookUrl, secret);
    },
    setLatency(ms) {
      latencyMs = Math.max(0, ms);
    },
    failNext(fault) {
      faults.push({ ...fault, remaining: fault.count ?? 1 });
    },
    rateLimitNext(fault = {}) {
      faults.push({ ...fault, remaining: fault.count ?? 1, rateLimit: true });
    },
    setDown(value) {
      down = value;
    },
    pauseWebhooks() {
      dispatcher.pause();
    },
    resumeWebhooks() {
      return dispatcher.resume();
    },
    setPortalFeatures(features) {
      state.portalConfiguration.subscriptionUpdate = features.subscriptionUpdate;
    },
    async completeCheckout(sessionId, completeOptions = {}) {
      const session = state.checkoutSessions.get(sessionId);
      if (!session) throw new Error(`No such checkout.session: '${sessionId}'`);
      refreshExpiry(session);
      const locked =
        session.customer_email ??
        (session.customer ? state.customers.get(idOf(session.customer))?.email : null) ??
        null;
      if (locked !== null && completeOptions.email !== undefined && completeOptions.email !== locked) {
        throw new Error(
          `This Checkout Session locks the e-mail ${locked}; it cannot be paid as ${completeOptions.email}.`,
        );
      }
      const method = completeOptions.method ?? 'card';
      const result = payCheckout(pageContext(), session, {
        email: completeOptions.email ?? 'customer@example.com',
        method: method === 'card' ? 'card' : 'bank',
        card: '4242424242424242',
        iban: method === 'bank_debit_failing' ? FAILING_IBAN : SUCCEEDING_IBAN,
        promotionCode: completeOptions.promotionCode,
      });
      if ('message' in result) throw new Error(result.message);
      await deliver(result.events);
      return result.session;
    },
    async settleAsyncPayments() {
      for (const invoiceId of [...state.processingPayments.keys()]) {
        clearTimeout(asyncTimers.get(invoiceId));
        asyncTimers.delete(invoiceId);
        await deliver(lifecycle.settleAsyncPayment(state, invoiceId, helperContext()).events);
      }
    },
    renewNow: (id) => act(id, (context) => lifecycle.renew(state, id, context)),
    failNextRenewal: (id) => act(id, (context) => lifecycle.renew(state, id, context, { fail: true })),
    endTrial: (id) => act(id, (context) => lifecycle.endTrial(state, id, context)),
    cancelAtPeriodEnd: (id) => act(id, (context) => lifecycle.cancelAtPeriodEnd(state, id, context)),
    resumeSubscription: (id) => act(id, (context) => lifecycle.resumeSubscription(state, id, context)),
    cancelNow: (id) => act(id, (context) => lifecycle.cancelNow(state, id, context)),
    switchPrice: (id, priceId) => act(id, (context) => lifecycle.switchPrice(state, id, priceId, context)),
    async updateCard(customerId, cardNumber) {
      await deliver(lifecycle.updateCard(state, customerId, { card: cardNumber }, helperContext()).events);
      const id = state.customers.get(customerId)?.invoice_settings.default_payment_method;
      const paymentMethod = typeof id === 'string' ? state.paymentMethods.get(id) : undefined;
      if (!paymentMethod) throw new Error(`No payment method saved for '${customerId}'`);
      return paymentMethod;
    },
    async deleteCustomer(customerId) {
      const result = lifecycle.deleteCustomer(state, customerId, helperContext());
      await deliver(result.events);
      return result.deleted;
    },
    addCustomer(input = {}) {
      return createCustomer(state, { email: input.email ?? null, name: input.name ?? null });
    },
    addProduct(input) {
      return addProduct(state, input);
    },
    addManyProducts(count) {
      return addManyProducts(state, count);
    },
    updatePrice(id, patch) {
      const price = state.prices.get(id);
      if (!price) throw new Error(`No such price: '${id}'`);
      if (patch.unit_amount !== undefined) {
        price.unit_amount = patch.unit_amount;
        price.unit_amount_decimal = patch.unit_amount === null ? null : Stripe.Decimal.from(String(patch.unit_amount));
      }
      if (patch.active !== undefined) price.active = patch.active;
      return price;
    },
    reset() {
      requests.length = 0;
      dispatcher.clear();
      faults.length = 0;
      down = false;
    },
    settle() {
      return dispatcher.settle();
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        for (const timer of asyncTimers.values()) clearTimeout(timer);
        dispatcher.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
