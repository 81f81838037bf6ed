import { randomBytes } from 'node:crypto';

/**
 * Stripe-shaped credentials made up at run time, so no key or signing secret (not even a fake
 * one) is ever committed. Each call gives a new value.
 */
export function fakeStripeSecret(prefix: 'rk_test' | 'sk_live' | 'whsec'): string {
  return `${prefix}_${randomBytes(18).toString('hex')}`;
}
