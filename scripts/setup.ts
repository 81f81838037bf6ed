/**
 * `npm run setup`: brings a Stripe account in line with the shop, idempotently (a second run changes
 * nothing): the catalog file's products and prices, the webhook endpoint for SITE_URL/webhook, the
 * default customer portal configuration, the 適格請求書 registration number as the account's jp_trn
 * tax ID; then prints the steps only the Dashboard can do. The decisions are src/lib/setup/'s; this
 * file reads, asks Stripe, writes and prints.
 *
 * The setup key (STRIPE_SETUP_KEY, or asked for without echo) is used for this run only: never
 * written, never printed. The webhook's signing secret, which Stripe shows once, goes into .dev.vars
 * (mode 0600) in test mode, or straight into `wrangler secret put STRIPE_WEBHOOK_SECRET` on stdin
 * (`--secret-to wrangler`, the default with --live); it is never printed.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs, parseEnv } from 'node:util';
import Stripe from 'stripe';
import { readConfig, type SiteVariables } from '../src/lib/config/read.ts';
import { parseShopProfile } from '../src/lib/legal/profile.ts';
import { describeCatalogAction, parseCatalog, planCatalog, type CatalogProduct } from '../src/lib/setup/catalog.ts';
import { dashboardSteps, dashboardUrl } from '../src/lib/setup/dashboard.ts';
import { withVariables } from '../src/lib/setup/dev-vars.ts';
import { planPortal } from '../src/lib/setup/portal.ts';
import { isInvoiceDefault, planTaxId } from '../src/lib/setup/tax-id.ts';
import { planWebhook } from '../src/lib/setup/webhook.ts';
import { STRIPE_API_VERSION } from '../src/lib/stripe/client.ts';
import { isTestModeKey } from '../src/lib/stripe/ids.ts';
import { portalFeatures } from '../src/lib/subscriptions/portal-features.ts';

const ROOT = resolve(import.meta.dirname, '..');
const USAGE = `Usage: npm run setup -- [--site-url https://shop.example.com] [--live] [--confirm-live acct_…]
       [--secret-to dev-vars|wrangler] [--dev-vars FILE] [--pause-months 1,2,3] [--catalog FILE] [--profile FILE]
The setup key comes from STRIPE_SETUP_KEY or a prompt (a secret key sk_…, or a restricted key with write access to
Products, Prices, Webhook Endpoints, Customer portal and Tax IDs). STRIPE_API_BASE points it at another API host.`;

function fail(message: string, code = 1): never {
  console.error(message);
  process.exit(code);
}

// A Stripe refusal ends the run with Stripe's own words (keys in them are masked), not a stack trace.
process.on('uncaughtException', (error) => {
  const { message, type, code, param } = error as Error & { type?: string; code?: string; param?: string };
  const detail = [type, code, param && `param ${param}`].filter(Boolean).join(', ');
  fail(
    `setup stopped: ${message}${detail ? ` (${detail})` : ''}. What was done so far stays; run setup again after fixing it.`,
  );
});

const OPTIONS = {
  'site-url': { type: 'string' },
  live: { type: 'boolean' },
  'confirm-live': { type: 'string' },
  'secret-to': { type: 'string' },
  'dev-vars': { type: 'string' },
  'pause-months': { type: 'string' },
  catalog: { type: 'string' },
  profile: { type: 'string' },
  help: { type: 'boolean' },
} as const;

function parseFlags() {
  try {
    return parseArgs({ options: OPTIONS, strict: true }).values;
  } catch (error) {
    return fail(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`, 2);
  }
}

const flags = parseFlags();
if (flags.help) fail(USAGE, 0);

const live = flags.live === true;
const devVarsFile = resolve(flags['dev-vars'] ?? join(ROOT, '.dev.vars'));
const secretTo = flags['secret-to'] ?? (live ? 'wrangler' : 'dev-vars');
if (secretTo !== 'dev-vars' && secretTo !== 'wrangler') fail(`--secret-to is dev-vars or wrangler\n${USAGE}`, 2);
const pauseMonths = (flags['pause-months'] ?? '')
  .split(',')
  .filter((part) => part.trim() !== '')
  .map(Number);
if (pauseMonths.some((months) => !Number.isInteger(months) || months < 1 || months > 36))
  fail('--pause-months lists whole months from 1 to 36, such as 1,2,3', 2);

/** .dev.vars (or --dev-vars), overridden by the process environment, as wrangler reads them. */
function siteVariables(): SiteVariables {
  const fromFile = existsSync(devVarsFile) ? parseEnv(readFileSync(devVarsFile, 'utf8')) : {};
  const variables: Record<string, string | undefined> = { ...fromFile };
  for (const name of Object.keys(process.env)) if (process.env[name] !== undefined) variables[name] = process.env[name];
  if (flags['site-url']) variables.SITE_URL = flags['site-url'];
  return variables;
}

