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
  invoice: 'in_',
  invoiceLine: 'il_',
  // docs.stripe.com/api/invoice-payment/object: ids look like inpay_1M3USa2eZvKYlo2CBjuwbq0N
  invoicePayment: 'inpay_',
  paymentIntent: 'pi_',
  charge: 'ch_',
  refund: 're_',
  creditNote: 'cn_',
  creditNoteLine: 'cnli_',
  // openapi/fixtures3.json subscription_schedule: sub_sched_1Pgc7AB7WZ01zgkWaeHcsbnC
  subscriptionSchedule: 'sub_sched_',
  paymentMethod: 'pm_',
  discount: 'di_',
  promotionCode: 'promo_',
  // docs.stripe.com/api/billing/meter/object: meter ids look like mtr_test_61Q8nQMqIFK9fRQmr41CMAXJrFdZ5MnA
  meter: 'mtr_test_',
  checkoutSession: 'cs_test_',
  lineItem: 'li_',
  portalSession: 'bps_',
  portalConfiguration: 'bpc_',
  // openapi/fixtures3.json tax_id: txi_1Pgc6sB7WZ01zgkWXkvC78jZ; account: acct_1PgafTB7WZ01zgkW
  taxId: 'txi_',
  account: 'acct_',
  // openapi/fixtures3.json webhook_endpoint: we_1Pgc6yB7WZ01zgkWzAudq4eU
  webhookEndpoint: 'we_',
  webhookSecret: 'whsec_',
  // openapi/fixtures3.json customer_session: client_secret "cuss_secret_" + 47 characters
  customerSessionSecret: 'cuss_secret_',
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

/** The id of an expandable field (`string | { id }`); '' when it is empty. */
export function idOf(value: string | { id: string } | null | undefined): string {
  if (!value) return '';
  return typeof value === 'string' ? value : value.id;
}

/** Every event type, and the event shape for one type. */
export type EventType = Stripe.Event['type'];
export type EventOf<T extends EventType> = Extract<Stripe.Event, { type: T }>;
/** The `data.object` of an event type, e.g. Stripe.Checkout.Session for 'checkout.session.completed'. */
export type EventObject<T extends EventType> = EventOf<T>['data']['object'];

/** Where an event came from, copied into the event (`request`, `pending_webhooks`). */
export interface EventContext {
  /** Request id of the API call that caused it; null for hosted pages and helpers. */
  requestId: string | null;
  idempotencyKey: string | null;
  /** 1 when the test handle's webhook target (`setWebhook`) is configured, else 0; endpoints are counted per event. */
  pendingWebhooks: number;
}

/** Events caused by hosted pages and the test handle: no API request behind them. */
export function pageEvents(pendingWebhooks: number): EventContext {
  return { requestId: null, idempotencyKey: null, pendingWebhooks };
}

/** A bank debit that is still `processing`; settled later (see lifecycle.settleAsyncPayment). */
export interface ProcessingPayment {
  invoiceId: string;
  /** The Checkout Session paid this way, for its async_payment_* events; null for renewals. */
  checkoutSessionId: string | null;
  /** False for Stripe's failing test IBAN. */
  succeeds: boolean;
}

/** An e-mail Stripe sent a customer, in the shape the demo outbox lists the site's e-mails in (dev/built-worker.ts SentEmail). */
export interface CustomerEmail {
  messageId: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  /** ISO 8601. */
  sentAt: string;
  /** What it is about, e.g. the invoice a receipt is for. */
  invoice: string;
}

/**
 * A proration waiting for the subscription's next invoice (Stripe keeps these as pending invoice items:
 * docs.stripe.com/billing/subscriptions/prorations, "create_prorations … are added to the next invoice").
 */
export interface PendingProration {
  subscriptionItem: string;
  price: Stripe.Price;
  quantity: number | null;
  /** Negative for a credit for unused time. */
  amount: number;
  description: string;
  period: { start: number; end: number };
}

