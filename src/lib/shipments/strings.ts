/** What the shipments feature says to people, in both languages: the spreadsheet's headers and the shipping notice. */
import type { Translations } from '../language/translations.ts';
import type { ShipmentStatus } from './shipment.ts';

export interface ShipmentStrings {
  /** The spreadsheet's header row, one label per column (see SPREADSHEET_COLUMNS). */
  columns: {
    id: string;
    status: string;
    shipBy: string;
    paidAt: string;
    plan: string;
    perDelivery: string;
    quantity: string;
    name: string;
    postalCode: string;
    state: string;
    city: string;
    line1: string;
    line2: string;
    country: string;
    phone: string;
    email: string;
    carrier: string;
    trackingNumber: string;
    shippedAt: string;
    refund: string;
    customerId: string;
    subscriptionId: string;
    productId: string;
    priceId: string;
  };
  status: Record<ShipmentStatus, string>;
  /** A refund beside a shipment: the amount, formatted, and whether it was all of it. */
  refund: (amount: string, full: boolean) => string;
}

export const shipmentStrings: Translations<ShipmentStrings> = {
  ja: {
    columns: {
      id: '出荷番号（請求書ID）',
      status: '状態',
      shipBy: '発送期限',
      paidAt: '支払日時',
      plan: 'プラン',
      perDelivery: '1回のお届け内容',
      quantity: '数量',
      name: 'お届け先氏名',
      postalCode: '郵便番号',
      state: '都道府県',
      city: '市区町村',
      line1: '町名・番地',
      line2: '建物名・部屋番号',
      country: '国',
      phone: '電話番号',
      email: 'メールアドレス',
      carrier: '配送業者',
      trackingNumber: '伝票番号',
      shippedAt: '発送日時',
      refund: '返金',
      customerId: '顧客ID',
      subscriptionId: 'サブスクリプションID',
      productId: '商品ID',
      priceId: '価格ID',
    },
    status: { to_ship: '未発送', shipped: '発送済み', cancelled: '取り消し' },
    refund: (amount, full) => (full ? `${amount}（全額返金）` : `${amount}（一部返金）`),
  },
  en: {
    columns: {
      id: 'Shipment (invoice ID)',
      status: 'Status',
      shipBy: 'Ship by',
      paidAt: 'Paid at',
      plan: 'Plan',
      perDelivery: 'Each delivery',
      quantity: 'Quantity',
      name: 'Name',
      postalCode: 'Postal code',
      state: 'Prefecture',
      city: 'City',
      line1: 'Address line 1',
      line2: 'Address line 2',
      country: 'Country',
      phone: 'Phone',
      email: 'E-mail',
      carrier: 'Carrier',
      trackingNumber: 'Tracking number',
      shippedAt: 'Shipped at',
      refund: 'Refund',
      customerId: 'Customer ID',
      subscriptionId: 'Subscription ID',
      productId: 'Product ID',
      priceId: 'Price ID',
    },
    status: { to_ship: 'To ship', shipped: 'Shipped', cancelled: 'Cancelled' },
    refund: (amount, full) => (full ? `${amount} (full refund)` : `${amount} (partial refund)`),
  },
};

export interface NoticeStrings {
  subject: (shopName: string) => string;
  intro: string;
  carrier: string;
  trackingNumber: string;
  track: string;
  /** Where to look when the carrier's page does not know the number yet. */
  delay: string;
}

export const noticeStrings: Translations<NoticeStrings> = {
  ja: {
    subject: (shop) => `${shop}：商品を発送しました`,
    intro: 'ご注文の商品を発送しました。お荷物の状況は、配送業者のページでご確認いただけます。',
    carrier: '配送業者',
    trackingNumber: '伝票番号',
    track: '配送状況を確認する',
    delay: '発送直後は、配送業者のページに情報が表示されるまで時間がかかることがあります。',
  },
  en: {
    subject: (shop) => `${shop}: your order has shipped`,
    intro: "Your order is on its way. You can follow it on the carrier's page.",
    carrier: 'Carrier',
    trackingNumber: 'Tracking number',
    track: 'Track your parcel',
    delay: "Right after shipping, the carrier's page may take a while to show the parcel.",
  },
};

/** What the subscriber's storefront says about their latest parcel (components/ShipmentStatus.astro). */
export interface ParcelStrings {
  title: string;
  preparing: (shipBy: string) => string;
  shipped: (date: string) => string;
  trackingNumber: string;
  track: string;
}

export const parcelStrings: Translations<ParcelStrings> = {
  ja: {
    title: 'お届け状況',
    preparing: (shipBy) => `発送の準備をしています（${shipBy}までに発送します）。`,
    shipped: (date) => `${date}に発送しました。`,
    trackingNumber: '伝票番号',
    track: '配送状況を確認する',
  },
  en: {
    title: 'Your delivery',
    preparing: (shipBy) => `Being prepared: it ships by ${shipBy}.`,
    shipped: (date) => `Shipped on ${date}.`,
    trackingNumber: 'Tracking number',
    track: 'Track your parcel',
  },
};
