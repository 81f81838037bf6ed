import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { bindIfOwner } from '../../../src/lib/checkout/ownership.ts';
import { newVisitorSecret, visitorReference } from '../../../src/lib/visitor/cookie.ts';
import { storedState, useTestStorage } from '../../support/storage.ts';

const ctx = useTestStorage();

/** A browser's reference, as Stripe and ctx.storage see it. */
const newVisitorRef = async () => visitorReference(newVisitorSecret());

describe('bindIfOwner', () => {
  const session = (visitorRef: string, email: string | null, overrides: Partial<Stripe.Checkout.Session> = {}) =>
    ({
      id: 'cs_test_owner',
      object: 'checkout.session',
      status: 'complete',
      client_reference_id: visitorRef,
      customer: { id: 'cus_paid', object: 'customer', email },
      ...overrides,
    }) as unknown as Stripe.Checkout.Session;

  it('binds the browser that started the session and declared the customer’s e-mail', async () => {
    const visitor = await newVisitorRef();
    await ctx.tables.pendingCheckouts.put('cs_test_owner', {
      visitorRef: visitor,
      email: 'owner@example.com',
      customerId: null,
    });
    expect(await bindIfOwner(ctx.tables, session(visitor, 'Owner@Example.com'))).toEqual({
      bound: true,
      visitorRef: visitor,
      customerId: 'cus_paid',
    });
    expect(await ctx.tables.bindings.customerOf(visitor)).toBe('cus_paid');
  });

  it('binds nothing when another e-mail paid, another browser asks or started it, or it is not complete', async () => {
    const visitor = await newVisitorRef();
    await ctx.tables.pendingCheckouts.put('cs_test_owner', {
      visitorRef: visitor,
      email: 'owner@example.com',
      customerId: null,
    });
    expect(await bindIfOwner(ctx.tables, session(visitor, 'payer@example.com'))).toEqual({
      bound: false,
      reason: 'email_mismatch',
    });
    expect(
      await bindIfOwner(ctx.tables, session(visitor, 'owner@example.com'), {
        expectedVisitorRef: await newVisitorRef(),
      }),
    ).toEqual({ bound: false, reason: 'other_visitor' });
    // The session carries another browser's reference than the one that started it.
    expect(await bindIfOwner(ctx.tables, session(await newVisitorRef(), 'owner@example.com'))).toEqual({
      bound: false,
      reason: 'other_visitor',
    });
    expect(await bindIfOwner(ctx.tables, session(visitor, 'owner@example.com', { status: 'open' }))).toEqual({
      bound: false,
      reason: 'not_complete',
    });
    expect(await bindIfOwner(ctx.tables, session('not-a-reference', 'owner@example.com'))).toEqual({
      bound: false,
      reason: 'no_visitor',
    });
    const state = await storedState(ctx.storage);
    expect(state.bindings).toEqual([]);
    expect(state.pending_checkouts).toEqual([expect.objectContaining({ session_id: 'cs_test_owner' })]);
  });

  it('binds nothing for a session this site did not start (Payment Link, Dashboard, API, an embed)', async () => {
    const visitor = await newVisitorRef();
    // Even with the e-mail declared above an embed: embeds bind through a sign-in link.
    await ctx.tables.declaredEmails.declare(visitor, 'embed@example.com');
    expect(await bindIfOwner(ctx.tables, session(visitor, 'embed@example.com', { id: 'cs_test_link' }))).toEqual({
      bound: false,
      reason: 'not_started_here',
    });
    expect((await storedState(ctx.storage)).bindings).toEqual([]);
  });

  it('keeps a returning visitor bound to the customer its session was started for', async () => {
    const visitor = await newVisitorRef();
    await ctx.tables.bindings.bind(visitor, 'cus_paid', { via: 'checkout', email: 'paid@example.com' });
    await ctx.tables.pendingCheckouts.put('cs_test_again', {
      visitorRef: visitor,
      email: null,
      customerId: 'cus_paid',
    });
    expect(await bindIfOwner(ctx.tables, session(visitor, 'any@example.com', { id: 'cs_test_again' }))).toMatchObject({
      bound: true,
    });
  });

  it('with REQUIRE_VERIFIED_EMAIL binds a new customer only through a sign-in link', async () => {
    const visitor = await newVisitorRef();
    await ctx.tables.pendingCheckouts.put('cs_test_owner', {
      visitorRef: visitor,
      email: 'owner@example.com',
      customerId: null,
    });
    expect(
      await bindIfOwner(ctx.tables, session(visitor, 'owner@example.com'), { requireVerifiedEmail: true }),
    ).toEqual({
      bound: false,
      reason: 'verification_required',
    });
  });
});
