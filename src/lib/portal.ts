import type Stripe from 'stripe';

/** Portal deep links this site offers through `/mypage?flow=...`; anything else is ignored. */
const SUPPORTED_FLOWS = ['payment_method_update'] as const;
export type PortalFlow = (typeof SUPPORTED_FLOWS)[number];

/** The flow if the query value names a supported one. */
export function parsePortalFlow(value: string | null): PortalFlow | undefined {
  return SUPPORTED_FLOWS.find((flow) => flow === value);
}

export interface PortalInput {
  customerId: string;
  returnUrl: string;
  flow?: PortalFlow;
  locale: 'en' | 'ja';
}

/** Creates a billing-portal session and returns its URL. Stripe errors propagate. */
export async function createPortalUrl(stripe: Stripe, input: PortalInput): Promise<string> {
  const session = await stripe.billingPortal.sessions.create({
    customer: input.customerId,
    return_url: input.returnUrl,
    locale: input.locale,
    ...(input.flow && { flow_data: { type: input.flow } }),
  });
  return session.url;
}
