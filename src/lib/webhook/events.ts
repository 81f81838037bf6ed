import type Stripe from 'stripe';
import type { CatalogCache } from '../stripe/catalog-cache.ts';
import type { Logger } from '../log.ts';
import { bindIfOwner, customerIdOf, type OwnershipTables } from '../checkout/ownership.ts';
import { isStripeId } from '../stripe/ids.ts';
import type { SharedCustomer } from '../subscriptions/shared-customer.ts';
import { syncCustomer, type SyncDeps } from '../subscriptions/sync.ts';
import { isDeletedInStripe } from '../subscriptions/customer.ts';

/**
 * What a verified event asks of the site. The event is only a trigger and a customer id: every
 * action re-reads the state it needs from Stripe, so a late or repeated event cannot roll it back.
 */
export type EventAction =
  /** Re-read the newest customer for the seed's `customer_id`. */
  | { kind: 'newest-customer' }
  /** Bind the paying browser under the ownership rule, then sync the customer. */
  | { kind: 'checkout-completed'; sessionId: string }
  /** Re-read one customer's subscriptions. */
  | { kind: 'sync'; customerId: string }
  /** Forget a customer Stripe confirms deleted: its record and every browser bound to it. */
  | { kind: 'customer-deleted'; customerId: string }
  /** Products or prices changed: refresh the catalog after answering. */
  | { kind: 'catalog-changed' }
  | { kind: 'ignore'; reason: string };

/** Subscription and invoice events whose only job is to re-sync their customer. */
const SYNC_EVENTS: ReadonlySet<string> = new Set([
  'checkout.session.async_payment_succeeded',
  'checkout.session.async_payment_failed',
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'customer.subscription.paused',
  'customer.subscription.resumed',
  'customer.subscription.pending_update_applied',
  'customer.subscription.pending_update_expired',
  'customer.subscription.trial_will_end',
  'invoice.paid',
  'invoice.payment_succeeded',
  'invoice.payment_failed',
  'invoice.payment_action_required',
  'invoice.marked_uncollectible',
]);

const CATALOG_EVENTS: ReadonlySet<string> = new Set([
  'product.created',
  'product.updated',
  'product.deleted',
  'price.created',
  'price.updated',
  'price.deleted',
]);

/** Every object these events carry names its customer, as an id or expanded. */
function customerOf(object: { customer?: string | { id: string } | null }): string | undefined {
  const customer = object.customer;
  const id = typeof customer === 'string' ? customer : customer?.id;
  return isStripeId('customer', id) ? id : undefined;
}

/** Decides what an event does, without doing it. */
export function planEvent(event: Stripe.Event): EventAction {
  const object = event.data.object as { id?: unknown; customer?: string | { id: string } | null };
  if (event.type === 'customer.created') return { kind: 'newest-customer' };
  if (event.type === 'customer.deleted') {
    return typeof object.id === 'string' && isStripeId('customer', object.id)
      ? { kind: 'customer-deleted', customerId: object.id }
      : { kind: 'ignore', reason: 'no_customer' };
  }
  if (event.type === 'customer.updated') {
    // A portal address (or card) change: the event's customer is only the trigger; the sync re-reads it.
    return typeof object.id === 'string' && isStripeId('customer', object.id)
      ? { kind: 'sync', customerId: object.id }
      : { kind: 'ignore', reason: 'no_customer' };
  }
  if (event.type === 'checkout.session.completed') {
    return typeof object.id === 'string' && isStripeId('checkoutSession', object.id)
      ? { kind: 'checkout-completed', sessionId: object.id }
      : { kind: 'ignore', reason: 'no_session' };
  }
  if (SYNC_EVENTS.has(event.type)) {
    const customerId = customerOf(object);
    return customerId ? { kind: 'sync', customerId } : { kind: 'ignore', reason: 'no_customer' };
  }
  if (CATALOG_EVENTS.has(event.type)) return { kind: 'catalog-changed' };
  return { kind: 'ignore', reason: 'unhandled_type' };
}

interface EventActionDeps extends Omit<SyncDeps, 'stripe'>, OwnershipTables {
  /** Undefined when STRIPE_API_KEY is missing: state cannot be read, so the event fails and Stripe retries. */
  stripe: Stripe | undefined;
  sharedCustomer: SharedCustomer;
  catalog: CatalogCache | undefined;
  /** Deletes the cached anonymous storefront (src/lib/http/edge-cache.ts). */
  purgeStorefront?: () => Promise<void>;
  log: Logger;
  /** REQUIRE_VERIFIED_EMAIL: only a sign-in link binds. */
  requireVerifiedEmail: boolean;
}

/** Does what `planEvent` decided. Stripe and KV errors propagate (the webhook answers 5xx; Stripe retries). */
export async function runEventAction(action: EventAction, deps: EventActionDeps): Promise<void> {
  if (action.kind === 'ignore') return;
  if (action.kind === 'catalog-changed') {
    deps.catalog?.changed();
    // Now, and again once the refresh has stored the new catalog (CatalogCache's onRefreshed).
    await deps.purgeStorefront?.();
    return;
  }
  const { stripe, log, sharedCustomer } = deps;
  if (!stripe) throw new Error('STRIPE_API_KEY is not set: Stripe cannot be read for this event');
  const sync: SyncDeps = { ...deps, stripe };

  switch (action.kind) {
    case 'newest-customer':
      return updateNewestCustomer(stripe, sharedCustomer);
    case 'customer-deleted':
      // The event only names a customer: Stripe confirms it is gone before anything is dropped.
      if (!(await isDeletedInStripe(stripe, action.customerId))) {
        log.warn({ msg: 'customer.deleted not confirmed by Stripe; nothing dropped' });
        return;
      }
      await deps.forgetCustomer(action.customerId);
      if ((await sharedCustomer.get()) === action.customerId) {
        await sharedCustomer.clear(action.customerId);
        await updateNewestCustomer(stripe, sharedCustomer);
      }
      return;
    case 'sync':
      await syncCustomer(sync, action.customerId);
      return;
    case 'checkout-completed': {
      const session = await stripe.checkout.sessions.retrieve(action.sessionId, { expand: ['customer'] });
      const binding = await bindIfOwner(deps, session, { requireVerifiedEmail: deps.requireVerifiedEmail });
      log.info({ msg: 'checkout completed', bound: binding.bound, reason: binding.bound ? undefined : binding.reason });
      const customerId = customerIdOf(session);
      if (customerId) await syncCustomer(sync, customerId);
      return;
    }
  }
}

/** The seed's `customer_id`: the newest customer Stripe lists (customers are listed newest first). */
async function updateNewestCustomer(stripe: Stripe, sharedCustomer: SharedCustomer): Promise<void> {
  const [newest] = (await stripe.customers.list({ limit: 1 })).data;
  if (newest) await sharedCustomer.set(newest.id, newest.created);
}
