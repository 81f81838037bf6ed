/**
 * A subscriber's change, done: find this browser's own subscription, read it from Stripe, decide (decide.ts),
 * make the Stripe calls with idempotency keys, and store the record Stripe then gives. A Stripe error propagates
 * before anything is stored (the page answers with a reference).
 */
import type Stripe from 'stripe';
import type { Logger } from '../log/log.ts';
import type { Bindings } from '../visitor/bindings.ts';
import type { ForgetCustomer } from '../subscriptions/customer.ts';
import type { SubscriptionRecords } from '../subscriptions/records.ts';
import { syncCustomer } from '../subscriptions/sync.ts';
import {
  decideFrequency,
  decidePause,
  decideResume,
  decideSkip,
  type ChangeDecision,
  type ChangeRefusal,
  type ChangeRules,
  type ChangeSubject,
} from './decide.ts';
import { subjectOfRecord, subjectOfSubscription } from './subject.ts';

/** What the subscriber asked, as the form said it (dates are the renewals the page showed, Unix seconds). */
export type ChangeRequest =
  | { kind: 'skip'; target: number }
  | { kind: 'pause'; from: number; months: number }
  | { kind: 'resume' }
  | { kind: 'frequency'; priceId: string; from: number };

export type ChangeKind = ChangeRequest['kind'];

export interface ChangeDeps {
  stripe: Stripe;
  bindings: Bindings;
  records: SubscriptionRecords;
  forgetCustomer: ForgetCustomer;
  log: Logger;
  rules: ChangeRules;
  /** The catalog's plans: a new frequency is another of them for the same product, in the same currency. */
  plans: ReadonlyArray<{ priceId: string; productId: string; currency: string }>;
  now?: () => number;
}

export type ChangeOutcome =
  /** The browser is not bound to a customer with a subscription (or the subscription is not its own). */
  | { kind: 'not-subscriber' }
  /** A price the catalog does not offer for this subscription's product. */
  | { kind: 'not-offered' }
  | { kind: 'refused'; reason: ChangeRefusal }
  /** Decided, not done: what a confirmation page shows. */
  | { kind: 'preview'; subject: ChangeSubject; decision: ChangeDecision }
  /** Done (or already so); `email` and `subject` for the confirmation e-mail. */
  | { kind: 'done'; changed: boolean; subject: ChangeSubject; email: string | null };

function decide(subject: ChangeSubject, request: ChangeRequest, nowMs: number, rules: ChangeRules): ChangeDecision {
  switch (request.kind) {
    case 'skip':
      return decideSkip(subject, request.target, nowMs, rules);
    case 'pause':
      return decidePause(subject, request.from, request.months, nowMs, rules);
    case 'resume':
      return decideResume(subject, nowMs, rules);
    case 'frequency':
      return decideFrequency(subject, request.priceId, request.from, nowMs, rules);
  }
}

/** The subscription this browser's customer has, read from Stripe with its schedule and customer; null if none. */
async function ownSubscription(
  deps: ChangeDeps,
  visitorRef: string,
): Promise<{ customerId: string; subscription: Stripe.Subscription } | null> {
  // The primary, not a page's copy: this decides a write.
  const customerId = await deps.bindings.customerOf(visitorRef);
  if (!customerId) return null;
  const record = await deps.records.get(customerId);
  if (!record?.subscriptionId) return null;
  const subscription = await deps.stripe.subscriptions.retrieve(record.subscriptionId, {
    expand: ['schedule', 'customer'],
  });
  const owner = typeof subscription.customer === 'string' ? subscription.customer : subscription.customer.id;
  return owner === customerId ? { customerId, subscription } : null;
}

/** True when the catalog offers `priceId` for the subscription's product in its currency. */
function offered(plans: ChangeDeps['plans'], subscription: Stripe.Subscription, priceId: string): boolean {
  const product = subscription.items.data[0]?.price.product;
  const productId = typeof product === 'string' ? product : product?.id;
  return plans.some(
    (plan) => plan.priceId === priceId && plan.productId === productId && plan.currency === subscription.currency,
  );
}

