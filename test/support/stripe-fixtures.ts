/**
 * Stripe objects for unit tests, typed with the `stripe` package (API 2026-10-28) so every field
 * the pinned version has is present, and shaped after Stripe's own examples (stripe/openapi
 * fixtures3.json): periods on the items, the paying card as an expanded PaymentMethod.
 */
import type Stripe from 'stripe';
import type { Plan } from '../../src/lib/stripe/catalog';

export interface SubscriptionFixture {
  id: string;
  status: Stripe.Subscription.Status;
  created: number;
  customer?: string;
  priceId?: string;
  productId?: string;
  currency?: string;
  periodEnd?: number;
  cancelAtPeriodEnd?: boolean;
  cancelAt?: number | null;
  trialEnd?: number | null;
  card?: { brand: string; last4: string } | null;
}

export function paymentMethodFixture(id: string, brand: string, last4: string): Stripe.PaymentMethod {
  return {
    id,
    object: 'payment_method',
    allow_redisplay: 'unspecified',
    billing_details: { address: null, email: null, name: null, phone: null, tax_id: null },
    card: {
      brand,
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
      country: 'US',
      display_brand: brand,
      exp_month: 12,
      exp_year: 2034,
      fingerprint: 'Xt5EWLLDS7FJjR1c',
      funding: 'credit',
      generated_from: null,
      last4,
      networks: { available: [brand], preferred: null },
      regulated_status: 'unregulated',
      three_d_secure_usage: { supported: true },
      wallet: null,
    },
    created: 1_700_000_000,
    customer: null,
    customer_account: null,
    livemode: false,
    metadata: {},
    type: 'card',
  };
}

export function subscriptionFixture(input: SubscriptionFixture): Stripe.Subscription {
  const priceId = input.priceId ?? 'price_monthly';
  const currency = input.currency ?? 'jpy';
  const periodEnd = input.periodEnd ?? input.created + 30 * 86_400;
  return {
    id: input.id,
    object: 'subscription',
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: input.created,
    billing_cycle_anchor_config: null,
    billing_mode: { flexible: null, type: 'classic' },
    billing_thresholds: null,
    cancel_at: input.cancelAt ?? null,
    cancel_at_period_end: input.cancelAtPeriodEnd ?? false,
    canceled_at: input.status === 'canceled' ? periodEnd : null,
    cancellation_details: { comment: null, feedback: null, reason: null },
    collection_method: 'charge_automatically',
    created: input.created,
    currency,
    customer: input.customer ?? 'cus_fixture',
    customer_account: null,
    days_until_due: null,
    default_payment_method: input.card
      ? paymentMethodFixture(`pm_${input.id}`, input.card.brand, input.card.last4)
      : null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    ended_at: input.status === 'canceled' ? periodEnd : null,
    invoice_settings: { account_tax_ids: null, issuer: { type: 'self' } },
    items: {
      object: 'list',
      data: [
        {
          id: `si_${input.id}`,
          object: 'subscription_item',
          billing_thresholds: null,
          created: input.created,
          current_period_end: periodEnd,
          current_period_start: input.created,
          discounts: [],
          metadata: {},
          plan: {} as Stripe.Plan,
          price: {
            id: priceId,
            object: 'price',
            active: true,
            billing_scheme: 'per_unit',
            created: 1_700_000_000,
            currency,
            custom_unit_amount: null,
            livemode: false,
            lookup_key: null,
            metadata: {},
            nickname: null,
            product: input.productId ?? 'prod_beans',
            recurring: {
              interval: 'month',
              interval_count: 1,
              meter: null,
              trial_period_days: null,
              usage_type: 'licensed',
            },
            tax_behavior: 'unspecified',
            tiers_mode: null,
            transform_quantity: null,
            type: 'recurring',
            unit_amount: 1500,
            unit_amount_decimal: null,
          } as unknown as Stripe.Price,
          quantity: 1,
          subscription: input.id,
          tax_rates: [],
        } as unknown as Stripe.SubscriptionItem,
      ],
      has_more: false,
      url: `/v1/subscription_items?subscription=${input.id}`,
    },
    latest_invoice: null,
    livemode: false,
    metadata: {},
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: { payment_method_options: null, payment_method_types: null, save_default_payment_method: 'off' },
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: input.created,
    status: input.status,
    test_clock: null,
    transfer_data: null,
    trial_end: input.trialEnd ?? null,
    trial_settings: { end_behavior: { missing_payment_method: 'create_invoice' } },
    trial_start: input.trialEnd ? input.created : null,
  } as unknown as Stripe.Subscription;
}

/** A catalog plan (the site's own shape), named after its price id. */
export function planFixture(priceId: string, overrides: Partial<Plan> = {}): Plan {
  return {
    priceId,
    productId: `prod_${priceId}`,
    name: priceId,
    description: null,
    image: null,
    unitAmount: 1500,
    currency: 'jpy',
    interval: 'month',
    intervalCount: 1,
    ...overrides,
  };
}
