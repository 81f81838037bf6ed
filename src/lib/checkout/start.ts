import type Stripe from 'stripe';
import type { Plan } from '../stripe/catalog.ts';
import type { DeclaredEmail, EmailRefusal } from './email.ts';
import type { Language } from '../language/languages.ts';
import type { SiteUrl } from '../language/paths.ts';
import { isLive, type SubscriptionRecord } from '../subscriptions/record.ts';
import { isMissingTermsUrl } from '../stripe/errors.ts';
import type { BindingVia } from '../visitor/bindings.ts';

/** What POST /checkout does for one visitor and one plan, decided before any Stripe call. */
type CheckoutDecision =
  /** Not bound and no valid e-mail yet: show the e-mail step (422 and why, when one was given but malformed). */
  | { kind: 'email-step'; status: 200 | 422; email: string; reason?: EmailRefusal }
  /** Bound by a sign-in link only: say whose account Checkout would charge, and offer another e-mail. */
  | { kind: 'account-step' }
  /** A live subscription in this currency: switching happens in the portal. */
  | { kind: 'manage' }
  /** A live subscription in another currency: Stripe keeps one currency per customer. */
  | { kind: 'currency-conflict'; currentCurrency: string }
  | { kind: 'start'; customerId: string | null; email: string | null; trialDays: number | undefined };

interface CheckoutDecisionInput {
  plan: Plan;
  /** The customer bound to this browser, if any. */
  customerId: string | null;
  /** How that binding was proved: a sign-in link alone asks which account first (decision 007). */
  boundVia: BindingVia | null;
  /** The visitor already chose to subscribe with the account it is signed in to. */
  accountConfirmed: boolean;
  /** That customer's subscription record, if synced. */
  record: SubscriptionRecord | null;
  email: DeclaredEmail;
  /** TRIAL_DAYS: offered only to a customer that never had a subscription. */
  trialDays: number | undefined;
}

/** Decides what POST /checkout does. Pure: the caller reads D1 and calls Stripe. */
export function decideCheckout({
  plan,
  customerId,
  boundVia,
  accountConfirmed,
  record,
  email,
  trialDays,
}: CheckoutDecisionInput): CheckoutDecision {
  if (customerId) {
    if (record && isLive(record.status)) {
      // docs.stripe.com/billing/customer#currency: one currency per customer while anything is live.
      return record.currency && record.currency !== plan.currency
        ? { kind: 'currency-conflict', currentCurrency: record.currency }
        : { kind: 'manage' };
    }
    // A link someone else asked for may have signed this browser in: never charge that account unasked.
    if (boundVia !== 'checkout' && !accountConfirmed) return { kind: 'account-step' };
    // One trial per customer; without a synced record we cannot tell, so no trial.
    return {
      kind: 'start',
      customerId,
      email: null,
      trialDays: record && !record.everSubscribed ? trialDays : undefined,
    };
  }
  if (email.kind === 'missing') return { kind: 'email-step', status: 200, email: '' };
  if (email.kind === 'malformed') return { kind: 'email-step', status: 422, email: email.value, reason: email.reason };
  return { kind: 'start', customerId: null, email: email.email, trialDays };
}

interface StartCheckoutInput {
  plan: Plan;
  visitorRef: string;
  customerId: string | null;
  /** The declared e-mail, locked into Checkout as customer_email (for a visitor not yet bound). */
  email: string | null;
  trialDays: number | undefined;
  allowPromotionCodes: boolean;
  /** SHIPPING_COUNTRIES: Checkout asks for a delivery address in one of these, and a phone; empty = nothing shipped. */
  shippingCountries: readonly string[];
  /** Absolute URLs in the page's language, from SITE_URL (or a loopback origin): never a request header. */
  siteUrl: SiteUrl;
  locale: Language;
  /** STRIPE_AUTOMATIC_TAX=true: Stripe Tax computes the tax (automatic_tax.enabled). */
  automaticTax: boolean;
  /** The final screen's terms (final-terms.ts), shown above Checkout's button. */
  submitMessage: string;
  /** Ask for consent to our terms (`consent_collection`), with this agreement line; undefined: don't ask. */
  termsAcceptance: string | undefined;
  now?: () => number;
}

