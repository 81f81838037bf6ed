/**
 * Reads and validates the site's variables once per isolate. Nothing here throws: a missing or
 * malformed variable becomes `undefined` plus a problem that the route needing it can show.
 */
import type { Language } from './i18n.ts';
import { isStripeId, isTestModeKey } from './stripe/ids.ts';

/** The variables the site reads; every one is optional so a half-configured site still answers. */
export interface SiteVariables {
  PUBLIC_STRIPE_PUBLISHABLE_API_KEY?: string;
  PUBLIC_STRIPE_PRICING_TABLE_ID?: string;
  PUBLIC_STRIPE_BUY_BUTTON_ID?: string;
  PUBLIC_STRIPE_CUSTOMER_PORTAL_URL?: string;
  STRIPE_API_KEY?: string;
  STRIPE_WEBHOOK_SECRET?: string;
  STRIPE_API_BASE?: string;
  SITE_URL?: string;
  MYPAGE_SHARED_CUSTOMER?: string;
  CATALOG_TTL_SECONDS?: string;
  TRIAL_DAYS?: string;
  ALLOW_PROMOTION_CODES?: string;
  PERIOD_GRACE_DAYS?: string;
  SIGN_IN_EMAIL_FROM?: string;
  REQUIRE_VERIFIED_EMAIL?: string;
  DEMO_MODE?: string;
  SHOP_LANGUAGE?: string;
  SHIPPING_COUNTRIES?: string;
  SHIPPING_PRICE?: string;
  STRIPE_AUTOMATIC_TAX?: string;
}

export type VariableName = keyof SiteVariables;

/** One misconfigured variable, described without ever echoing its value. */
interface ConfigProblem {
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
  /** The shop's public origin (SITE_URL); the only source of URLs sent to Stripe outside loopback. */
  siteOrigin?: string;
  /** MYPAGE_SHARED_CUSTOMER=true with a test-mode key; a live key turns it off (see `problems`). */
  sharedCustomerMode: boolean;
  catalogTtlSeconds: number;
  /** TRIAL_DAYS: free days for a customer's first subscription; undefined means no trial. */
  trialDays?: number;
  allowPromotionCodes: boolean;
  /** PERIOD_GRACE_DAYS: members keep access this long past a period end no fresh read has confirmed. */
  periodGraceDays: number;
  /** SIGN_IN_EMAIL_FROM: the sender of sign-in links (a domain onboarded to Email Sending); unset = no links. */
  signInFrom?: string;
  /** REQUIRE_VERIFIED_EMAIL=true: purchases bind a browser only through a sign-in link. */
  requireVerifiedEmail: boolean;
  demoMode: boolean;
  /** SHOP_LANGUAGE: the language product names are entered in, in Stripe, and the unprefixed URLs' language. */
  shopLanguage: Language;
  /** SHIPPING_COUNTRIES: where Checkout may ship (ISO 3166-1 alpha-2); empty = a digital subscription. */
  shippingCountries: string[];
  /** SHIPPING_PRICE: a recurring price added to every subscription as its 送料 line; unset = shipping included. */
  shippingPriceId?: string;
  /** STRIPE_AUTOMATIC_TAX=true: Checkout computes tax with Stripe Tax (automatic_tax.enabled). */
  automaticTax: boolean;
  problems: ConfigProblem[];
}

const DEFAULT_CATALOG_TTL_SECONDS = 300;
/** Stripe's default Smart Retries window ends within days; the owner matches this to their own setting. */
const DEFAULT_PERIOD_GRACE_DAYS = 3;
const MAX_PERIOD_GRACE_DAYS = 60;
/** Stripe's bounds for subscription_data.trial_period_days (Stripe.Checkout.SessionCreateParams). */
const MAX_TRIAL_DAYS = 730;

function clean(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** True for hosts that name this machine: localhost, 127.0.0.0/8 and [::1]. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

function parseHttpUrl(value: string | undefined, requiredProtocol?: 'https:'): URL | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    if (requiredProtocol ? url.protocol !== requiredProtocol : !['http:', 'https:'].includes(url.protocol))
      return undefined;
    return url;
  } catch {
    return undefined;
  }
}

/** SITE_URL must be an origin (no path, query or credentials), https unless it names this machine. */
function parseSiteOrigin(value: string): string | undefined {
  const url = parseHttpUrl(value);
  if (!url || url.pathname !== '/' || url.search || url.hash || url.username || url.password) return undefined;
  if (url.protocol !== 'https:' && !isLoopbackHost(url.hostname)) return undefined;
  return url.origin;
}

