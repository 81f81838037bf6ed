/** Turns a Stripe SDK error into an HTTP status and a fix the shop owner can act on. */

export interface StripeFailure {
  /** 502 when Stripe refused (configuration), 503 when Stripe could not be reached. */
  status: 502 | 503;
  /** Short hint for the shop owner, safe to show (never contains a secret). */
  likelyFix: string;
  /** Machine-friendly tag for the log line. */
  kind: string;
}

interface StripeLikeError {
  type?: string;
  code?: string;
  statusCode?: number;
  message?: string;
}

/** What a page that needs Stripe shows when STRIPE_API_KEY is missing or malformed. */
export const MISSING_STRIPE_KEY: StripeFailure = {
  status: 503,
  kind: 'config',
  likelyFix: 'STRIPE_API_KEY is not set or not a restricted (rk_...) or secret (sk_...) key.',
};

/** Classifies an error thrown by a Stripe call. */
export function classifyStripeError(error: unknown): StripeFailure {
  const e = (typeof error === 'object' && error !== null ? error : {}) as StripeLikeError;
  const message = typeof e.message === 'string' ? e.message : '';
  switch (e.type) {
    case 'StripeAuthenticationError':
      return { status: 502, kind: 'authentication', likelyFix: 'STRIPE_API_KEY is invalid, revoked, or from another account. Create a new restricted key and set it again.' };
    case 'StripePermissionError':
      return { status: 502, kind: 'permission', likelyFix: 'The restricted key lacks a permission. Give it the permissions listed in the README (Customer portal: Write, Checkout Sessions: Write, Products and Prices: Read).' };
    case 'StripeRateLimitError':
      return { status: 503, kind: 'rate_limit', likelyFix: 'Stripe is rate-limiting this key. Wait a moment and try again.' };
    case 'StripeConnectionError':
      return { status: 503, kind: 'connection', likelyFix: 'Stripe could not be reached. Check STRIPE_API_BASE (if set) and the network.' };
    case 'StripeAPIError':
      return { status: 503, kind: 'api', likelyFix: 'Stripe had an internal error. Try again in a few minutes.' };
    case 'StripeInvalidRequestError':
      if (/configuration/i.test(message) && /portal|default/i.test(message)) {
        return { status: 502, kind: 'portal_settings', likelyFix: 'Save the customer portal settings in the Stripe Dashboard (Settings → Billing → Customer portal) for this mode (test or live).' };
      }
      if (e.code === 'resource_missing') {
        return { status: 502, kind: 'resource_missing', likelyFix: 'A Stripe object this page needs no longer exists (a deleted customer, or a test-mode object used with a live key).' };
      }
      return { status: 502, kind: 'invalid_request', likelyFix: 'Stripe rejected the request. Check the server log for the Stripe error message.' };
    default:
      return { status: 503, kind: 'unknown', likelyFix: 'An unexpected error occurred while calling Stripe. Check the server log.' };
  }
}
