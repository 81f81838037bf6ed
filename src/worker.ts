/**
 * The Worker's entry: Astro's Cloudflare handler, wrapped so that EVERY response carries the
 * security headers, including those Astro answers before any middleware runs (its origin-check
 * 403) and static assets served through the worker; and the Cron Trigger's reconciliation run.
 */
import { handle } from '@astrojs/cloudflare/handler';
import { plainText } from './lib/http/responses';
import { finalizeHeaders } from './lib/http/security-headers';
import { reconcile } from './lib/subscriptions/reconcile';
import { site, siteConfig } from './site';

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    // One canonical path per route and never a redirect: Astro would 301 `/a//` to `/a/` and
    // serve `//a` as `/a`. Stripe does not follow redirects, and caches should not see aliases.
    const response = url.pathname.includes('//') ? plainText(404, 'Not found.') : await handle(request, env, ctx);
    return finalizeHeaders(response, {
      https: url.protocol === 'https:',
      stripeApiOrigin: siteConfig().apiBase?.origin,
    });
  },

  /** `triggers.crons` in wrangler.jsonc: re-reads stale and past-period records from Stripe. */
  async scheduled() {
    const { stripe, store, log } = site();
    if (!stripe) {
      log.error({ msg: 'reconcile: STRIPE_API_KEY is not set; nothing can be re-read' });
      return;
    }
    await reconcile({ stripe, store, log });
  },
} satisfies ExportedHandler<Env>;
