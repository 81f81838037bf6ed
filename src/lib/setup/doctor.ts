/**
 * The doctor: every piece of configuration the shop depends on, checked, each as ✓ / ✗ with the fix.
 * `npm run doctor` (scripts/doctor.ts) and the admin page call `runDoctor` with what they can reach:
 * the site's Stripe client always, the setup key's client for what a restricted key may not read
 * (webhook endpoints, the portal configuration, the account and its tax IDs), Cloudflare facts when
 * known. Dependencies are arguments; nothing here reads the environment.
 */
import type Stripe from 'stripe';
import type { SiteConfig } from '../config/read.ts';
import type { ShopProfile } from '../legal/profile.ts';
import { shopOpening } from '../legal/opening.ts';
import { STRIPE_API_VERSION } from '../stripe/client.ts';
import { isTestModeKey } from '../stripe/ids.ts';
import { restrictedKeyPermissions, type Permission } from '../stripe/permissions.ts';
import { portalFeatures } from '../subscriptions/portal-features.ts';
import { dashboardUrl } from './dashboard.ts';
import { loginPageShortfall, portalShortfalls } from './portal.ts';
import { isInvoiceDefault } from './tax-id.ts';
import { eventDifference, siteEndpoint, webhookUrl } from './webhook.ts';

/** `skip`: not checked here (no setup key, not applicable), never a failure. */
type CheckStatus = 'ok' | 'fail' | 'skip';

export interface Check {
  /** The part of the setup: `stripe-key`, `webhook`, `portal`, `catalog`, `tax-id`, `site`, `cloudflare`, `profile`. */
  area: string;
  label: string;
  status: CheckStatus;
  /** What to do about a ✗ (or why a check was skipped). */
  fix?: string;
}

/** What the doctor knows about the Worker's Cloudflare side. */
export interface CloudflareFacts {
  kvBound: boolean;
  d1Bound: boolean;
  /** Migrations not applied to the remote database; undefined when they could not be listed (`why`). */
  pendingMigrations?: string[];
  why?: string;
}

export interface DoctorDeps {
  config: SiteConfig;
  profile: ShopProfile;
  /** A client with the site's own key (STRIPE_API_KEY); undefined when none is configured. */
  site?: Stripe;
  /** A client with the setup key (`sk_` or a restricted key that may read what setup writes), when given. */
  setup?: Stripe;
  cloudflare?: CloudflareFacts;
}

const ok = (area: string, label: string): Check => ({ area, label, status: 'ok' });
const fail = (area: string, label: string, fix: string): Check => ({ area, label, status: 'fail', fix });
const skip = (area: string, label: string, why: string): Check => ({ area, label, status: 'skip', fix: why });

const NEEDS_SETUP_KEY = 'needs the setup key (STRIPE_SETUP_KEY): a restricted site key may not read it';

// ---------------------------------------------------------------- the site's key

/**
 * A harmless read per permission, or none for write-only ones (creating objects to find out is not
 * harmless: those are checked on first use). Ids that cannot exist answer `resource_missing` to a
 * key that may read the resource, 403 to one that may not.
 */
const PROBES: Partial<Record<string, (stripe: Stripe) => Promise<unknown>>> = {
  Prices: (stripe) => stripe.prices.list({ limit: 1 }),
  Products: (stripe) => stripe.products.list({ limit: 1 }),
  Customers: (stripe) => stripe.customers.list({ limit: 1 }),
  Subscriptions: (stripe) => stripe.subscriptions.list({ limit: 1 }),
  PaymentMethods: (stripe) => stripe.paymentMethods.retrieve('pm_doctorprobe'),
};

interface StripeErrorLike {
  statusCode?: number;
  code?: string;
  message?: string;
}

/** One permission: ✓ when the probe answers (or says the made-up id does not exist), ✗ on 401 / 403. */
async function checkPermission(stripe: Stripe, permission: Permission, keyUrl: string): Promise<Check> {
  const label = `the site's key has ${permission.resource}: ${permission.access === 'write' ? 'Write' : 'Read'}`;
  const probe = PROBES[permission.resource];
  if (permission.access === 'write')
    return skip('stripe-key', label, 'write access: checked on first use (probing it would create objects)');
  if (!probe) return skip('stripe-key', label, 'no harmless call reads it: checked on first use');
  try {
    await probe(stripe);
    return ok('stripe-key', label);
  } catch (error) {
    const { statusCode, code, message } = error as StripeErrorLike;
    if (code === 'resource_missing') return ok('stripe-key', label);
    // docs.stripe.com/keys#limit-access: a restricted key without the permission gets 403.
    if (statusCode === 401 || statusCode === 403)
      return fail('stripe-key', label, `edit the restricted key at ${keyUrl} and give it ${label.split(' has ')[1]}`);
    return fail('stripe-key', label, `Stripe answered: ${message ?? String(error)}`);
  }
}

