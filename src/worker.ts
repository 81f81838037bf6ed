/**
 * The Worker's entry: Astro's Cloudflare handler, wrapped so that EVERY response carries the
 * security headers, including those Astro answers before any middleware runs (its origin-check
 * 403) and static assets served through the worker; and the Cron Trigger's reconciliation run.
 */
import { handle } from '@astrojs/cloudflare/handler';
import { withEdgeCache, workersCache } from './lib/storefront/edge-cache.ts';
import { plainText } from './lib/http/responses.ts';
import { firstVisitRedirect, negotiatesLanguage } from './lib/language/choice.ts';
import { homePaths } from './lib/language/paths.ts';
import { withLineBreakRules } from './lib/language/phrases.ts';
import { describeError } from './lib/log/log.ts';
import { finalizeHeaders, withVary } from './lib/http/security-headers.ts';
import { site, siteConfig } from './site.ts';

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    const config = siteConfig();
    // Text wraps only where it should (Japanese between phrases): before the cache, so stored that way.
    const render = () => handle(request, env, ctx).then(withLineBreakRules);
    // Before the cache: a cookieless `/` asked for in English must be sent to `/en/`, not served the cached `/`.
    const languageUrl = firstVisitRedirect({
      method: request.method,
      url,
      cookie: request.headers.get('cookie'),
      acceptLanguage: request.headers.get('accept-language'),
      primary: config.shopLanguage,
    });
    // One canonical path per route and never a redirect: Astro would 301 `/a//` to `/a/` and
    // serve `//a` as `/a`. Stripe does not follow redirects, and caches should not see aliases.
    const response = url.pathname.includes('//')
      ? plainText(404, 'Not found.')
      : languageUrl
        ? // finalizeHeaders makes it no-store: it depends on this browser's headers.
          new Response(null, { status: 302, headers: { location: languageUrl } })
        : // CATALOG_TTL_SECONDS=0 asks for Stripe on every view, so nothing is cached then either.
          config.catalogTtlSeconds > 0
          ? await withEdgeCache(request, homePaths(config.shopLanguage), render, {
              cache: workersCache(),
              waitUntil: (promise) => ctx.waitUntil(promise),
              onError: (error) => site().log.error({ msg: 'edge cache failed', error: describeError(error) }),
            })
          : await render();
    // An unprefixed page's answer (rendered, cached or redirected) depends on the language cookie and Accept-Language.
    const answer = negotiatesLanguage(request.method, url.pathname, config.shopLanguage)
      ? withVary(response, ['Accept-Language', 'Cookie'])
      : response;
    // After the cache: a cached page gets the security headers on every answer too.
    return finalizeHeaders(answer, {
      https: url.protocol === 'https:',
      stripeApiOrigin: config.apiBase?.origin,
    });
  },

  /** `triggers.crons` in wrangler.jsonc: re-reads stale and past-period records from Stripe. */
  async scheduled(_controller, env) {
    const { stripe, tables, log, shipping, notices, ownerTables } = site();
    if (!stripe) {
      log.error({ msg: 'reconcile: STRIPE_API_KEY is not set; nothing can be re-read' });
      return;
    }
    // Loaded here, not at a cold start: the storefront never needs the run's modules.
    const [{ hourlyRun }, { resendNotices }, owner] = await Promise.all([
      import('./lib/housekeeping/hourly.ts'),
      import('./lib/shipments/notify.ts'),
      ownerTables(),
    ]);
    await hourlyRun({
      reconcile: { ...tables, stripe, log },
      db: env.DB,
      kv: env.WSDEMO,
      expiring: [...tables.expiring, ...owner.expiring],
      shipments: { ...shipping, shipments: owner.shipments, stripe, log },
      timeZone: (await shipping.shippingRules())?.timeZone,
      dailyCounts: owner.dailyCounts,
      activity: owner.activity,
      resendNotices: notices && ((nowMs) => resendNotices({ shipments: owner.shipments, sender: notices, log }, nowMs)),
      log,
    });
  },
} satisfies ExportedHandler<Env>;
