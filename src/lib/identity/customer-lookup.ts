/**
 * The customers with an e-mail address, whatever its case. `customers.list({ email })` is "a
 * case-sensitive filter" (Stripe.CustomerListParams.email), so a customer created in the Dashboard as
 * `Name@Example.com` is not found by `name@example.com`; the Search API's `email:"…"` matches
 * case-insensitively (docs.stripe.com/search: "`:` … case insensitive") but a new customer becomes
 * searchable only within about a minute (docs.stripe.com/search#data-freshness). So both are asked:
 * search for any case, the exact list for a customer created moments ago. Stripe errors propagate.
 */
import type Stripe from 'stripe';

/** A value inside a search query's double quotes: `"` and `\` escaped (docs.stripe.com/search#query-fields). */
function quoted(value: string): string {
  return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/** Up to `limit` customers whose e-mail is `email` in any case, each once, newest first. */
export async function customersByEmail(stripe: Stripe, email: string, limit: number): Promise<Stripe.Customer[]> {
  const [found, exact] = await Promise.all([
    stripe.customers.search({ query: `email:${quoted(email)}`, limit }),
    stripe.customers.list({ email, limit }),
  ]);
  const byId = new Map<string, Stripe.Customer>();
  for (const customer of [...found.data, ...exact.data])
    // Search matches words in order; only the whole address, in any case, is the same address.
    if (customer.email?.toLowerCase() === email.toLowerCase()) byId.set(customer.id, customer);
  return [...byId.values()].sort((a, b) => b.created - a.created).slice(0, limit);
}
