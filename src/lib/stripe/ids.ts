/**
 * Every Stripe id and key shape this site accepts, in one place. A value that fails its pattern is
 * never sent to Stripe or stored. Stripe ids are a prefix plus up to 255 characters
 * (docs.stripe.com/upgrades: object ids are at most 255 characters).
 */
const ID_PATTERNS = {
  customer: /^cus_[A-Za-z0-9]{1,250}$/,
  checkoutSession: /^cs_(test|live)_[A-Za-z0-9]{1,250}$/,
  event: /^evt_\w{1,250}$/,
  invoice: /^in_[A-Za-z0-9]{1,250}$/,
  paymentIntent: /^pi_[A-Za-z0-9]{1,250}$/,
  /** A Price or a legacy Plan id: Plans may have custom ids (e.g. `gold-blend-monthly`). */
  priceOrPlan: /^[A-Za-z0-9_.:-]{1,255}$/,
  /** Secret (sk_) or restricted (rk_) API key. */
  apiKey: /^(sk|rk)_(test|live)_[A-Za-z0-9]+$/,
  publishableKey: /^pk_(test|live)_[A-Za-z0-9]+$/,
  pricingTable: /^prctbl_[A-Za-z0-9]+$/,
  buyButton: /^buy_btn_[A-Za-z0-9]+$/,
} as const;

type StripeIdKind = keyof typeof ID_PATTERNS;

/** True when `value` has the shape of a Stripe id (or key) of this kind. */
export function isStripeId(kind: StripeIdKind, value: unknown): boolean {
  return typeof value === 'string' && ID_PATTERNS[kind].test(value);
}

/** True for a test-mode secret or restricted key. */
export function isTestModeKey(key: string): boolean {
  return /^(sk|rk)_test_/.test(key);
}
