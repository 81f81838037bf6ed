import type Stripe from 'stripe';
import type { Store } from '../store';

/**
 * A customer is forgotten only when Stripe says so. `resource_missing` on `customer` also means a
 * mode mix-up (a live customer id with a test key: "a similar object exists in live mode") or
 * another account's key: then the binding must stay. So this asks `customers.retrieve`, which
 * answers a deleted customer with `deleted: true` (docs.stripe.com/api/customers/delete), and
 * drops the bindings and record only then. Otherwise it rethrows `error` (a configuration
 * problem: the page shows a 502 with a reference, the webhook a 5xx).
 */
export async function forgetCustomerIfDeleted(
  deps: { stripe: Stripe; store: Store },
  customerId: string,
  error: unknown,
): Promise<void> {
  const customer = await deps.stripe.customers.retrieve(customerId).catch(() => undefined);
  if (!customer || !('deleted' in customer) || customer.deleted !== true) throw error;
  await deps.store.dropCustomer(customerId);
}