/** Everything the emulator knows. Exposed to tests as `emulator.state` (read freely; mutate with care). */
export class EmulatorState {
  /** Products by id, oldest first. */
  readonly products = new Map<string, Stripe.Product>();
  /** Prices by id, oldest first; `product` is always the product id here (expanded on output). */
  readonly prices = new Map<string, Stripe.Price>();
  /** `tiers` of tiered prices, by price id (Stripe returns them only when expanded). */
  readonly priceTiers = new Map<string, Stripe.Price.Tier[]>();
  readonly customers = new Map<string, Stripe.Customer>();
  /** What GET /v1/customers/:id answers once a customer is deleted. */
  readonly deletedCustomers = new Map<string, Stripe.DeletedCustomer>();
  readonly subscriptions = new Map<string, Stripe.Subscription>();
  readonly invoices = new Map<string, Stripe.Invoice>();
  readonly paymentMethods = new Map<string, Stripe.PaymentMethod>();
  readonly coupons = new Map<string, Stripe.Coupon>();
  readonly promotionCodes = new Map<string, Stripe.PromotionCode>();
  readonly discounts = new Map<string, Stripe.Discount>();
  /** Checkout Sessions by id (without `line_items`, which live in `checkoutLineItems`). */
  readonly checkoutSessions = new Map<string, Stripe.Checkout.Session>();
  /** Line items of each Checkout Session, by session id (served only when expanded, like Stripe). */
  readonly checkoutLineItems = new Map<string, Stripe.LineItem[]>();
  /** `subscription_data` of each Checkout Session that is used when paying it. */
  readonly checkoutSubscriptionData = new Map<
    string,
    { trialPeriodDays: number | null; billingMode: Stripe.Subscription.BillingMode.Type }
  >();
  /** `customer_update` of each Checkout Session (Stripe.Checkout.SessionCreateParams.CustomerUpdate; not on the Session object). */
  readonly checkoutCustomerUpdate = new Map<string, { shipping: boolean }>();
  readonly portalSessions = new Map<string, Stripe.BillingPortal.Session>();
  readonly customerSessions: Stripe.CustomerSession[] = [];
  /** Bank debits still processing, by invoice id. */
  readonly processingPayments = new Map<string, ProcessingPayment>();
  /** When each customer becomes searchable (epoch ms), `search.delayMs` after it was created. */
  readonly searchableAt = new Map<string, number>();
  /** How long new objects take to reach the search index (docs.stripe.com/search#data-freshness: "under 1 minute"). */
  readonly search = { delayMs: 0 };
  /** Each invoice's PaymentIntents, by id (an invoice's default payment collects through one). */
  readonly paymentIntents = new Map<string, Stripe.PaymentIntent>();
  readonly charges = new Map<string, Stripe.Charge>();
  readonly refunds = new Map<string, Stripe.Refund>();
  /** Invoice payments (Stripe.InvoicePayment), by id: what leads from a payment back to its invoice. */
  readonly invoicePayments = new Map<string, Stripe.InvoicePayment>();
  readonly creditNotes = new Map<string, Stripe.CreditNote>();
  readonly subscriptionSchedules = new Map<string, Stripe.SubscriptionSchedule>();
  /** Prorations not invoiced yet, by subscription id. */
  readonly pendingProrations = new Map<string, PendingProration[]>();
  /** Every event created, oldest first, whether or not a webhook endpoint was configured. */
  readonly events: Stripe.Event[] = [];
  /** Webhook endpoints made through the API, oldest first (without `secret`, which Stripe returns only at creation). */
  readonly webhookEndpoints = new Map<string, Stripe.WebhookEndpoint>();
  /** What a webhook endpoint object does not show: its signing secret, and whether it is a Connect endpoint. */
  readonly webhookEndpointSettings = new Map<string, { secret: string; connect: boolean }>();
  /** Customer portal configurations, oldest first; exactly one is the default (resources/billing-portal-configurations.ts). */
  readonly portalConfigurations = new Map<string, Stripe.BillingPortal.Configuration>();
  /**
   * The account's settings the emulator follows (GET /v1/account shows them). Public details (Dashboard → Settings →
   * Public details): the business name receipts carry, and the terms-of-service URL
   * `consent_collection[terms_of_service]=required` needs. Customer emails (Dashboard → Settings → Customer emails):
   * whether "Successful payments" sends receipts, and the language of e-mails to customers without preferred locales.
   */
  readonly account: {
    id: string;
    created: number;
    termsOfServiceUrl: string | null;
    businessName: string;
    successfulPaymentEmails: boolean;
    emailLanguage: 'en' | 'ja';
    /**
     * Dashboard → Settings → Billing → Invoice template → "Set as default": the account's tax IDs every invoice carries
     * from its finalization (Stripe.Account.Settings.Invoices.default_account_tax_ids).
     */
    defaultAccountTaxIds: string[];
  } = {
    id: newId(ID_PREFIX.account, 16),
    created: nowSeconds(),
    termsOfServiceUrl: null,
    businessName: '',
    successfulPaymentEmails: true,
    emailLanguage: 'en',
    defaultAccountTaxIds: [],
  };
  /** Tax IDs, the account's own (`owner.type: self`) and customers', oldest first. */
  readonly taxIds = new Map<string, Stripe.TaxId>();
  /** The e-mails Stripe sent customers (receipts), oldest first, for the demo outbox. */
  readonly emails: CustomerEmail[] = [];

