import { defineMiddleware } from 'astro:middleware';
import { plainText } from './lib/http/responses';
import { pickLanguage, strings } from './lib/i18n';
import { loadViewer, type Viewer } from './lib/subscriptions/viewer';
import { visitorCookie } from './lib/visitor';
import { site, siteConfig } from './site';

const SAFE_METHODS = new Set(['GET', 'HEAD']);
/** Routes that take other methods, and check them themselves. */
const OWN_METHOD_ROUTES = new Set([
  '/checkout',
  '/declare-email',
  '/webhook',
  '/csp-report',
  '/sign-in',
  '/sign-in/confirm',
]);

/**
 * Per request: the language and its strings, this browser's visitor id, and a lazy viewer
 * (binding + subscription). Refuses trailing-slash paths and non-GET methods on pages (the worker
 * entry adds the security headers).
 */
export const onRequest = defineMiddleware(async (context, next) => {
  const { url, request, locals } = context;
  const config = siteConfig();
  locals.lang = pickLanguage(request.headers.get('accept-language'));
  locals.t = strings(locals.lang);
  locals.visitor = await visitorCookie(request.headers.get('cookie'), new URL(config.siteOrigin ?? url.origin));
  let viewer: Promise<Viewer> | undefined;
  locals.viewer = () =>
    (viewer ??= loadViewer(site().store, locals.visitor.ref, { periodGraceDays: config.periodGraceDays }));

  // One canonical path per route, and never a redirect (Stripe does not follow them for webhooks).
  if (url.pathname !== '/' && url.pathname.endsWith('/')) return plainText(404, 'Not found.');
  // Pages are read-only; Astro would otherwise render the storefront for a POST /.
  if (!SAFE_METHODS.has(request.method) && !OWN_METHOD_ROUTES.has(url.pathname)) {
    return plainText(405, 'Method not allowed.', { allow: 'GET, HEAD' });
  }

  return next();
});
