import type Stripe from 'stripe';
import { sameEmail } from './email';
import type { Store } from '../store';
import { parseVisitorId } from '../visitor';

type BindResult =
  | { bound: true; visitorId: string; customerId: string }
  | {
      bound: false;
      reason: 'not_complete' | 'no_visitor' | 'other_visitor' | 'no_customer' | 'no_declared_email' | 'email_mismatch';
    };

/** The session's customer id, whether or not it was expanded. */
export function customerIdOf(session: Stripe.Checkout.Session): string | undefined {
  const customer = session.customer;
  if (!customer) return undefined;
  return typeof customer === 'string' ? customer : customer.id;
}

/**
 * The ownership rule, the same on /thanks and on the checkout.session.completed webhook: a browser
 * is bound to a customer only when the session is complete, carries this browser's visitor id as
 * client_reference_id, AND its customer's e-mail is the one this browser declared before paying
 * (kept with the pending checkout, or for embeds with the visitor). A shared Checkout link
 * therefore pays for the declarer's subscription and opens no one else's portal.
 *
 * `session` must be retrieved from Stripe with `expand: ['customer']`. `expectedVisitorId` is the
 * browser asking (/thanks); the webhook passes none and binds the session's own visitor.
 */
export async function bindIfOwner(
  store: Store,
  session: Stripe.Checkout.Session,
  expectedVisitorId?: string,
): Promise<BindResult> {
  if (session.status !== 'complete') return { bound: false, reason: 'not_complete' };
  const visitorId = parseVisitorId(session.client_reference_id);
  if (!visitorId) return { bound: false, reason: 'no_visitor' };
  if (expectedVisitorId !== undefined && visitorId !== expectedVisitorId)
    return { bound: false, reason: 'other_visitor' };
  const customer = session.customer;
  if (!customer || typeof customer === 'string' || customer.deleted) return { bound: false, reason: 'no_customer' };

  const pending = await store.getPendingCheckout(session.id);
  if (pending && pending.visitorId !== visitorId) return { bound: false, reason: 'other_visitor' };
  // A returning visitor paid for the customer it is already bound to (native checkout or a Customer Session).
  const alreadyOwned =
    (pending?.customerId !== null && pending?.customerId === customer.id) ||
    (await store.getVisitorCustomer(visitorId)) === customer.id;
  if (!alreadyOwned) {
    const declared = pending ? pending.email : await store.getDeclaredEmail(visitorId);
    if (!declared) return { bound: false, reason: 'no_declared_email' };
    if (!sameEmail(customer.email, declared)) return { bound: false, reason: 'email_mismatch' };
  }
  await store.bindVisitor(visitorId, customer.id);
  return { bound: true, visitorId, customerId: customer.id };
}
