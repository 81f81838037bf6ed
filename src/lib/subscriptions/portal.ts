import type Stripe from 'stripe';
import type { Language } from '../language/languages.ts';

/** Portal deep links this site offers through `/mypage?flow=...`; anything else opens the plain portal. */
const SUPPORTED_FLOWS = ['payment_method_update', 'subscription_update'] as const;
export type PortalFlow = (typeof SUPPORTED_FLOWS)[number];

/** The flow if the query value names a supported one. */
export function parsePortalFlow(value: string | null): PortalFlow | undefined {
  return SUPPORTED_FLOWS.find((flow) => flow === value);
}

export interface PortalInput {
  customerId: string;
  returnUrl: string;
  locale: Language;
  /** A deep link; `subscription_update` needs the subscription to switch. */
  flow?: { type: 'payment_method_update' } | { type: 'subscription_update'; subscriptionId: string };
}

/** Creates a billing-portal session and returns its URL. Stripe errors propagate. */
export async function createPortalUrl(stripe: Stripe, input: PortalInput): Promise<string> {
  const flow = input.flow;
  const session = await stripe.billingPortal.sessions.create({
    customer: input.customerId,
    return_url: input.returnUrl,
    locale: input.locale,
    ...(flow?.type === 'payment_method_update' && { flow_data: { type: 'payment_method_update' } }),
    ...(flow?.type === 'subscription_update' && {
      flow_data: { type: 'subscription_update', subscription_update: { subscription: flow.subscriptionId } },
    }),
  });
  return session.url;
}

/**
 * Stripe refused the deep link itself: the portal configuration does not allow that flow
 * ("This subscription cannot be updated because the subscription update feature in the portal
 * configuration is disabled."), or a `flow_data` parameter was refused.
 */
export function isFlowRefused(error: unknown): boolean {
  const { param, message } = (error ?? {}) as { param?: unknown; message?: unknown };
  if (typeof param === 'string' && param.startsWith('flow_data')) return true;
  return typeof message === 'string' && /portal configuration is disabled/i.test(message);
}
