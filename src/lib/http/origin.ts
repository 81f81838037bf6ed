import { isLoopbackHost } from '../config.ts';

/**
 * The origin every absolute URL is built from: those sent to Stripe (success_url, cancel_url,
 * return_url), e-mailed (sign-in links) or shown (canonical, hreflang). SITE_URL when set; otherwise
 * the request's own origin, but only on loopback hosts (local development). Host, X-Forwarded-Host
 * and Forwarded are never read: a request header must not steer where Stripe sends a paying
 * customer, nor what a cached page calls itself. Undefined means "refuse" (a Stripe page names
 * SITE_URL) or "leave the link out" (canonical, hreflang).
 */
export function trustedSiteOrigin(siteOrigin: string | undefined, requestUrl: URL): string | undefined {
  if (siteOrigin) return siteOrigin;
  return isLoopbackHost(requestUrl.hostname) ? requestUrl.origin : undefined;
}
