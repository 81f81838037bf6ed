import type Stripe from 'stripe';
import { sameEmail } from './email.ts';
import type { Bindings } from '../visitor/bindings.ts';
import { isVisitorReference } from '../visitor/cookie.ts';
import type { PendingCheckouts } from './pending-checkouts.ts';

/** The records the ownership rule reads and writes. */
export interface OwnershipTables {
  pendingCheckouts: PendingCheckouts;
  bindings: Bindings;
}

type BindResult =
  | { bound: true; visitorRef: string; customerId: string }
  | {
      bound: false;
      reason:
        | 'not_complete'
        | 'no_visitor'
        | 'not_started_here'
        | 'other_visitor'
        | 'no_customer'
        | 'email_mismatch'
        | 'verification_required';
    };

/** The session's customer id, whether or not it was expanded. */
export function customerIdOf(session: Stripe.Checkout.Session): string | undefined {
  const customer = session.customer;
  if (!customer) return undefined;
  return typeof customer === 'string' ? customer : customer.id;
}

/**
 * The ownership rule, the same on /thanks and on the checkout.session.completed webhook: a browser
 * is bound to a customer only when the session is one THIS SITE created for that browser (its
 * pending-checkout row names the browser's reference, and the session carries the same reference)
 * and its customer's e-mail is the one the browser declared before paying (or the session was
 * started for the customer the browser is already bound to). A Payment Link, a Dashboard or API
 * session, or an embed's (no pending row) binds nothing: embeds bind through a sign-in link. With
 * REQUIRE_VERIFIED_EMAIL every purchase binds only through the link.
 *
 * `session` must be retrieved from Stripe with `expand: ['customer']`. `expectedVisitorRef` is the
 * browser asking (/thanks); the webhook passes none and binds the session's own browser.
 */
export async function bindIfOwner(
  tables: OwnershipTables,
  session: Stripe.Checkout.Session,
  options: { expectedVisitorRef?: string; requireVerifiedEmail?: boolean } = {},
): Promise<BindResult> {
  if (session.status !== 'complete') return { bound: false, reason: 'not_complete' };
  const visitorRef = session.client_reference_id;
  if (!isVisitorReference(visitorRef)) return { bound: false, reason: 'no_visitor' };
  if (options.expectedVisitorRef !== undefined && visitorRef !== options.expectedVisitorRef)
    return { bound: false, reason: 'other_visitor' };
  const customer = session.customer;
  if (!customer || typeof customer === 'string' || customer.deleted) return { bound: false, reason: 'no_customer' };

  const pending = await tables.pendingCheckouts.get(session.id);
  if (!pending) return { bound: false, reason: 'not_started_here' };
  if (pending.visitorRef !== visitorRef) return { bound: false, reason: 'other_visitor' };
  // A returning visitor paid for the customer it is already bound to.
  const alreadyOwned = pending.customerId !== null && pending.customerId === customer.id;
  if (!alreadyOwned) {
    if (options.requireVerifiedEmail) return { bound: false, reason: 'verification_required' };
    if (!pending.email || !sameEmail(customer.email, pending.email)) return { bound: false, reason: 'email_mismatch' };
  }
  await tables.bindings.bind(visitorRef, customer.id, {
    via: 'checkout',
    email: customer.email?.toLowerCase() ?? null,
  });
  return { bound: true, visitorRef, customerId: customer.id };
}