function integerIn(value: string, min: number, max: number): number | undefined {
  if (!/^\d+$/.test(value)) return undefined;
  const number = Number(value);
  return number >= min && number <= max ? number : undefined;
}

/** Validates the raw variables into a config plus a list of problems. */
export function readConfig(vars: SiteVariables): SiteConfig {
  const problems: ConfigProblem[] = [];
  const problem = (variable: VariableName, message: string) => problems.push({ variable, message });

  let stripeApiKey = clean(vars.STRIPE_API_KEY);
  if (stripeApiKey && !isStripeId('apiKey', stripeApiKey)) {
    const hint = stripeApiKey.startsWith('pk_')
      ? 'holds a publishable key (pk_...); it needs a restricted key (rk_...) or a secret key (sk_...)'
      : 'is not a Stripe secret or restricted key (expected rk_test_..., rk_live_..., sk_test_... or sk_live_...)';
    problem('STRIPE_API_KEY', `STRIPE_API_KEY ${hint}.`);
    stripeApiKey = undefined;
  }

  let webhookSecret = clean(vars.STRIPE_WEBHOOK_SECRET);
  if (webhookSecret && !webhookSecret.startsWith('whsec_')) {
    problem('STRIPE_WEBHOOK_SECRET', 'STRIPE_WEBHOOK_SECRET must start with whsec_.');
    webhookSecret = undefined;
  }

  let publishableKey = clean(vars.PUBLIC_STRIPE_PUBLISHABLE_API_KEY);
  if (publishableKey && !isStripeId('publishableKey', publishableKey)) {
    problem(
      'PUBLIC_STRIPE_PUBLISHABLE_API_KEY',
      'PUBLIC_STRIPE_PUBLISHABLE_API_KEY must be a publishable key (pk_test_... or pk_live_...).',
    );
    publishableKey = undefined;
  }

  let pricingTableId = clean(vars.PUBLIC_STRIPE_PRICING_TABLE_ID);
  if (pricingTableId && !isStripeId('pricingTable', pricingTableId)) {
    problem('PUBLIC_STRIPE_PRICING_TABLE_ID', 'PUBLIC_STRIPE_PRICING_TABLE_ID must look like prctbl_....');
    pricingTableId = undefined;
  }

  let buyButtonId = clean(vars.PUBLIC_STRIPE_BUY_BUTTON_ID);
  if (buyButtonId && !isStripeId('buyButton', buyButtonId)) {
    problem('PUBLIC_STRIPE_BUY_BUTTON_ID', 'PUBLIC_STRIPE_BUY_BUTTON_ID must look like buy_btn_....');
    buyButtonId = undefined;
  }

  const rawPortalUrl = clean(vars.PUBLIC_STRIPE_CUSTOMER_PORTAL_URL);
  const portalLoginUrl = parseHttpUrl(rawPortalUrl, 'https:')?.toString();
  if (rawPortalUrl && !portalLoginUrl) {
    problem(
      'PUBLIC_STRIPE_CUSTOMER_PORTAL_URL',
      'PUBLIC_STRIPE_CUSTOMER_PORTAL_URL must be an https URL (https://billing.stripe.com/p/login/...).',
    );
  }

  const rawBase = clean(vars.STRIPE_API_BASE);
  const apiBase = parseHttpUrl(rawBase);
  if (rawBase && !apiBase)
    problem('STRIPE_API_BASE', 'STRIPE_API_BASE must be an http(s) URL such as http://127.0.0.1:12111.');

  const rawSiteUrl = clean(vars.SITE_URL);
  const siteOrigin = rawSiteUrl ? parseSiteOrigin(rawSiteUrl) : undefined;
  if (rawSiteUrl && !siteOrigin) {
    problem('SITE_URL', 'SITE_URL must be the shop’s https origin without a path, such as https://shop.example.com.');
  }

  const rawTtl = clean(vars.CATALOG_TTL_SECONDS);
  let catalogTtlSeconds = DEFAULT_CATALOG_TTL_SECONDS;
  if (rawTtl) {
    const ttl = integerIn(rawTtl, 0, 86_400);
    if (ttl === undefined)
      problem('CATALOG_TTL_SECONDS', 'CATALOG_TTL_SECONDS must be a whole number of seconds from 0 to 86400.');
    else catalogTtlSeconds = ttl;
  }

  const rawTrial = clean(vars.TRIAL_DAYS);
  const trialDays = rawTrial ? integerIn(rawTrial, 1, MAX_TRIAL_DAYS) : undefined;
  if (rawTrial && trialDays === undefined)
    problem('TRIAL_DAYS', `TRIAL_DAYS must be a whole number of days from 1 to ${MAX_TRIAL_DAYS}.`);

  const rawPromotion = clean(vars.ALLOW_PROMOTION_CODES);
  if (rawPromotion && rawPromotion !== 'true' && rawPromotion !== 'false') {
    problem('ALLOW_PROMOTION_CODES', 'ALLOW_PROMOTION_CODES must be true or false.');
  }

  const rawGrace = clean(vars.PERIOD_GRACE_DAYS);
  const periodGraceDays = rawGrace ? integerIn(rawGrace, 0, MAX_PERIOD_GRACE_DAYS) : DEFAULT_PERIOD_GRACE_DAYS;
  if (periodGraceDays === undefined)
    problem(
      'PERIOD_GRACE_DAYS',
      `PERIOD_GRACE_DAYS must be a whole number of days from 0 to ${MAX_PERIOD_GRACE_DAYS}.`,
    );

  const rawFrom = clean(vars.SIGN_IN_EMAIL_FROM);
  const signInFrom =
    rawFrom && /^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63}$/.test(rawFrom) ? rawFrom : undefined;
  if (rawFrom && !signInFrom)
    problem(
      'SIGN_IN_EMAIL_FROM',
      'SIGN_IN_EMAIL_FROM must be a plain address on your sending domain, such as shop@example.com.',
    );

  const rawLanguage = clean(vars.SHOP_LANGUAGE);
  const shopLanguage: Language = rawLanguage === 'en' ? 'en' : 'ja';
  if (rawLanguage && rawLanguage !== 'ja' && rawLanguage !== 'en')
    problem('SHOP_LANGUAGE', 'SHOP_LANGUAGE must be ja or en.');

  const rawCountries = clean(vars.SHIPPING_COUNTRIES);
  const countryList = rawCountries ? rawCountries.split(',').map((code) => code.trim().toUpperCase()) : [];
  // Stripe.Checkout.SessionCreateParams.ShippingAddressCollection.AllowedCountry: two-letter codes.
  const shippingCountries = countryList.every((code) => /^[A-Z]{2}$/.test(code)) ? [...new Set(countryList)] : [];
  if (rawCountries && shippingCountries.length === 0)
    problem(
      'SHIPPING_COUNTRIES',
      'SHIPPING_COUNTRIES must be two-letter country codes separated by commas, such as JP.',
    );

  let shippingPriceId = clean(vars.SHIPPING_PRICE);
  if (shippingPriceId && !isStripeId('priceOrPlan', shippingPriceId)) {
    problem('SHIPPING_PRICE', 'SHIPPING_PRICE must be a price id such as price_....');
    shippingPriceId = undefined;
  }
  if (shippingPriceId && shippingCountries.length === 0) {
    problem('SHIPPING_PRICE', 'SHIPPING_PRICE is ignored without SHIPPING_COUNTRIES: nothing is shipped.');
    shippingPriceId = undefined;
  }

  const rawAutomaticTax = clean(vars.STRIPE_AUTOMATIC_TAX);
  if (rawAutomaticTax && rawAutomaticTax !== 'true' && rawAutomaticTax !== 'false')
    problem('STRIPE_AUTOMATIC_TAX', 'STRIPE_AUTOMATIC_TAX must be true or false.');

  let sharedCustomerMode = clean(vars.MYPAGE_SHARED_CUSTOMER) === 'true';
  // Workshop mode shows one customer's portal to everyone: never with real customers' data.
  if (sharedCustomerMode && stripeApiKey && !isTestModeKey(stripeApiKey)) {
    problem(
      'MYPAGE_SHARED_CUSTOMER',
      'MYPAGE_SHARED_CUSTOMER=true is ignored with a live-mode key: it would show one customer’s portal to every visitor.',
    );
    sharedCustomerMode = false;
  }

  return {
    publishableKey,
    pricingTableId,
    buyButtonId,
    portalLoginUrl,
    stripeApiKey,
    webhookSecret,
    apiBase,
    siteOrigin,
    sharedCustomerMode,
    catalogTtlSeconds,
    trialDays,
    allowPromotionCodes: rawPromotion === 'true',
    periodGraceDays: periodGraceDays ?? DEFAULT_PERIOD_GRACE_DAYS,
    signInFrom,
    requireVerifiedEmail: clean(vars.REQUIRE_VERIFIED_EMAIL) === 'true',
    demoMode: clean(vars.DEMO_MODE) === 'true',
    shopLanguage,
    shippingCountries,
    shippingPriceId,
    automaticTax: rawAutomaticTax === 'true',
    problems,
  };
}
