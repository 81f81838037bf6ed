import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import {
  decideCancellation,
  decideShipment,
  type CancellationState,
  type ShipmentContext,
  type ShipmentInvoice,
} from '../../../src/lib/shipments/decide.ts';
import { RULES } from './fixtures.ts';

const PAID_AT_S = Date.parse('2026-03-02T01:00:00Z') / 1000;

/** An invoice line as Stripe returns it at 2026-10-28.endive (price under pricing.price_details). */
function line(overrides: {
  price?: string;
  product?: string;
  amount?: number;
  quantity?: number;
  proration?: boolean;
}) {
  return {
    id: 'il_1',
    object: 'line_item',
    amount: overrides.amount ?? 1500,
    currency: 'jpy',
    quantity: overrides.quantity ?? 1,
    pricing: {
      type: 'price_details',
      price_details: { price: overrides.price ?? 'price_Monthly', product: overrides.product ?? 'prod_Beans' },
      unit_amount_decimal: '1500',
    },
    parent: {
      type: 'subscription_item_details',
      invoice_item_details: null,
      subscription_item_details: {
        invoice_item: null,
        proration: overrides.proration ?? false,
        proration_details: null,
        subscription: 'sub_1',
        subscription_item: 'si_1',
      },
    },
  } as unknown as Stripe.InvoiceLineItem;
}

function invoice(overrides: Partial<ShipmentInvoice> = {}): ShipmentInvoice {
  return {
    id: 'in_1',
    status: 'paid',
    billing_reason: 'subscription_cycle',
    status_transitions: { paid_at: PAID_AT_S, finalized_at: PAID_AT_S, marked_uncollectible_at: null, voided_at: null },
    customer: 'cus_1',
    customer_email: 'taro@example.com',
    customer_phone: '+819012345678',
    customer_shipping: {
      name: '山田 太郎',
      address: {
        city: '渋谷区',
        country: 'JP',
        line1: '神宮前1-2-3',
        line2: null,
        postal_code: '150-0001',
        state: '東京都',
      },
    },
    parent: {
      type: 'subscription_details',
      quote_details: null,
      subscription_details: { subscription: 'sub_1', metadata: {} },
    },
    lines: { data: [line({})] },
    ...overrides,
  };
}

const CONTEXT: ShipmentContext = {
  ships: true,
  shippingPriceId: 'price_Shipping',
  shopLanguage: 'ja',
  products: new Map([
    [
      'prod_Beans',
      {
        name: 'はなまめブレンド',
        description: null,
        metadata: { per_delivery: '200g×2袋', name_en: 'Hanamame Blend', per_delivery_en: '200 g × 2 bags' },
      },
    ],
  ]),
  customerShipping: null,
  language: 'ja',
  rules: RULES,
};

