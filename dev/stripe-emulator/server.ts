/**
 * The emulator's entry point: `startEmulator` wires the HTTP server (transport.ts), the /v1 router
 * (router.ts), the hosted pages (pages.ts) and webhook delivery, and answers the test-facing handle.
 *
 *   const emulator = await startEmulator({ webhookUrl, webhookSecret, log: false });
 *   const stripe = new Stripe(emulator.apiKey, { host: '127.0.0.1', port: emulator.port, protocol: 'http' });
 */
import { randomInt } from 'node:crypto';
import type Stripe from 'stripe';
import { StateConflictError } from './errors.ts';
import { decimal } from './objects.ts';
import { createPages } from './pages.ts';
import { switchPlan, updateCard } from './resources/billing-portal.ts';
import {
  ensureDefaultConfiguration,
  requireDefaultConfiguration,
  switchableProduct,
} from './resources/billing-portal-configurations.ts';
import { problemMessage } from './i18n.ts';
import { lockedEmail, payCheckout } from './resources/checkout-page.ts';
import { refreshExpiry } from './resources/checkout-sessions.ts';
import { createCreditNote } from './resources/credit-notes.ts';
import { createCustomer, deleteCustomer, type ShippingFields, updateShipping } from './resources/customers.ts';
import { paymentIntentOf, payOutOfBand, voidInvoice } from './resources/invoices.ts';
import { FAILING_IBAN, SUCCEEDING_IBAN } from './resources/payment-methods.ts';
import { refundLatestPayment } from './resources/refunds.ts';
import { setDefaultAccountTaxIds } from './resources/tax-ids.ts';
import { cancelNow, reactivateIfPaid } from './resources/subscription-core.ts';
import * as lifecycle from './resources/subscriptions.ts';
import { StateFile } from './persistence.ts';
import { createRouter, type ApiFault, type RecordedRequest } from './router.ts';
import { addManyProducts, addProduct, seedCatalog, type CreatedProduct, type ProductInput } from './seed.ts';
import { EmulatorState, pageEvents, type EventContext } from './state.ts';
import { isLoopbackHost, listen, type RequestHandler } from './transport.ts';
import { WebhookDispatcher, type DeliveryRecord } from './webhooks.ts';
import { webhookEndpointTargets } from './resources/webhook-endpoints.ts';

export { FREE_PROMOTION_CODE, LEGACY_PLAN_ID } from './seed.ts';
export { FAILING_IBAN, SUCCEEDING_IBAN } from './resources/payment-methods.ts';

