/**
 * One parcel the owner ships: one per paid subscription invoice (its id is the invoice's), with
 * the address Stripe froze when the invoice was finalized.
 */
import type { Language } from '../language/languages.ts';
import type { DeliveryAddress } from '../subscriptions/delivery.ts';
import type { CarrierId } from './tracking.ts';

export type ShipmentStatus = 'to_ship' | 'shipped' | 'cancelled';

/** The plan as it was paid for: what goes in the box, in both languages. */
export interface ShipmentPlan {
  productId: string;
  priceId: string;
  name: Record<Language, string>;
  /** What one delivery holds ("200 g × 2袋"), from the product's `per_delivery` metadata; null when not given. */
  perDelivery: Record<Language, string | null>;
}

/** Money given back on the invoice after it was paid: refunds, or credit notes. */
export interface RefundNote {
  /** In the currency's minor units (formatAmount shows it). */
  amount: number;
  currency: string;
  /** The whole amount paid came back. */
  full: boolean;
}

export interface Shipment {
  /** The Stripe invoice id (in_…): one shipment per paid invoice. */
  id: string;
  customerId: string;
  subscriptionId: string;
  plan: ShipmentPlan;
  quantity: number;
  shipTo: { name: string; address: DeliveryAddress };
  /** As Stripe holds it (often E.164, +81…); carriers get it in domestic form. */
  phone: string | null;
  email: string | null;
  /** The subscriber's language (the customer's `preferred_locales`), for the shipping notice. */
  language: Language;
  /** When Stripe marked the invoice paid (epoch ms). */
  paidAtMs: number;
  /** The latest day it ships (YYYY-MM-DD, the shop's zone): shipByDate. */
  shipBy: string;
  status: ShipmentStatus;
  shippedAtMs: number | null;
  carrier: CarrierId | null;
  trackingNumber: string | null;
  /** Money given back after payment; on a shipped parcel it stays beside it for the owner to see. */
  refund: RefundNote | null;
}
