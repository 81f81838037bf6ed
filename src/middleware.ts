import { defineMiddleware } from 'astro:middleware';
import { securityHeaders } from './lib/security-headers';
import { site } from './site';

/** Adds security headers to every response the worker renders, and refuses trailing-slash paths. */
export const onRequest = defineMiddleware(async (context, next) => {
  const { url } = context;
  // One canonical path per route, and never a redirect (Stripe does not follow them for webhooks).
  const response =
    url.pathname !== '/' && url.pathname.endsWith('/')
      ? new Response('Not found.', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } })
      : await next();

  const { config } = site();
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
