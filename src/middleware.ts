import { defineMiddleware } from 'astro:middleware';
import { plainText } from './lib/http';
import { securityHeaders } from './lib/security-headers';
import { siteConfig } from './site';

const SAFE_METHODS = new Set(['GET', 'HEAD']);
const OWN_METHOD_ROUTES = new Set(['/checkout', '/webhook']);

/** Adds security headers to every response the worker renders, and refuses trailing-slash paths. */
export const onRequest = defineMiddleware(async (context, next) => {
  const { url } = context;
  const response =
    // One canonical path per route, and never a redirect (Stripe does not follow them for webhooks).
    url.pathname !== '/' && url.pathname.endsWith('/')
      ? plainText(404, 'Not found.')
      : // Pages are read-only; only these routes take other methods (and check them themselves).
        !SAFE_METHODS.has(context.request.method) && !OWN_METHOD_ROUTES.has(url.pathname)
        ? plainText(405, 'Method not allowed.', { allow: 'GET, HEAD' })
        : await next();

  const config = siteConfig();
  const headers = securityHeaders({
    html: (response.headers.get('content-type') ?? '').startsWith('text/html'),
    https: url.protocol === 'https:',
    stripeEmbed: context.locals.stripeEmbed === true,
    stripeApiOrigin: config.apiBase?.origin,
  });
  // Some responses (redirects) have immutable headers; a copy always accepts new ones.
  const out = new Response(response.body, response);
  for (const [name, value] of Object.entries(headers)) out.headers.set(name, value);
  return out;
});
