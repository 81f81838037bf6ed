/**
 * The emulator's HTTP server and its test-facing handle (`startEmulator`).
 *
 *   const emulator = await startEmulator({ webhookUrl, webhookSecret, log: false });
 *   const stripe = new Stripe('sk_test_x', { host: '127.0.0.1', port: emulator.port, protocol: 'http' });
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { handleApi, isKnownApiPath, type ApiResponse } from './api.ts';
import { cancelSubscription, completeCheckoutSession, createCustomer, expireCheckoutSession, pageEventContext } from './billing.ts';
import { defaultErrorType, invalidRequest, StripeApiError, type StripeErrorType } from './errors.ts';
import { FormParseError, parseStripeForm } from './form.ts';
import { IMAGE_HEADERS, productImage } from './images.ts';
import {
  cancelFromPortal,
  checkoutPage,
  indexPage,
  portalPage,
  submitCheckout,
  updatePaymentMethod,
  type PageResult,
} from './pages.ts';
import { addManyProducts, addProduct, seedCatalog, type CreatedProduct, type ProductInput } from './seed.ts';
import { EmulatorState, ID_PREFIX, newId, snapshot } from './state.ts';
import { WebhookDispatcher, type DeliveryRecord } from './webhooks.ts';

export type { DeliveryRecord } from './webhooks.ts';
export type { CreatedProduct, PriceInput, ProductInput } from './seed.ts';
export { EmulatorState } from './state.ts';

/** Options of `startEmulator`. */
export interface EmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Base of URLs handed to browsers (Checkout/portal `url`, product images); default the listening URL. */
  publicUrl?: string;
  /** Where events are POSTed, e.g. http://127.0.0.1:8787/webhook; can also be set later with setWebhook. */
  webhookUrl?: string;
  /** whsec_...; nothing is delivered without it. */
  webhookSecret?: string;
  /** Delay (ms) added to every /v1 call (default 0), for benchmarks. */
  latencyMs?: number;
  /** Default true: create the three seeded products. */
  seed?: boolean;
  /** Waits (ms) before each webhook retry; default 0.5 s, 1 s, 2 s ... 32 s (8 attempts in all). */
  retrySchedule?: number[];
  /** One line per request ("POST /v1/checkout/sessions 200 3ms"); default console.log; false = silent. */
  log?: ((line: string) => void) | false;
}

/** One /v1 request as received. */
export interface RecordedRequest {
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
export interface ApiFault {
  /** Default: any method. */
  method?: string;
  /** Exact path (no query string) or a pattern; default: any /v1 path. */
  path?: string | RegExp;
  /** Default 500. */
  status?: number;
  /** Default from the status (400 invalid_request_error, 401 authentication_error, 402 card_error, 5xx api_error). */
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

/** A running emulator. */
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
  setRetrySchedule(schedule: number[]): void;
  /**
   * Makes the next matching /v1 calls fail, e.g. failNext({ method: 'POST', path: '/v1/billing_portal/sessions',
   * status: 400, type: 'invalid_request_error', message: 'No configuration provided ...', count: 1 }).
   */
  failNext(fault: ApiFault): void;
  /** While down, every /v1 call answers 500 api_error, or with 'drop' has its socket destroyed. */
  setDown(down: boolean | 'drop'): void;
  /** Keys served at GET /_test/kv-faults as {"failPuts": [...]}. */
  setKvFaults(keys: string[]): void;
  /** Pays an open Checkout Session like the hosted page does (customer, subscription, webhooks), without the redirect. */
  completeCheckout(sessionId: string, options?: { email?: string }): Promise<Stripe.Checkout.Session>;
  /** Expires an open Checkout Session and delivers `checkout.session.expired`. */
  expireCheckout(sessionId: string): Promise<Stripe.Checkout.Session>;
  /** Cancels a subscription now, as the portal does, and delivers `customer.subscription.deleted`. */
  cancelSubscription(subscriptionId: string): Promise<Stripe.Subscription>;
  /** Adds a customer (as the Dashboard would); `notify` also sends customer.created. */
  addCustomer(input?: { email?: string | null; name?: string | null; metadata?: Record<string, string> }, options?: { notify?: boolean }): Stripe.Customer;
  /** Adds a product with its prices; `notify` also sends product.created/price.created events. */
  addProduct(input: ProductInput, options?: { notify?: boolean }): CreatedProduct;
  /** Adds `count` products with one price each (default: monthly JPY "Extra Beans #n"). */
  addManyProducts(count: number, make?: (index: number) => ProductInput): CreatedProduct[];
  /** Changes a price; `notify` also sends price.updated. */
  updatePrice(id: string, patch: Partial<Pick<Stripe.Price, 'unit_amount' | 'active'>>, options?: { notify?: boolean }): Stripe.Price;
  /** Changes a product; `notify` also sends product.updated. */
  updateProduct(
    id: string,
    patch: Partial<Pick<Stripe.Product, 'active' | 'name' | 'description' | 'images'>>,
    options?: { notify?: boolean },
  ): Stripe.Product;
  /** Clears requests, deliveries, scripted faults, KV faults and the down switch (not the catalog or customers). */
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
    if (size > MAX_BODY_BYTES) tooLarge = true; // keep draining so the client sees our answer
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

function redactKey(key: string): string {
  return key.length <= 12 ? `${key.slice(0, 3)}****` : `${key.slice(0, 8)}****${key.slice(-4)}`;
}

/** null when the Authorization header carries a test-mode secret or restricted key. */
function authenticationProblem(authorization: string | null): StripeApiError | null {
  const fail = (message: string) => new StripeApiError(401, { type: 'authentication_error', message });
  if (!authorization) {
    return fail(
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
    );
  }
  let key: string | undefined = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
  const basic = /^Basic\s+(\S+)\s*$/i.exec(authorization)?.[1];
  if (!key && basic) key = Buffer.from(basic, 'base64').toString('utf8').split(':')[0]; // curl -u sk_test_...:
  if (!key) return fail('Invalid Authorization header: use Bearer auth with a test-mode key (sk_test_... or rk_test_...).');
  if (/^(sk|rk)_test_[A-Za-z0-9_]+$/.test(key)) return null;
  if (/^(sk|rk)_live_/.test(key)) return fail(`The Stripe emulator accepts only test-mode keys; got ${redactKey(key)}.`);
  if (/^pk_/.test(key)) return fail('This API call cannot be made with a publishable API key. Please use a secret API key.');
  return fail(`Invalid API Key provided: ${redactKey(key)}`);
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
  const faults: Array<ApiFault & { remaining: number }> = [];
  const idempotency = new Map<string, StoredResponse>();
  let latencyMs = Math.max(0, options.latencyMs ?? 0);
  let down: boolean | 'drop' = false;
  let kvFaults: string[] = [];
  let publicUrl = '';

  const pendingWebhooks = () => (dispatcher.enabled ? 1 : 0);

  const sendJson = (res: ServerResponse, status: number, body: unknown, extraHeaders: Record<string, string> = {}) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body, null, 2);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache, no-store', ...extraHeaders });
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
      sendJson(res, error.status, error.toBody(), { ...headers, ...extra });
    };

