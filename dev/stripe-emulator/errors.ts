/**
 * Stripe-shaped API errors: `{"error":{"type","message","code","param"}}` with an HTTP status.
 */

/** The `type` values Stripe uses in error bodies (stripe-node maps them to its error classes). */
export type StripeErrorType =
  | 'api_error'
  | 'authentication_error'
  | 'card_error'
  | 'idempotency_error'
  | 'invalid_request_error'
  | 'rate_limit_error';

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

  constructor(status: number, fields: StripeErrorFields) {
    super(fields.message);
    this.name = 'StripeApiError';
    this.status = status;
    this.fields = fields;
  }

  /** The JSON body Stripe would send. */
  toBody(): { error: StripeErrorFields } {
    const { type, message, code, param, decline_code } = this.fields;
    return {
      error: {
        type,
        message,
        ...(code !== undefined && { code }),
        ...(decline_code !== undefined && { decline_code }),
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

/** The error type Stripe uses for a given HTTP status when a fault does not name one. */
export function defaultErrorType(status: number): StripeErrorType {
  if (status === 401) return 'authentication_error';
  if (status === 402) return 'card_error';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'api_error';
  return 'invalid_request_error';
}
