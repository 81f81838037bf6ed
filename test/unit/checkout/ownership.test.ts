import type Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bindIfOwner } from '../../../src/lib/checkout/ownership';
import { Store } from '../../../src/lib/store';
import { newVisitorId } from '../../../src/lib/visitor';
import { clearStorage, createTestStorage, storedState, type TestStorage } from '../../support/storage.ts';

let storage: TestStorage;
let store: Store;
beforeAll(async () => {
  storage = await createTestStorage();
});
beforeEach(async () => {
  await clearStorage(storage);
  store = new Store(storage.kv, storage.db);
});
afterAll(() => storage.dispose());

describe('bindIfOwner', () => {
  const session = (visitorId: string, email: string | null, overrides: Partial<Stripe.Checkout.Session> = {}) =>
    ({
      id: 'cs_test_owner',
      object: 'checkout.session',
      status: 'complete',
      client_reference_id: visitorId,
      customer: { id: 'cus_paid', object: 'customer', email },
      ...overrides,
    }) as unknown as Stripe.Checkout.Session;

  it('binds the browser that declared the customer’s e-mail', async () => {
    const visitor = newVisitorId();
    await store.putPendingCheckout('cs_test_owner', {
      visitorId: visitor,
      email: 'owner@example.com',
      customerId: null,
    });
    expect(await bindIfOwner(store, session(visitor, 'Owner@Example.com'))).toEqual({
      bound: true,
      visitorId: visitor,
      customerId: 'cus_paid',
    });
    expect(await store.getVisitorCustomer(visitor)).toBe('cus_paid');
  });

  it('binds nothing when another e-mail paid, nothing was declared, or another browser asks', async () => {
    const visitor = newVisitorId();
    await store.putPendingCheckout('cs_test_owner', {
      visitorId: visitor,
      email: 'owner@example.com',
      customerId: null,
    });
    expect(await bindIfOwner(store, session(visitor, 'payer@example.com'))).toEqual({
      bound: false,
      reason: 'email_mismatch',
    });
    expect(await bindIfOwner(store, session(visitor, 'owner@example.com'), newVisitorId())).toEqual({
      bound: false,
      reason: 'other_visitor',
    });
    expect(await bindIfOwner(store, session(newVisitorId(), 'owner@example.com', { id: 'cs_test_embed' }))).toEqual({
      bound: false,
      reason: 'no_declared_email',
    });
    expect(await bindIfOwner(store, session(visitor, 'owner@example.com', { status: 'open' }))).toEqual({
      bound: false,
      reason: 'not_complete',
    });
    const state = await storedState(storage);
    expect(state.bindings).toEqual([]);
    expect(state.pending_checkouts).toEqual([expect.objectContaining({ session_id: 'cs_test_owner' })]);
  });

  it('uses the e-mail declared above an embed when the site started no session', async () => {
    const visitor = newVisitorId();
    await store.declareEmail(visitor, 'embed@example.com');
    expect(await bindIfOwner(store, session(visitor, 'embed@example.com', { id: 'cs_test_embed' }))).toMatchObject({
      bound: true,
    });
  });

  it('keeps a returning visitor bound to the customer it paid for', async () => {
    const visitor = newVisitorId();
    await store.bindVisitor(visitor, 'cus_paid');
    expect(await bindIfOwner(store, session(visitor, 'any@example.com', { id: 'cs_test_again' }))).toMatchObject({
      bound: true,
    });
  });
});