    let bodyText = '';
    let parseError: StripeApiError | null = null;
    try {
      bodyText = await readBody(req);
      record.query = parseStripeForm(url.search.slice(1));
      const contentType = (header(req, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      if (bodyText.trim() !== '' && contentType !== 'application/x-www-form-urlencoded') {
        throw invalidRequest('Invalid request: the body must be application/x-www-form-urlencoded (Stripe v1 does not accept JSON).');
      }
      record.body = parseStripeForm(bodyText);
    } catch (error) {
      if (error instanceof StripeApiError) parseError = error;
      else if (error instanceof BodyTooLargeError) parseError = invalidRequest('Request body too large.');
      else if (error instanceof FormParseError) parseError = invalidRequest(`Invalid request: ${error.message}`, error.param);
      else throw error;
    }

    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    if (down === 'drop') {
      req.socket.destroy();
      return;
    }
    if (down) return fail(new StripeApiError(500, { type: 'api_error', message: 'The Stripe emulator is simulating an outage.' }));

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
        sendJson(res, stored.status, stored.body, { ...headers, 'idempotent-replayed': 'true', 'original-request': requestId });
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
      if (error.status === 404 && !isKnownApiPath(url.pathname)) return fail(error);
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
    dispatcher.deliverInBackground(response.events);
  }

  async function handleOther(req: IncomingMessage, res: ServerResponse, url: URL, method: string): Promise<void> {
    const path = url.pathname;
    const isGet = method === 'GET' || method === 'HEAD';
    const pageContext = { state, pendingWebhooks: pendingWebhooks() };
    const readForm = async () => new URLSearchParams(await readBody(req));
    const deliverThenSend = async (page: PageResult) => {
      // Like Stripe, the first delivery attempt happens before the browser is sent on.
      await dispatcher.deliverAll(page.events);
      sendPage(res, page);
    };

    if (isGet && path === '/health') {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('ok');
      return;
    }
    if (isGet && path === '/_test/kv-faults') return sendJson(res, 200, { failPuts: kvFaults });
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
      const id = checkoutId;
      if (isGet) return sendPage(res, checkoutPage(pageContext, id));
      if (method === 'POST') return deliverThenSend(submitCheckout(pageContext, id, await readForm()));
    }
    const portal = /^\/portal\/([^/]+)(?:\/(cancel|payment-method))?$/.exec(path);
    const portalId = portal && safeDecode(portal[1] ?? '');
    if (portal && portalId) {
      const id = portalId;
      const action = portal[2];
      if (isGet && !action) return sendPage(res, portalPage(pageContext, id, url.searchParams));
      if (method === 'POST' && action === 'cancel') return deliverThenSend(cancelFromPortal(pageContext, id, await readForm()));
      if (method === 'POST' && action === 'payment-method') return deliverThenSend(updatePaymentMethod(pageContext, id, await readForm()));
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('Not found');
  }

  const server = createServer((req, res) => {
    const started = performance.now();
    const method = (req.method ?? 'GET').toUpperCase();
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
        sendJson(res, 500, new StripeApiError(500, { type: 'api_error', message: `Emulator error: ${String(error)}` }).toBody());
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
  if (options.seed !== false) seedCatalog(state, publicUrl);

  const notify = (events: Stripe.Event[]) => dispatcher.deliverInBackground(events);
  const helperContext = () => pageEventContext(pendingWebhooks());
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
    setRetrySchedule(schedule) {
      dispatcher.setRetrySchedule(schedule);
    },
    failNext(fault) {
      faults.push({ ...fault, remaining: fault.count ?? 1 });
    },
    setDown(value) {
      down = value;
    },
    setKvFaults(keys) {
      kvFaults = [...keys];
    },
    async completeCheckout(sessionId, completeOptions = {}) {
      const session = state.checkoutSessions.get(sessionId);
      if (!session) throw new Error(`No such checkout.session: '${sessionId}'`);
      const customerId = typeof session.customer === 'string' ? session.customer : session.customer?.id;
      const email =
        completeOptions.email ?? session.customer_email ?? (customerId ? state.customers.get(customerId)?.email : null) ?? 'customer@example.com';
      const result = completeCheckoutSession(state, sessionId, { email }, helperContext());
      await dispatcher.deliverAll(result.events);
      return result.session;
    },
    async expireCheckout(sessionId) {
      const result = expireCheckoutSession(state, sessionId, helperContext());
      await dispatcher.deliverAll(result.events);
      return result.session;
    },
    async cancelSubscription(subscriptionId) {
      const result = cancelSubscription(state, subscriptionId, helperContext());
      await dispatcher.deliverAll(result.events);
      return result.subscription;
    },
    addCustomer(input = {}, addOptions = {}) {
      const customer = createCustomer(state, { email: input.email ?? null, name: input.name ?? null, metadata: input.metadata });
      if (addOptions.notify) notify([state.createEvent('customer.created', customer, helperContext())]);
      return customer;
    },
    addProduct(input, addOptions = {}) {
      const created = addProduct(state, input);
      if (addOptions.notify) {
        notify([
          state.createEvent('product.created', created.product, helperContext()),
          ...created.prices.map((price) => state.createEvent('price.created', price, helperContext())),
        ]);
      }
      return created;
    },
    addManyProducts(count, make) {
      return addManyProducts(state, count, make);
    },
    updatePrice(id, patch, updateOptions = {}) {
      const price = state.prices.get(id);
      if (!price) throw new Error(`No such price: '${id}'`);
      const previous: Partial<Stripe.Price> = {};
      if (patch.unit_amount !== undefined && patch.unit_amount !== price.unit_amount) {
        previous.unit_amount = price.unit_amount;
        previous.unit_amount_decimal = price.unit_amount_decimal;
        price.unit_amount = patch.unit_amount;
        price.unit_amount_decimal = patch.unit_amount === null ? null : Stripe.Decimal.from(String(patch.unit_amount));
      }
      if (patch.active !== undefined && patch.active !== price.active) {
        previous.active = price.active;
        price.active = patch.active;
      }
      if (updateOptions.notify) {
        notify([state.createEvent('price.updated', price, { ...helperContext(), previousAttributes: previous })]);
      }
      return price;
    },
    updateProduct(id, patch, updateOptions = {}) {
      const product = state.products.get(id);
      if (!product) throw new Error(`No such product: '${id}'`);
      const previous = snapshot<Partial<Stripe.Product>>({
        ...(patch.active !== undefined && { active: product.active }),
        ...(patch.name !== undefined && { name: product.name }),
        ...(patch.description !== undefined && { description: product.description }),
        ...(patch.images !== undefined && { images: product.images }),
      });
      Object.assign(product, patch, { updated: Math.floor(Date.now() / 1000) });
      if (updateOptions.notify) {
        notify([state.createEvent('product.updated', product, { ...helperContext(), previousAttributes: previous })]);
      }
      return product;
    },
    reset() {
      requests.length = 0;
      dispatcher.clear();
      faults.length = 0;
      kvFaults = [];
      down = false;
    },
    settle() {
      return dispatcher.settle();
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        dispatcher.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

export { StripeApiError } from './errors.ts';
