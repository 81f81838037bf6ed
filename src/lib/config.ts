/**
 * Reads and validates the site's variables once per request. Nothing here throws: a missing or
 * malformed variable becomes `undefined` plus a problem that the route needing it can show.
 */

/** The variables the site reads; every one is optional so a half-configured site still answers. */
export interface SiteVariables {
  PUBLIC_STRIPE_PUBLISHABLE_API_KEY?: string;
  PUBLIC_STRIPE_PRICING_TABLE_ID?: string;
  PUBLIC_STRIPE_BUY_BUTTON_ID?: string;
  PUBLIC_STRIPE_CUSTOMER_PORTAL_URL?: string;
  STRIPE_API_KEY?: string;
  STRIPE_WEBHOOK_SECRET?: string;
  STRIPE_API_BASE?: string;
  MYPAGE_SHARED_CUSTOMER?: string;
  CATALOG_TTL_SECONDS?: string;
  DEMO_MODE?: string;
  /** Test-only: honoured solely when STRIPE_API_BASE is a loopback address (see lib/kv-faults.ts). */
  TEST_FAULT_INJECTION?: string;
}

export type VariableName = keyof SiteVariables;

/** One misconfigured variable, described without ever echoing its value. */
export interface ConfigProblem {
  variable: VariableName;
  message: string;
}

export interface SiteConfig {
  publishableKey?: string;
  pricingTableId?: string;
  buyButtonId?: string;
  portalLoginUrl?: string;
  stripeApiKey?: string;
  webhookSecret?: string;
  apiBase?: URL;
  sharedCustomerMode: boolean;
  catalogTtlSeconds: number;
  demoMode: boolean;
  testFaultInjection: boolean;
  problems: ConfigProblem[];
}

export const DEFAULT_CATALOG_TTL_SECONDS = 300;

function clean(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** True for http(s) URLs whose host is this machine; used to fence off test-only switches. */
export function isLoopbackUrl(url: URL | undefined): boolean {
  if (!url) return false;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/** Validates the raw variables into a config plus a list of problems. */
export function readConfig(vars: SiteVariables): SiteConfig {
  const problems: ConfigProblem[] = [];

  let stripeApiKey = clean(vars.STRIPE_API_KEY);
  if (stripeApiKey && !/^(sk|rk)_(test|live)_[A-Za-z0-9]+$/.test(stripeApiKey)) {
    const hint = stripeApiKey.startsWith('pk_')
      ? 'holds a publishable key (pk_...); it needs a restricted key (rk_...) or a secret key (sk_...)'
      : 'is not a Stripe secret or restricted key (expected rk_test_..., rk_live_..., sk_test_... or sk_live_...)';
    problems.push({ variable: 'STRIPE_API_KEY', message: `STRIPE_API_KEY ${hint}.` });
    stripeApiKey = undefined;
  }

  let webhookSecret = clean(vars.STRIPE_WEBHOOK_SECRET);
  if (webhookSecret && !webhookSecret.startsWith('whsec_')) {
    problems.push({ variable: 'STRIPE_WEBHOOK_SECRET', message: 'STRIPE_WEBHOOK_SECRET must start with whsec_.' });
    webhookSecret = undefined;
  }

  let publishableKey = clean(vars.PUBLIC_STRIPE_PUBLISHABLE_API_KEY);
  if (publishableKey && !/^pk_(test|live)_[A-Za-z0-9]+$/.test(publishableKey)) {
    problems.push({
      variable: 'PUBLIC_STRIPE_PUBLISHABLE_API_KEY',
      message: 'PUBLIC_STRIPE_PUBLISHABLE_API_KEY must be a publishable key (pk_test_... or pk_live_...).',
    });
    publishableKey = undefined;
  }

  let pricingTableId = clean(vars.PUBLIC_STRIPE_PRICING_TABLE_ID);
  if (pricingTableId && !/^prctbl_[A-Za-z0-9]+$/.test(pricingTableId)) {
    problems.push({ variable: 'PUBLIC_STRIPE_PRICING_TABLE_ID', message: 'PUBLIC_STRIPE_PRICING_TABLE_ID must look like prctbl_....' });
    pricingTableId = undefined;
  }

  let buyButtonId = clean(vars.PUBLIC_STRIPE_BUY_BUTTON_ID);
  if (buyButtonId && !/^buy_btn_[A-Za-z0-9]+$/.test(buyButtonId)) {
    problems.push({ variable: 'PUBLIC_STRIPE_BUY_BUTTON_ID', message: 'PUBLIC_STRIPE_BUY_BUTTON_ID must look like buy_btn_....' });
    buyButtonId = undefined;
  }

  const portalLoginUrl = parseHttpUrl(clean(vars.PUBLIC_STRIPE_CUSTOMER_PORTAL_URL), 'https:');
  if (clean(vars.PUBLIC_STRIPE_CUSTOMER_PORTAL_URL) && !portalLoginUrl) {
    problems.push({
      variable: 'PUBLIC_STRIPE_CUSTOMER_PORTAL_URL',
      message: 'PUBLIC_STRIPE_CUSTOMER_PORTAL_URL must be an https URL (https://billing.stripe.com/p/login/...).',
    });
  }

  const rawBase = clean(vars.STRIPE_API_BASE);
  let apiBase: URL | undefined;
  if (rawBase) {
    const parsed = parseHttpUrl(rawBase);
    if (parsed) apiBase = new URL(parsed);
    else problems.push({ variable: 'STRIPE_API_BASE', message: 'STRIPE_API_BASE must be an http(s) URL such as http://127.0.0.1:12111.' });
  }

  const rawTtl = clean(vars.CATALOG_TTL_SECONDS);
  let catalogTtlSeconds = DEFAULT_CATALOG_TTL_SECONDS;
  if (rawTtl) {
    const ttl = Number(rawTtl);
    if (Number.isInteger(ttl) && ttl >= 0 && ttl <= 86_400) catalogTtlSeconds = ttl;
    else problems.push({ variable: 'CATALOG_TTL_SECONDS', message: 'CATALOG_TTL_SECONDS must be a whole number of seconds from 0 to 86400.' });
  }

  return {
    publishableKey,
    pricingTableId,
    buyButtonId,
    portalLoginUrl,
    stripeApiKey,
    webhookSecret,
    apiBase,
    sharedCustomerMode: clean(vars.MYPAGE_SHARED_CUSTOMER) === 'true',
    catalogTtlSeconds,
    demoMode: clean(vars.DEMO_MODE) === 'true',
    // Two locks: the explicit switch and a loopback Stripe, so a production deploy can never enable it.
    testFaultInjection: clean(vars.TEST_FAULT_INJECTION) === 'true' && isLoopbackUrl(apiBase),
    problems,
  };
}

function parseHttpUrl(value: string | undefined, requiredProtocol?: 'https:'): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    if (requiredProtocol ? url.protocol !== requiredProtocol : !['http:', 'https:'].includes(url.protocol)) return undefined;
    return url.toString();
  } catch {
    return undefined;
  }
}

/** The problem recorded for one variable, if any. */
export function problemFor(config: SiteConfig, variable: VariableName): ConfigProblem | undefined {
  return config.problems.find((p) => p.variable === variable);
}