  /**
   * Any stored object by id. Ids are not resolved by prefix: legacy Plan ids are merchant-chosen
   * (docs.stripe.com/api/checkout/sessions/create: line_items.price is "The ID of the Price or Plan object").
   */
  find(id: string): object | undefined {
    for (const map of [
      this.prices,
      this.products,
      this.customers,
      this.deletedCustomers,
      this.subscriptions,
      this.invoices,
      this.paymentMethods,
      this.checkoutSessions,
      this.portalSessions,
      this.discounts,
      this.promotionCodes,
      this.coupons,
      this.paymentIntents,
      this.charges,
      this.refunds,
      this.invoicePayments,
      this.creditNotes,
      this.subscriptionSchedules,
      this.taxIds,
    ] as ReadonlyArray<Map<string, object>>) {
      const found = map.get(id);
      if (found) return found;
    }
    return undefined;
  }

  /**
   * The enabled account endpoints an event of `type` goes to: those whose `enabled_events` name it or are `['*']`
   * (Stripe.WebhookEndpoint.enabled_events). Connect endpoints get only connected accounts' events, and the emulator
   * has no connected accounts.
   */
  webhookEndpointsFor(type: string): Stripe.WebhookEndpoint[] {
    return [...this.webhookEndpoints.values()].filter(
      (endpoint) =>
        endpoint.status === 'enabled' &&
        this.webhookEndpointSettings.get(endpoint.id)?.connect === false &&
        (endpoint.enabled_events.includes('*') || endpoint.enabled_events.includes(type)),
    );
  }

  /** Records an event whose `data.object` is a snapshot of `object` now. */
  createEvent<T extends EventType>(
    type: T,
    object: EventObject<T>,
    context: EventContext,
    /** For `*.updated` events: the changed fields' previous values. */
    previousAttributes?: Partial<EventObject<T>>,
  ): EventOf<T> {
    const event = {
      id: newId(ID_PREFIX.event),
      object: 'event' as const,
      api_version: Stripe.API_VERSION,
      created: nowSeconds(),
      data: {
        object: snapshot(object),
        ...(previousAttributes && { previous_attributes: snapshot(previousAttributes) }),
      },
      livemode: false,
      // Stripe.Event.pending_webhooks: "Number of webhooks that haven't been successfully delivered" (one per endpoint)
      pending_webhooks: context.pendingWebhooks + this.webhookEndpointsFor(type).length,
      request: { id: context.requestId, idempotency_key: context.idempotencyKey },
      type,
    };
    // TypeScript cannot relate a generic `type` to its member of the Stripe.Event union; the
    // fields above are complete for every member (they differ only in `type` and `data.object`).
    const typed = event as unknown as EventOf<T>;
    this.events.push(typed);
    return typed;
  }
}
