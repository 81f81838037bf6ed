import type { Store } from './store';

export type MyPageTarget =
  | { kind: 'customer'; customerId: string; source: 'visitor' | 'shared' }
  | { kind: 'login'; url: string }
  | { kind: 'none' };

export interface MyPageInput {
  store: Store;
  visitorId: string | undefined;
  /** MYPAGE_SHARED_CUSTOMER=true: the seed's workshop behaviour. */
  sharedCustomerMode: boolean;
  /** PUBLIC_STRIPE_CUSTOMER_PORTAL_URL: Stripe's e-mail login portal. */
  portalLoginUrl: string | undefined;
}

/**
 * Where My Page leads, in order: the visitor's own customer; the shared seed customer only in
 * workshop mode; Stripe's e-mail login portal; else nothing found. KV errors propagate.
 */
export async function resolveMyPage({ store, visitorId, sharedCustomerMode, portalLoginUrl }: MyPageInput): Promise<MyPageTarget> {
  if (visitorId) {
    const customerId = await store.getVisitorCustomer(visitorId);
    if (customerId) return { kind: 'customer', customerId, source: 'visitor' };
  }
  if (sharedCustomerMode) {
    const customerId = await store.getSharedCustomer();
    if (customerId) return { kind: 'customer', customerId, source: 'shared' };
  }
  if (portalLoginUrl) return { kind: 'login', url: portalLoginUrl };
  return { kind: 'none' };
}
