/**
 * The customer portal configuration the site relies on (Stripe.BillingPortal.ConfigurationCreateParams),
 * built from the shop's own facts: the setup CLI creates it, the doctor checks a configuration
 * against it, docs/setup.md describes it. My Page opens this portal; the site has no page of its own
 * for what it does.
 */
import type Stripe from 'stripe';

interface PortalFacts {
  /** The products a subscriber may switch between, with their prices (the catalog's, every interval). */
  products: ReadonlyArray<{ product: string; prices: readonly string[] }>;
  /** The shop posts what it sells (SHIPPING_COUNTRIES): subscribers keep their delivery address up to date. */
  ships: boolean;
  /** The months a subscriber may pause for in the portal; empty: the portal offers no pause. */
  pauseMonths: readonly number[];
}

export function portalFeatures(facts: PortalFacts): Stripe.BillingPortal.ConfigurationCreateParams.Features {
  return {
    // The card that pays: My Page's `?flow=payment_method_update` deep link needs it.
    payment_method_update: { enabled: true },
    invoice_history: { enabled: true },
    // A cancellation takes effect at the end of the period already paid for (the terms say so).
    subscription_cancel: { enabled: true, mode: 'at_period_end', proration_behavior: 'none' },
    // Plan switches take effect without a proration charge; `?flow=subscription_update` needs them on.
    subscription_update: {
      enabled: facts.products.length > 0,
      default_allowed_updates: ['price'],
      proration_behavior: 'none',
      products: facts.products.map(({ product, prices }) => ({ product, prices: [...prices] })),
    },
    customer_update: {
      enabled: true,
      allowed_updates: facts.ships ? ['email', 'shipping', 'phone'] : ['email'],
    },
    subscription_pause:
      facts.pauseMonths.length > 0
        ? {
            enabled: true,
            duration: {
              type: 'interval_options',
              interval_options: facts.pauseMonths.map((months) => ({ interval: 'month', interval_count: months })),
            },
          }
        : { enabled: false },
  };
}
