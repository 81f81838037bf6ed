import type Stripe from 'stripe';
import { isMissingCustomer } from '../stripe/errors.ts';
import { forgetCustomerIfDeleted, type ForgetCustomer } from './customer.ts';
import { toRecord, type SubscriptionRecord } from './record.ts';
import type { SubscriptionRecords } from './records.ts';

/** What a sync needs: Stripe to read, the records to write, and how to forget a customer Stripe deleted. */
export interface SyncDeps {
  stripe: Stripe;
  records: SubscriptionRecords;
  forgetCustomer: ForgetCustomer;
  now?: () => number;
}

type SyncResult = { kind: 'synced'; record: SubscriptionRecord } | { kind: 'customer_deleted' };

/**
 * Reads one customer's subscriptions from Stripe (one call: every status, newest first, with the
 * paying card expanded) and stores the record the site shows. Events only say *that* something
 * changed; this re-reads *what*, so a late or repeated event can never roll the record back.
 * A customer Stripe says was deleted is forgotten with its bindings; any other `resource_missing`
 * (a mode mix-up) propagates like every other Stripe and D1 error.
 */
export async function syncCustomer(
  { stripe, records, forgetCustomer, now = Date.now }: SyncDeps,
  customerId: string,
): Promise<SyncResult> {
  const readAt = now();
  let subscriptions: Stripe.Subscription[];
  try {
    const page = await stripe.subscriptions.list({
      customer: customerId,
      // Stripe's default leaves canceled subscriptions out (docs.stripe.com/api/subscriptions/list).
      status: 'all',
      limit: 100,
      // The schedule holds a frequency change (docs/changes.md).
      expand: ['data.default_payment_method', 'data.customer.invoice_settings.default_payment_method', 'data.schedule'],
    });
    subscriptions = page.data;
  } catch (error) {
    if (!isMissingCustomer(error)) throw error;
    await forgetCustomerIfDeleted({ stripe, forgetCustomer }, customerId, error);
    return { kind: 'customer_deleted' };
  }
  const record = toRecord(customerId, subscriptions, readAt);
  await records.put(record);
  return { kind: 'synced', record };
}