/** The Stripe calls a decision needs, each under its own idempotency key derived from the form's `key`. */
async function apply(
  stripe: Stripe,
  subscription: Stripe.Subscription,
  decision: ChangeDecision,
  key: string,
): Promise<boolean> {
  switch (decision.kind) {
    case 'pause':
      // docs.stripe.com/billing/subscriptions/pause-payment: `void` voids each renewal invoice before `resumes_at`.
      await stripe.subscriptions.update(
        subscription.id,
        { pause_collection: { behavior: 'void', resumes_at: decision.resumesAt } },
        { idempotencyKey: `${key}:pause` },
      );
      return true;
    case 'unpause':
      // docs.stripe.com/billing/subscriptions/pause-payment#unpausing: an empty value resumes collection.
      await stripe.subscriptions.update(subscription.id, { pause_collection: '' }, { idempotencyKey: `${key}:resume` });
      return true;
    case 'schedule': {
      const item = subscription.items.data[0];
      if (!item) return false;
      const quantity = item.quantity ?? 1;
      const attached = typeof subscription.schedule === 'object' ? subscription.schedule : null;
      // docs.stripe.com/billing/subscriptions/subscription-schedules#existing-subscription: from_subscription.
      const schedule =
        attached?.status === 'active'
          ? attached
          : await stripe.subscriptionSchedules.create(
              { from_subscription: subscription.id },
              { idempotencyKey: `${key}:schedule` },
            );
      const start = schedule.current_phase?.start_date ?? schedule.phases[0]?.start_date;
      // The current price until the renewal, then the new one with nothing prorated; released afterwards.
      await stripe.subscriptionSchedules.update(
        schedule.id,
        {
          end_behavior: 'release',
          phases: [
            { items: [{ price: item.price.id, quantity }], start_date: start, end_date: decision.from },
            { items: [{ price: decision.priceId, quantity }], proration_behavior: 'none' },
          ],
        },
        { idempotencyKey: `${key}:phases` },
      );
      return true;
    }
    case 'release': {
      const schedule = subscription.schedule;
      if (!schedule) return false;
      // docs.stripe.com/api/subscription_schedules/release: the subscription stays as it is now.
      await stripe.subscriptionSchedules.release(typeof schedule === 'string' ? schedule : schedule.id, undefined, {
        idempotencyKey: `${key}:release`,
      });
      return true;
    }
    case 'unchanged':
    case 'refused':
      return false;
  }
}

/**
 * Decides a change for this browser's own subscription and, when `confirmed`, does it. `key` (the form's
 * one-time value) makes a double submission one change at Stripe; a double click also decides `unchanged`.
 */
export async function runChange(
  deps: ChangeDeps,
  input: { visitorRef: string; request: ChangeRequest; confirmed: boolean; key: string },
): Promise<ChangeOutcome> {
  const now = deps.now ?? Date.now;
  const own = await ownSubscription(deps, input.visitorRef);
  const subject = own ? subjectOfSubscription(own.subscription) : undefined;
  if (!own || !subject) return { kind: 'not-subscriber' };
  if (input.request.kind === 'frequency' && !offered(deps.plans, own.subscription, input.request.priceId))
    return { kind: 'not-offered' };
  const decision = decide(subject, input.request, now(), deps.rules);
  if (decision.kind === 'refused') {
    deps.log.info({ msg: 'subscriber change refused', change: input.request.kind, reason: decision.reason });
    return { kind: 'refused', reason: decision.reason };
  }
  if (!input.confirmed) return { kind: 'preview', subject, decision };
  const changed = await apply(deps.stripe, own.subscription, decision, `change:${own.subscription.id}:${input.key}`);
  deps.log.info({ msg: 'subscriber change', change: input.request.kind, decision: decision.kind });
  const synced = changed ? await syncCustomer(deps, own.customerId) : undefined;
  const after = synced?.kind === 'synced' ? subjectOfRecord(synced.record) : undefined;
  const customer = own.subscription.customer;
  return {
    kind: 'done',
    changed,
    subject: after ?? subject,
    email: typeof customer === 'object' && !customer.deleted ? customer.email : null,
  };
}
