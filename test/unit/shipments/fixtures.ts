/** Shipments and shipping rules for the shipments tests: the golden files are built from these. */
import type { Shipment } from '../../../src/lib/shipments/shipment.ts';
import { shippingRulesSchema, type ShippingRules } from '../../../src/lib/shipments/shipping-rules.ts';

/** Weekdays, closed over the New Year, 2 business days to ship, Tokyo. */
export const RULES: ShippingRules = shippingRulesSchema.parse({
  weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'],
  closed: ['2026-11-03', { from: '2026-12-29', to: '2027-01-04' }],
  businessDaysToShip: 2,
  sender: {
    name: 'はなまめ珈琲',
    postalCode: '100-0001',
    address: '東京都千代田区見本町1-2-3',
    building: 'はなまめビル2階',
    phone: '03-0000-0000',
  },
});

/** A shipment as decideShipment makes it, with `overrides`. */
export function shipment(overrides: Partial<Shipment> = {}): Shipment {
  return {
    id: 'in_1SampleInvoice000000001',
    customerId: 'cus_Sample0001',
    subscriptionId: 'sub_Sample0001',
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
    paidAtMs: Date.parse('2026-03-02T01:00:00Z'),
    shipBy: '2026-03-04',
    status: 'to_ship',
    shippedAtMs: null,
    carrier: null,
    trackingNumber: null,
    refund: null,
    ...overrides,
  };
}

/** The golden files' shipments: a comma and a quote, a line break, a name outside JIS X 0208, English. */
export const GOLDEN_SHIPMENTS: Shipment[] = [
  shipment({
    id: 'in_1GoldenComma0000000001',
    shipTo: {
      name: '佐藤 花子',
      address: {
        postalCode: '1500001',
        state: '東京都',
        city: '渋谷区',
        line1: '神宮前1-2-3',
        line2: 'メゾン"原宿", 101号',
        country: 'JP',
      },
    },
  }),
  shipment({
    id: 'in_1GoldenNewline000000002',
    quantity: 2,
    shipTo: {
      name: '鈴木 一郎',
      address: {
        postalCode: '530-0001',
        state: '大阪府',
        city: '大阪市北区',
        line1: '梅田2-4-9',
        line2: 'サンハイツ\n202号室',
        country: 'JP',
      },
    },
    phone: '06-1234-5678',
  }),
  shipment({
    id: 'in_1GoldenOutside00000003',
    shipTo: {
      name: '髙橋 美咲',
      address: {
        postalCode: '060-0001',
        state: '北海道',
        city: '札幌市中央区',
        line1: '北一条西1-1',
        line2: null,
        country: 'JP',
      },
    },
  }),
  shipment({
    id: 'in_1GoldenLatin0000000004',
    shipTo: {
      name: 'Jane Doe',
      address: {
        postalCode: '100-0005',
        state: '東京都',
        city: '千代田区',
        line1: '丸の内1-1-1',
        line2: 'Room 1203',
        country: 'JP',
      },
    },
    phone: null,
  }),
];