/** The site's key: a restricted key in the mode the shop runs in, with each permission the site needs. */
async function checkSiteKey(deps: DoctorDeps): Promise<Check[]> {
  const key = deps.config.stripeApiKey;
  const live = key !== undefined && !isTestModeKey(key);
  const keyUrl = dashboardUrl('apikeys', live);
  if (!key || !deps.site)
    return [
      fail(
        'stripe-key',
        'STRIPE_API_KEY is set',
        `create a restricted key at ${keyUrl}/create (npm run setup prints its permissions)`,
      ),
    ];
  const checks = [
    key.startsWith('rk_')
      ? ok('stripe-key', 'STRIPE_API_KEY is a restricted key')
      : fail(
          'stripe-key',
          'STRIPE_API_KEY is a restricted key',
          `a secret key can do anything: make a restricted key at ${keyUrl}/create`,
        ),
  ];
  for (const permission of restrictedKeyPermissions())
    checks.push(await checkPermission(deps.site, permission, keyUrl));
  return checks;
}

// ---------------------------------------------------------------- the webhook endpoint

/** The endpoint for SITE_URL: exists, enabled, on the pinned API version, sending every handled type. */
export function checkWebhook(endpoints: readonly Stripe.WebhookEndpoint[], siteUrl: string, live = false): Check[] {
  const url = webhookUrl(siteUrl);
  const endpoint = siteEndpoint(endpoints, siteUrl);
  const rerun = `npm run setup -- ${live ? '--live ' : ''}--site-url ${siteUrl}`;
  if (!endpoint) return [fail('webhook', `a webhook endpoint for ${url}`, `run ${rerun}`)];
  const { missing } = eventDifference(endpoint);
  return [
    ok('webhook', `a webhook endpoint for ${url}`),
    endpoint.status === 'enabled'
      ? ok('webhook', 'the endpoint is enabled')
      : fail('webhook', 'the endpoint is enabled', `run ${rerun} (or enable it in the Dashboard)`),
    endpoint.api_version === STRIPE_API_VERSION
      ? ok('webhook', `the endpoint's API version is ${STRIPE_API_VERSION}`)
      : fail(
          'webhook',
          `the endpoint's API version is ${STRIPE_API_VERSION}`,
          `it is ${endpoint.api_version ?? 'the account default'}: run ${rerun} (it re-creates the endpoint, with a new signing secret)`,
        ),
    missing.length === 0
      ? ok('webhook', 'the endpoint sends every event type the site handles')
      : fail(
          'webhook',
          'the endpoint sends every event type the site handles',
          `missing ${missing.join(', ')}: run ${rerun}`,
        ),
  ];
}

// ---------------------------------------------------------------- the catalog

/** The product of a price listed with `expand: ['data.product']`, when active. */
function activeProduct(price: Stripe.Price): Stripe.Product | undefined {
  const product = price.product;
  return typeof product !== 'string' && !product.deleted && product.active ? product : undefined;
}

/** Why the site cannot sell a price at all (empty: it can), as src/lib/stripe/catalog.ts decides. */
function unsellable(
  price: Stripe.Price,
  product: Stripe.Product,
  config: SiteConfig,
  shippingPrice: Stripe.Price | undefined,
): string[] {
  const problems: string[] = [];
  // A shipping line is billed with the plan on one invoice: same currency and cycle (catalog.ts sameCycle).
  const cycle = (entry: Stripe.Price) =>
    `${entry.currency} every ${entry.recurring?.interval_count ?? 1} ${entry.recurring?.interval ?? ''}`;
  if (shippingPrice && config.shippingCountries.length > 0 && cycle(shippingPrice) !== cycle(price))
    problems.push(
      `SHIPPING_PRICE bills ${cycle(shippingPrice)}, this price ${cycle(price)}: give the shipping product a price in this cycle and use it, or archive this one`,
    );
  if (price.recurring?.usage_type !== 'licensed') problems.push('it is metered: archive it');
  if (price.billing_scheme !== 'per_unit' || price.unit_amount === null)
    problems.push('it has no single amount (tiered or customer-chosen): archive it');
  const tax = price.tax_behavior ?? 'unspecified';
  if (price.currency === 'jpy' && tax !== 'inclusive' && !config.automaticTax)
    problems.push(`its tax behaviour is ${tax}: JPY prices include tax (総額表示) unless STRIPE_AUTOMATIC_TAX=true`);
  if (price.currency !== 'jpy' && !price.metadata.tax_label && !product.metadata.tax_label)
    problems.push('a price outside JPY needs metadata tax_label (and tax_label_en) saying which tax it includes');
  return problems;
}

