import type Stripe from 'stripe';
import { isMissingResource } from '../stripe/errors.ts';

/**
 * Forgets a customer Stripe confirmed deleted: its record and every browser bound to it (the
 * composition root deletes the rows of every table holding the customer, in one batch).
 */
export type ForgetCustomer = (customerId: string) => Promise<void>;

/**
 * A customer is forgotten only when Stripe says so. `resource_missing` on `customer` also means a
 * mode mix-up (a live customer id with a test key: "a similar object exists in live mode") or
 * another account's key: then the binding must stay. So this asks `customers.retrieve`, which
 * answers a deleted customer with `deleted: true` (docs.stripe.com/api/customers/delete), and
 * drops the bindings and record only then. Otherwise it rethrows `error` (a configuration
 * problem: the page shows a 502 with a reference, the webhook a 5xx).
 */
export async function forgetCustomerIfDeleted(
  deps: { stripe: Stripe; forgetCustomer: ForgetCustomer },
  customerId: string,
  error: unknown,
): Promise<void> {
  const deleted = await isDeletedInStripe(deps.stripe, customerId).catch(() => false);
  if (!deleted) throw error;
  await deps.forgetCustomer(customerId);
}

/**
 * True only when Stripe answers the customer with `deleted: true`. A live customer, or one this key
 * cannot see (`resource_missing`: another mode or account), is not deleted; other Stripe errors
 * (an outage) propagate, so a webhook answers 5xx and Stripe retries.
 */
export async function isDeletedInStripe(stripe: Stripe, customerId: string): Promise<boolean> {
  try {
    const customer = await stripe.customers.retrieve(customerId);
    return 'deleted' in customer && customer.deleted === true;
  } catch (error) {
    if (isMissingResource(error)) return false;
    throw error;
  }
}