/**
 * Stripe's minimum for `expires_at` is 30 minutes after creation (Stripe.Checkout.SessionCreateParams);
 * one more minute absorbs clock skew between this Worker and Stripe. A shared link dies quickly.
 */
const CHECKOUT_LIFETIME_SECONDS = 31 * 60;

/**
 * Creates a subscription Checkout Session for one catalog plan, its shipping line, and the final
 * screen's terms. Stripe errors propagate, except a refused terms consent (no terms URL in the
 * Dashboard), which is logged by the caller and retried without the consent box.
 */
export async function startCheckout(
  stripe: Stripe,
  input: StartCheckoutInput,
): Promise<{ id: string; url: string; consentRefused: boolean }> {
  try {
    return { ...(await createSession(stripe, input)), consentRefused: false };
  } catch (error) {
    if (input.termsAcceptance === undefined || !isMissingTermsUrl(error)) throw error;
    return { ...(await createSession(stripe, { ...input, termsAcceptance: undefined })), consentRefused: true };
  }
}

async function createSession(stripe: Stripe, input: StartCheckoutInput): Promise<{ id: string; url: string }> {
  const now = input.now ?? Date.now;
  const { plan } = input;
  const session = await stripe.checkout.sessions.create({
    mode: 'subscription',
    line_items: [
      { price: plan.priceId, quantity: 1 },
      // In subscription mode Checkout has no shipping rates (docs.stripe.com/payments/checkout/shipping): a second line.
      ...(plan.shipping.kind === 'fee' ? [{ price: plan.shipping.priceId, quantity: 1 }] : []),
    ],
    // Stripe substitutes {CHECKOUT_SESSION_ID} itself; it must stay unencoded.
    success_url: input.siteUrl('/thanks?session_id={CHECKOUT_SESSION_ID}'),
    cancel_url: input.siteUrl('/'),
    client_reference_id: input.visitorRef,
    locale: input.locale,
    expires_at: Math.floor(now() / 1000) + CHECKOUT_LIFETIME_SECONDS,
    ...(input.customerId ? { customer: input.customerId } : input.email ? { customer_email: input.email } : {}),
    ...(input.trialDays !== undefined && { subscription_data: { trial_period_days: input.trialDays } }),
    ...(input.allowPromotionCodes && { allow_promotion_codes: true }),
    ...(input.automaticTax && { automatic_tax: { enabled: true } }),
    custom_text: {
      submit: { message: input.submitMessage },
      ...(input.termsAcceptance !== undefined && {
        terms_of_service_acceptance: { message: input.termsAcceptance },
      }),
    },
    ...(input.termsAcceptance !== undefined && { consent_collection: { terms_of_service: 'required' as const } }),
    ...(input.shippingCountries.length > 0 && {
      shipping_address_collection: { allowed_countries: [...input.shippingCountries] },
      phone_number_collection: { enabled: true },
    }),
    ...(input.customerId &&
      (input.shippingCountries.length > 0 || input.automaticTax) && {
        customer_update: {
          // A customer Checkout did not create keeps its old address unless told (CustomerUpdate.shipping: "Defaults to `never`").
          ...(input.shippingCountries.length > 0 && { shipping: 'auto' as const }),
          // Stripe Tax refuses an existing customer without an address unless Checkout may save the one it collects
          // (Stripe.Checkout.SessionCreateParams.CustomerUpdate.address; test/emulator/shipping.test.ts).
          ...(input.automaticTax && { address: 'auto' as const }),
        },
      }),
  });
  if (!session.url) throw new Error('Checkout Session has no url');
  return { id: session.id, url: session.url };
}
