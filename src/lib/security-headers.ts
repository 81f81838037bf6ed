/** Response headers for every page, and a Content-Security-Policy that allows only what the page uses. */

export interface CspOptions {
  /** True when the page embeds Stripe's Pricing Table or Buy Button. */
  stripeEmbed: boolean;
  /** Origin of a non-default Stripe API (the local emulator): its Checkout and images are allowed. */
  stripeApiOrigin?: string;
}

const STRIPE_JS = ['https://js.stripe.com', 'https://*.js.stripe.com'];

/** The CSP for an HTML page of this site. */
export function contentSecurityPolicy({ stripeEmbed, stripeApiOrigin }: CspOptions): string {
  const extra = stripeApiOrigin ? [stripeApiOrigin] : [];
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'script-src': ["'self'", ...(stripeEmbed ? STRIPE_JS : [])],
    'style-src': ["'self'"],
    // Product images are URLs the shop owner gave Stripe, so any https host.
    'img-src': ["'self'", 'data:', 'https:', ...extra],
    'font-src': ["'self'"],
    'connect-src': ["'self'", ...(stripeEmbed ? ['https://api.stripe.com', 'https://*.stripe.com'] : [])],
    'frame-src': stripeEmbed ? [...STRIPE_JS, 'https://hooks.stripe.com', 'https://checkout.stripe.com'] : ["'none'"],
    // Chrome applies form-action to the redirect after POST /checkout, so Checkout's origin is listed.
    'form-action': ["'self'", 'https://checkout.stripe.com', ...extra],
    'frame-ancestors': ["'none'"],
    'base-uri': ["'none'"],
    'object-src': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}

/** Headers for every response; `html` adds the CSP, `https` adds HSTS. */
export function securityHeaders(options: CspOptions & { html: boolean; https: boolean }): Record<string, string> {
  return {
    'x-content-type-options': 'nosniff',
    // Keeps ?session_id=... from leaking to other sites through the Referer header.
    'referrer-policy': 'strict-origin-when-cross-origin',
    ...(options.html && { 'content-security-policy': contentSecurityPolicy(options), 'x-frame-options': 'DENY' }),
    ...(options.https && { 'strict-transport-security': 'max-age=31536000; includeSubDomains' }),
  };
}
