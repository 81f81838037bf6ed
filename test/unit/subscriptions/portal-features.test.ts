import { describe, expect, it } from 'vitest';
import { portalFeatures } from '../../../src/lib/subscriptions/portal-features.ts';

const products = [{ product: 'prod_beans', prices: ['price_1m', 'price_2m', 'price_1y'] }];

describe('the portal configuration the site relies on', () => {
  it('lets a subscriber update the card, switch among the catalog’s prices without proration, and cancel at period end', () => {
    const features = portalFeatures({ products, ships: false, pauseMonths: [] });
    expect(features.payment_method_update).toEqual({ enabled: true });
    expect(features.subscription_cancel).toMatchObject({ enabled: true, mode: 'at_period_end' });
    expect(features.subscription_update).toMatchObject({ enabled: true, proration_behavior: 'none', products });
    expect(features.customer_update?.allowed_updates).toEqual(['email']);
    expect(features.subscription_pause).toEqual({ enabled: false });
  });

  it('asks for the shipping address when the shop posts, and offers the pauses the shop allows', () => {
    const features = portalFeatures({ products, ships: true, pauseMonths: [1, 2, 3] });
    expect(features.customer_update?.allowed_updates).toContain('shipping');
    expect(features.subscription_pause).toEqual({
      enabled: true,
      duration: {
        type: 'interval_options',
        interval_options: [1, 2, 3].map((months) => ({ interval: 'month', interval_count: months })),
      },
    });
  });

  it('turns plan switching off when there is nothing to switch to', () => {
    expect(portalFeatures({ products: [], ships: false, pauseMonths: [] }).subscription_update?.enabled).toBe(false);
  });
});
