/**
 * Shared set-up for the emulator's own tests: an emulator, a real stripe-node client pointed at it,
 * and a webhook receiver that verifies every signature like a real endpoint.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { afterAll, beforeAll, expect } from 'vitest';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../dev/stripe-emulator/server.ts';
import { idOf } from '../../dev/stripe-emulator/state.ts';

export interface Harness {
  emulator: Emulator;
  stripe: Stripe;
  /** Every verified event the receiver got, in arrival order. */
  events: Stripe.Event[];
}

/** A Stripe client on the emulator like the site's (fetch client, no retries unless asked): what Stripe-side actors and the emulator's tests use. */
export function stripeOn(emulator: Emulator, maxNetworkRetries = 0): Stripe {
  return new Stripe(emulator.apiKey, {
    host: '127.0.0.1',
    port: emulator.port,
    protocol: 'http',
    httpClient: Stripe.createFetchHttpClient(),
    maxNetworkRetries,
  });
}

/** Starts an emulator (with the test fixtures unless told otherwise) and a webhook receiver for the file; stops both after it. */
export function useEmulator(options: EmulatorOptions = {}): Harness {
  const harness = { events: [] as Stripe.Event[] } as Harness;
  const secret = `whsec_${randomBytes(24).toString('hex')}`;
  let receiver: Server;
  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        try {
          const signature = String(req.headers['stripe-signature'] ?? '');
          harness.events.push(
            Stripe.webhooks.constructEvent(Buffer.concat(chunks).toString('utf8'), signature, secret),
          );
          res.writeHead(200).end('ok');
        } catch {
          res.writeHead(400).end('bad signature');
        }
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const port = (receiver.address() as AddressInfo).port;
    harness.emulator = await startEmulator({ log: false, retrySchedule: [20, 40], testFixtures: true, ...options });
    harness.emulator.setWebhook(`http://127.0.0.1:${port}/webhook`, secret);
    harness.stripe = stripeOn(harness.emulator);
  });
  afterAll(async () => {
    await harness.emulator.close();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });
  return harness;
}

/** A webhook receiver that keeps each POST's body and `Stripe-Signature`, for endpoints whose secret a test learns later. */
export interface RecordingReceiver {
  url: string;
  received: Array<{ body: string; signature: string }>;
  /** The received events that verify with `secret`, in arrival order. */
  eventsSignedWith(secret: string): Stripe.Event[];
  close(): Promise<void>;
}

