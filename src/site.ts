/**
 * The composition root: the only module besides the worker entry that reads Cloudflare's `env`.
 * It builds the config and the lib objects each request needs; everything in lib/ takes them as arguments.
 */
import { env, waitUntil } from 'cloudflare:workers';
import { fetchPlans } from './lib/stripe/catalog';
import { CatalogCache } from './lib/stripe/catalog-cache';
import { readConfig, type SiteConfig, type SiteVariables } from './lib/config';
import { planEvent, runEventAction, type EventAction } from './lib/webhook/events';
import { createLogger, type Logger } from './lib/log';
import type { RateLimiters } from './lib/http/rate-limit';
import { Store } from './lib/store';
import { createStripeClient, type Stripe } from './lib/stripe/client';

export interface Site {
  config: SiteConfig;
  store: Store;
  log: Logger;
  /** Undefined when STRIPE_API_KEY is missing or malformed. */
  stripe: Stripe | undefined;
  /** Undefined when there is no Stripe client to fill it. */
  catalog: CatalogCache | undefined;
  limiters: RateLimiters;
  /** What the webhook does with a verified event. */
  events: { plan: (event: Stripe.Event) => EventAction; run: (action: EventAction) => Promise<void> };
}

const log = createLogger();
let cached: { vars: SiteVariables; site: Site } | undefined;

/**
 * Everything a page or endpoint needs, built from the Worker's bindings. Bindings are fixed for
 * an isolate's life, so this runs once per isolate (and again only if `env` is replaced).
 */
export function site(): Site {
  const vars = env as unknown as SiteVariables;
  if (!cached || cached.vars !== vars) cached = { vars, site: buildSite(vars) };
  return cached.site;
}

/** The validated configuration alone (the middleware and the worker entry need nothing else). */
export function siteConfig(): SiteConfig {
  return site().config;
}

function buildSite(vars: SiteVariables): Site {
  const config = readConfig(vars);
  for (const problem of config.problems)
    log.error({ msg: 'configuration problem', variable: problem.variable, problem: problem.message });
  const stripe = config.stripeApiKey
    ? createStripeClient({ apiKey: config.stripeApiKey, apiBase: config.apiBase })
    : undefined;
  const store = new Store(env.WSDEMO);
  const catalog = stripe
    ? new CatalogCache({
        store,
        fetchPlans: () => fetchPlans(stripe),
        ttlSeconds: config.catalogTtlSeconds,
        waitUntil,
        log,
      })
    : undefined;
  return {
    config,
    store,
    log,
    stripe,
    catalog,
    limiters: { visitor: env.VISITOR_RATE_LIMITER, client: env.CLIENT_RATE_LIMITER },
    events: { plan: planEvent, run: (action) => runEventAction(action, { stripe, store, catalog, log }) },
  };
}
