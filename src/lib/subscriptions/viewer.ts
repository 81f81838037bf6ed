import type { Store } from '../store';
import type { SubscriptionRecord } from './record';

/** Who is looking at a page: the browser's visitor id, its bound customer and that customer's subscription. */
export interface Viewer {
  visitorId: string | undefined;
  customerId: string | null;
  subscription: SubscriptionRecord | null;
}

/** Reads the binding and the subscription record (two KV reads for a bound browser, none without a cookie). */
export async function loadViewer(store: Store, visitorId: string | undefined): Promise<Viewer> {
  const customerId = visitorId ? await store.getVisitorCustomer(visitorId) : null;
  const subscription = customerId ? await store.getSubscription(customerId) : null;
  return { visitorId, customerId, subscription };
}
