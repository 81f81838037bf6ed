/** The delivery address the tests ship to, in each shape it takes: Stripe's, the record's, the Checkout form's. */

export const RECIPIENT = '山田 太郎';

/** As Stripe keeps it (Stripe.Address; Stripe.Customer.Shipping with the name). */
export const SHIBUYA_STRIPE_ADDRESS = {
  country: 'JP',
  postal_code: '150-0001',
  state: '東京都',
  city: '渋谷区',
  line1: '神宮前1-2-3',
  line2: '101号室',
};

/** As the subscription record keeps it (DeliveryAddress). */
export const SHIBUYA_ADDRESS = {
  postalCode: '150-0001',
  state: '東京都',
  city: '渋谷区',
  line1: '神宮前1-2-3',
  line2: '101号室',
  country: 'JP',
};

/** The phone Checkout asks for alongside (never kept by the site). */
export const PHONE = '090-1234-5678';
