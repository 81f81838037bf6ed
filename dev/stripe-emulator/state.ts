/**
 * The emulator's in-memory state, Stripe-like ids and event records.
 * Maps keep insertion order, which is the order lists are served in (newest first).
 */
import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A Stripe-like id: `prefix` + `length` random alphanumerics, e.g. `newId('cs_test_', 58)`.
 * Only [A-Za-z0-9] follows the prefix, so ids match patterns like /^cs_(test|live)_[A-Za-z0-9]+$/.
 */
export function newId(prefix: string, length = 24): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // 248 = 4 * 62: dropping bytes at or above it keeps the characters uniformly distributed.
      if (byte < 248) out += ALPHANUMERIC[byte % 62];
      if (out.length === length) break;
    }
  }
  return prefix + out;
}

/** Id prefixes, one place. Checkout Session ids are long like Stripe's. */
export const ID_PREFIX = {
  product: 'prod_',
  price: 'price_',
  customer: 'cus_',
  subscription: 'sub_',
  subscriptionItem: 'si_',
  checkoutSession: 'cs_test_',
  lineItem: 'li_',
  portalSession: 'bps_',
  portalConfiguration: 'bpc_',
  event: 'evt_',
  request: 'req_',
} as const;

/** Current time as Unix seconds, like every `created` field. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * A deep copy of plain objects and arrays that keeps class instances (Stripe.Decimal) as they are,
 * so an event keeps the object as it was when the event happened.
 */
export function snapshot<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => snapshot(item)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[key] = snapshot(item);
    return copy as T;
  }
  return value;
}

/** Every event type, and the event shape for one type. */
export type EventType = Stripe.Event['type'];
export type EventOf<T extends EventType> = Extract<Stripe.Event, { type: T }>;
/** The `data.object` of an event type, e.g. Stripe.Checkout.Session for 'checkout.session.completed'. */
export type EventObject<T extends EventType> = EventOf<T>['data']['object'];

/** Everything the emulator knows. Exposed to tests as `emulator.state` (read freely; mutate with care). */
export class EmulatorState {
  /** Products by id, oldest first. */
  readonly products = new Map<string, Stripe.Product>();
  /** Prices by id, oldest first; `product` is always the product id here (expanded on output). */
  readonly prices = new Map<string, Stripe.Price>();
  readonly customers = new Map<string, Stripe.Customer>();
  readonly subscriptions = new Map<string, Stripe.Subscription>();
  /** Checkout Sessions by id (without `line_items`, which live in `checkoutLineItems`). */
  readonly checkoutSessions = new Map<string, Stripe.Checkout.Session>();
  /** Line items of each Checkout Session, by session id (served only when expanded, like Stripe). */
  readonly checkoutLineItems = new Map<string, Stripe.LineItem[]>();
  /** `subscription_data[metadata]` of each Checkout Session, copied onto its subscription. */
  readonly checkoutSubscriptionMetadata = new Map<string, Record<string, string>>();
  readonly portalSessions = new Map<string, Stripe.BillingPortal.Session>();
  /** Every event created, oldest first, whether or not a webhook endpoint was configured. */
  readonly events: Stripe.Event[] = [];
  /** Portal sessions whose simulated "update payment method" form was submitted. */
  readonly updatedPaymentMethods = new Set<string>();
  /** The default portal configuration id every portal session reports. */
  readonly portalConfigurationId = newId(ID_PREFIX.portalConfiguration);

  /** Alias of `checkoutSessions`. */
  get sessions(): Map<string, Stripe.Checkout.Session> {
    return this.checkoutSessions;
  }

  /** Empties customers, subscriptions, sessions and events; products and prices stay. */
  clearActivity(): void {
    this.customers.clear();
    this.subscriptions.clear();
    this.checkoutSessions.clear();
    this.checkoutLineItems.clear();
    this.checkoutSubscriptionMetadata.clear();
    this.portalSessions.clear();
    this.updatedPaymentMethods.clear();
    this.events.length = 0;
  }

  /**
   * Records an event whose `data.object` is a snapshot of `object` now.
   * `requestId` is set for events caused by an API call, null for ones caused by a hosted page.
   */
  createEvent<T extends EventType>(
    type: T,
    object: EventObject<T>,
    options: {
      requestId?: string | null;
      idempotencyKey?: string | null;
      pendingWebhooks?: number;
      /** For `*.updated` events: the changed fields' previous values. */
      previousAttributes?: Partial<EventObject<T>>;
    } = {},
  ): EventOf<T> {
    const event = {
      id: newId(ID_PREFIX.event),
      object: 'event' as const,
      api_version: Stripe.API_VERSION,
      created: nowSeconds(),
      data: {
        object: snapshot(object),
        ...(options.previousAttributes && { previous_attributes: snapshot(options.previousAttributes) }),
      },
      livemode: false,
      pending_webhooks: options.pendingWebhooks ?? 1,
      request: { id: options.requestId ?? null, idempotency_key: options.idempotencyKey ?? null },
      type,
    };
    // TypeScript cannot relate a generic `type` to its member of the Stripe.Event union; the
    // fields above are complete for every member (they differ only in `type` and `data.object`).
    const typed = event as unknown as EventOf<T>;
    this.events.push(typed);
    return typed;
  }
}