/** Options of `startEmulator`. */
export interface EmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default '127.0.0.1'. Anything but a loopback address (127.0.0.0/8, ::1, localhost) needs `allowNonLoopback`. */
  host?: string;
  /**
   * Listen on a non-loopback `host` (e.g. 0.0.0.0 in a container). Off by default: the emulator
   * holds every demo customer's e-mail, and other machines on the network have no business with it.
   */
  allowNonLoopback?: boolean;
  /** The one key /v1 accepts (`sk_test_…` or `rk_test_…`); default a fresh `rk_test_` + 24 random characters per run. */
  apiKey?: string;
  /** Base of URLs handed to browsers (Checkout/portal `url`, product images); default the listening URL. Its host is also accepted in Host headers. */
  publicUrl?: string;
  /** Where events are POSTed, e.g. http://127.0.0.1:8787/webhook; can also be set later with setWebhook. */
  webhookUrl?: string;
  /** whsec_...; nothing is delivered without it. */
  webhookSecret?: string;
  /** Delay (ms) added to every /v1 call (default 0), for benchmarks. */
  latencyMs?: number;
  /** Waits (ms) before each webhook retry; default 0.5 s, 1 s, 2 s ... 32 s (8 attempts in all). */
  retrySchedule?: number[];
  /** Bank debits settle by themselves this many ms after they start; default null: only `settleAsyncPayments()` settles them. */
  asyncPaymentDelayMs?: number | null;
  /**
   * The account's terms-of-service URL (Dashboard → Settings → Public details), which
   * `consent_collection[terms_of_service]=required` needs; default DEFAULT_TERMS_URL, null = none set.
   */
  accountTermsUrl?: string | null;
  /** The account's public business name, which receipts carry; default DEFAULT_BUSINESS_NAME (the demo shop's). */
  businessName?: string;
  /** Dashboard → Settings → Customer emails → "Successful payments": e-mail receipts (state.emails); default true. */
  successfulPaymentEmails?: boolean;
  /** The account's language for e-mails to customers without `preferred_locales`; default 'ja' (a Japanese shop's). */
  emailLanguage?: 'ja' | 'en';
  /**
   * A JSON file that keeps the state across runs: loaded at start (the catalog is seeded only when the
   * file does not exist yet), written shortly after every change and at `close()`. It keeps the API key
   * too, unless `apiKey` is given. Default: none (in memory only).
   */
  stateFile?: string;
  /**
   * How long (ms) a new customer takes to appear in `GET /v1/customers/search`; default 1000. Stripe says
   * "data is searchable in under 1 minute" (docs.stripe.com/search#data-freshness): the lag makes code that
   * searches right after a write fail in tests rather than in production.
   */
  searchDelayMs?: number;
  /**
   * Also seed the odd products only tests need: the USD Espresso Club, a tiered and a metered price, and
   * the Gold Blend's monthly price under the legacy Plan id LEGACY_PLAN_ID. Default false: the catalog
   * file (src/content/shop/catalog.json) alone, as `npm start` shows it.
   */
  testFixtures?: boolean;
  /** One line per request ("POST /v1/checkout/sessions 200 3ms"); default console.log; false = silent. */
  log?: ((line: string) => void) | false;
}

/** How `completeCheckout` pays: a card (4242…), or a bank debit that settles later, succeeding or failing. */
type CheckoutMethod = 'card' | 'bank_debit' | 'bank_debit_failing';

/**
 * How `completeCheckout` pays. `shipping`, `phone` and `acceptTerms` matter only when the session
 * collects them; left out there, a Tokyo address (or one in the first allowed country), +81 90-1234-5678
 * and ticking the terms box are used, so tests that do not care need not say.
 */
interface CompleteCheckoutOptions {
  email?: string;
  method?: CheckoutMethod;
  promotionCode?: string;
  shipping?: { name: string; address: Partial<Stripe.Address> };
  phone?: string;
  /** Default true; false leaves the terms box unticked (completeCheckout then rejects). */
  acceptTerms?: boolean;
}

/** The address `completeCheckout` ships to unless told otherwise: Tokyo when Japan is allowed, else a made-up one. */
function defaultShipping(session: Stripe.Checkout.Session): CompleteCheckoutOptions['shipping'] {
  const countries = session.shipping_address_collection?.allowed_countries ?? [];
  if (countries.length === 0 || countries.includes('JP'))
    return {
      name: 'Taro Yamada',
      address: { country: 'JP', postal_code: '100-0001', state: 'Tokyo', city: 'Chiyoda-ku', line1: '1-1 Chiyoda' },
    };
  const country = countries[0] ?? 'US';
  return {
    name: 'Test Customer',
    address: { country, postal_code: '10001', state: 'NY', city: 'Test City', line1: '1 Test Street' },
  };
}

/** The Checkout form's shipping fields for an address in Stripe's shape. */
function shippingFields(shipping: CompleteCheckoutOptions['shipping']): Partial<ShippingFields> {
  const address = shipping?.address ?? {};
  const text = (value: string | null | undefined) => value ?? '';
  return {
    name: text(shipping?.name),
    country: text(address.country),
    postal_code: text(address.postal_code),
    state: text(address.state),
    city: text(address.city),
    line1: text(address.line1),
    line2: text(address.line2),
  };
}

