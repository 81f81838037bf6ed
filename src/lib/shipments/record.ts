/**
 * What Stripe says about a parcel, read again on every event (the event is only a trigger): a paid
 * invoice becomes one shipment, and a refund, credit note or void calls it off before it ships.
 */
import type Stripe from 'stripe';
import type { Language } from '../language/languages.ts';
import type { Logger } from '../log/log.ts';
import { decideCancellation, decideShipment, type NoShipmentReason, type ShipmentInvoice } from './decide.ts';
import type { Shipments } from './shipments.ts';
import { DEFAULT_SHIPPING_DAYS, type ShippingDays } from './shipping-days.ts';

/** What the shop's configuration says about parcels. */
export interface ShippingSettings {
  /** SHIPPING_COUNTRIES is set: the plans are goods sent by post. */
  ships: boolean;
  shippingPriceId?: string;
  shopLanguage: Language;
  /** The profile's shipping rules, read on first use; undefined when it has none (DEFAULT_SHIPPING_DAYS then). */
  shippingRules: () => Promise<ShippingDays | undefined>;
}

/** What recording and re-checking parcels need. */
export interface ShipmentDeps extends ShippingSettings {
  stripe: Stripe;
  shipments: Shipments;
  log: Logger;
}

type Product = Pick<Stripe.Product, 'name' | 'description' | 'metadata'>;

/** The products read so far (a run reads each once). */
export type ProductCache = Map<string, Product>;

export type RecordOutcome = 'created' | 'exists' | NoShipmentReason;

/** The subscriber's language: the first of the customer's `preferred_locales` the shop speaks. */
function customerLanguage(customer: Stripe.Customer | Stripe.DeletedCustomer | null, fallback: Language): Language {
  if (!customer || customer.deleted) return fallback;
  for (const locale of customer.preferred_locales ?? []) {
    const language = locale.slice(0, 2).toLowerCase();
    if (language === 'ja' || language === 'en') return language;
  }
  return fallback;
}

/** Price ids of the lines whose product is not read yet (Stripe.InvoiceLineItem.Pricing.PriceDetails). */
function pricesToRead(invoice: ShipmentInvoice, products: ProductCache): string[] {
  const prices = invoice.lines.data.flatMap((line) => {
    const details = line.pricing?.price_details;
    if (!details || products.has(details.product)) return [];
    return [typeof details.price === 'string' ? details.price : details.price.id];
  });
  return [...new Set(prices)];
}

/**
 * Records the parcel of an invoice as Stripe returned it (its `customer` expanded): the decision is
 * decideShipment's, the products are read only when the invoice is a delivery, and the insert is
 * atomic, so concurrent or repeated calls for one invoice make one row.
 */
export async function recordInvoice(
  deps: ShipmentDeps,
  invoice: Stripe.Invoice,
  products: ProductCache = new Map(),
): Promise<RecordOutcome> {
  const customer = typeof invoice.customer === 'object' ? invoice.customer : null;
  const context = {
    ships: deps.ships,
    shippingPriceId: deps.shippingPriceId,
    shopLanguage: deps.shopLanguage,
    products,
    customerShipping: customer && !customer.deleted ? (customer.shipping ?? null) : null,
    language: customerLanguage(customer, deps.shopLanguage),
    rules: (await deps.shippingRules()) ?? DEFAULT_SHIPPING_DAYS,
  };
  let decision = decideShipment(invoice, context);
  if (decision.kind === 'none' && decision.reason === 'unknown_product') {
    // A line names its product by id only; its price expands to the product (name, per_delivery).
    for (const priceId of pricesToRead(invoice, products)) {
      const { product } = await deps.stripe.prices.retrieve(priceId, { expand: ['product'] });
      if (typeof product === 'object' && !product.deleted) products.set(product.id, product);
    }
    decision = decideShipment(invoice, context);
  }
  if (decision.kind === 'none') return decision.reason;
  return deps.shipments.insert(decision.shipment);
}

/**
 * `invoice.paid`: re-reads the invoice (and its customer) and records its parcel. An invoice that
 * already has one costs no Stripe call, so `invoice.paid` redelivered or racing its twin adds nothing.
 */
export async function recordPaidInvoice(deps: ShipmentDeps, invoiceId: string): Promise<RecordOutcome> {
  if (!deps.ships) return 'no_physical_delivery';
  if ((await deps.shipments.statuses([invoiceId])).has(invoiceId)) return 'exists';
  const invoice = await deps.stripe.invoices.retrieve(invoiceId, { expand: ['customer'] });
  const outcome = await recordInvoice(deps, invoice);
  deps.log.info({ msg: 'shipment', invoice: invoiceId, outcome });
  return outcome;
}

/**
 * A refund, credit note or void on an invoice: re-reads what Stripe says was given back and calls
 * the parcel off if it is still to ship, else notes the refund beside it. An invoice without a
 * parcel costs no Stripe call.
 */
export async function recheckInvoice(
  deps: Pick<ShipmentDeps, 'stripe' | 'shipments' | 'log'>,
  invoiceId: string,
): Promise<'cancelled' | 'kept' | 'no_shipment'> {
  const shipment = await deps.shipments.get(invoiceId);
  if (!shipment) return 'no_shipment';
  const { stripe } = deps;
  const [invoice, payments, creditNotes] = await Promise.all([
    stripe.invoices.retrieve(invoiceId),
    // Since 2025-03-31.basil an invoice names no charge: its InvoicePayments lead to the PaymentIntents' charges.
    stripe.invoicePayments.list({
      invoice: invoiceId,
      status: 'paid',
      limit: 100,
      expand: ['data.payment.payment_intent.latest_charge'],
    }),
    stripe.creditNotes.list({ invoice: invoiceId, limit: 100 }),
  ]);
  const charges = payments.data.flatMap((payment) => {
    const intent = payment.payment.payment_intent;
    const charge = typeof intent === 'object' && intent !== null ? intent.latest_charge : null;
    return typeof charge === 'object' && charge !== null ? [charge] : [];
  });
  const decision = decideCancellation({ invoice, charges, creditNotes: creditNotes.data, shipment });
  let outcome: 'cancelled' | 'kept' = 'kept';
  if (decision.kind === 'cancel' && (await deps.shipments.cancel(invoiceId, decision.refund)) === 'cancelled')
    outcome = 'cancelled';
  // Kept, or shipped meanwhile: the refund is noted beside the parcel.
  else await deps.shipments.noteRefund(invoiceId, decision.refund);
  deps.log.info({ msg: 'shipment recheck', invoice: invoiceId, outcome });
  return outcome;
}

/** The invoices a PaymentIntent paid (`charge.refunded` names the charge's PaymentIntent, not the invoice). */
export async function invoicesPaidBy(stripe: Stripe, paymentIntentId: string): Promise<string[]> {
  const payments = await stripe.invoicePayments.list({
    payment: { type: 'payment_intent', payment_intent: paymentIntentId },
    limit: 100,
  });
  return [
    ...new Set(
      payments.data.map((payment) => (typeof payment.invoice === 'string' ? payment.invoice : payment.invoice.id)),
    ),
  ];
}
