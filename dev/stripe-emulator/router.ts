/**
 * The REST API under /v1: parsing, the API key, scripted faults (outages, rate limits), latency,
 * idempotent replays, and the route table (method + path → a resource file's handler).
 * A new resource is a file in resources/ plus its lines in ROUTES.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import Stripe from 'stripe';
import { defaultErrorType, invalidRequest, rateLimited, StripeApiError, type StripeErrorType } from './errors.ts';
import { FormParseError, parseStripeForm } from './form.ts';
import type { ApiContext, ApiRequest, ApiResponse, Handler } from './api.ts';
import type { Params } from './params.ts';
import * as checkoutSessions from './resources/checkout-sessions.ts';
import * as account from './resources/account.ts';
import * as billingPortal from './resources/billing-portal.ts';
import * as portalConfigurations from './resources/billing-portal-configurations.ts';
import * as customerSessions from './resources/customer-sessions.ts';
import * as customers from './resources/customers.ts';
import * as charges from './resources/charges.ts';
import * as creditNotes from './resources/credit-notes.ts';
import * as invoicePayments from './resources/invoice-payments.ts';
import * as invoices from './resources/invoices.ts';
import * as paymentMethods from './resources/payment-methods.ts';
import * as prices from './resources/prices.ts';
import * as products from './resources/products.ts';
import * as refunds from './resources/refunds.ts';
import * as subscriptionSchedules from './resources/schedules.ts';
import * as subscriptions from './resources/subscriptions.ts';
import * as taxIds from './resources/tax-ids.ts';
import * as webhookEndpoints from './resources/webhook-endpoints.ts';
import { type EmulatorState, ID_PREFIX, newId } from './state.ts';
import { BodyTooLargeError, header, readBody, sendJson } from './transport.ts';

const ID = '([^/]+)';
const ROUTES: ReadonlyArray<{ method: string; pattern: RegExp; handler: Handler }> = [
  { method: 'GET', pattern: /^\/v1\/products$/, handler: products.list },
  { method: 'POST', pattern: /^\/v1\/products$/, handler: products.create },
  { method: 'GET', pattern: new RegExp(`^/v1/products/${ID}$`), handler: products.retrieve },
  { method: 'POST', pattern: new RegExp(`^/v1/products/${ID}$`), handler: products.update },
  { method: 'GET', pattern: /^\/v1\/prices$/, handler: prices.list },
  { method: 'POST', pattern: /^\/v1\/prices$/, handler: prices.create },
  { method: 'GET', pattern: new RegExp(`^/v1/prices/${ID}$`), handler: prices.retrieve },
  { method: 'POST', pattern: new RegExp(`^/v1/prices/${ID}$`), handler: prices.update },
  { method: 'GET', pattern: /^\/v1\/customers$/, handler: customers.list },
  { method: 'GET', pattern: /^\/v1\/customers\/search$/, handler: customers.search },
  { method: 'GET', pattern: new RegExp(`^/v1/customers/${ID}$`), handler: customers.retrieve },
  { method: 'DELETE', pattern: new RegExp(`^/v1/customers/${ID}$`), handler: customers.del },
  { method: 'GET', pattern: /^\/v1\/subscriptions$/, handler: subscriptions.list },
  { method: 'GET', pattern: new RegExp(`^/v1/subscriptions/${ID}$`), handler: subscriptions.retrieve },
  { method: 'POST', pattern: new RegExp(`^/v1/subscriptions/${ID}$`), handler: subscriptions.update },
  { method: 'POST', pattern: new RegExp(`^/v1/subscriptions/${ID}/pause$`), handler: subscriptions.pause },
  { method: 'POST', pattern: new RegExp(`^/v1/subscriptions/${ID}/resume$`), handler: subscriptions.resume },
  { method: 'POST', pattern: /^\/v1\/subscription_schedules$/, handler: subscriptionSchedules.create },
  { method: 'GET', pattern: new RegExp(`^/v1/subscription_schedules/${ID}$`), handler: subscriptionSchedules.retrieve },
  { method: 'POST', pattern: new RegExp(`^/v1/subscription_schedules/${ID}$`), handler: subscriptionSchedules.update },
  {
    method: 'POST',
    pattern: new RegExp(`^/v1/subscription_schedules/${ID}/release$`),
    handler: subscriptionSchedules.releaseHandler,
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/v1/subscription_schedules/${ID}/cancel$`),
    handler: subscriptionSchedules.cancelHandler,
  },
  { method: 'GET', pattern: /^\/v1\/invoices$/, handler: invoices.list },
  { method: 'GET', pattern: new RegExp(`^/v1/invoices/${ID}$`), handler: invoices.retrieve },
  { method: 'POST', pattern: new RegExp(`^/v1/invoices/${ID}/pay$`), handler: invoices.pay },
  { method: 'POST', pattern: new RegExp(`^/v1/invoices/${ID}/void$`), handler: invoices.voidHandler },
  { method: 'GET', pattern: /^\/v1\/invoice_payments$/, handler: invoicePayments.list },
  { method: 'GET', pattern: new RegExp(`^/v1/invoice_payments/${ID}$`), handler: invoicePayments.retrieve },
  { method: 'GET', pattern: new RegExp(`^/v1/payment_intents/${ID}$`), handler: charges.retrievePaymentIntent },
  { method: 'GET', pattern: new RegExp(`^/v1/charges/${ID}$`), handler: charges.retrieveCharge },
  { method: 'POST', pattern: /^\/v1\/refunds$/, handler: refunds.create },
  { method: 'GET', pattern: new RegExp(`^/v1/refunds/${ID}$`), handler: refunds.retrieve },
  { method: 'POST', pattern: /^\/v1\/credit_notes$/, handler: creditNotes.create },
  { method: 'GET', pattern: /^\/v1\/credit_notes$/, handler: creditNotes.list },
  { method: 'GET', pattern: new RegExp(`^/v1/credit_notes/${ID}$`), handler: creditNotes.retrieve },
  { method: 'GET', pattern: new RegExp(`^/v1/payment_methods/${ID}$`), handler: paymentMethods.retrieve },
  { method: 'POST', pattern: /^\/v1\/checkout\/sessions$/, handler: checkoutSessions.create },
  { method: 'GET', pattern: new RegExp(`^/v1/checkout/sessions/${ID}$`), handler: checkoutSessions.retrieve },
  { method: 'POST', pattern: /^\/v1\/billing_portal\/sessions$/, handler: billingPortal.create },
  { method: 'GET', pattern: /^\/v1\/billing_portal\/configurations$/, handler: portalConfigurations.list },
  { method: 'POST', pattern: /^\/v1\/billing_portal\/configurations$/, handler: portalConfigurations.create },
  {
    method: 'GET',
    pattern: new RegExp(`^/v1/billing_portal/configurations/${ID}$`),
    handler: portalConfigurations.retrieve,
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/v1/billing_portal/configurations/${ID}$`),
    handler: portalConfigurations.update,
  },
  { method: 'POST', pattern: /^\/v1\/customer_sessions$/, handler: customerSessions.create },
  { method: 'GET', pattern: /^\/v1\/account$/, handler: account.retrieve },
  { method: 'GET', pattern: /^\/v1\/tax_ids$/, handler: taxIds.list },
  { method: 'POST', pattern: /^\/v1\/tax_ids$/, handler: taxIds.create },
  { method: 'GET', pattern: new RegExp(`^/v1/tax_ids/${ID}$`), handler: taxIds.retrieve },
  { method: 'DELETE', pattern: new RegExp(`^/v1/tax_ids/${ID}$`), handler: taxIds.del },
  { method: 'GET', pattern: /^\/v1\/webhook_endpoints$/, handler: webhookEndpoints.list },
  { method: 'POST', pattern: /^\/v1\/webhook_endpoints$/, handler: webhookEndpoints.create },
  { method: 'GET', pattern: new RegExp(`^/v1/webhook_endpoints/${ID}$`), handler: webhookEndpoints.retrieve },
  { method: 'POST', pattern: new RegExp(`^/v1/webhook_endpoints/${ID}$`), handler: webhookEndpoints.update },
  { method: 'DELETE', pattern: new RegExp(`^/v1/webhook_endpoints/${ID}$`), handler: webhookEndpoints.del },
];

/** Stripe's answer for a path or method it does not serve. */
function unrecognizedUrl(method: string, path: string): StripeApiError {
  return new StripeApiError(404, {
    type: 'invalid_request_error',
    message: `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
  });
}

function route(ctx: ApiContext, req: ApiRequest): ApiResponse {
  for (const { method, pattern, handler } of ROUTES) {
    const match = method === req.method ? pattern.exec(req.path) : null;
    if (!match) continue;
    let ids: string[];
    try {
      ids = match.slice(1).map((segment) => decodeURIComponent(segment));
    } catch {
      throw unrecognizedUrl(req.method, req.path);
    }
    return handler(ctx, req, ids);
  }
  throw unrecognizedUrl(req.method, req.path);
}

// ---------------------------------------------------------------- the API key

/**
 * A key as Stripe echoes it in "Invalid API Key provided": its prefix (`rk_test_`) and last 4
 * characters, the rest as asterisks (stripe/stripe-node#361: `sk_test_**********************Aso0`).
 */
function maskKey(key: string): string {
  const prefix = /^[a-z]+_(?:(?:test|live)_)?/.exec(key)?.[0] ?? '';
  const hidden = Math.max(0, key.length - prefix.length - 4);
  return `${prefix}${'*'.repeat(hidden)}${key.slice(prefix.length + hidden)}`;
}

/** Compares keys without an early exit, so response timing does not tell how much of a guess was right. */
function sameKey(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * null for exactly the emulator's key; else Stripe's 401 (type `invalid_request_error`). Like an
 * account, the emulator knows one key: any other process on the machine that guesses a
 * plausible `rk_test_…` learns nothing (docs.stripe.com/api/authentication: Bearer, or Basic with the key as username).
 */
function authenticationProblem(authorization: string | null, apiKey: string): StripeApiError | null {
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
  if (sameKey(key, apiKey)) return null;
  // Stripe's wording for a key it does not know (stripe/stripe-node#361): another test key, a live key, anything.
  return fail(`Invalid API Key provided: ${maskKey(key)}`);
}

// ---------------------------------------------------------------- faults and the log

/** One /v1 request as received. */
export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  /** Parsed query string (bracket notation expanded). */
  query: Params;
  /** Parsed form body (bracket notation expanded). */
  body: Params;
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

function matchesFault(fault: ApiFault, method: string, path: string): boolean {
  if (fault.method && fault.method.toUpperCase() !== method) return false;
  if (fault.path === undefined) return true;
  return typeof fault.path === 'string' ? fault.path === path : fault.path.test(path);
}

/** Idempotency keys remembered (oldest forgotten first). */
const MAX_IDEMPOTENCY_ENTRIES = 10_000;

export interface RouterOptions {
  state: EmulatorState;
  /** The one key /v1 accepts. */
  apiKey: string;
  publicUrl: () => string;
  /** 1 when the test handle's webhook target is configured, else 0 (API endpoints are counted per event). */
  pendingWebhooks: () => number;
  /** Gets the events an API call caused, after its answer was sent. */
  afterResponse: (events: Stripe.Event[]) => void;
}

/** The /v1 handler and its test controls (faults, latency, outage, the request log). */
export function createRouter(options: RouterOptions) {
  const requests: RecordedRequest[] = [];
  const faults: Array<ApiFault & { remaining: number; rateLimit?: boolean }> = [];
  const idempotency = new Map<string, { fingerprint: string; status: number; body: string }>();
  let latencyMs = 0;
  let down: boolean | 'drop' = false;

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL, method: string): Promise<void> {
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
    const send = (status: number, body: string, extra: Record<string, string> = {}) => {
      record.status = status;
      sendJson(res, status, body, { ...headers, ...extra });
    };
    const fail = (error: StripeApiError, extra: Record<string, string> = {}) =>
      send(error.status, JSON.stringify(error.toBody(), null, 2), { ...error.headers, ...extra });

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
    if (down === 'drop') return void req.socket.destroy();
    if (down) {
      return fail(
        new StripeApiError(500, { type: 'api_error', message: 'The Stripe emulator is simulating an outage.' }),
      );
    }
    const authProblem = authenticationProblem(header(req, 'authorization'), options.apiKey);
    if (authProblem) return fail(authProblem);

    const faultIndex = faults.findIndex((fault) => matchesFault(fault, method, url.pathname));
    const fault = faults[faultIndex];
    if (fault) {
      fault.remaining -= 1;
      if (fault.remaining <= 0) faults.splice(faultIndex, 1);
      if (fault.drop) return void req.socket.destroy();
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
    const stored = idempotencyKey ? idempotency.get(idempotencyKey) : undefined;
    if (stored && stored.fingerprint !== fingerprint) {
      return fail(
        new StripeApiError(400, {
          type: 'idempotency_error',
          message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
        }),
      );
    }
    if (stored)
      return send(stored.status, stored.body, { 'idempotent-replayed': 'true', 'original-request': requestId });

    let response: ApiResponse;
    try {
      const events = { requestId, idempotencyKey, pendingWebhooks: options.pendingWebhooks() };
      response = route(
        { state: options.state, publicUrl: options.publicUrl(), events },
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
    send(response.status, text);
    options.afterResponse(response.events);
  }

  return {
    handle,
    requests,
    /** A handler's unexpected failure: Stripe's JSON 500. */
    apiError: (res: ServerResponse, error: unknown) => {
      const body = new StripeApiError(500, { type: 'api_error', message: `Emulator error: ${String(error)}` }).toBody();
      sendJson(res, 500, JSON.stringify(body, null, 2));
    },
    failNext: (fault: ApiFault, rateLimit = false) => {
      faults.push({ ...fault, remaining: fault.count ?? 1, rateLimit });
    },
    setLatency: (ms: number) => {
      latencyMs = Math.max(0, ms);
    },
    setDown: (value: boolean | 'drop') => {
      down = value;
    },
    /** Clears the request log, the faults and the down switch. */
    reset: () => {
      requests.length = 0;
      faults.length = 0;
      down = false;
    },
  };
}
