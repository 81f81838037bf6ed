import { defineMiddleware } from 'astro:middleware';
import { trustedSiteOrigin } from './lib/http/origin.ts';
import { plainText } from './lib/http/responses.ts';
import { siteStrings } from './lib/site/strings.ts';
import { localePath, locatePath } from './lib/language/paths.ts';
import { loadViewer, type Viewer } from './lib/subscriptions/viewer.ts';
import { visitorCookie } from './lib/visitor/cookie.ts';
import { site, siteConfig } from './site.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD']);
/** Routes that take other methods, and check them themselves (unprefixed paths). */
const OWN_METHOD_ROUTES = new Set([
  '/checkout',
  '/declare-email',
  '/webhook',
  '/csp-report',
  '/sign-in',
  '/sign-in/confirm',
]);

/**
 * Per request: the language (from the URL's prefix: `/en/…` renders the unprefixed route in
 * English) and its strings, this browser's visitor id, and a lazy viewer (binding + subscription).
 * Refuses non-canonical paths and non-GET methods on pages (the worker entry adds the security
 * headers and has already sent a first visit to its language's URL).
 */
export const onRequest = defineMiddleware(async (context, next) => {
  const { url, request, locals } = context;
  // A page's Astro.rewrite runs the middleware again on the new route: the language stays the URL's.
  if (locals.path !== undefined) return next();
  const config = siteConfig();
  const located = locatePath(url.pathname, config.shopLanguage);
  // One canonical path per route, and never a redirect (Stripe does not follow them for webhooks):
  // `/en` (the home is `/en/`), `/ja/…` while Japanese is unprefixed, and `/path/` answer 404.
  if (!located || (located.path !== '/' && located.path.endsWith('/'))) return plainText(404, 'Not found.');
  const { language: lang, path } = located;
  locals.lang = lang;
  locals.t = siteStrings[lang];
  locals.path = path;
  locals.href = (sitePath) => localePath(lang, sitePath, config.shopLanguage);
  locals.siteOrigin = trustedSiteOrigin(config.siteOrigin, url);
  locals.visitor = await visitorCookie(request.headers.get('cookie'), new URL(config.siteOrigin ?? url.origin));
  let viewer: Promise<Viewer> | undefined;
  locals.viewer = () =>
    (viewer ??= loadViewer(site().tables.viewerReads, locals.visitor.ref, { periodGraceDays: config.periodGraceDays }));

  // Pages are read-only; Astro would otherwise render the storefront for a POST /.
  if (!SAFE_METHODS.has(request.method) && !OWN_METHOD_ROUTES.has(path)) {
    return plainText(405, 'Method not allowed.', { allow: 'GET, HEAD' });
  }
  // No duplicated pages: a prefixed URL renders the unprefixed route (with its query and body).
  return located.prefixed ? next(`${path}${url.search}`) : next();
});