/** A running emulator. Lifecycle methods resolve after the first delivery attempt of the events they cause. */
export interface Emulator {
  /** e.g. http://127.0.0.1:41235 */
  url: string;
  /** The only key /v1 accepts: hand it to the site (STRIPE_API_KEY) and to test clients. */
  apiKey: string;
  port: number;
  state: EmulatorState;
  /** Every /v1 request, oldest first (cleared in place by reset()). */
  requests: RecordedRequest[];
  /** Every webhook delivery attempt, oldest first (cleared in place by reset()). */
  deliveries: DeliveryRecord[];
  setWebhook(url: string, secret: string): void;
  setLatency(ms: number): void;
  /** Makes the next matching /v1 calls fail (any status, type, message, code, or a dropped socket). */
  failNext(fault: ApiFault): void;
  /** Makes the next matching /v1 calls answer Stripe's test-mode 429 rate limit. */
  rateLimitNext(fault?: Pick<ApiFault, 'method' | 'path' | 'count'>): void;
  /** While down, every /v1 call answers 500 api_error, or with 'drop' has its socket destroyed. */
  setDown(down: boolean | 'drop'): void;
  /** Holds webhook first attempts back (pages still redirect) until `resumeWebhooks`. */
  pauseWebhooks(): void;
  /** Delivers what was held back, in order, awaiting each first attempt. */
  resumeWebhooks(): Promise<void>;
  /**
   * Changes the default portal configuration (what the Dashboard's portal settings change; the API's
   * POST /v1/billing_portal/configurations/:id does the same): `subscriptionUpdate` (features.subscription_update.enabled)
   * and `shippingUpdate` (`shipping` in features.customer_update.allowed_updates) are on by default; `products`
   * (features.subscription_update.products) replaces the products and prices a plan switch offers, by default the
   * catalog file's; `subscriptionPause` (the pause control) is off, as in a new Stripe configuration, and pauses for one
   * month unless `subscriptionPauseDuration` says otherwise.
   */
  setPortalFeatures(features: {
    subscriptionUpdate?: boolean;
    shippingUpdate?: boolean;
    products?: Array<{ product: string; prices: string[] }>;
    subscriptionPause?: boolean;
    subscriptionPauseDuration?: Stripe.BillingPortal.Configuration.Features.SubscriptionPause.Duration;
  }): void;
  /**
   * Pays an open Checkout Session like the hosted page (customer, subscription, invoice, webhooks),
   * without the redirect. Throws when `email` differs from the e-mail the session locks.
   */
  completeCheckout(sessionId: string, options?: CompleteCheckoutOptions): Promise<Stripe.Checkout.Session>;
  /** Settles every processing bank debit now. */
  settleAsyncPayments(): Promise<void>;
  /**
   * Starts the next period (at the current one's end) and collects its invoice, as Stripe's renewal does: paid, or
   * voided / kept as a draft / uncollectible while `pause_collection` says so; a schedule's next phase takes over first.
   */
  renewNow(subscriptionId: string): Promise<Stripe.Subscription>;
  /** Starts the next period now with a failing payment: invoice.payment_failed, past_due. */
  failNextRenewal(subscriptionId: string): Promise<Stripe.Subscription>;
  endTrial(subscriptionId: string): Promise<Stripe.Subscription>;
  cancelAtPeriodEnd(subscriptionId: string): Promise<Stripe.Subscription>;
  resumeSubscription(subscriptionId: string): Promise<Stripe.Subscription>;
  cancelNow(subscriptionId: string): Promise<Stripe.Subscription>;
  /** Switches to one of the prices the default portal configuration offers the subscription, as the portal's plan switch does. */
  switchPrice(subscriptionId: string, priceId: string): Promise<Stripe.Subscription>;
  /**
   * Runs, in time order, everything due by `unixSeconds`: renewals and trial ends at their period ends, the end of a
   * `pause_collection` at its `resumes_at`, a `cancel_at`, a schedule's phase changes (the emulator's clock itself stays
   * real time: renewals are dated at their period ends).
   */
  advanceTo(unixSeconds: number): Promise<void>;
  /** Refunds the charge of the subscription's latest paid invoice: all of what is left, or `amount` (refund.created, charge.refunded). */
  refundLatestPayment(subscriptionId: string, amount?: number): Promise<Stripe.Refund>;
  /** Marks an invoice paid outside Stripe, as POST /v1/invoices/:id/pay with paid_out_of_band=true does (invoice.paid). */
  payOutOfBand(invoiceId: string): Promise<Stripe.Invoice>;
  /** Voids an open or uncollectible invoice, as POST /v1/invoices/:id/void does (invoice.voided). */
  voidInvoice(invoiceId: string): Promise<Stripe.Invoice>;
  /**
   * Issues a credit note of `amount` on an invoice (credit_note.created): on an open invoice it lowers what is due;
   * on a paid one it refunds the charge (`refund_amount`), or, paid out of band, records `out_of_band_amount`.
   */
  createCreditNote(invoiceId: string, amount: number): Promise<Stripe.CreditNote>;
  /** Saves a card as the customer's default, as the portal's form does (rejects for declined test cards). */
  updateCard(customerId: string, cardNumber: string): Promise<Stripe.PaymentMethod>;
  /** Changes a customer's shipping name and address as the portal's form does (customer.updated). */
  updateShipping(customerId: string, shipping: { name: string; address: Stripe.Address }): Promise<Stripe.Customer>;
  /** Deletes a customer as the Dashboard does (its subscriptions are canceled). */
  deleteCustomer(customerId: string): Promise<Stripe.DeletedCustomer>;
  /** Adds a customer (as the Dashboard would), without events. */
  addCustomer(input?: { email?: string | null; name?: string | null }): Stripe.Customer;
  /** Adds a product with its prices, without events. */
  addProduct(input: ProductInput): CreatedProduct;
  /** Adds `count` products with one monthly JPY price each ("Extra Beans #n"). */
  addManyProducts(count: number): CreatedProduct[];
  /**
   * Makes account tax IDs (`owner[type]=self`) the invoices' defaults, as the Dashboard's invoice template does ("Set as
   * default"; the API cannot for one's own account): finalized invoices carry them in `account_tax_ids`.
   */
  setDefaultAccountTaxIds(taxIds: string[]): void;
  /** Changes a price, without events. */
  updatePrice(id: string, patch: Partial<Pick<Stripe.Price, 'unit_amount' | 'active'>>): Stripe.Price;
  /** Clears requests, deliveries, paused webhooks, scripted faults and the down switch (not the catalog or customers). */
  reset(): void;
  /** Resolves when no webhook delivery or retry is pending. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** The account's public business name unless `businessName` says otherwise: the demo shop's. */
const DEFAULT_BUSINESS_NAME = 'はなまめ珈琲';

/** How long a new customer takes to become searchable unless `searchDelayMs` says otherwise. */
const DEFAULT_SEARCH_DELAY_MS = 1000;

/** The terms-of-service URL the emulator's account has unless `accountTermsUrl` says otherwise. */
export const DEFAULT_TERMS_URL = 'https://example.com/terms';

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A restricted test key made up for one run (docs.stripe.com/keys: test-mode keys start sk_test_ / rk_test_). */
function generateApiKey(): string {
  return `rk_test_${Array.from({ length: 24 }, () => KEY_ALPHABET[randomInt(KEY_ALPHABET.length)]).join('')}`;
}

/** Starts the emulator; resolves once it listens. Rejects a non-loopback `host` without `allowNonLoopback`. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host) && options.allowNonLoopback !== true) {
    throw new Error(
      `Stripe emulator: refusing to listen on ${JSON.stringify(host)}, which is not a loopback address (127.0.0.0/8, ::1, localhost). Pass allowNonLoopback: true (CLI: --allow-non-loopback) to expose it beyond this machine.`,
    );
  }
  if (options.apiKey !== undefined && !/^(sk|rk)_test_[A-Za-z0-9_]+$/.test(options.apiKey)) {
    throw new Error('Stripe emulator: apiKey must be a test-mode key (sk_test_… or rk_test_…).');
  }
  const log: (line: string) => void = options.log === false ? () => {} : (options.log ?? ((line) => console.log(line)));
  const state = new EmulatorState();
  const stateFile = options.stateFile === undefined ? null : new StateFile(options.stateFile);
  const saved = stateFile?.load(state) ?? null;
  const apiKey = options.apiKey ?? saved?.apiKey ?? generateApiKey();
  stateFile?.track(state, apiKey);
  const saveSoon = () => stateFile?.saveSoon();
  state.account.termsOfServiceUrl = options.accountTermsUrl === undefined ? DEFAULT_TERMS_URL : options.accountTermsUrl;
  state.search.delayMs = options.searchDelayMs ?? DEFAULT_SEARCH_DELAY_MS;
  state.account.businessName = options.businessName ?? DEFAULT_BUSINESS_NAME;
  state.account.successfulPaymentEmails = options.successfulPaymentEmails ?? true;
  state.account.emailLanguage = options.emailLanguage ?? 'ja';
  const dispatcher = new WebhookDispatcher({
    url: options.webhookUrl,
    secret: options.webhookSecret,
    endpoints: webhookEndpointTargets(state),
    retrySchedule: options.retrySchedule,
    log,
  });
  const asyncTimers = new Map<string, NodeJS.Timeout>();
  let publicUrl = '';
  const pendingWebhooks = () => (dispatcher.handleTargetSet ? 1 : 0);
  const helperEvents = (): EventContext => pageEvents(pendingWebhooks());

  /** Bank debits settle by themselves after `asyncPaymentDelayMs` (when set); a timer per processing payment. */
  const scheduleAsyncPayments = () => {
    const delay = options.asyncPaymentDelayMs;
    if (delay === null || delay === undefined) return;
    for (const invoiceId of state.processingPayments.keys()) {
      if (asyncTimers.has(invoiceId)) continue;
      const timer = setTimeout(() => {
        asyncTimers.delete(invoiceId);
        dispatcher.deliverInBackground(lifecycle.settleAsyncPayment(state, invoiceId, helperEvents()).events);
        saveSoon();
      }, delay);
      timer.unref();
      asyncTimers.set(invoiceId, timer);
    }
  };
  /** Delivers events caused by a page or a helper, awaiting first attempts (the pages' default, like Stripe). */
  const deliver = async (events: readonly Stripe.Event[]) => {
    scheduleAsyncPayments();
    saveSoon();
    await dispatcher.deliverAll(events);
  };
  /** A request handler that saves the state after anything but a GET (API calls and form posts change it). */
  const savingAfter =
    (handler: RequestHandler): RequestHandler =>
    async (req, res, url, method) => {
      try {
        await handler(req, res, url, method);
      } finally {
        if (method !== 'GET' && method !== 'HEAD') saveSoon();
      }
    };
  const pageContext = (acceptLanguage: string | null = null) => ({
    state,
    pendingWebhooks: pendingWebhooks(),
    acceptLanguage,
  });

