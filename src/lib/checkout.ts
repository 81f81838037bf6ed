import type Stripe from 'stripe';
import { findPlan, type Plan } from './catalog';

/** Stripe price ids: only these reach the catalog lookup. */
const PRICE_ID_PATTERN = /^price_[A-Za-z0-9]{1,100}$/;

export interface StartCheckoutInput {
  /** A plan the catalog offers (see validatePriceId). */
  plan: Plan;
  visitorId: string;
  /** Customer already bound to this visitor, reused so a returning visitor is not duplicated. */
  customerId: string | null;
  origin: string;
  locale: 'en' | 'ja';
}

/** The price id if it is well-formed and offered by the catalog. */
export function validatePriceId(priceId: unknown, plans: readonly Plan[]): Plan | undefined {
  if (typeof priceId !== 'string' || !PRICE_ID_PATTERN.test(priceId)) return undefined;
  return findPlan(plans, priceId);
}

/**
 * Creates a subscription Checkout Session for one catalog plan and returns its URL.
 * Stripe errors propagate to the caller.
 */
export async function startCheckout(stripe: Stripe, input: StartCheckoutInput): Promise<string> {
  const { plan } = input;
  const create = (customer: string | null) =>
    stripe.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price: plan.priceId, quantity: 1 }],
      // Stripe substitutes {CHECKOUT_SESSION_ID} itself; it must stay unencoded.
      success_url: `${input.origin}/thanks?session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: `${input.origin}/`,
      client_reference_id: input.visitorId,
      locale: input.locale,
      ...(customer && { customer }),
    });
  let session: Stripe.Checkout.Session;
  try {
    session = await create(input.customerId);
  } catch (error) {
    // The bound customer was deleted in Stripe: start afresh rather than lock the visitor out.
    if (!input.customerId || !isMissingCustomer(error)) throw error;
    session = await create(null);
  }
  if (!session.url) throw new Error('Checkout Session has no url');
  return session.url;
}

function isMissingCustomer(error: unknown): boolean {
  const e = error as { code?: unknown; param?: unknown } | null;
  return e?.code === 'resource_missing' && e.param === 'customer';
}