/** The product SHIPPING_PRICE belongs to: its prices are shipping lines, not plans (src/lib/stripe/catalog.ts). */
function shippingProductId(prices: readonly Stripe.Price[], config: SiteConfig): string | undefined {
  const price = prices.find((entry) => entry.id === config.shippingPriceId);
  return price && (typeof price.product === 'string' ? price.product : price.product.id);
}

/** The active recurring prices of active products, with their products. */
function offered(prices: readonly Stripe.Price[]): Array<{ price: Stripe.Price; product: Stripe.Product }> {
  return prices.flatMap((price) => {
    const product = activeProduct(price);
    return price.active && price.recurring && product ? [{ price, product }] : [];
  });
}

/**
 * Each active recurring price of an active product: one the site can sell (licensed, one amount per
 * unit, tax included in JPY unless Stripe Tax computes it, a tax statement outside JPY) with the words
 * the pages need (the other language's name; what one delivery holds when the shop ships).
 */
export function checkCatalog(prices: readonly Stripe.Price[], config: SiteConfig): Check[] {
  const other = config.shopLanguage === 'ja' ? 'en' : 'ja';
  const shippingProduct = shippingProductId(prices, config);
  const shippingPrice = prices.find((entry) => entry.id === config.shippingPriceId);
  const checks = offered(prices).map(({ price, product }) => {
    const label = `price ${price.lookup_key ?? price.id} (${product.name}) can be sold`;
    const problems = unsellable(price, product, config, product.id === shippingProduct ? undefined : shippingPrice);
    const isShipping = product.id === shippingProduct;
    if (!isShipping && !product.metadata[`name_${other}`]) problems.push(`its product has no metadata name_${other}`);
    if (!isShipping && config.shippingCountries.length > 0 && !product.metadata.per_delivery)
      problems.push('its product has no metadata per_delivery (what one delivery holds)');
    return problems.length === 0
      ? ok('catalog', label)
      : fail('catalog', label, `${problems.join('; ')} (src/content/shop/catalog.json, then npm run setup)`);
  });
  if (checks.length === 0)
    checks.push(
      fail(
        'catalog',
        'the catalog has a price to sell',
        'add products to src/content/shop/catalog.json and run npm run setup',
      ),
    );
  return checks;
}

/** The portal features the site relies on: plan switches among every price the site sells. */
function wantedPortal(prices: readonly Stripe.Price[], config: SiteConfig) {
  const byProduct = new Map<string, string[]>();
  const shippingProduct = shippingProductId(prices, config);
  const shippingPrice = prices.find((entry) => entry.id === config.shippingPriceId);
  for (const { price, product } of offered(prices))
    if (product.id !== shippingProduct && unsellable(price, product, config, shippingPrice).length === 0)
      byProduct.set(product.id, [...(byProduct.get(product.id) ?? []), price.id]);
  return portalFeatures({
    products: [...byProduct].map(([product, ids]) => ({ product, prices: ids })),
    ships: config.shippingCountries.length > 0,
    pauseMonths: [],
  });
}

