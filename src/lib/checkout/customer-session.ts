import type Stripe from 'stripe';

/** The Stripe component an embed storefront shows. */
export type EmbedComponent = 'pricing_table' | 'buy_button';

/**
 * A Customer Session lets a returning (bound) visitor's embed purchase reuse their Customer instead
 * of creating a new one (docs.stripe.com/payments/checkout/pricing-table#customer-session). Its
 * client secret goes to the embed's `customer-session-client-secret` attribute and expires after
 * 30 minutes (`expires_at`), so the page carrying it is never cached. Stripe errors propagate.
 */
export async function customerSessionSecret(
  stripe: Stripe,
  customerId: string,
  component: EmbedComponent,
): Promise<{ clientSecret: string; expiresAt: number }> {
  const session = await stripe.customerSessions.create({
    customer: customerId,
    components:
      component === 'pricing_table' ? { pricing_table: { enabled: true } } : { buy_button: { enabled: true } },
  });
  return { clientSecret: session.client_secret, expiresAt: session.expires_at };
}
