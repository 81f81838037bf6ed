/**
 * Stripe objects for unit tests, built from the emulator's defaults (dev/stripe-emulator/objects.ts,
 * shaped after stripe/openapi fixtures3.json and typed with the `stripe` package), so the tests and
 * the emulator agree on every field: periods on the items, the paying card as an expanded PaymentMethod.
 */
import type Stripe from 'stripe';
import {
  cardPaymentMethodObject,
  listObject,
  priceObject,
  subscriptionItemObject,
  subscriptionObject,
} from '../../dev/stripe-emulator/objects.ts';
import type { Plan } from '../../src/lib/stripe/catalog.ts';

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
  return cardPaymentMethodObject(
    { id, created: 1_700_000_000 },
    {
      brand,
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
      exp_month: 12,
      exp_year: 2034,
      fingerprint: 'Xt5EWLLDS7FJjR1c',
      last4,
    },
  );
}

export function subscriptionFixture(input: SubscriptionFixture): Stripe.Subscription {
  const currency = input.currency ?? 'jpy';
  const periodEnd = input.periodEnd ?? input.created + 30 * 86_400;
  const ended = input.status === 'canceled' ? periodEnd : null;
  const price = priceObject({
    id: input.priceId ?? 'price_monthly',
    created: 1_700_000_000,
    currency,
    product: input.productId ?? 'prod_beans',
    unit_amount: 1500,
  });
  const item = subscriptionItemObject({
    id: `si_${input.id}`,
    created: input.created,
    price,
    subscription: input.id,
    current_period_start: input.created,
    current_period_end: periodEnd,
  });
  return subscriptionObject({
    id: input.id,
    created: input.created,
    currency,
    customer: input.customer ?? 'cus_fixture',
    items: listObject([item], `/v1/subscription_items?subscription=${input.id}`),
    status: input.status,
    cancel_at: input.cancelAt ?? null,
    cancel_at_period_end: input.cancelAtPeriodEnd ?? false,
    canceled_at: ended,
    ended_at: ended,
    default_payment_method: input.card
      ? paymentMethodFixture(`pm_${input.id}`, input.card.brand, input.card.last4)
      : null,
    trial_end: input.trialEnd ?? null,
    trial_start: input.trialEnd ? input.created : null,
  });
}

/** Both languages' text of a fixture plan with this name. */
export function planText(name: string, perDelivery: string | null = null): Plan['text'] {
  return { ja: { name, description: null, perDelivery }, en: { name, description: null, perDelivery } };
}

/** A catalog plan (the site's own shape), named after its price id. */
export function planFixture(priceId: string, overrides: Partial<Plan> = {}): Plan {
  return {
    priceId,
    productId: `prod_${priceId}`,
    text: {
      ja: { name: priceId, description: null, perDelivery: null },
      en: { name: priceId, description: null, perDelivery: null },
    },
    image: null,
    unitAmount: 1500,
    currency: 'jpy',
    interval: 'month',
    intervalCount: 1,
    taxBehavior: 'inclusive',
    reducedTaxRate: false,
    taxNote: null,
    shipping: { kind: 'none' },
    ...overrides,
  };
}
