/**
 * Which paid invoice is a parcel to ship, and when a parcel is called off: pure decisions over the
 * Stripe objects (API version 2026-10-28.endive), which the caller re-reads from Stripe first.
 */
import type Stripe from 'stripe';
import type { Language } from '../language/languages.ts';
import { productText } from '../stripe/catalog.ts';
import { deliveryFromShipping } from '../subscriptions/delivery.ts';
import type { RefundNote, Shipment } from './shipment.ts';
import { shipByDate, type ShippingDays } from './shipping-days.ts';

/** What an invoice alone does not say: the shop's configuration, the products, the customer's address now. */
export interface ShipmentContext {
  /** SHIPPING_COUNTRIES is set: the plans are goods sent by post (otherwise nothing is ever shipped). */
  ships: boolean;
  /** SHIPPING_PRICE: the shipping line every subscription carries, which is not a plan. */
  shippingPriceId?: string;
  /** The language product names are entered in, in Stripe. */
  shopLanguage: Language;
  /** The products of the invoice's lines, by id (a line names its product by id only). */
  products: ReadonlyMap<string, Pick<Stripe.Product, 'name' | 'description' | 'metadata'>>;
  /** The customer's `shipping` as re-read now: used only when the invoice froze none. */
  customerShipping: Stripe.Customer.Shipping | null;
  /** The subscriber's language (the customer's `preferred_locales`), for the shipping notice. */
  language: Language;
  rules: ShippingDays;
}

/** The fields of an invoice the decision reads. */
export type ShipmentInvoice = Pick<
  Stripe.Invoice,
  | 'id'
  | 'status'
  | 'billing_reason'
  | 'status_transitions'
  | 'customer'
  | 'customer_email'
  | 'customer_phone'
  | 'customer_shipping'
  | 'parent'
> & { lines: { data: readonly Stripe.InvoiceLineItem[] } };

export type NoShipmentReason =
  /** Not (yet) paid: `status` is not `paid`. */
  | 'unpaid'
  /** Not a period's delivery: `subscription_update` prorations, `manual`, thresholds, quotes, … */
  | 'not_a_delivery'
  /** The shop sends nothing by post (a digital subscription). */
  | 'no_physical_delivery'
  /** No line is a plan (only the shipping line, or proration lines). */
  | 'no_plan'
  /** Several plans on one invoice: the site sells one per subscription, so the owner must look. */
  | 'several_plans'
  /** The plan's product was not passed in the context. */
  | 'unknown_product'
  /** Neither the invoice nor the customer has an address to send to. */
  | 'no_address';

export type ShipmentDecision = { kind: 'ship'; shipment: Shipment } | { kind: 'none'; reason: NoShipmentReason };

// Stripe.Invoice.BillingReason: `subscription_create` is a new subscription's first period,
// `subscription_cycle` each renewal (a trial's end included); every other reason is not a delivery.
export const DELIVERY_REASONS: ReadonlySet<string> = new Set(['subscription_create', 'subscription_cycle']);

function idOf(value: string | { id: string } | null | undefined): string | null {
  return typeof value === 'string' ? value : (value?.id ?? null);
}

/** A line's price id, if it has a price (Stripe.InvoiceLineItem.Pricing.PriceDetails). */
function linePriceId(line: Stripe.InvoiceLineItem): string | null {
  return idOf(line.pricing?.price_details?.price);
}

/** Proration lines (Stripe.InvoiceLineItem.Parent.*.proration) pay for a change, not a period's box. */
function isProration(line: Stripe.InvoiceLineItem): boolean {
  const parent = line.parent;
  return Boolean(parent?.subscription_item_details?.proration || parent?.invoice_item_details?.proration);
}

/**
 * Whether a paid invoice is a parcel to ship, and the parcel if so: `status` `paid` with
 * `billing_reason` `subscription_create` or `subscription_cycle`, one plan line, and an address
 * (`customer_shipping`, frozen by Stripe at finalization, else the customer's current `shipping`).
 * A free trial's first invoice (paid at 0) ships too: the subscriber tries the beans themselves,
 * and the issue counts every paid create or cycle invoice (docs/owner.md says so to the owner).
 */
