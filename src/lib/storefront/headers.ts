import { contentSecurityPolicy } from '../http/security-headers.ts';
import type { Storefront } from './load.ts';

interface StorefrontHeaderInput {
  storefront: Storefront['kind'];
  /** The request carried a visitor cookie: the page may be personal. */
  hasVisitorCookie: boolean;
  /** This page renders a Stripe embed (and so loads Stripe.js). */
  embedShown: boolean;
  /** The emulator's origin when STRIPE_API_BASE is set. */
  stripeApiOrigin: string | undefined;
}

/**
 * The storefront's caching and CSP headers. Only a cookieless view of the native catalog is the
 * same for everyone, so only it may be cached publicly; a browser with a visitor cookie may be
 * bound and sees a personal page. Only a page that embeds Stripe.js gets the wider CSP (the worker
 * entry gives every other HTML page the strict default). No `Vary: Accept-Language`: each language
 * has its own URL.
 */
export function storefrontHeaders(input: StorefrontHeaderInput): Record<string, string> {
  const shared = input.storefront === 'catalog' && !input.hasVisitorCookie;
  const headers: Record<string, string> = {
    vary: 'Cookie',
    'cache-control': shared ? 'public, max-age=30, stale-while-revalidate=60' : 'private, no-store',
  };
  if (input.embedShown)
    headers['content-security-policy'] = contentSecurityPolicy({
      stripeEmbed: true,
      stripeApiOrigin: input.stripeApiOrigin,
    });
  return headers;
}