  const router = createRouter({
    state,
    apiKey,
    publicUrl: () => publicUrl,
    pendingWebhooks,
    // Stripe sends events caused by API calls after answering the call.
    afterResponse: (events) => {
      scheduleAsyncPayments();
      dispatcher.deliverInBackground(events);
    },
  });
  router.setLatency(options.latencyMs ?? 0);
  const transport = await listen({
    host,
    port: options.port ?? 0,
    publicUrl: options.publicUrl,
    log,
    api: savingAfter(router.handle),
    pages: savingAfter(createPages({ context: pageContext, publicUrl: () => publicUrl, deliver })),
    apiError: router.apiError,
  });
  publicUrl = transport.publicUrl;
  if (saved) scheduleAsyncPayments();
  else seedCatalog(state, publicUrl, { testFixtures: options.testFixtures });
  // After the catalog, whose products and prices it lets subscribers switch between; also for a state file saved before
  // the emulator had portal configurations.
  ensureDefaultConfiguration(state);
  if (!saved) saveSoon();

  /** Runs a lifecycle action, delivers its events, and answers the subscription it changed. */
  const act = async (subscriptionId: string, run: (events: EventContext) => { events: Stripe.Event[] }) => {
    await deliver(run(helperEvents()).events);
    const subscription = state.subscriptions.get(subscriptionId);
    if (!subscription) throw new StateConflictError(`No such subscription: '${subscriptionId}'`);
    return subscription;
  };
  /** A stored invoice in one of `statuses`, for the handle's invoice actions (Error otherwise, like the API's refusals). */
  const invoiceIn = (id: string, statuses: ReadonlyArray<Stripe.Invoice.Status>) => {
    const invoice = state.invoices.get(id);
    if (!invoice) throw new StateConflictError(`No such invoice: '${id}'`);
    if (invoice.status === null || !statuses.includes(invoice.status))
      throw new StateConflictError(
        `Invoice ${id} is ${invoice.status ?? 'without a status'}; this needs ${statuses.join(' or ')}.`,
      );
    return invoice;
  };
  let closed: Promise<void> | null = null;

