/**
 * Stripe-shaped API errors: `{"error":{"type","message","code","param","doc_url"}}` with an HTTP status.
 */

/** docs.stripe.com/api/errors: the `type` values of error bodies (stripe-node picks its error class from the status). */
export type StripeErrorType = 'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error';

/** Fields of an error body; `undefined` fields are left out of the JSON. */
export interface StripeErrorFields {
  /** A StripeErrorType; any other string is passed through (fault injection). */
  type: StripeErrorType | (string & Record<never, never>);
  message: string;
  code?: string;
  param?: string;
  decline_code?: string;
}

/** A Stripe-shaped error: thrown by handlers and turned into a JSON response by the server. */
export class StripeApiError extends Error {
  readonly status: number;
  readonly fields: StripeErrorFields;
  /** Extra response headers (e.g. `Stripe-Should-Retry`). */
  readonly headers: Record<string, string>;

  constructor(status: number, fields: StripeErrorFields, headers: Record<string, string> = {}) {
    super(fields.message);
    this.name = 'StripeApiError';
    this.status = status;
    this.fields = fields;
    this.headers = headers;
  }

  /** The JSON body Stripe would send. */
  toBody(): { error: StripeErrorFields & { doc_url?: string } } {
    const { type, message, code, param, decline_code } = this.fields;
    return {
      error: {
        type,
        message,
        ...(code !== undefined && { code }),
        ...(decline_code !== undefined && { decline_code }),
        // docs.stripe.com/api/errors: doc_url "A URL to more information about the error code reported"
        ...(code !== undefined && { doc_url: `https://stripe.com/docs/error-codes/${code.replace(/_/g, '-')}` }),
        ...(param !== undefined && { param }),
      },
    };
  }
}

/** 400 invalid_request_error. */
export function invalidRequest(message: string, param?: string, code?: string): StripeApiError {
  return new StripeApiError(400, { type: 'invalid_request_error', message, param, code });
}

/** 400 for a missing required parameter, worded like Stripe. */
export function missingParam(param: string): StripeApiError {
  return invalidRequest(`Missing required param: ${param}.`, param, 'parameter_missing');
}

/** `resource_missing` with Stripe's wording ("No such price: 'price_x'"); 404 for the path id, 400 for a param. */
export function noSuch(kind: string, id: string, param?: string): StripeApiError {
  return new StripeApiError(param === undefined ? 404 : 400, {
    type: 'invalid_request_error',
    message: `No such ${kind}: '${id}'`,
    code: 'resource_missing',
    param: param ?? 'id',
  });
}

/**
 * A test-mode rate limit, as Stripe answers it: 429, `invalid_request_error` with code `rate_limit`
 * (body observed from api.stripe.com and quoted in public issues; docs.stripe.com/error-codes#rate-limit),
 * `Stripe-Rate-Limited-Reason` (docs.stripe.com/rate-limits) and `Stripe-Should-Retry: false`
 * (Stripe's libraries do not retry real rate limits, only lock timeouts: stripe/stripe-dotnet#1886).
 */
export function rateLimited(): StripeApiError {
  return new StripeApiError(
    429,
    {
      type: 'invalid_request_error',
      code: 'rate_limit',
      message:
        'Testmode request rate limit exceeded, the rate limits in testmode are lower than livemode. You can learn more about rate limits here https://stripe.com/docs/rate-limits.',
    },
    { 'stripe-rate-limited-reason': 'global-rate', 'stripe-should-retry': 'false' },
  );
}

/** The error type Stripe uses for a given HTTP status when a fault does not name one (its 401s are invalid_request_error too). */
export function defaultErrorType(status: number): StripeErrorType {
  if (status === 402) return 'card_error';
  if (status >= 500) return 'api_error';
  return 'invalid_request_error';
}

/** Thrown when an operation does not fit the object's current state (e.g. paying a completed session). */
export class StateConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StateConflictError';
  }
}