export function decideShipment(invoice: ShipmentInvoice, context: ShipmentContext): ShipmentDecision {
  const paidAt = invoice.status_transitions.paid_at;
  if (invoice.status !== 'paid' || paidAt === null) return { kind: 'none', reason: 'unpaid' };
  // Since 2025-03-31.basil the subscription is under parent.subscription_details (Stripe.Invoice.Parent).
  const subscriptionId = idOf(invoice.parent?.subscription_details?.subscription);
  if (!invoice.billing_reason || !DELIVERY_REASONS.has(invoice.billing_reason) || !subscriptionId)
    return { kind: 'none', reason: 'not_a_delivery' };
  if (!context.ships) return { kind: 'none', reason: 'no_physical_delivery' };

  const planLines = invoice.lines.data.filter((line) => {
    const priceId = linePriceId(line);
    return priceId !== null && priceId !== context.shippingPriceId && !isProration(line);
  });
  const [line, ...others] = planLines;
  if (!line) return { kind: 'none', reason: 'no_plan' };
  if (others.some((other) => linePriceId(other) !== linePriceId(line)))
    return { kind: 'none', reason: 'several_plans' };

  const productId = line.pricing?.price_details?.product ?? '';
  const product = context.products.get(productId);
  if (!product) return { kind: 'none', reason: 'unknown_product' };

  const shipping = invoice.customer_shipping ?? context.customerShipping;
  const delivery = deliveryFromShipping(shipping);
  if (!delivery || delivery.address.line1 === null) return { kind: 'none', reason: 'no_address' };

  const text = productText(product, context.shopLanguage);
  const paidAtMs = paidAt * 1000;
  return {
    kind: 'ship',
    shipment: {
      id: invoice.id,
      customerId: idOf(invoice.customer) ?? '',
      subscriptionId,
      plan: {
        productId,
        priceId: linePriceId(line) ?? '',
        name: { ja: text.ja.name, en: text.en.name },
        perDelivery: { ja: text.ja.perDelivery, en: text.en.perDelivery },
      },
      quantity: planLines.reduce((sum, planLine) => sum + (planLine.quantity ?? 1), 0),
      shipTo: delivery,
      // Checkout keeps the phone it collects on the customer (customer_phone), not in shipping.
      phone: shipping?.phone?.trim() || invoice.customer_phone?.trim() || null,
      email: invoice.customer_email,
      language: context.language,
      paidAtMs,
      shipBy: shipByDate(paidAtMs, context.rules),
      status: 'to_ship',
      shippedAtMs: null,
      carrier: null,
      trackingNumber: null,
      refund: null,
    },
  };
}

/** What Stripe says now about a shipment's invoice, re-read by the caller. */
export interface CancellationState {
  invoice: Pick<Stripe.Invoice, 'status' | 'amount_paid' | 'currency'>;
  /** The invoice's charges (through its InvoicePayments: an invoice has no `charge` since 2025-03-31.basil). */
  charges: readonly Pick<Stripe.Charge, 'amount_refunded' | 'currency'>[];
  creditNotes: readonly Pick<Stripe.CreditNote, 'status' | 'total' | 'currency'>[];
  shipment: Pick<Shipment, 'status'>;
}

export type CancellationDecision =
  | { kind: 'cancel'; reason: 'voided' | 'refunded' | 'credited'; refund: RefundNote | null }
  /** The parcel stands (to ship, or shipped): `refund` is what to note beside it, null when nothing came back. */
  | { kind: 'keep'; refund: RefundNote | null };

/**
 * Whether a shipment is called off: its invoice was voided, refunded in full (its charges'
 * `amount_refunded`), or credited in full (its issued credit notes' `total`). A parcel already
 * shipped stays shipped; the money given back is noted beside it, as a partial refund always is.
 */
export function decideCancellation(state: CancellationState): CancellationDecision {
  const { invoice } = state;
  const currency = invoice.currency;
  const refunded = state.charges
    .filter((charge) => charge.currency === currency)
    .reduce((sum, charge) => sum + charge.amount_refunded, 0);
  // docs.stripe.com/invoicing/dashboard/credit-notes: a voided credit note credits nothing.
  const credited = state.creditNotes
    .filter((note) => note.status === 'issued' && note.currency === currency)
    .reduce((sum, note) => sum + note.total, 0);
  // A credit note that refunds also shows as a refund on the charge: the larger of the two, not their sum.
  const given = Math.max(refunded, credited);
  const full = invoice.amount_paid > 0 && given >= invoice.amount_paid;
  const refund: RefundNote | null = given > 0 ? { amount: given, currency, full } : null;

  if (state.shipment.status === 'shipped') return { kind: 'keep', refund };
  if (invoice.status === 'void') return { kind: 'cancel', reason: 'voided', refund };
  if (full) return { kind: 'cancel', reason: refunded >= invoice.amount_paid ? 'refunded' : 'credited', refund };
  return { kind: 'keep', refund };
}
