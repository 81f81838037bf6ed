/** Response headers for every response, and a Content-Security-Policy that allows only what a page uses. */

interface CspOptions {
  /** True when the page embeds Stripe's Pricing Table or Buy Button. */
  stripeEmbed: boolean;
  /** Origin of a non-default Stripe API (the local emulator): its hosted pages and images are allowed. */
  stripeApiOrigin?: string;
}

/** Where browsers POST violation reports (src/pages/csp-report.ts). */
const CSP_REPORT_PATH = '/csp-report';
const REPORTING_GROUP = 'csp-endpoint';

/** The sources Stripe.js needs, from docs.stripe.com/security/guide#content-security-policy. */
const STRIPE_JS = {
  script: ['https://*.js.stripe.com', 'https://js.stripe.com', 'https://maps.googleapis.com'],
  frame: ['https://*.js.stripe.com', 'https://js.stripe.com', 'https://hooks.stripe.com'],
  connect: ['https://api.stripe.com', 'https://maps.googleapis.com'],
};

// The policy depends on two settings fixed for an isolate's life; it was rebuilt for every page.
const policies = new Map<string, string>();

/** The CSP for an HTML page of this site. */
export function contentSecurityPolicy({ stripeEmbed, stripeApiOrigin }: CspOptions): string {
  const key = `${stripeEmbed}\u0000${stripeApiOrigin ?? ''}`;
  let policy = policies.get(key);
  if (policy === undefined) {
    policy = buildPolicy(stripeEmbed, stripeApiOrigin);
    if (policies.size < 16) policies.set(key, policy);
  }
  return policy;
}

function buildPolicy(stripeEmbed: boolean, stripeApiOrigin: string | undefined): string {
  const emulator = stripeApiOrigin ? [stripeApiOrigin] : [];
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'script-src': ["'self'", ...(stripeEmbed ? STRIPE_JS.script : [])],
    'style-src': ["'self'"],
    // Product images are URLs the shop owner gave Stripe, so any https host.
    'img-src': ["'self'", 'data:', 'https:', ...emulator],
    'font-src': ["'self'"],
    'connect-src': ["'self'", ...(stripeEmbed ? STRIPE_JS.connect : [])],
    'frame-src': stripeEmbed ? STRIPE_JS.frame : ["'none'"],
    // Chrome applies form-action to the redirect after POST /checkout: Checkout may live on
    // checkout.stripe.com or on the account's own custom domain, so any https origin.
    'form-action': ["'self'", 'https:', ...emulator],
    'frame-ancestors': ["'none'"],
    'base-uri': ["'none'"],
    'object-src': ["'none'"],
    // report-uri for browsers without the Reporting API; report-to for those with it.
    'report-uri': [CSP_REPORT_PATH],
    'report-to': [REPORTING_GROUP],
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}

/**
 * The response itself when its headers accept changes (a page, an endpoint, the edge cache's
 * answer); a copy when they are immutable (redirects, fetched assets). Copying every response cost
 * a Response and a Headers per request.
 */
function withMutableHeaders(response: Response): Response {
  try {
    response.headers.set('x-content-type-options', response.headers.get('x-content-type-options') ?? 'nosniff');
    return response;
  } catch {
    return new Response(response.body, response);
  }
}

interface FinalizeOptions {
  https: boolean;
  stripeApiOrigin?: string;
}

/**
 * Adds the headers every response must carry, whoever produced it (a page, an endpoint, or Astro
 * itself: its origin-check 403 and its redirects never pass through the middleware). Headers a
 * page already set (its own CSP) are kept. Every redirect is `no-store`: a cached 303 to a
 * one-time Checkout or portal URL would send the next click to a dead (or someone else's) session.
 */
export function finalizeHeaders(response: Response, options: FinalizeOptions): Response {
  const out = withMutableHeaders(response);
  const setDefault = (name: string, value: string) => {
    if (!out.headers.has(name)) out.headers.set(name, value);
  };
  setDefault('x-content-type-options', 'nosniff');
  // Keeps ?session_id=... from leaking to other sites through the Referer header.
  setDefault('referrer-policy', 'strict-origin-when-cross-origin');
  if (options.https) setDefault('strict-transport-security', 'max-age=31536000; includeSubDomains');
  if ((out.headers.get('content-type') ?? '').startsWith('text/html')) {
    setDefault(
      'content-security-policy',
      contentSecurityPolicy({ stripeEmbed: false, stripeApiOrigin: options.stripeApiOrigin }),
    );
    setDefault('reporting-endpoints', `${REPORTING_GROUP}="${CSP_REPORT_PATH}"`);
    setDefault('x-frame-options', 'DENY');
  }
  if (out.status >= 300 && out.status < 400) out.headers.set('cache-control', 'no-store');
  return out;
}

/** The response with `names` added to its `Vary` (each once, whatever case the header already used). */
export function withVary(response: Response, names: readonly string[]): Response {
  const out = withMutableHeaders(response);
  const present = (out.headers.get('vary') ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const lower = new Set(present.map((name) => name.toLowerCase()));
  const merged = [...present, ...names.filter((name) => !lower.has(name.toLowerCase()))];
  out.headers.set('vary', merged.join(', '));
  return out;
}
