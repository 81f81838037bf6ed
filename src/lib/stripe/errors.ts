/** Turns a Stripe SDK error into what the visitor is told (status) and what the owner is told (log hint). */
import { describeError, errorReference, type Logger } from '../log/log.ts';

export interface StripeFailure {
  /** 503 when trying again later can help (rate limit, outage, network); 502 when the shop's setup is wrong. */
  status: 502 | 503;
  /** Seconds to suggest in Retry-After (503 only). */
  retryAfter?: number;
  /** Machine-friendly tag for the log line. */
  kind: string;
  /** What the shop owner should do: goes to the log line only, never to the visitor. */
  ownerHint: string;
  /** Stripe's `request-id` for the failed call, when Stripe answered (quote it to Stripe support). */
  requestId?: string;
}

interface StripeLikeError {
  type?: unknown;
  code?: unknown;
  param?: unknown;
  message?: unknown;
  requestId?: unknown;
}

function fields(error: unknown): StripeLikeError {
  return typeof error === 'object' && error !== null ? error : {};
}

/** What a page that needs Stripe answers when STRIPE_API_KEY is missing or malformed. */
export const MISSING_STRIPE_KEY: StripeFailure = {
  status: 503,
  retryAfter: 300,
  kind: 'config',
  ownerHint: 'STRIPE_API_KEY is not set or not a restricted (rk_...) or secret (sk_...) key.',
};

/** Stripe answered `resource_missing` for the `customer` parameter: the customer was deleted. */
export function isMissingCustomer(error: unknown): boolean {
  const e = fields(error);
  return e.code === 'resource_missing' && e.param === 'customer';
}

/** Stripe has no such object for this key (`resource_missing`, in the path or a parameter). */
export function isMissingResource(error: unknown): boolean {
  return fields(error).code === 'resource_missing';
}

/** Stripe refused to mix currencies on one customer (docs.stripe.com/billing/customer#currency). */
export function isCurrencyConflict(error: unknown): boolean {
  const e = fields(error);
  return (
    e.type === 'StripeInvalidRequestError' && typeof e.message === 'string' && /combine currencies/i.test(e.message)
  );
}

/** Stripe refused terms-of-service consent: the Dashboard's public details have no terms URL. */
export function isMissingTermsUrl(error: unknown): boolean {
  const e = fields(error);
  return (
    e.type === 'StripeInvalidRequestError' &&
    typeof e.message === 'string' &&
    /consent to your terms of service/i.test(e.message)
  );
}

/** The e-mail parameters this site sends or reads back (Stripe.Checkout.SessionCreateParams, Stripe.CustomerCreateParams). */
const EMAIL_PARAMS = new Set(['email', 'customer_email', 'customer_details[email]']);

/**
 * Stripe refused an e-mail address: its message then quotes the address, which must not reach a
 * log line (a non-ASCII one escaped the old redaction), so callers drop the message.
 */
function refusesEmail(e: StripeLikeError, message: string): boolean {
  return (typeof e.param === 'string' && EMAIL_PARAMS.has(e.param)) || message.includes('@');
}

/** Classifies an error thrown by a Stripe call. */
export function classifyStripeError(error: unknown): StripeFailure {
  const e = fields(error);
  const message = typeof e.message === 'string' ? e.message : '';
  const requestId = typeof e.requestId === 'string' ? e.requestId : undefined;
  const failure = (status: 502 | 503, kind: string, ownerHint: string, retryAfter?: number): StripeFailure => ({
    status,
    kind,
    ownerHint,
    ...(retryAfter !== undefined && { retryAfter }),
    ...(requestId && { requestId }),
  });
  switch (e.type) {
    case 'StripeRateLimitError':
      return failure(
        503,
        'rate_limit',
        'Stripe is rate-limiting this key (docs.stripe.com/rate-limits). Look for bursts of traffic or webhooks.',
        10,
      );
    case 'StripeConnectionError':
      return failure(
        503,
        'connection',
        'Stripe could not be reached. Check STRIPE_API_BASE (if set) and status.stripe.com.',
        30,
      );
    case 'StripeAPIError':
      return failure(
        503,
        'api',
        'Stripe had an internal error (status.stripe.com). It usually passes within minutes.',
        30,
      );
    case 'StripeAuthenticationError':
      return failure(
        502,
        'authentication',
        'STRIPE_API_KEY is invalid, revoked, or from another account. Create a new restricted key and set it again.',
      );
    case 'StripePermissionError':
      return failure(
        502,
        'permission',
        'The restricted key lacks a permission this page needs; give it the permissions listed in docs/setup.md.',
      );
    case 'StripeInvalidRequestError':
      if (/configuration/i.test(message) && /portal|default/i.test(message)) {
        return failure(
          502,
          'portal_settings',
          'Save the customer portal settings in the Stripe Dashboard (Settings → Billing → Customer portal) for this mode.',
        );
      }
      if (e.code === 'resource_missing') {
        return failure(
          502,
          'resource_missing',
          'A Stripe object this page needs no longer exists (deleted, or a test-mode object with a live key).',
        );
      }
      if (refusesEmail(e, message)) {
        const param = typeof e.param === 'string' ? e.param : 'unknown';
        return failure(502, 'invalid_request', `Stripe refused the e-mail address (param ${param.slice(0, 40)}).`);
      }
      return failure(502, 'invalid_request', `Stripe rejected the request: ${message.slice(0, 200)}`);
    default:
      return failure(503, 'unknown', 'An unexpected error occurred while calling Stripe.', 30);
  }
}

/** describeError, without Stripe's message when it is about an e-mail address (it quotes the address). */
function describeStripeError(error: unknown): string {
  const e = fields(error);
  const message = typeof e.message === 'string' ? e.message : '';
  if (!refusesEmail(e, message)) return describeError(error);
  return `${error instanceof Error ? error.name : 'Error'}: (Stripe's message withheld: it is about an e-mail address)`;
}

/**
 * Logs a failed Stripe call under a fresh reference id and returns that id: the visitor's page
 * shows only the id; the owner's hint and Stripe's request id stay in this log line.
 */
export function logStripeFailure(log: Logger, route: string, failure: StripeFailure, error?: unknown): string {
  const reference = errorReference();
  log.error({
    msg: `${route}: Stripe call failed`,
    ref: reference,
    kind: failure.kind,
    status: failure.status,
    hint: failure.ownerHint,
    stripe_request_id: failure.requestId,
    error: error === undefined ? undefined : describeStripeError(error),
  });
  return reference;
}