function readJson(file: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return fail(`Cannot read the ${what} ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const config = readConfig(siteVariables());
const siteUrlProblem = config.problems.find((problem) => problem.variable === 'SITE_URL');
if (siteUrlProblem) fail(siteUrlProblem.message, 2);
const catalogFile = resolve(flags.catalog ?? join(ROOT, 'src/content/shop/catalog.json'));
const parsedCatalog = parseCatalog(readJson(catalogFile, 'catalog file'));
if (!parsedCatalog.ok) fail(`${parsedCatalog.error} (${catalogFile})`);
const catalog = parsedCatalog.products;
const profileFile = resolve(flags.profile ?? join(ROOT, 'src/content/shop/profile.json'));
const parsedProfile = parseShopProfile((readJson(profileFile, 'shop profile') as { profile?: unknown }).profile);
if (!parsedProfile.ok) fail(`${parsedProfile.error} (${profileFile})`);
const profile = parsedProfile.profile;
if (live && profile.sample)
  fail(
    `Refusing --live: the shop profile (${profileFile}) is still the sample. Replace it with the shop's own details and set "sample": false first.`,
  );

/** Asks without echoing what is typed (the setup key). */
async function askHidden(question: string): Promise<string> {
  if (!process.stdin.isTTY) return fail('No STRIPE_SETUP_KEY and no terminal to ask for it.', 2);
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const output = rl as unknown as { _writeToOutput: (text: string) => void };
  process.stdout.write(question);
  output._writeToOutput = () => undefined;
  const answer = await rl.question('');
  rl.close();
  process.stdout.write('\n');
  return answer.trim();
}

async function ask(question: string): Promise<string> {
  if (!process.stdin.isTTY) return '';
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await rl.question(question);
  rl.close();
  return answer.trim();
}

const setupKey =
  process.env.STRIPE_SETUP_KEY?.trim() || (await askHidden('Stripe setup key (sk_… or rk_…, not shown): '));
if (!/^(sk|rk)_(test|live)_[A-Za-z0-9]+$/.test(setupKey))
  fail('The setup key must be a secret key (sk_…) or a restricted key (rk_…).', 2);
if (isTestModeKey(setupKey) === live)
  fail(
    live
      ? '--live needs a live-mode key (sk_live_… or rk_live_…).'
      : 'Without --live, setup needs a test-mode key (sk_test_… or rk_test_…); --live is for live mode.',
    2,
  );

const apiBase = config.apiBase;
const stripe = new Stripe(setupKey, {
  apiVersion: STRIPE_API_VERSION,
  maxNetworkRetries: 2,
  ...(apiBase && {
    host: apiBase.hostname,
    protocol: apiBase.protocol === 'http:' ? 'http' : 'https',
    port: Number(apiBase.port) || (apiBase.protocol === 'http:' ? 80 : 443),
  }),
});

const account = await stripe.accounts.retrieveCurrent();
const accountName = account.settings?.dashboard.display_name ?? account.business_profile?.name ?? account.id;
console.log(`Stripe account ${account.id} (${accountName}), ${live ? 'LIVE mode' : 'test mode'}.`);
if (live) {
  const typed = flags['confirm-live'] ?? (await ask(`Type the account id (${account.id}) to change it in live mode: `));
  if (typed !== account.id) fail('Not confirmed: nothing was changed.');
}

/** Writes variables into .dev.vars, readable by the owner only. */
function writeDevVars(updates: Record<string, string>): void {
  const text = existsSync(devVarsFile) ? readFileSync(devVarsFile, 'utf8') : '';
  writeFileSync(devVarsFile, withVariables(text, updates), { mode: 0o600 });
  chmodSync(devVarsFile, 0o600);
}

// ---------------------------------------------------------------- the catalog

/** The plans' products and prices (what the portal may switch between), and the shipping price if the file has one. */
async function syncCatalog(file: readonly CatalogProduct[]): Promise<{
  plans: Array<{ product: string; prices: string[] }>;
  shippingPrice: string | undefined;
}> {
  const products: Stripe.Product[] = [];
  for await (const product of stripe.products.list({ limit: 100 })) products.push(product);
  const prices: Stripe.Price[] = [];
  const lookupKeys = file.flatMap((item) => item.prices.map((price) => price.lookup_key));
  // docs.stripe.com/api/prices/list#list_prices-lookup_keys: up to 10 per call.
  for (let start = 0; start < lookupKeys.length; start += 10)
    for await (const price of stripe.prices.list({ lookup_keys: lookupKeys.slice(start, start + 10), limit: 100 }))
      prices.push(price);

  const actions = planCatalog(file, products, prices);
  const productIds = new Map(
    products.flatMap((product) => (product.metadata.catalog_key ? [[product.metadata.catalog_key, product.id]] : [])),
  );
  const priceIds = new Map(prices.flatMap((price) => (price.lookup_key ? [[price.lookup_key, price.id]] : [])));
  const idOf = (map: Map<string, string>, key: string) => map.get(key) ?? fail(`setup: no id for ${key}`);
  for (const action of actions) {
    switch (action.kind) {
      case 'create-product':
        productIds.set(action.productKey, (await stripe.products.create(action.params)).id);
        break;
      case 'update-product':
        await stripe.products.update(action.productId, action.params);
        break;
      case 'create-price': {
        const price = await stripe.prices.create({ ...action.params, product: idOf(productIds, action.productKey) });
        priceIds.set(action.lookupKey, price.id);
        break;
      }
      case 'reactivate-price':
        await stripe.prices.update(action.priceId, { active: true });
        break;
      case 'set-default-price':
        await stripe.products.update(idOf(productIds, action.productKey), {
          default_price: idOf(priceIds, action.lookupKey),
        });
        break;
      case 'archive-price':
        await stripe.prices.update(action.priceId, { active: false });
        break;
    }
    console.log(`  ${describeCatalogAction(action)}`);
  }
  console.log(actions.length === 0 ? '✓ catalog: nothing to change' : `✓ catalog: ${actions.length} changes`);
  const ids = (item: CatalogProduct) => ({
    product: idOf(productIds, item.key),
    prices: item.prices.map((price) => idOf(priceIds, price.lookup_key)),
  });
  const shipping = file.find((item) => item.shipping);
  return {
    plans: file.filter((item) => !item.shipping).map(ids),
    shippingPrice: shipping ? ids(shipping).prices[0] : undefined,
  };
}

// ---------------------------------------------------------------- the webhook endpoint

/** Hands the signing secret on without printing it. */
function deliverSecret(secret: string): void {
  if (secretTo === 'dev-vars') {
    writeDevVars({ STRIPE_WEBHOOK_SECRET: secret });
    console.log(`  the signing secret is in ${devVarsFile} (STRIPE_WEBHOOK_SECRET, mode 0600)`);
    return;
  }
  const wrangler = join(ROOT, 'node_modules/.bin/wrangler');
  const put = spawnSync(wrangler, ['secret', 'put', 'STRIPE_WEBHOOK_SECRET'], {
    cwd: ROOT,
    input: `${secret}\n`,
    stdio: ['pipe', 'inherit', 'inherit'],
  });
  if (put.status === 0) console.log('  the signing secret is the Worker’s STRIPE_WEBHOOK_SECRET (wrangler secret put)');
  else
    console.log(
      '  ✗ wrangler secret put failed (run npx wrangler login?). The endpoint exists: reveal its signing secret in the\n' +
        '    Dashboard (Webhooks → the endpoint → Signing secret) and run: npx wrangler secret put STRIPE_WEBHOOK_SECRET',
    );
}

async function syncWebhook(siteUrl: string): Promise<void> {
  const endpoints: Stripe.WebhookEndpoint[] = [];
  for await (const endpoint of stripe.webhookEndpoints.list({ limit: 100 })) endpoints.push(endpoint);
  const plan = planWebhook(endpoints, siteUrl);
  switch (plan.kind) {
    case 'none':
      console.log(`✓ webhook: ${plan.id} already sends what the site handles`);
      return;
    case 'update':
      await stripe.webhookEndpoints.update(plan.id, plan.params);
      console.log(`✓ webhook: updated ${plan.id} (${plan.why})`);
      return;
    case 'recreate': {
      // The new one first: a failed create leaves the old endpoint delivering.
      const created = await stripe.webhookEndpoints.create(plan.params);
      await stripe.webhookEndpoints.del(plan.id);
      console.log(`✓ webhook: re-created ${plan.id} as ${created.id} (${plan.why}); it has a new signing secret`);
      if (created.secret) deliverSecret(created.secret);
      return;
    }
    case 'create': {
      const created = await stripe.webhookEndpoints.create(plan.params);
      console.log(`✓ webhook: created ${created.id} for ${plan.params.url}`);
      if (created.secret) deliverSecret(created.secret);
      return;
    }
  }
}

// ---------------------------------------------------------------- the portal

async function syncPortal(products: Array<{ product: string; prices: string[] }>): Promise<void> {
  const [configuration] = (await stripe.billingPortal.configurations.list({ is_default: true, limit: 1 })).data;
  if (!configuration) {
    console.log(
      `✗ portal: no default configuration; save the portal settings once at ${dashboardUrl('settings/billing/portal', live)} and run setup again`,
    );
    return;
  }
  const wanted = portalFeatures({ products, ships: config.shippingCountries.length > 0, pauseMonths });
  const plan = planPortal(configuration, wanted);
  const updated =
    plan.kind === 'update'
      ? await stripe.billingPortal.configurations.update(configuration.id, plan.params)
      : configuration;
  console.log(
    plan.kind === 'update'
      ? `✓ portal: updated the default configuration (${plan.why})`
      : '✓ portal: the default configuration has every feature',
  );
  const loginUrl = updated.login_page.url;
  if (!loginUrl) return;
  if (config.portalLoginUrl === loginUrl) return;
  if (live) console.log(`  set PUBLIC_STRIPE_CUSTOMER_PORTAL_URL=${loginUrl} in the Worker's variables`);
  else {
    writeDevVars({ PUBLIC_STRIPE_CUSTOMER_PORTAL_URL: loginUrl });
    console.log(`  PUBLIC_STRIPE_CUSTOMER_PORTAL_URL=${loginUrl} (in ${devVarsFile})`);
  }
}

// ---------------------------------------------------------------- the registration number

/** Answers the tax ID's id when it is not yet the invoices' default. */
async function syncTaxId(): Promise<string | undefined> {
  const number = profile.registrationNumber;
  if (!number) {
    console.log('– tax ID: the profile has no registrationNumber (not a 適格請求書発行事業者): nothing to register');
    return undefined;
  }
  const existing = (await stripe.taxIds.list({ limit: 100 })).data;
  const plan = planTaxId(existing, number);
  const id = plan.kind === 'create' ? (await stripe.taxIds.create(plan.params)).id : plan.id;
  console.log(
    plan.kind === 'create' ? `✓ tax ID: registered ${number} as ${id} (jp_trn)` : `✓ tax ID: ${number} is ${id}`,
  );
  const current = await stripe.accounts.retrieveCurrent();
  return isInvoiceDefault(current, id) ? undefined : id;
}

const synced = await syncCatalog(catalog);
if (synced.shippingPrice && synced.shippingPrice !== config.shippingPriceId) {
  if (live) console.log(`  set SHIPPING_PRICE=${synced.shippingPrice} in the Worker's variables (the shipping line)`);
  else {
    writeDevVars({ SHIPPING_PRICE: synced.shippingPrice });
    console.log(`  SHIPPING_PRICE=${synced.shippingPrice} (in ${devVarsFile}; it needs SHIPPING_COUNTRIES)`);
  }
}
if (config.siteOrigin?.startsWith('https://')) await syncWebhook(config.siteOrigin);
else
  console.log(
    config.siteOrigin
      ? `– webhook: Stripe cannot reach ${config.siteOrigin}; locally use the Stripe CLI (docs/webhooks.md), or run setup with --site-url https://…`
      : `– webhook: no SITE_URL yet; after the first deploy run: npm run setup -- ${live ? '--live ' : ''}--site-url https://…`,
  );
await syncPortal(synced.plans);
const taxIdToMakeDefault = await syncTaxId();

console.log('\nWhat only the Dashboard can do:');
for (const [index, step] of dashboardSteps({
  live,
  siteUrl: config.siteOrigin,
  taxIdToMakeDefault,
  automaticTax: config.automaticTax,
}).entries()) {
  console.log(`${index + 1}. ${step.title}\n   ${step.url}`);
  for (const line of step.lines) console.log(`   ${line}`);
}
console.log('\nThen check everything: npm run doctor');