/** The default portal configuration has each feature the site relies on, and the login page. */
function checkPortal(
  configuration: Stripe.BillingPortal.Configuration | undefined,
  prices: readonly Stripe.Price[],
  config: SiteConfig,
): Check[] {
  const label = 'the customer portal has every feature the site uses';
  if (!configuration)
    return [fail('portal', label, 'no default configuration: save the portal settings once, then run npm run setup')];
  const missing = portalShortfalls(configuration, wantedPortal(prices, config));
  const login = loginPageShortfall(configuration);
  return [
    missing.length === 0
      ? ok('portal', label)
      : fail(
          'portal',
          label,
          `missing ${missing.join(', ')}: run npm run setup (products sold but not in src/content/shop/catalog.json: add them there)`,
        ),
    login.length === 0
      ? ok('portal', 'the portal login page is on')
      : fail(
          'portal',
          'the portal login page is on',
          'run npm run setup (it turns it on and writes PUBLIC_STRIPE_CUSTOMER_PORTAL_URL)',
        ),
    config.portalLoginUrl
      ? ok('portal', 'PUBLIC_STRIPE_CUSTOMER_PORTAL_URL is set')
      : fail(
          'portal',
          'PUBLIC_STRIPE_CUSTOMER_PORTAL_URL is set',
          'npm run setup prints it (the portal login page URL)',
        ),
  ];
}

// ---------------------------------------------------------------- the registration number

/** The profile's registration number is the account's `jp_trn` tax ID and the invoices' default. */
export function checkRegistration(
  registrationNumber: string | undefined,
  taxIds: readonly Stripe.TaxId[],
  account: Stripe.Account,
  live: boolean,
): Check[] {
  const label = '適格請求書 registration number is the account’s jp_trn tax ID';
  if (!registrationNumber)
    return [
      skip(
        'tax-id',
        label,
        'no registrationNumber in the shop profile (a seller not registered for qualified invoices has none)',
      ),
    ];
  const taxId = taxIds.find((entry) => entry.type === 'jp_trn' && entry.value === registrationNumber);
  if (!taxId) return [fail('tax-id', label, 'run npm run setup')];
  return [
    ok('tax-id', label),
    isInvoiceDefault(account, taxId.id)
      ? ok('tax-id', 'invoices carry it by default')
      : fail(
          'tax-id',
          'invoices carry it by default',
          `choose ${taxId.id} under Default tax IDs at ${dashboardUrl('settings/billing/invoice', live)}`,
        ),
  ];
}

// ---------------------------------------------------------------- the site, Cloudflare, the profile

/** Words the sample profile marks its made-up values with, and its made-up contact details. */
const SAMPLE_MARKERS = ['（サンプル）', '(sample)', '架空', 'made-up', '.example', '03-0000-0000'];

/** The profile's fields that still carry sample values (by path), such as `legalName.ja`. */
export function sampleValues(profile: ShopProfile): string[] {
  const found: string[] = [];
  const visit = (value: unknown, path: string) => {
    if (typeof value === 'string') {
      if (SAMPLE_MARKERS.some((marker) => value.includes(marker))) found.push(path);
    } else if (value && typeof value === 'object')
      for (const [key, inner] of Object.entries(value)) visit(inner, path ? `${path}.${key}` : key);
  };
  visit(profile, '');
  return found;
}

/** The shop profile: not the sample, no sample values left, and never the sample with a live key. */
export function checkProfile(profile: ShopProfile, stripeApiKey: string | undefined): Check[] {
  const where = 'src/content/shop/profile.json';
  const opening = shopOpening(stripeApiKey, profile);
  const leftovers = sampleValues(profile);
  return [
    opening.open
      ? ok('profile', 'the shop may take real orders')
      : fail('profile', 'the shop may take real orders', opening.ownerHint),
    profile.sample
      ? fail('profile', 'the shop profile is the shop’s own', `replace the sample in ${where} and set "sample": false`)
      : ok('profile', 'the shop profile is the shop’s own'),
    leftovers.length === 0
      ? ok('profile', 'the profile carries no sample values')
      : fail('profile', 'the profile carries no sample values', `still sample: ${leftovers.join(', ')} (${where})`),
  ];
}

