import type Stripe from 'stripe';
import type { CatalogCache } from '../stripe/catalog-cache.ts';
import type { Logger } from '../log/log.ts';
import { bindIfOwner, customerIdOf, type OwnershipTables } from '../checkout/ownership.ts';
import { isStripeId } from '../stripe/ids.ts';
import type { SharedCustomer } from '../subscriptions/shared-customer.ts';
import { syncCustomer, type SyncDeps } from '../subscriptions/sync.ts';
import { isDeletedInStripe } from '../subscriptions/customer.ts';
import type { ShipmentDeps, ShippingSettings } from '../shipments/record.ts';
import type { Shipments } from '../shipments/shipments.ts';

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
  /** Re-read one customer's subscriptions, and record the parcel of a paid invoice (shipments/record.ts). */
  | { kind: 'invoice-paid'; customerId: string; invoiceId: string }
  /** Money given back on an invoice (or the invoice voided): its parcel may be called off. */
  | { kind: 'invoice-changed'; invoiceId: string }
  /** A charge refunded: the invoices its PaymentIntent paid may lose their parcels. */
  | { kind: 'payment-refunded'; paymentIntentId: string }
  /** Forget a customer Stripe confirms deleted: its record and every browser bound to it. */
  | { kind: 'customer-deleted'; customerId: string }
  /** Products or prices changed: refresh the catalog after answering. */
  | { kind: 'catalog-changed' }
  | { kind: 'ignore'; reason: string };

/**
 * How the site reads each event type it handles: the one list of what the webhook endpoint must
 * send (docs/webhooks.md#events-handled and the setup CLI use it; anything else is ignored).
 * - `newest-customer`: re-read the newest customer (the seed's `customer_id`);
 * - `customer-deleted`: the object is the customer, confirmed deleted with Stripe before anything is dropped;
 * - `customer`: the object is the customer, whose subscriptions are re-read;
 * - `names-customer`: the object names its customer (`customer`), whose subscriptions are re-read;
 * - `checkout-completed`: the object is the session, re-read to bind the paying browser;
 * - `invoice-paid`: as `names-customer`, and the invoice (its `id`) becomes a parcel when it is a delivery;
 * - `invoice`: the object is an invoice (its `id`), or names one (`invoice`), whose parcel is re-checked;
 * - `charge`: the object is a charge naming its PaymentIntent, whose invoices' parcels are re-checked;
 * - `catalog`: products or prices changed.
 */
const HANDLED_EVENTS = {
  'customer.created': 'newest-customer',
  'customer.deleted': 'customer-deleted',
  // A portal address (or card) change: the event's customer is only the trigger; the sync re-reads it.
  'customer.updated': 'customer',
  'checkout.session.completed': 'checkout-completed',
  'checkout.session.async_payment_succeeded': 'names-customer',
  'checkout.session.async_payment_failed': 'names-customer',
  'customer.subscription.created': 'names-customer',
  'customer.subscription.updated': 'names-customer',
  'customer.subscription.deleted': 'names-customer',
  'customer.subscription.paused': 'names-customer',
  'customer.subscription.resumed': 'names-customer',
  'customer.subscription.pending_update_applied': 'names-customer',
  'customer.subscription.pending_update_expired': 'names-customer',
  'customer.subscription.trial_will_end': 'names-customer',
  // A frequency change a schedule holds, edited in the Dashboard or released (docs/changes.md).
  'subscription_schedule.updated': 'names-customer',
  'subscription_schedule.released': 'names-customer',
  'subscription_schedule.canceled': 'names-customer',
  // Also the invoices marked paid out of band, which send no invoice.payment_succeeded.
  'invoice.paid': 'invoice-paid',
  'invoice.payment_succeeded': 'names-customer',
  'invoice.payment_failed': 'names-customer',
  'invoice.payment_action_required': 'names-customer',
  'invoice.marked_uncollectible': 'names-customer',
  'invoice.voided': 'invoice',
  'credit_note.created': 'invoice',
  'charge.refunded': 'charge',
  'product.created': 'catalog',
  'product.updated': 'catalog',
  'product.deleted': 'catalog',
  'price.created': 'catalog',
  'price.updated': 'catalog',
  'price.deleted': 'catalog',
} as const satisfies Partial<Record<Stripe.Event['type'], string>>;

/** Every event type the webhook endpoint must send, in one list. */
export const HANDLED_EVENT_TYPES = Object.keys(HANDLED_EVENTS) as ReadonlyArray<keyof typeof HANDLED_EVENTS>;