/** Starts a receiver on a free loopback port that answers 200 and records what it gets. */
export async function recordingReceiver(): Promise<RecordingReceiver> {
  const received: RecordingReceiver['received'] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({
        body: Buffer.concat(chunks).toString('utf8'),
        signature: String(req.headers['stripe-signature'] ?? ''),
      });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`,
    received,
    eventsSignedWith: (secret) =>
      received.flatMap(({ body, signature }) => {
        try {
          return [Stripe.webhooks.constructEvent(body, signature, secret)];
        } catch {
          return [];
        }
      }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The seeded prices (the catalog file's and the test fixtures'), by what they are. */
export function seeded(emulator: Emulator): {
  monthly: Stripe.Price;
  bimonthly: Stripe.Price;
  quarterly: Stripe.Price;
  yearly: Stripe.Price;
  usd: Stripe.Price;
  gold: Stripe.Price;
  tiered: Stripe.Price;
  metered: Stripe.Price;
} {
  const byLookup = (key: string) => [...emulator.state.prices.values()].find((price) => price.lookup_key === key);
  const prices = [...emulator.state.prices.values()];
  const found = {
    monthly: byLookup('monthly_coffee_beans_1m_jpy'),
    bimonthly: byLookup('monthly_coffee_beans_2m_jpy'),
    quarterly: byLookup('monthly_coffee_beans_3m_jpy'),
    yearly: byLookup('yearly_coffee_beans_1y_jpy'),
    usd: byLookup('espresso_club_monthly_usd'),
    gold: emulator.state.prices.get('gold-blend-monthly'),
    tiered: prices.find((price) => price.billing_scheme === 'tiered'),
    metered: prices.find((price) => price.recurring?.usage_type === 'metered'),
  };
  for (const [name, price] of Object.entries(found)) if (!price) throw new Error(`seeded price ${name} missing`);
  return found as Record<keyof typeof found, Stripe.Price>;
}

/**
 * Adds a monthly plan in euros (€12.00): Checkout offers SEPA Direct Debit only in EUR, so bank-debit tests buy
 * this. Like any price outside the shop's currency, it says which tax it includes (or the site does not offer it).
 */
export function addEuroPrice(emulator: Emulator): Stripe.Price {
  const [price] = emulator.addProduct({
    name: 'ユーロ・ロースト',
    metadata: { name_en: 'Euro Roast', tax_label: '（付加価値税込み）', tax_label_en: ' (incl. VAT)' },
    prices: [{ unit_amount: 1200, currency: 'eur', interval: 'month', tax_behavior: 'inclusive' }],
  }).prices;
  if (!price) throw new Error('no euro price');
  return price;
}

/** Creates a subscription-mode Checkout Session for one price. */
export function createSession(
  stripe: Stripe,
  price: string,
  extra: Partial<Stripe.Checkout.SessionCreateParams> = {},
): Promise<Stripe.Checkout.Session> {
  return stripe.checkout.sessions.create({
    mode: 'subscription',
    line_items: [{ price, quantity: 1 }],
    success_url: 'http://127.0.0.1:4321/thanks?session_id={CHECKOUT_SESSION_ID}',
    cancel_url: 'http://127.0.0.1:4321/',
    ...extra,
  });
}

/** Creates a Checkout Session through the API and pays it on the emulator; answers its subscription. */
export async function paidSubscription(
  harness: Harness,
  price: string,
  extra: Partial<Stripe.Checkout.SessionCreateParams> = {},
  pay: Parameters<Emulator['completeCheckout']>[1] = {},
): Promise<Stripe.Subscription> {
  const session = await createSession(harness.stripe, price, extra);
  const paid = await harness.emulator.completeCheckout(session.id, pay);
  return harness.stripe.subscriptions.retrieve(idOf(paid.subscription));
}

/** The Stripe error a call rejects with. */
export async function stripeError(call: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  const error = await call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(Stripe.errors.StripeError);
  return error as Stripe.errors.StripeError;
}

/** A paid invoice's events, in Stripe's order (docs.stripe.com/billing/subscriptions/webhooks). */
export const PAID_INVOICE_EVENTS = [
  'invoice.created',
  'invoice.finalized',
  'invoice.paid',
  'invoice.payment_succeeded',
];

/** What a Checkout paid by card sends, in Stripe's order (the subscription is active at once). */
export const CARD_CHECKOUT_EVENTS = [
  'customer.created',
  'payment_method.attached',
  'customer.subscription.created',
  ...PAID_INVOICE_EVENTS,
  'checkout.session.completed',
];

/** A paid renewal's events: the invoice is created, the period moves on, then the invoice is finalized and paid. */
export const PAID_RENEWAL_EVENTS = [
  'invoice.created',
  'customer.subscription.updated',
  'invoice.finalized',
  'invoice.paid',
  'invoice.payment_succeeded',
];

/** The types of the events received since `from` (an index into `events`). */
export function typesSince(harness: Harness, from: number): string[] {
  return harness.events.slice(from).map((event) => event.type);
}

/**
 * The types of the events received since `from` that concern one subscription: the subscription itself, its
 * invoices and its schedule (other subscriptions may renew meanwhile, as `advanceTo` runs everything due).
 */
export function typesFor(harness: Harness, subscriptionId: string, from: number): string[] {
  return harness.events
    .slice(from)
    .filter((event) => {
      const object = event.data.object as {
        id?: string;
        subscription?: string | null;
        released_subscription?: string | null;
        parent?: { subscription_details?: { subscription?: string } | null } | null;
      };
      return (
        object.id === subscriptionId ||
        object.subscription === subscriptionId ||
        object.released_subscription === subscriptionId ||
        object.parent?.subscription_details?.subscription === subscriptionId
      );
    })
    .map((event) => event.type);
}

/** Submits a hosted-page form (as a browser would, without following the redirect). */
export function postForm(url: string, fields: Record<string, string>): Promise<Response> {
  return fetch(url, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' });
}
