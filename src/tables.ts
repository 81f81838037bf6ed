/**
 * The site's state, assembled: one module per table, each beside the capability that owns it
 * (docs/storage.md). The composition root (site.ts) builds this once per isolate on its D1 and KV
 * bindings; tests build it on Miniflare's. A new table is a module in its capability's folder and a
 * line here (in `expiring` if its rows expire, in `forgetCustomer` if it holds a customer's rows).
 * The owner's tables (shipments and the rest) are assembled in src/owner-tables.ts, loaded on demand.
 */
import { CustomerSessions } from './lib/checkout/customer-session.ts';
import { DeclaredEmails } from './lib/checkout/declared-emails.ts';
import { PendingCheckouts } from './lib/checkout/pending-checkouts.ts';
import { SignInTokens } from './lib/identity/sign-in-tokens.ts';
import { deleteCustomerRows, type ExpiringRows } from './lib/storage/tables.ts';
import type { ForgetCustomer } from './lib/subscriptions/customer.ts';
import { SubscriptionRecords } from './lib/subscriptions/records.ts';
import { SharedCustomer } from './lib/subscriptions/shared-customer.ts';
import { ViewerReads } from './lib/subscriptions/viewer.ts';
import { Bindings } from './lib/visitor/bindings.ts';
import { ProcessedEvents } from './lib/webhook/processed-events.ts';

/** The site's state, one module per table beside the capability that owns it (docs/storage.md). */
export interface Tables {
  bindings: Bindings;
  records: SubscriptionRecords;
  processedEvents: ProcessedEvents;
  pendingCheckouts: PendingCheckouts;
  declaredEmails: DeclaredEmails;
  signInTokens: SignInTokens;
  customerSessions: CustomerSessions;
  /** KV: the seed's `customer_id`. */
  sharedCustomer: SharedCustomer;
  /** Page reads of a browser's binding and record, with this isolate's two-second copies. */
  viewerReads: ViewerReads;
  /** Forgets a customer Stripe confirmed deleted, from every table that holds it. */
  forgetCustomer: ForgetCustomer;
  /** Every table whose rows expire: the hourly run deletes what is past its time. */
  expiring: readonly ExpiringRows[];
}

/** Each table's module on this site's D1 database and KV namespace; writes drop this isolate's page-read copies. */
export function buildTables(db: D1Database, kv: KVNamespace, now: () => number = Date.now): Tables {
  const viewerReads = new ViewerReads(db, now);
  const bindings = new Bindings(db, { now, onChange: (visitorRef) => viewerReads.forget(visitorRef) });
  const records = new SubscriptionRecords(db, { now, onChange: () => viewerReads.forget(undefined) });
  const processedEvents = new ProcessedEvents(db, now);
  const pendingCheckouts = new PendingCheckouts(db, now);
  const declaredEmails = new DeclaredEmails(db, now);
  const signInTokens = new SignInTokens(db, now);
  const customerSessions = new CustomerSessions(db, now);
  return {
    bindings,
    records,
    processedEvents,
    pendingCheckouts,
    declaredEmails,
    signInTokens,
    customerSessions,
    sharedCustomer: new SharedCustomer(kv),
    viewerReads,
    forgetCustomer: (customerId) => deleteCustomerRows(db, [bindings, records, customerSessions], customerId),
    expiring: [processedEvents, bindings, declaredEmails, pendingCheckouts, signInTokens, customerSessions],
  };
}
