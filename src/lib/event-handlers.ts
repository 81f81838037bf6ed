import type Stripe from 'stripe';
import type { CatalogCache } from './catalog-cache';
import type { Store } from './store';
import { parseVisitorId } from './visitor';

/** What handling one verified event did. */
export type EventOutcome = 'processed' | 'ignored';

export interface EventHandlerDeps {
  store: Store;
  /** Absent when no Stripe key is configured (the catalog then cannot be refreshed). */
  catalog?: CatalogCache;
}

/** Event types this site acts on; the README lists them for the Dashboard's webhook endpoint. */
export const HANDLED_EVENT_TYPES = [
  'customer.created',
  'checkout.session.completed',
  'product.created',
  'product.updated',
  'product.deleted',
  'price.created',
  'price.updated',
  'price.deleted',
] as const;

/**
 * Applies one verified event. Throws on storage or Stripe failure so the caller answers 5xx and
 * Stripe retries. How each type copes with disorder and redelivery:
 * - customer.created: keeps the `created` time of the event that wrote `customer_id`; an older
 *   event arriving later is ignored, so the newest customer wins whatever the arrival order.
 * - checkout.session.completed: the binding visitor → customer is the same whichever copy lands;
 *   two different sessions for one visitor resolve by `created`, newest wins.
 * - product.* / price.*: the payload is only a trigger; the handler re-reads the whole catalog
 *   from Stripe, so an old event never restores old data.
 */
export async function applyEvent(event: Stripe.Event, deps: EventHandlerDeps): Promise<EventOutcome> {
  switch (event.type) {
    case 'customer.created': {
      const customer = event.data.object;
      if (!/^cus_\w+$/.test(customer.id)) return 'ignored';
      await deps.store.setSharedCustomer(customer.id, event.created);
      return 'processed';
    }
    case 'checkout.session.completed': {
      const session = event.data.object;
      const visitorId = parseVisitorId(session.client_reference_id);
      const customerId = typeof session.customer === 'string' ? session.customer : session.customer?.id;
      if (!visitorId || !customerId || !/^cus_\w+$/.test(customerId)) return 'ignored';
      await deps.store.bindVisitor(visitorId, customerId, event.created);
      return 'processed';
    }
    case 'product.created':
    case 'product.updated':
    case 'product.deleted':
    case 'price.created':
    case 'price.updated':
    case 'price.deleted': {
      if (!deps.catalog) return 'ignored';
      await deps.catalog.refreshAfterChange();
      return 'processed';
    }
    default:
      return 'ignored';
  }
}