/** SITE_URL, the e-mail sender, Access, and the Worker's bindings and migrations. */
function checkSite(deps: DoctorDeps): Check[] {
  const { config, cloudflare } = deps;
  const siteUrlProblem = config.problems.find((problem) => problem.variable === 'SITE_URL');
  const checks = [
    config.siteOrigin?.startsWith('https://')
      ? ok('site', `SITE_URL is https (${config.siteOrigin})`)
      : fail(
          'site',
          'SITE_URL is https',
          siteUrlProblem?.message ?? 'set SITE_URL to the shop’s https origin, such as https://shop.example.com',
        ),
    config.signInFrom
      ? ok('site', `the e-mail sender is set (${config.signInFrom})`)
      : fail(
          'site',
          'the e-mail sender is set',
          'onboard a domain to Cloudflare Email Sending and set SIGN_IN_EMAIL_FROM (docs/setup.md)',
        ),
    config.accessTeamDomain && config.accessAudience
      ? ok('site', 'Cloudflare Access guards /admin')
      : fail(
          'site',
          'Cloudflare Access guards /admin',
          'set ACCESS_TEAM_DOMAIN and ACCESS_AUD (docs/setup.md#the-owners-pages-cloudflare-access)',
        ),
  ];
  if (!cloudflare) return [...checks, skip('cloudflare', 'KV, D1 and migrations', 'Cloudflare facts not given')];
  checks.push(
    cloudflare.kvBound
      ? ok('cloudflare', 'KV WSDEMO is bound')
      : fail('cloudflare', 'KV WSDEMO is bound', 'add it to wrangler.jsonc kv_namespaces'),
    cloudflare.d1Bound
      ? ok('cloudflare', 'D1 DB is bound')
      : fail('cloudflare', 'D1 DB is bound', 'add it to wrangler.jsonc d1_databases'),
  );
  const label = 'D1 migrations are applied (remote)';
  if (!cloudflare.pendingMigrations)
    checks.push(fail('cloudflare', label, cloudflare.why ?? 'could not list them: run npx wrangler login'));
  else if (cloudflare.pendingMigrations.length > 0)
    checks.push(fail('cloudflare', label, `pending ${cloudflare.pendingMigrations.join(', ')}: run npm run deploy`));
  else checks.push(ok('cloudflare', label));
  return checks;
}

// ---------------------------------------------------------------- all of it

/** Every check, in the order an owner fixes things. Stripe errors other than permissions become ✗, never throws. */
export async function runDoctor(deps: DoctorDeps): Promise<Check[]> {
  const { config, site, setup } = deps;
  const live = config.stripeApiKey !== undefined && !isTestModeKey(config.stripeApiKey);
  const checks = await checkSiteKey(deps);
  const attempt = async (area: string, label: string, run: () => Promise<Check[]>): Promise<Check[]> => {
    try {
      return await run();
    } catch (error) {
      return [fail(area, label, `Stripe answered: ${(error as StripeErrorLike).message ?? String(error)}`)];
    }
  };

  let listedPrices: Stripe.Price[] = [];
  if (site)
    try {
      for await (const price of site.prices.list({
        active: true,
        type: 'recurring',
        limit: 100,
        expand: ['data.product'],
      }))
        listedPrices.push(price);
      checks.push(...checkCatalog(listedPrices, config));
    } catch (error) {
      listedPrices = [];
      checks.push(
        fail(
          'catalog',
          'the catalog can be read',
          `Stripe answered: ${(error as StripeErrorLike).message ?? String(error)}`,
        ),
      );
    }

  if (!setup) {
    for (const [area, label] of [
      ['webhook', 'the webhook endpoint'],
      ['portal', 'the customer portal configuration'],
      ['tax-id', 'the registration number at Stripe'],
    ] as const)
      checks.push(skip(area, label, NEEDS_SETUP_KEY));
  } else {
    checks.push(
      ...(config.siteOrigin
        ? await attempt('webhook', 'the webhook endpoint', async () => {
            const endpoints: Stripe.WebhookEndpoint[] = [];
            for await (const endpoint of setup.webhookEndpoints.list({ limit: 100 })) endpoints.push(endpoint);
            return checkWebhook(endpoints, config.siteOrigin ?? '', live);
          })
        : [fail('webhook', 'the webhook endpoint', 'set SITE_URL first (the endpoint is SITE_URL/webhook)')]),
      ...(await attempt('portal', 'the customer portal configuration', async () => {
        const [configuration] = (await setup.billingPortal.configurations.list({ is_default: true, limit: 1 })).data;
        return checkPortal(configuration, listedPrices, config);
      })),
      ...(await attempt('tax-id', 'the registration number at Stripe', async () => {
        const account = await setup.accounts.retrieveCurrent();
        const taxIds = (await setup.taxIds.list({ limit: 100 })).data;
        return checkRegistration(deps.profile.registrationNumber, taxIds, account, live);
      })),
    );
  }
  checks.push(...checkSite(deps), ...checkProfile(deps.profile, config.stripeApiKey));
  return checks;
}

/** True when nothing failed (skips are not failures). */
export function allPassed(checks: readonly Check[]): boolean {
  return checks.every((check) => check.status !== 'fail');
}