  return {
    url: transport.url,
    apiKey,
    port: transport.port,
    state,
    requests: router.requests,
    deliveries: dispatcher.deliveries,
    setWebhook(webhookUrl, secret) {
      dispatcher.configure(webhookUrl, secret);
    },
    setLatency: router.setLatency,
    failNext(fault) {
      router.failNext(fault);
    },
    rateLimitNext(fault = {}) {
      router.failNext(fault, true);
    },
    setDown: router.setDown,
    pauseWebhooks() {
      dispatcher.pause();
    },
    resumeWebhooks() {
      return dispatcher.resume();
    },
    setPortalFeatures(features) {
      const {
        customer_update: customerUpdate,
        subscription_update: update,
        subscription_pause: pause,
      } = requireDefaultConfiguration(state).features;
      if (features.subscriptionUpdate !== undefined) update.enabled = features.subscriptionUpdate;
      if (features.products)
        update.products = features.products.map(({ product, prices }) => switchableProduct(product, prices));
      if (features.shippingUpdate !== undefined) {
        const others = customerUpdate.allowed_updates.filter((allowed) => allowed !== 'shipping');
        customerUpdate.allowed_updates = features.shippingUpdate ? [...others, 'shipping'] : others;
        customerUpdate.enabled ||= features.shippingUpdate;
      }
      if (features.subscriptionPause !== undefined) pause.enabled = features.subscriptionPause;
      if (features.subscriptionPauseDuration) pause.duration = features.subscriptionPauseDuration;
    },
    async completeCheckout(sessionId, completeOptions = {}) {
      const session = state.checkoutSessions.get(sessionId);
      if (!session) throw new Error(`No such checkout.session: '${sessionId}'`);
      refreshExpiry(session);
      const locked = lockedEmail(state, session);
      if (locked !== null && completeOptions.email !== undefined && completeOptions.email !== locked) {
        throw new Error(
          `This Checkout Session locks the e-mail ${locked}; it cannot be paid as ${completeOptions.email}.`,
        );
      }
      const method = completeOptions.method ?? 'card';
      const shipping = completeOptions.shipping ?? defaultShipping(session);
      const result = payCheckout(pageContext(), session, {
        email: completeOptions.email ?? 'customer@example.com',
        method: method === 'card' ? 'card' : 'bank',
        card: '4242424242424242',
        iban: method === 'bank_debit_failing' ? FAILING_IBAN : SUCCEEDING_IBAN,
        promotionCode: completeOptions.promotionCode,
        shipping: shippingFields(shipping),
        phone: completeOptions.phone ?? '+819012345678',
        acceptTerms: completeOptions.acceptTerms ?? true,
      });
      if ('problem' in result) throw new Error(problemMessage(result.problem, 'en'));
      await deliver(result.events);
      return result.session;
    },
    async settleAsyncPayments() {
      for (const invoiceId of [...state.processingPayments.keys()]) {
        clearTimeout(asyncTimers.get(invoiceId));
        asyncTimers.delete(invoiceId);
        await deliver(lifecycle.settleAsyncPayment(state, invoiceId, helperEvents()).events);
      }
    },
    renewNow: (id) => act(id, (events) => lifecycle.renew(state, id, events)),
    failNextRenewal: (id) => act(id, (events) => lifecycle.renew(state, id, events, { fail: true })),
    endTrial: (id) => act(id, (events) => lifecycle.endTrial(state, id, events)),
    cancelAtPeriodEnd: (id) => act(id, (events) => lifecycle.cancelAtPeriodEnd(state, id, events)),
    resumeSubscription: (id) => act(id, (events) => lifecycle.resumeSubscription(state, id, events)),
    cancelNow: (id) => act(id, (events) => cancelNow(state, id, events)),
    switchPrice: (id, priceId) =>
      act(id, (events) => switchPlan(state, requireDefaultConfiguration(state), id, priceId, events)),
    async advanceTo(unixSeconds) {
      // Each step moves its subscription's next due time on; the bound only guards against a loop.
      for (let step = 0; step < 10_000; step++) {
        const due = lifecycle.nextDue(state, unixSeconds);
        if (!due) return;
        await deliver(due.run(helperEvents()).events);
      }
      throw new Error(`advanceTo(${unixSeconds}): more than 10000 steps are due; is a period empty?`);
    },
    async refundLatestPayment(subscriptionId, amount) {
      const result = refundLatestPayment(state, subscriptionId, amount, helperEvents());
      await deliver(result.events);
      return result.refund;
    },
    async payOutOfBand(invoiceId) {
      const invoice = invoiceIn(invoiceId, ['draft', 'open', 'uncollectible']);
      const events = helperEvents();
      await deliver([...payOutOfBand(state, invoice, events), ...reactivateIfPaid(state, invoice, events)]);
      return invoice;
    },
    async voidInvoice(invoiceId) {
      const invoice = invoiceIn(invoiceId, ['open', 'uncollectible']);
      await deliver(voidInvoice(state, invoice, helperEvents()));
      return invoice;
    },
    async createCreditNote(invoiceId, amount) {
      const invoice = invoiceIn(invoiceId, ['open', 'paid', 'uncollectible']);
      const paidByCharge = paymentIntentOf(state, invoice.id)?.status === 'succeeded';
      const postPayment = invoice.status === 'paid' ? amount : Math.max(0, amount - invoice.amount_remaining);
      const result = createCreditNote(
        state,
        invoice,
        {
          total: amount,
          lines: [],
          refundAmount: paidByCharge ? postPayment : 0,
          creditAmount: 0,
          outOfBandAmount: paidByCharge ? 0 : postPayment,
          reason: null,
          memo: null,
          metadata: {},
        },
        helperEvents(),
      );
      await deliver(result.events);
      return result.creditNote;
    },
    async updateCard(customerId, cardNumber) {
      await deliver(updateCard(state, customerId, { card: cardNumber }, helperEvents()).events);
      const id = state.customers.get(customerId)?.invoice_settings.default_payment_method;
      const paymentMethod = typeof id === 'string' ? state.paymentMethods.get(id) : undefined;
      if (!paymentMethod) throw new Error(`No payment method saved for '${customerId}'`);
      return paymentMethod;
    },
    async updateShipping(customerId, shipping) {
      const result = updateShipping(state, customerId, shipping, helperEvents());
      await deliver(result.events);
      return result.customer;
    },
    async deleteCustomer(customerId) {
      const result = deleteCustomer(state, customerId, helperEvents());
      await deliver(result.events);
      return result.deleted;
    },
    addCustomer(input = {}) {
      return createCustomer(state, { email: input.email ?? null, name: input.name ?? null });
    },
    addProduct(input) {
      return addProduct(state, input);
    },
    addManyProducts(count) {
      return addManyProducts(state, count);
    },
    setDefaultAccountTaxIds(taxIds) {
      setDefaultAccountTaxIds(state, taxIds);
      saveSoon();
    },
    updatePrice(id, patch) {
      const price = state.prices.get(id);
      if (!price) throw new Error(`No such price: '${id}'`);
      if (patch.unit_amount !== undefined) {
        price.unit_amount = patch.unit_amount;
        price.unit_amount_decimal = decimal(patch.unit_amount);
      }
      if (patch.active !== undefined) price.active = patch.active;
      return price;
    },
    reset() {
      router.reset();
      dispatcher.clear();
    },
    settle() {
      return dispatcher.settle();
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        for (const timer of asyncTimers.values()) clearTimeout(timer);
        dispatcher.close();
        transport.server.close(() => resolve());
        transport.server.closeAllConnections();
      }).then(() => stateFile?.flush());
      return closed;
    },
  };
}
