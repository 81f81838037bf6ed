import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { planPortal, portalShortfalls } from '../../../src/lib/setup/portal.ts';
import { portalFeatures } from '../../../src/lib/subscriptions/portal-features.ts';

const products = [{ product: 'prod_beans', prices: ['price_1m', 'price_1y'] }];
const wanted = portalFeatures({ products, ships: true, pauseMonths: [] });

/** A configuration as Stripe answers it, with every feature the site relies on. */
function configuration(
  features: Partial<Stripe.BillingPortal.Configuration.Features> = {},
  loginPage = true,
): Stripe.BillingPortal.Configuration {
  return {
    id: 'bpc_1',
    is_default: true,
    login_page: { enabled: loginPage, url: loginPage ? 'https://billing.stripe.com/p/login/test_1' : null },
    features: {
      payment_method_update: { enabled: true },
      invoice_history: { enabled: true },
      subscription_cancel: { enabled: true, mode: 'at_period_end', proration_behavior: 'none' },
      subscription_update: {
        enabled: true,
        default_allowed_updates: ['price'],
        proration_behavior: 'none',
        products: [{ product: 'prod_beans', prices: ['price_1m', 'price_1y'] }],
      },
      customer_update: { enabled: true, allowed_updates: ['email', 'shipping', 'phone'] },
      subscription_pause: { enabled: false },
      ...features,
    },
  } as unknown as Stripe.BillingPortal.Configuration;
}

describe('the portal configuration against what the site relies on', () => {
  it('finds nothing missing in a complete configuration, and plans nothing', () => {
    expect(portalShortfalls(configuration(), wanted)).toEqual([]);
    expect(planPortal(configuration(), wanted)).toEqual({ kind: 'none' });
  });

  it('names each missing feature', () => {
    const noCancel = configuration({ subscription_cancel: { enabled: false } as never });
    expect(portalShortfalls(noCancel, wanted)).toEqual(['cancellation']);
    const noShipping = configuration({ customer_update: { enabled: true, allowed_updates: ['email'] } });
    expect(portalShortfalls(noShipping, wanted)).toEqual(['customer updates of shipping, phone']);
    const fewerPrices = configuration({
      subscription_update: {
        enabled: true,
        default_allowed_updates: ['price'],
        proration_behavior: 'none',
        products: [{ product: 'prod_beans', prices: ['price_1m'] }],
      } as never,
    });
    expect(portalShortfalls(fewerPrices, wanted)).toEqual(['plan switching to prod_beans (price_1y)']);
  });

  it('updates the default configuration with the features and the login page', () => {
    expect(planPortal(configuration({}, false), wanted)).toEqual({
      kind: 'update',
      params: {
        features: expect.objectContaining({ subscription_cancel: wanted.subscription_cancel }),
        login_page: { enabled: true },
      },
      why: 'missing login page',
    });
  });

  it('sends no feature the shop leaves off, so a pause turned on in the Dashboard stays on', () => {
    const plan = planPortal(configuration({}, false), wanted);
    expect(plan.kind === 'update' && plan.params.features).not.toHaveProperty('subscription_pause');
  });
});
