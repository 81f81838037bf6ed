import type Stripe from 'stripe';
import type { CatalogCache } from '../stripe/catalog-cache.ts';
import { findPlan, type Plan } from '../stripe/catalog.ts';
import { decideCheckout, startCheckout } from './start.ts';
import { parseDeclaredEmail, type EmailRefusal } from './email.ts';
import type { Language } from '../language/languages.ts';
import { isCurrencyConflict, isMissingCustomer } from '../stripe/errors.ts';
import { syncCustomer, type SyncDeps } from '../subscriptions/sync.ts';
import type { Bindings } from '../visitor/bindings.ts';
import type { PendingCheckouts } from './pending-checkouts.ts';
import { forgetCustomerIfDeleted } from '../subscriptions/customer.ts';
import type { Viewer } from '../subscriptions/viewer.ts';
import type { SiteUrl } from '../language/paths.ts';
import type { ShopProfile } from '../legal/profile.ts';
import type { Logger } from '../log/log.ts';
import { checkoutStrings } from './strings.ts';
import { finalTerms, finalTermsMessage, type FinalTermsItem } from './final-terms.ts';
import { maskEmail } from '../identity/masked-email.ts';

/** What POST /checkout answers, once the request itself (method, form, rate limit, origin) passed. */
export type CheckoutOutcome =
  | { kind: 'checkout'; url: string }
  | { kind: 'manage' }
  /** A browser signed in by link only: whose account (masked) Checkout would charge, or another e-mail. */
  | { kind: 'account-step'; maskedEmail: string; plan: Plan }
  /** `reason` (422 only) says why the e-mail was refused: the page shows `t.emailRefusal[reason]`. */
  | {
      kind: 'email-step';
      status: 200 | 422;
      email: string;
      reason?: EmailRefusal;
      plan: Plan;
      /** The final screen's terms as Checkout will show them, for a new customer. */
      terms: FinalTermsItem[];
    }
  | { kind: 'currency-conflict'; currentCurrency: string }
  | { kind: 'invalid-plan' }
  /** The form came without the visitor cookie an earlier page set: nothing is written, Stripe is not called. */
  | { kind: 'needs-cookie' };

interface CheckoutFlowDeps extends SyncDeps {
  stripe: Stripe;
  bindings: Bindings;
  pendingCheckouts: PendingCheckouts;
  catalog: CatalogCache;
  trialDays: number | undefined;
  allowPromotionCodes: boolean;
  automaticTax: boolean;
  /** The shop profile: the final screen's payment, delivery and cancellation terms. */
  profile: ShopProfile;
  log: Logger;
  now?: () => number;
  /** SHIPPING_COUNTRIES: where the beans can be delivered; empty = nothing shipped. */
  shippingCountries: readonly string[];
}

interface CheckoutRequest {
  priceId: string | undefined;
  email: string | undefined;
  /** The account step's answer: `continue` with the signed-in account, or `other` (leave it, declare an e-mail). */
  account: string | undefined;
  viewer: Viewer;
  /** Absolute URLs in the page's language (Stripe returns there, the terms link there). */
  siteUrl: SiteUrl;
  locale: Language;
  /** This browser's visitor id, from the cookie an earlier page set; undefined without one. */
  visitorRef: string | undefined;
}

/**
 * POST /checkout after the request checks: the plan must be in the catalog; a bound browser with a
 * live subscription goes to the portal (or learns the one-currency rule); a browser not bound yet
 * declares its e-mail first; then a Checkout Session, remembered with who started it and the
 * declared e-mail. Stripe, D1 and KV errors other than the handled refusals propagate.
 */
export async function checkoutFlow(deps: CheckoutFlowDeps, request: CheckoutRequest): Promise<CheckoutOutcome> {
  const { stripe } = deps;
  // Only the e-mail step (which sets the cookie) may answer a browser without one: a cookieless
  // request costs no Stripe call and no D1 row (scripts cannot spend the shop's write budget).
  const visitorRef = request.visitorRef;
  const email = parseDeclaredEmail(request.email);
  if (!visitorRef && email.kind === 'valid') return { kind: 'needs-cookie' };
  const plan = findPlan(await deps.catalog.get(), request.priceId);
  if (!plan) return { kind: 'invalid-plan' };

  let customerId = request.viewer.customerId;
  let record = request.viewer.subscription;
  if (customerId && visitorRef && request.account === 'other' && request.viewer.proof?.via !== 'checkout') {
    // "Use another e-mail address": this browser leaves the account a link signed it in to.
    await deps.bindings.unbind(visitorRef);
    customerId = null;
    record = null;
  }
  if (customerId && !record) {
    // Bound but never synced (a lost webhook): ask Stripe rather than risk a second subscription.
    const synced = await syncCustomer(deps, customerId);
    if (synced.kind === 'synced') record = synced.record;
    else customerId = null;
  }

  const now = deps.now ?? Date.now;
  const termsFor = (trialDays: number | undefined) =>
    finalTerms({
      plan,
      profile: deps.profile,
      lang: request.locale,
      trialDays,
      allowPromotionCodes: deps.allowPromotionCodes,
      now: now(),
    });
  const decision = decideCheckout({
    plan,
    customerId,
    boundVia: customerId ? (request.viewer.proof?.via ?? null) : null,
    accountConfirmed: request.account === 'continue',
    record,
    email,
    trialDays: deps.trialDays,
  });
  if (decision.kind === 'account-step')
    return { kind: 'account-step', maskedEmail: maskEmail(request.viewer.proof?.email ?? ''), plan };
  if (decision.kind === 'manage') return decision;
  if (decision.kind === 'currency-conflict') return decision;
  // A visitor not yet bound is a new customer: the trial is theirs.
  if (decision.kind === 'email-step') return { ...decision, plan, terms: termsFor(deps.trialDays) };
  if (!visitorRef) return { kind: 'needs-cookie' };

  try {
    const session = await startCheckout(stripe, {
      plan,
      visitorRef,
      customerId: decision.customerId,
      email: decision.email,
      trialDays: decision.trialDays,
      allowPromotionCodes: deps.allowPromotionCodes,
      shippingCountries: deps.shippingCountries,
      siteUrl: request.siteUrl,
      locale: request.locale,
      automaticTax: deps.automaticTax,
      submitMessage: finalTermsMessage(
        termsFor(decision.trialDays),
        request.locale,
        request.siteUrl('/legal/tokushoho'),
      ),
      termsAcceptance: checkoutStrings[request.locale].termsAcceptance(
        request.siteUrl('/legal/terms'),
        request.siteUrl('/legal/privacy'),
      ),
      now,
    });
    if (session.consentRefused)
      deps.log.error({
        msg: 'checkout: Stripe refused the terms consent; set the Terms of service URL in Dashboard → Settings → Public details',
      });
    await deps.pendingCheckouts.put(session.id, {
      visitorRef,
      email: decision.email,
      customerId: decision.customerId,
    });
    return { kind: 'checkout', url: session.url };
  } catch (error) {
    if (decision.customerId && isMissingCustomer(error)) {
      // The bound customer was deleted in Stripe (checked: else this throws): ask for the e-mail afresh.
      await forgetCustomerIfDeleted(deps, decision.customerId, error);
      return { kind: 'email-step', status: 200, email: '', plan, terms: termsFor(deps.trialDays) };
    }
    // e.g. an open Checkout Session in another currency on this customer.
    if (isCurrencyConflict(error)) return { kind: 'currency-conflict', currentCurrency: record?.currency ?? '' };
    throw error;
  }
}
