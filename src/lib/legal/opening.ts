/**
 * Whether the shop may take real orders. A live Stripe key with the sample profile would charge real
 * customers under made-up legal details (a fictitious seller, address and phone on the 特定商取引法
 * page): Checkout refuses, the storefront says the shop is not open yet, and the owner's log says why.
 */
import { isTestModeKey } from '../stripe/ids.ts';
import type { ShopProfile } from './profile.ts';

export type Opening = { open: true } | { open: false; ownerHint: string };

export function shopOpening(stripeApiKey: string | undefined, profile: Pick<ShopProfile, 'sample'>): Opening {
  if (!profile.sample || stripeApiKey === undefined || isTestModeKey(stripeApiKey)) return { open: true };
  return {
    open: false,
    ownerHint:
      'STRIPE_API_KEY is a live key but the shop profile is still the sample (src/content/shop/profile.json "sample": true): replace the profile with the shop’s own details, set "sample": false, and deploy.',
  };
}
