import { defineMiddleware } from 'astro:middleware';
import { trustedSiteOrigin } from './lib/http/origin.ts';
import { plainText } from './lib/http/responses.ts';
import { siteStrings } from './lib/site/strings.ts';
import { pickLanguage } from './lib/language/accept-language.ts';
import { readLanguageCookie } from './lib/language/choice.ts';
import { isOwnerPath, localePath, locatePath } from './lib/language/paths.ts';
import { createFloodLog, type FloodLog } from './lib/log/flood.ts';
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
  '/subscription/skip',
  '/subscription/pause',
  '/subscription/resume',
  '/subscription/frequency',
  '/admin/shipments',
  '/admin/labels',
]);

// Per isolate: refused /admin requests are what a stranger can send by the thousand.
let adminRefusals: FloodLog | undefined;

/** The owner's pages are never stored by a cache or a browser's history, nor indexed. */
function ownerOnly(response: Response): Response {
  // A copy: a redirect's headers may be immutable.
  const out = new Response(response.body, response);
  out.headers.set('cache-control', 'no-store');
  out.headers.set('x-robots-tag', 'noindex');
  return out;
}

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
  const ownerArea = isOwnerPath(path);
  if (ownerArea) {
    // Every /admin request proves the owner first (Cloudflare Access, or the demo's stand-in on
    // loopback: src/lib/admin/owner.ts); jose is loaded on these paths only.
    const { checkOwner } = await import('./lib/admin/owner.ts');
    const owner = await checkOwner(request, config);
    if (!owner.ok) {
      adminRefusals ??= createFloodLog({ log: site().log, kind: 'admin_refused', msg: 'admin refused (aggregate)' });
      if (owner.status === 403) adminRefusals.record(owner.reason, { msg: 'admin refused', reason: owner.reason });
      return ownerOnly(plainText(owner.status, owner.status === 404 ? 'Not found.' : 'Forbidden.'));
    }
    locals.owner = { email: owner.email, demo: owner.demo };
  }
  // The owner's pages have no prefixed twin: their language is the owner's choice (the cookie) or the browser's.
  const pageLang = ownerArea
    ? (readLanguageCookie(request.headers.get('cookie')) ??
      pickLanguage(request.headers.get('accept-language'), config.shopLanguage))
    : lang;
  locals.lang = pageLang;
  locals.t = siteStrings[pageLang];
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
  if (ownerArea) return ownerOnly(await next());
  // No duplicated pages: a prefixed URL renders the unprefixed route (with its query and body).
  return located.prefixed ? next(`${path}${url.search}`) : next();
});
