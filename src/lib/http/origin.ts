import { isLoopbackHost } from '../config';

/**
 * The origin that every URL sent to Stripe (success_url, cancel_url, return_url) is built from:
 * SITE_URL when set; otherwise the request's own origin, but only on loopback hosts (local
 * development). Host, X-Forwarded-Host and Forwarded are never read: a request header must not
 * steer where Stripe sends a paying customer. Undefined means "refuse": the page names SITE_URL.
 */
export function stripeReturnOrigin(siteOrigin: string | undefined, requestUrl: URL): string | undefined {
  if (siteOrigin) return siteOrigin;
  return isLoopbackHost(requestUrl.hostname) ? requestUrl.origin : undefined;
}
