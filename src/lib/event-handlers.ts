import type Stripe from 'stripe';
import type { CatalogCache } from './catalog-cache';
import { KV_KEYS } from './store';
import { parseVisitorId } from './visitor';

/** What one verified event asks of the site. */
export type EventPlan =
  /** One KV value, kept only if this event is the newest to write it. */
  | { kind: 'ordered-write'; key: string; value: string }
  /** Re-read the plan catalog from Stripe. */
  | { kind: 'catalog-refresh'; catalog: CatalogCache }
  /** Nothing to do (unhandled type, or a handled type without what the site needs). */
  | { kind: 'ignore' };

/**
 * Decides what an event does, without doing it. How each type copes with disorder and redelivery:
 * - customer.created: `customer_id` keeps the `created` time of the event that wrote it; an older
 *   event arriving later is ignored, so the newest customer wins whatever the arrival order.
 * - checkout.session.completed: the binding visitor → customer is the same whichever copy lands;
 *   two different sessions for one visitor resolve by `created`, newest wins.
 * - product.* / price.*: the payload is only a trigger; the catalog is re-read whole from Stripe,
 *   so an old event never restores old data.
 */
export function planEvent(event: Stripe.Event, catalog: CatalogCache | undefined): EventPlan {
  switch (event.type) {
    case 'customer.created': {
      const customer = event.data.object;
      if (!/^cus_\w+$/.test(customer.id)) return { kind: 'ignore' };
      return { kind: 'ordered-write', key: KV_KEYS.sharedCustomer, value: customer.id };
    }
    case 'checkout.session.completed': {
      const session = event.data.object;
      const visitorId = parseVisitorId(session.client_reference_id);
      const customerId = typeof session.customer === 'string' ? session.customer : session.customer?.id;
      if (!visitorId || !customerId || !/^cus_\w+$/.test(customerId)) return { kind: 'ignore' };
      return { kind: 'ordered-write', key: KV_KEYS.visitor(visitorId), value: customerId };
    }
    case 'product.created':
    case 'product.updated':
    case 'product.deleted':
    case 'price.created':
    case 'price.updated':
    case 'price.deleted':
      // Without a Stripe key there is no catalog to refresh.
      return catalog ? { kind: 'catalog-refresh', catalog } : { kind: 'ignore' };
    default:
      return { kind: 'ignore' };
  }
}
