/**
 * One guard for the pages that call Stripe (POST /checkout, GET /mypage, GET /thanks), in one
 * order everywhere: rate limit → return origin → Stripe key; then the Stripe call itself, whose
 * errors become a refusal with a reference. The page renders a refusal with `<Refusal>`.
 */
import type { Logger } from '../log/log.ts';
import { classifyStripeError, logStripeFailure, MISSING_STRIPE_KEY, type StripeFailure } from '../stripe/errors.ts';
import type { Stripe } from '../stripe/client.ts';
import { trustedSiteOrigin } from '../http/origin.ts';
import { RATE_LIMIT_PERIOD_SECONDS, withinRateLimit, type RequestLimiters } from '../http/rate-limit.ts';
import { setStatus } from '../http/responses.ts';
import type { LimitedRoute } from './routes.ts';

/** Why a Stripe-backed page did not do its work. */
export type Refusal =
  | { kind: 'rate-limited' }
  /** Without SITE_URL a non-loopback Host would decide where Stripe sends the payer. */
  | { kind: 'no-site-url' }
  | { kind: 'stripe-failure'; failure: StripeFailure; reference: string };

export type GuardResult<S> = { ok: true; stripe: S; origin: string } | { ok: false; refusal: Refusal };

interface GuardInput<S> {
  route: LimitedRoute;
  request: Request;
  requestUrl: URL;
  visitorRef: string | undefined;
  limiters: RequestLimiters;
  /** The Stripe client (or what the page builds on it); undefined when STRIPE_API_KEY is missing or malformed. */
  stripe: S | undefined;
  /** SITE_URL's origin, when set. */
  siteOrigin: string | undefined;
  log: Logger;
}

/** Checks, in order, the rate limit, the origin Stripe URLs are built from and the Stripe client. */
export async function guardStripePage<S = Stripe>(input: GuardInput<S>): Promise<GuardResult<S>> {
  if (!(await withinRateLimit(input.limiters, input.route, input.request, input.visitorRef)))
    return { ok: false, refusal: { kind: 'rate-limited' } };
  const origin = trustedSiteOrigin(input.siteOrigin, input.requestUrl);
  if (!origin) {
    input.log.error({ msg: `${input.route}: SITE_URL is not set; refusing to build Stripe URLs from the Host header` });
    return { ok: false, refusal: { kind: 'no-site-url' } };
  }
  if (!input.stripe) return { ok: false, refusal: stripeFailure(input.log, input.route, MISSING_STRIPE_KEY) };
  return { ok: true, stripe: input.stripe, origin };
}

/** A failed Stripe call as a refusal: classified, logged under a fresh reference. */
export function stripeFailureRefusal(log: Logger, route: string, error: unknown): Refusal {
  return stripeFailure(log, route, classifyStripeError(error), error);
}

function stripeFailure(log: Logger, route: string, failure: StripeFailure, error?: unknown): Refusal {
  return { kind: 'stripe-failure', failure, reference: logStripeFailure(log, route, failure, error) };
}

/** The status (and Retry-After) a refusal answers with. */
function refusalStatus(refusal: Refusal): { status: number; retryAfter?: number } {
  switch (refusal.kind) {
    case 'rate-limited':
      return { status: 429, retryAfter: RATE_LIMIT_PERIOD_SECONDS };
    case 'no-site-url':
      return { status: 500 };
    case 'stripe-failure':
      return { status: refusal.failure.status, retryAfter: refusal.failure.retryAfter };
  }
}

/** Sets a page's status from a refusal. */
export function setRefusalStatus(response: { status?: number; headers: Headers }, refusal: Refusal): void {
  const { status, retryAfter } = refusalStatus(refusal);
  setStatus(response, status, retryAfter);
}