function isHandled(type: string): type is keyof typeof HANDLED_EVENTS {
  return Object.hasOwn(HANDLED_EVENTS, type);
}

/** Every object these events carry names its customer, as an id or expanded. */
function customerOf(object: { customer?: string | { id: string } | null }): string | undefined {
  return idOf('customer', object.customer);
}

/** A field naming another object, as an id or expanded, if it has the id shape of `kind`. */
function idOf(kind: 'customer' | 'invoice' | 'paymentIntent', value: unknown): string | undefined {
  const id = typeof value === 'string' ? value : (value as { id?: unknown } | null | undefined)?.id;
  return typeof id === 'string' && isStripeId(kind, id) ? id : undefined;
}

/** Decides what an event does, without doing it. */
export function planEvent(event: Stripe.Event): EventAction {
  if (!isHandled(event.type)) return { kind: 'ignore', reason: 'unhandled_type' };
  const object = event.data.object as {
    id?: unknown;
    customer?: string | { id: string } | null;
    invoice?: unknown;
    payment_intent?: unknown;
  };
  const ownId = typeof object.id === 'string' ? object.id : undefined;
  switch (HANDLED_EVENTS[event.type]) {
    case 'newest-customer':
      return { kind: 'newest-customer' };
    case 'customer-deleted':
      return isStripeId('customer', ownId) && ownId
        ? { kind: 'customer-deleted', customerId: ownId }
        : { kind: 'ignore', reason: 'no_customer' };
    case 'customer':
      return isStripeId('customer', ownId) && ownId
        ? { kind: 'sync', customerId: ownId }
        : { kind: 'ignore', reason: 'no_customer' };
    case 'checkout-completed':
      return isStripeId('checkoutSession', ownId) && ownId
        ? { kind: 'checkout-completed', sessionId: ownId }
        : { kind: 'ignore', reason: 'no_session' };
    case 'names-customer': {
      const customerId = customerOf(object);
      return customerId ? { kind: 'sync', customerId } : { kind: 'ignore', reason: 'no_customer' };
    }
    case 'invoice-paid': {
      const customerId = customerOf(object);
      if (!customerId) return { kind: 'ignore', reason: 'no_customer' };
      const invoiceId = idOf('invoice', ownId);
      return invoiceId ? { kind: 'invoice-paid', customerId, invoiceId } : { kind: 'sync', customerId };
    }
    case 'invoice': {
      // An invoice is its own id; a credit note names its invoice.
      const invoiceId = idOf('invoice', ownId) ?? idOf('invoice', object.invoice);
      return invoiceId ? { kind: 'invoice-changed', invoiceId } : { kind: 'ignore', reason: 'no_invoice' };
    }
    case 'charge': {
      const paymentIntentId = idOf('paymentIntent', object.payment_intent);
      return paymentIntentId
        ? { kind: 'payment-refunded', paymentIntentId }
        : { kind: 'ignore', reason: 'no_payment_intent' };
    }
    case 'catalog':
      return { kind: 'catalog-changed' };
  }
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
  /** What recording a paid invoice's parcel needs besides Stripe and the logger; the table loads on demand. */
  shipping: ShippingSettings & { shipments: () => Promise<Shipments> };
}

/** Does what `planEvent` decided. Stripe, D1 and KV errors propagate (the webhook answers 5xx; Stripe retries). */
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
    case 'invoice-paid':
    case 'invoice-changed':
    case 'payment-refunded':
      if (action.kind === 'invoice-paid') await syncCustomer(sync, action.customerId);
      // A shop that sends nothing by post has no parcels: no table to load, no Stripe call.
      if (!deps.shipping.ships) return;
      return runShipmentAction(action, { ...deps.shipping, shipments: await deps.shipping.shipments(), stripe, log });
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

/**
 * A parcel's part of an event: record a paid invoice's parcel, or re-check the parcels of an invoice
 * (or of what a PaymentIntent paid). Its modules load on the first such event, not at a cold start.
 */
async function runShipmentAction(
  action: Extract<EventAction, { kind: 'invoice-paid' | 'invoice-changed' | 'payment-refunded' }>,
  deps: ShipmentDeps,
): Promise<void> {
  const { invoicesPaidBy, recheckInvoice, recordPaidInvoice } = await import('../shipments/record.ts');
  if (action.kind === 'invoice-paid') await recordPaidInvoice(deps, action.invoiceId);
  else if (action.kind === 'invoice-changed') await recheckInvoice(deps, action.invoiceId);
  else
    for (const invoiceId of await invoicesPaidBy(deps.stripe, action.paymentIntentId))
      await recheckInvoice(deps, invoiceId);
}
