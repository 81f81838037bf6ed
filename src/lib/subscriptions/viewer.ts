import type { Store, ViewerState } from '../store.ts';
import { hasMemberAccess, type SubscriptionRecord } from './record.ts';

/** Who is looking at a page: the browser's visitor id, its bound customer and that customer's subscription. */
export interface Viewer {
  visitorRef: string | undefined;
  customerId: string | null;
  /** How this browser proved its customer, and for which e-mail; null when not bound. */
  proof: ViewerState['proof'];
  subscription: SubscriptionRecord | null;
  /** The subscription opens the members area now (see hasMemberAccess). */
  member: boolean;
}

export interface ViewerOptions {
  /** Days a member keeps access past the period end while no fresh read confirms a renewal. */
  periodGraceDays: number;
  now?: () => number;
}

/** Reads the binding and the subscription record (one D1 statement for a browser with a cookie, none without). */
export async function loadViewer(
  store: Store,
  visitorRef: string | undefined,
  { periodGraceDays, now = Date.now }: ViewerOptions,
): Promise<Viewer> {
  if (!visitorRef) return { visitorRef, customerId: null, proof: null, subscription: null, member: false };
  const state = await store.viewerState(visitorRef);
  const member = state.subscription !== null && hasMemberAccess(state.subscription, now(), periodGraceDays);
  return { visitorRef, ...state, member };
}
