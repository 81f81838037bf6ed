/**
 * The composition root: the only module besides the worker entry that reads Cloudflare's `env`.
 * It builds the config and the lib objects each request needs; everything in lib/ takes them as arguments.
 */
import { env, waitUntil } from 'cloudflare:workers';
import { readConfig, type SiteConfig, type SiteVariables } from './lib/config/read.ts';
import { guardStripePage, type GuardResult } from './lib/site/guard.ts';
import { purgeStorefront, workersCache } from './lib/storefront/edge-cache.ts';
import type { RequestLimiters } from './lib/http/rate-limit.ts';
import type { LimitedRoute } from './lib/site/routes.ts';
import { createLogger, type Logger } from './lib/log/log.ts';
import { fetchPlans } from './lib/stripe/catalog.ts';
import { CatalogCache } from './lib/stripe/catalog-cache.ts';
import { createStripeClient, type Stripe } from './lib/stripe/client.ts';
import { planEvent, runEventAction, type EventAction } from './lib/webhook/events.ts';
import type { NoticeSender } from './lib/shipments/notify.ts';
import type { ShippingSettings } from './lib/shipments/record.ts';
import type { ShippingRules } from './lib/shipments/shipping-rules.ts';
import type { OwnerTables } from './owner-tables.ts';
import { buildTables, type Tables } from './tables.ts';

export interface Site {
  config: SiteConfig;
  tables: Tables;
  log: Logger;
  /** Undefined when STRIPE_API_KEY is missing or malformed. */
  stripe: Stripe | undefined;
  /** Undefined when there is no Stripe client to fill it. */
  catalog: CatalogCache | undefined;
  /** Per visitor and per client address (http/rate-limit.ts), and per sign-in address. */
  limiters: RequestLimiters & { email: RateLimit };
  /** The Email Sending binding and SIGN_IN_EMAIL_FROM; undefined when sign-in links are off. */
  signIn: { email: SendEmail; from: string } | undefined;
  /** Runs work after the response (waitUntil): the answer's timing must not depend on it. */
  defer(task: Promise<unknown>): void;
  /** What the webhook does with a verified event. */
  events: { plan: (event: Stripe.Event) => EventAction; run: (action: EventAction) => Promise<void> };
  /** What the configuration says about parcels (shipments/record.ts). */
  shipping: ShippingSettings;
  /** The owner's tables (src/owner-tables.ts), loaded on first use: a cold start never evaluates them. */
  ownerTables: () => Promise<OwnerTables>;
  /** The sender of shipping notices (the sign-in links' sender); undefined without one. */
  notices: NoticeSender | undefined;
}

const log = createLogger();
let cachedConfig: { vars: SiteVariables; config: SiteConfig } | undefined;
let cachedSite: { config: SiteConfig; site: Site } | undefined;
let cachedShippingRules: Promise<ShippingRules | undefined> | undefined;

/**
 * The shop profile's `shipping` section (undefined when the profile has none), read once per
 * isolate. Imported on first use: the content layer's runtime stays out of a cold start.
 */
export function shippingRules(): Promise<ShippingRules | undefined> {
  cachedShippingRules ??= import('./lib/legal/content.ts').then(
    async ({ shopProfile }) => (await shopProfile()).shipping,
  );
  return cachedShippingRules;
}

/**
 * The validated configuration alone, without a Stripe client or a store: the worker entry (for
 * every response, static assets included) and the middleware need nothing else. Bindings are fixed
 * for an isolate's life, so this runs once per isolate (and again only if `env` is replaced).
 */
export function siteConfig(): SiteConfig {
  const vars = env as unknown as SiteVariables;
  if (!cachedConfig || cachedConfig.vars !== vars) {
    const config = readConfig(vars);
    for (const problem of config.problems)
      log.error({ msg: 'configuration problem', variable: problem.variable, problem: problem.message });
    cachedConfig = { vars, config };
  }
  return cachedConfig.config;
}

/** Everything a page or endpoint needs, built from the Worker's bindings once per isolate. */
export function site(): Site {
  const config = siteConfig();
  if (!cachedSite || cachedSite.config !== config) cachedSite = { config, site: buildSite(config) };
  return cachedSite.site;
}

function buildSite(config: SiteConfig): Site {
  const apiKey = config.stripeApiKey;
  const stripe = apiKey ? createStripeClient({ apiKey, apiBase: config.apiBase }) : undefined;
  const tables = buildTables(env.DB, env.WSDEMO);
  const purge = () => purgeStorefront(workersCache(), config.siteOrigin);
  const catalog =
    stripe && apiKey
      ? new CatalogCache({
          kv: env.WSDEMO,
          apiKey,
          fetchPlans: () =>
            fetchPlans(stripe, {
              shopLanguage: config.shopLanguage,
              ships: config.shippingCountries.length > 0,
              shippingPriceId: config.shippingPriceId,
              automaticTax: config.automaticTax,
              onProblem: (problem) => log.error(problem),
            }),
          ttlSeconds: config.catalogTtlSeconds,
          waitUntil,
          log,
          onRefreshed: purge,
        })
      : undefined;
  const signIn = config.signInFrom && env.EMAIL ? { email: env.EMAIL, from: config.signInFrom } : undefined;
  let owner: Promise<OwnerTables> | undefined;
  const ownerTables = () =>
    (owner ??= import('./owner-tables.ts').then(({ buildOwnerTables }) =>
      buildOwnerTables(env.DB, tables.viewerReads),
    ));
  const shipping: Site['shipping'] = {
    ships: config.shippingCountries.length > 0,
    shippingPriceId: config.shippingPriceId,
    shopLanguage: config.shopLanguage,
    shippingRules,
  };
  return {
    config,
    tables,
    log,
    stripe,
    catalog,
    limiters: { visitor: env.VISITOR_RATE_LIMITER, client: env.CLIENT_RATE_LIMITER, email: env.EMAIL_RATE_LIMITER },
    signIn,
    defer: (task) => waitUntil(task.catch(() => undefined)),
    events: {
      plan: planEvent,
      run: (action) =>
        runEventAction(action, {
          ...tables,
          stripe,
          catalog,
          purgeStorefront: purge,
          log,
          requireVerifiedEmail: config.requireVerifiedEmail,
          shipping: { ...shipping, shipments: async () => (await ownerTables()).shipments },
        }),
    },
    shipping,
    ownerTables,
    notices: signIn,
  };
}

/**
 * The guard of a Stripe-backed page (lib/http/guard.ts) with this site's limiters and SITE_URL.
 * `stripe` is what the page needs of Stripe (the client, or the client and the catalog).
 */
export function guardPage<S>(
  route: LimitedRoute,
  page: { request: Request; url: URL; locals: App.Locals },
  stripe: S | undefined,
): Promise<GuardResult<S>> {
  const { config, limiters, log } = site();
  return guardStripePage<S>({
    route,
    request: page.request,
    requestUrl: page.url,
    visitorRef: page.locals.visitor.ref,
    limiters,
    stripe,
    siteOrigin: config.siteOrigin,
    log,
  });
}
