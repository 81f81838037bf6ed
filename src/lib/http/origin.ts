/** Which origins this site trusts: the configured one, and this machine's own while developing. */

/** True for hosts that name this machine: localhost, 127.0.0.0/8 and [::1]. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

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
