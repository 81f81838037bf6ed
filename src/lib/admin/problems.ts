/**
 * What the owner's home page warns about beyond the variables' own problems (config/read.ts): the
 * setup gaps that leave a part of the owner's side silent. Each has its words and fix in strings.ts.
 */
import type { ShippingRules } from '../shipments/shipping-rules.ts';

export type OwnerProblemKey =
  | 'sampleProfile'
  | 'noShipping'
  | 'noShippingRules'
  | 'noB2Contract'
  | 'noNotices'
  | 'noWebhookSecret'
  | 'noStripeKey'
  | 'standIn';

export interface OwnerSetup {
  stripeApiKey: string | undefined;
  webhookSecret: string | undefined;
  shippingCountries: readonly string[];
  /** SIGN_IN_EMAIL_FROM and the Email Sending binding are both there. */
  hasSender: boolean;
  profile: { sample: boolean; shipping: ShippingRules | undefined };
  /** The owner was let in by the demo's stand-in, not Cloudflare Access. */
  standIn: boolean;
}

/** The gaps, most pressing first. */
export function ownerProblems(setup: OwnerSetup): OwnerProblemKey[] {
  const ships = setup.shippingCountries.length > 0;
  const found: Array<[boolean, OwnerProblemKey]> = [
    [!setup.stripeApiKey, 'noStripeKey'],
    [!setup.webhookSecret, 'noWebhookSecret'],
    [setup.standIn, 'standIn'],
    [setup.profile.sample, 'sampleProfile'],
    [!ships, 'noShipping'],
    [ships && !setup.profile.shipping, 'noShippingRules'],
    [ships && Boolean(setup.profile.shipping) && !setup.profile.shipping?.b2, 'noB2Contract'],
    [ships && !setup.hasSender, 'noNotices'],
  ];
  return found.filter(([present]) => present).map(([, key]) => key);
}
