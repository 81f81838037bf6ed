/**
 * What the site asks of Stripe, and the restricted key's permissions that allows (Dashboard →
 * Developers → API keys → Create restricted key). One table: every Stripe call in src/lib is listed
 * here (a unit test reads the code and fails on a call missing from it), the permissions are derived
 * from it, and docs/setup.md and the setup CLI print them from here.
 */

/** A resource as the restricted-key form names it, and the access it needs. */
export interface Permission {
  resource: string;
  access: 'read' | 'write';
}

interface StripeCall {
  /** The permission the call needs; a call that expands another resource needs that one too. */
  needs: readonly Permission[];
  /** Why the site makes it. */
  why: string;
}

/** Every Stripe call the site makes, by its SDK name (`stripe.<name>(…)`). */
export const STRIPE_CALLS = {
  'prices.list': {
    needs: [
      { resource: 'Prices', access: 'read' },
      // The catalog expands each price's product.
      { resource: 'Products', access: 'read' },
    ],
    why: 'the native catalog',
  },
  'checkout.sessions.create': {
    needs: [{ resource: 'Checkout Sessions', access: 'write' }],
    why: 'POST /checkout starts Checkout',
  },
  'checkout.sessions.retrieve': {
    needs: [
      { resource: 'Checkout Sessions', access: 'read' },
      { resource: 'Customers', access: 'read' },
    ],
    why: '/thanks and the webhook re-read the session and its customer (ownership)',
  },
  'customers.list': {
    needs: [{ resource: 'Customers', access: 'read' }],
    why: 'the newest customer (customer_id) and the sign-in lookup by e-mail',
  },
  'customers.search': {
    needs: [{ resource: 'Customers', access: 'read' }],
    why: 'the sign-in lookup by e-mail in any case',
  },
  'customers.retrieve': {
    needs: [{ resource: 'Customers', access: 'read' }],
    why: 'a deletion is confirmed before anything is dropped',
  },
  'subscriptions.list': {
    needs: [
      { resource: 'Subscriptions', access: 'read' },
      // The sync expands the paying card.
      { resource: 'PaymentMethods', access: 'read' },
    ],
    why: 'syncCustomer re-reads a customer’s subscriptions',
  },
  'subscriptions.retrieve': {
    needs: [
      { resource: 'Subscriptions', access: 'read' },
      { resource: 'Customers', access: 'read' },
    ],
    why: 'a subscriber’s skip, pause or frequency change reads the subscription, its schedule and customer first',
  },
  'subscriptions.update': {
    needs: [{ resource: 'Subscriptions', access: 'write' }],
    why: 'skip, pause and resume set or unset pause_collection (docs/changes.md)',
  },
  'subscriptionSchedules.create': {
    needs: [{ resource: 'Subscriptions', access: 'write' }],
    why: 'a frequency change schedules the new price from a renewal (docs/changes.md)',
  },
  'subscriptionSchedules.update': {
    needs: [{ resource: 'Subscriptions', access: 'write' }],
    why: 'a frequency change sets the schedule’s phases',
  },
  'subscriptionSchedules.release': {
    needs: [{ resource: 'Subscriptions', access: 'write' }],
    why: 'choosing the current frequency again drops a pending change',
  },
  'billingPortal.sessions.create': {
    needs: [{ resource: 'Customer portal', access: 'write' }],
    why: '/mypage opens the portal',
  },
  'invoices.retrieve': {
    needs: [
      { resource: 'Invoices', access: 'read' },
      // A paid invoice is read with its customer expanded (language, address when none was frozen).
      { resource: 'Customers', access: 'read' },
    ],
    why: 'invoice.paid and refunds re-read the invoice of a parcel',
  },
  'invoices.list': {
    needs: [
      { resource: 'Invoices', access: 'read' },
      { resource: 'Customers', access: 'read' },
    ],
    why: 'the hourly run finds paid invoices whose parcel was never recorded (one call a run)',
  },
  'invoicePayments.list': {
    needs: [
      // The Dashboard's resource for InvoicePayments is not confirmed in Stripe's docs; Invoices is assumed.
      { resource: 'Invoices', access: 'read' },
      // A parcel's refunds: each payment's PaymentIntent and its charge are expanded.
      { resource: 'PaymentIntents', access: 'read' },
      { resource: 'Charges', access: 'read' },
    ],
    why: 'a refund leads from its PaymentIntent to the invoice, and an invoice to what was refunded',
  },
  'creditNotes.list': {
    needs: [{ resource: 'Credit notes', access: 'read' }],
    why: 'a credit note for the whole amount calls a parcel off',
  },
  'prices.retrieve': {
    needs: [
      { resource: 'Prices', access: 'read' },
      // It expands the price's product.
      { resource: 'Products', access: 'read' },
    ],
    why: 'a parcel keeps its plan’s name and what one delivery holds',
  },
  // The doctor (src/lib/setup/doctor.ts) probes each read permission with a harmless read: these two read nothing
  // the site needs otherwise, and need no permission beyond the table's.
  'products.list': {
    needs: [{ resource: 'Products', access: 'read' }],
    why: 'the doctor probes the Products permission (limit 1)',
  },
  'paymentMethods.retrieve': {
    needs: [{ resource: 'PaymentMethods', access: 'read' }],
    why: 'the doctor probes the PaymentMethods permission (an id that cannot exist)',
  },
  'customerSessions.create': {
    needs: [{ resource: 'Customer sessions', access: 'write' }],
    why: 'embeds for a returning visitor (one per visitor per 30 minutes)',
  },
} as const satisfies Record<string, StripeCall>;

/** The restricted key's permissions: each resource once, at the highest access any call needs. */
export function restrictedKeyPermissions(): Permission[] {
  const access = new Map<string, Permission['access']>();
  for (const call of Object.values(STRIPE_CALLS) as StripeCall[])
    for (const { resource, access: needed } of call.needs)
      if (access.get(resource) !== 'write') access.set(resource, needed);
  return [...access].map(([resource, level]) => ({ resource, access: level }));
}