describe('decideShipment', () => {
  it('ships a paid renewal: the plan in both languages, the frozen address, the ship-by day', () => {
    const decision = decideShipment(
      invoice({ lines: { data: [line({}), line({ price: 'price_Shipping', product: 'prod_Ship', amount: 500 })] } }),
      CONTEXT,
    );
    expect(decision).toEqual({
      kind: 'ship',
      shipment: {
        id: 'in_1',
        customerId: 'cus_1',
        subscriptionId: 'sub_1',
        plan: {
          productId: 'prod_Beans',
          priceId: 'price_Monthly',
          name: { ja: 'はなまめブレンド', en: 'Hanamame Blend' },
          perDelivery: { ja: '200g×2袋', en: '200 g × 2 bags' },
        },
        quantity: 1,
        shipTo: {
          name: '山田 太郎',
          address: {
            postalCode: '150-0001',
            state: '東京都',
            city: '渋谷区',
            line1: '神宮前1-2-3',
            line2: null,
            country: 'JP',
          },
        },
        phone: '+819012345678',
        email: 'taro@example.com',
        language: 'ja',
        paidAtMs: PAID_AT_S * 1000,
        shipBy: '2026-03-04',
        status: 'to_ship',
        shippedAtMs: null,
        carrier: null,
        trackingNumber: null,
        refund: null,
      },
    });
  });

  it('ships the first invoice of a subscription, with the quantity and the phone of the shipping details', () => {
    const decision = decideShipment(
      invoice({
        billing_reason: 'subscription_create',
        lines: { data: [line({ quantity: 2, amount: 3000 })] },
        customer_shipping: { ...invoice().customer_shipping, phone: '03-1111-2222' },
      }),
      CONTEXT,
    );
    expect(decision.kind === 'ship' && [decision.shipment.quantity, decision.shipment.phone]).toEqual([
      2,
      '03-1111-2222',
    ]);
  });

  it("takes the customer's current address when the invoice froze none", () => {
    const customerShipping = {
      name: '佐藤 花子',
      address: { ...invoice().customer_shipping!.address!, city: '目黒区' },
    };
    const decision = decideShipment(invoice({ customer_shipping: null }), { ...CONTEXT, customerShipping });
    expect(decision.kind === 'ship' && decision.shipment.shipTo.name).toBe('佐藤 花子');
    expect(decideShipment(invoice({ customer_shipping: null }), CONTEXT)).toEqual({
      kind: 'none',
      reason: 'no_address',
    });
  });

  it('keeps the proration lines a renewal carries out of the plan', () => {
    const lines = [line({ price: 'price_Old', amount: -700, proration: true }), line({})];
    const decision = decideShipment(invoice({ lines: { data: lines } }), CONTEXT);
    expect(decision.kind === 'ship' && decision.shipment.plan.priceId).toBe('price_Monthly');
  });

  it.each<[string, Partial<ShipmentInvoice>, Partial<ShipmentContext>, string]>([
    [
      'an open invoice',
      { status: 'open', status_transitions: { ...invoice().status_transitions, paid_at: null } },
      {},
      'unpaid',
    ],
    ['a void invoice', { status: 'void' }, {}, 'unpaid'],
    ['a subscription_update proration', { billing_reason: 'subscription_update' }, {}, 'not_a_delivery'],
    ['a manual invoice', { billing_reason: 'manual', parent: null }, {}, 'not_a_delivery'],
    ['a threshold invoice', { billing_reason: 'subscription_threshold' }, {}, 'not_a_delivery'],
    ['a digital shop', {}, { ships: false }, 'no_physical_delivery'],
    ['only the shipping line', { lines: { data: [line({ price: 'price_Shipping' })] } }, {}, 'no_plan'],
    ['two plans', { lines: { data: [line({}), line({ price: 'price_Other' })] } }, {}, 'several_plans'],
    ['a product not passed in', {}, { products: new Map() }, 'unknown_product'],
    [
      'an address without a street',
      {
        customer_shipping: {
          name: '山田',
          address: { city: null, country: 'JP', line1: null, line2: null, postal_code: null, state: null },
        },
      },
      {},
      'no_address',
    ],
  ])('ships nothing for %s', (_, change, context, reason) => {
    expect(decideShipment(invoice(change), { ...CONTEXT, ...context })).toEqual({ kind: 'none', reason });
  });

  it('ships an invoice a coupon brought to zero: the line keeps its amount', () => {
    const discounted = invoice({ lines: { data: [line({ amount: 1500 })] } });
    expect(decideShipment(discounted, CONTEXT).kind).toBe('ship');
  });

  it('ships a free trial’s first invoice (paid at 0): the subscriber tries the beans', () => {
    const trial = invoice({ billing_reason: 'subscription_create', lines: { data: [line({ amount: 0 })] } });
    expect(decideShipment(trial, { ...CONTEXT, language: 'en' })).toMatchObject({
      kind: 'ship',
      shipment: { language: 'en', quantity: 1 },
    });
  });
});

describe('decideCancellation', () => {
  const state = (change: Partial<CancellationState> = {}): CancellationState => ({
    invoice: { status: 'paid', amount_paid: 1500, currency: 'jpy' },
    charges: [{ amount_refunded: 0, currency: 'jpy' }],
    creditNotes: [],
    shipment: { status: 'to_ship' },
    ...change,
  });

  it('keeps a paid, untouched shipment', () => {
    expect(decideCancellation(state())).toEqual({ kind: 'keep', refund: null });
  });

  it('cancels a fully refunded one', () => {
    expect(decideCancellation(state({ charges: [{ amount_refunded: 1500, currency: 'jpy' }] }))).toEqual({
      kind: 'cancel',
      reason: 'refunded',
      refund: { amount: 1500, currency: 'jpy', full: true },
    });
  });

  it('cancels a fully credited one, and counts a refunding credit note once', () => {
    const note = { status: 'issued' as const, total: 1500, currency: 'jpy' };
    expect(decideCancellation(state({ creditNotes: [note] }))).toMatchObject({ kind: 'cancel', reason: 'credited' });
    const both = state({ creditNotes: [note], charges: [{ amount_refunded: 1500, currency: 'jpy' }] });
    expect(decideCancellation(both)).toMatchObject({ refund: { amount: 1500, full: true } });
  });

  it('ignores voided credit notes and notes a partial refund beside a parcel that still goes', () => {
    const voided = { status: 'void' as const, total: 1500, currency: 'jpy' };
    expect(decideCancellation(state({ creditNotes: [voided] }))).toEqual({ kind: 'keep', refund: null });
    expect(decideCancellation(state({ charges: [{ amount_refunded: 500, currency: 'jpy' }] }))).toEqual({
      kind: 'keep',
      refund: { amount: 500, currency: 'jpy', full: false },
    });
  });

  it('cancels a voided invoice', () => {
    const voided = state({ invoice: { status: 'void', amount_paid: 0, currency: 'jpy' }, charges: [] });
    expect(decideCancellation(voided)).toEqual({ kind: 'cancel', reason: 'voided', refund: null });
  });

  it('leaves a shipped parcel shipped and notes the refund beside it', () => {
    const shipped = state({ shipment: { status: 'shipped' }, charges: [{ amount_refunded: 1500, currency: 'jpy' }] });
    expect(decideCancellation(shipped)).toEqual({
      kind: 'keep',
      refund: { amount: 1500, currency: 'jpy', full: true },
    });
  });
});
