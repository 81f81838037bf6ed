/**
 * The composition root: the only module besides pages that reads Cloudflare's `env`. It builds
 * the config and the lib objects each request needs; everything in lib/ takes them as arguments.
 */
import { env, waitUntil } from 'cloudflare:workers';
import { fetchPlans } from './lib/catalog';
import { CatalogCache } from './lib/catalog-cache';
import { readConfig, type SiteConfig, type SiteVariables } from './lib/config';
import { withKvFaults } from './lib/kv-faults';
import { createLogger, type Logger } from './lib/log';
import { Store } from './lib/store';
import { createStripeClient, type Stripe } from './lib/stripe';

export interface Site {
  config: SiteConfig;
  store: Store;
  log: Logger;
  /** Undefined when STRIPE_API_KEY is missing or malformed. */
  stripe: Stripe | undefined;
  /** Undefined when there is no Stripe client to fill it. */
  catalog: CatalogCache | undefined;
}

const log = createLogger();
let cached: { vars: SiteVariables; stripe: Stripe | undefined; config: SiteConfig } | undefined;

function configAndClient(): { config: SiteConfig; stripe: Stripe | undefined } {
  const vars = env as unknown as SiteVariables;
  // Bindings are fixed for an isolate's life; build the config and the client once.
  if (!cached || cached.vars !== vars) {
    const config = readConfig(vars);
    const stripe = config.stripeApiKey ? createStripeClient({ apiKey: config.stripeApiKey, apiBase: config.apiBase }) : undefined;
    cached = { vars, stripe, config };
  }
  return cached;
}

/** The validated configuration alone (the middleware needs nothing else). */
export function siteConfig(): SiteConfig {
  return configAndClient().config;
}

/** Everything a page or endpoint needs, built from the Worker's bindings. */
export function site(): Site {
  const { config, stripe } = configAndClient();
  const kv = config.testFaultInjection && config.apiBase ? withKvFaults(env.WSDEMO, config.apiBase) : env.WSDEMO;
  const store = new Store(kv);
  const catalog = stripe
    ? new CatalogCache({ store, fetchPlans: () => fetchPlans(stripe), ttlSeconds: config.catalogTtlSeconds, waitUntil, log })
    : undefined;
  return { config, store, log, stripe, catalog };
}
