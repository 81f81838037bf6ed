/** A `shipments` row (migrations/0005_shipments.sql) and the Shipment it holds, both ways. */
import { parseLanguage } from '../language/languages.ts';
import type { Shipment, ShipmentStatus } from './shipment.ts';
import { parseCarrier } from './tracking.ts';

/** A `shipments` row as D1 returns it. */
export interface ShipmentRow {
  invoice_id: string;
  customer_id: string;
  subscription_id: string;
  product_id: string;
  price_id: string;
  plan_name_ja: string;
  plan_name_en: string;
  per_delivery_ja: string | null;
  per_delivery_en: string | null;
  quantity: number;
  ship_to_name: string;
  postal_code: string | null;
  state: string | null;
  city: string | null;
  line1: string | null;
  line2: string | null;
  country: string | null;
  phone: string | null;
  email: string | null;
  language: string;
  paid_at: number;
  ship_by: string;
  status: string;
  shipped_at: number | null;
  carrier: string | null;
  tracking_number: string | null;
  cancelled_at: number | null;
  refund_amount: number | null;
  refund_currency: string | null;
  refund_full: number | null;
  notified_at: number | null;
  expires_at: number | null;
}

/** The columns a new shipment is inserted with, in `shipmentToRow` order (the rest start NULL). */
export const INSERT_COLUMNS = [
  'invoice_id',
  'customer_id',
  'subscription_id',
  'product_id',
  'price_id',
  'plan_name_ja',
  'plan_name_en',
  'per_delivery_ja',
  'per_delivery_en',
  'quantity',
  'ship_to_name',
  'postal_code',
  'state',
  'city',
  'line1',
  'line2',
  'country',
  'phone',
  'email',
  'language',
  'paid_at',
  'ship_by',
  'status',
] as const satisfies ReadonlyArray<keyof ShipmentRow>;

type InsertRow = Pick<ShipmentRow, (typeof INSERT_COLUMNS)[number]>;

const STATUSES: readonly ShipmentStatus[] = ['to_ship', 'shipped', 'cancelled'];

function statusOf(value: string): ShipmentStatus {
  return STATUSES.find((status) => status === value) ?? 'to_ship';
}

/** A new shipment's values for INSERT_COLUMNS. */
export function shipmentToRow(shipment: Shipment): InsertRow {
  const address = shipment.shipTo.address;
  return {
    invoice_id: shipment.id,
    customer_id: shipment.customerId,
    subscription_id: shipment.subscriptionId,
    product_id: shipment.plan.productId,
    price_id: shipment.plan.priceId,
    plan_name_ja: shipment.plan.name.ja,
    plan_name_en: shipment.plan.name.en,
    per_delivery_ja: shipment.plan.perDelivery.ja,
    per_delivery_en: shipment.plan.perDelivery.en,
    quantity: shipment.quantity,
    ship_to_name: shipment.shipTo.name,
    postal_code: address.postalCode,
    state: address.state,
    city: address.city,
    line1: address.line1,
    line2: address.line2,
    country: address.country,
    phone: shipment.phone,
    email: shipment.email,
    language: shipment.language,
    paid_at: shipment.paidAtMs,
    ship_by: shipment.shipBy,
    status: shipment.status,
  };
}

/** The Shipment a row holds. */
export function shipmentFromRow(row: ShipmentRow): Shipment {
  const carrier = parseCarrier(row.carrier);
  return {
    id: row.invoice_id,
    customerId: row.customer_id,
    subscriptionId: row.subscription_id,
    plan: {
      productId: row.product_id,
      priceId: row.price_id,
      name: { ja: row.plan_name_ja, en: row.plan_name_en },
      perDelivery: { ja: row.per_delivery_ja, en: row.per_delivery_en },
    },
    quantity: row.quantity,
    shipTo: {
      name: row.ship_to_name,
      address: {
        postalCode: row.postal_code,
        state: row.state,
        city: row.city,
        line1: row.line1,
        line2: row.line2,
        country: row.country,
      },
    },
    phone: row.phone,
    email: row.email,
    language: parseLanguage(row.language) ?? 'ja',
    paidAtMs: row.paid_at,
    shipBy: row.ship_by,
    status: statusOf(row.status),
    shippedAtMs: row.shipped_at,
    carrier: carrier ?? null,
    trackingNumber: row.tracking_number,
    refund:
      row.refund_amount !== null && row.refund_currency !== null
        ? { amount: row.refund_amount, currency: row.refund_currency, full: row.refund_full === 1 }
        : null,
  };
}
