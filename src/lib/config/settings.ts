/**
 * Every variable the site reads, as a table: which config field it fills, how it is parsed, what it
 * falls back to, and what the owner is told when it is malformed (never echoing the value). A new
 * variable is one row here, plus `.dev.vars.example` or `wrangler.jsonc` and docs/setup.md.
 */
import type { Language } from '../language/languages.ts';
import {
  accessAudience,
  accessTeamDomain,
  boolean,
  countryCodes,
  httpUrl,
  integerIn,
  oneOf,
  senderAddress,
  siteOrigin,
  stripeId,
  type Parser,
} from './parse.ts';

/** One variable: its parser, the value used when it is unset or malformed, and the owner's fix. */
export interface Setting<T, V extends string = string> {
  variable: V;
  parse: Parser<T>;
  fallback: T;
  /** Said when the value is malformed; a function may look at the value to say more, never to repeat it. */
  problem: string | ((raw: string) => string);
}

function optional<T, const V extends string>(
  variable: V,
  parse: Parser<T>,
  problem: Setting<T>['problem'],
): Setting<T | undefined, V> {
  return { variable, parse, fallback: undefined, problem };
}

function required<T, const V extends string>(
  variable: V,
  parse: Parser<T>,
  fallback: T,
  problem: Setting<T>['problem'],
): Setting<T, V> {
  return { variable, parse, fallback, problem };
}

/** `true` turns it on; anything else leaves it off without a problem (a switch, not a setting to get right). */
const flag: Parser<boolean> = (raw) => raw === 'true';

/** Stripe's bounds for subscription_data.trial_period_days (Stripe.Checkout.SessionCreateParams). */
const MAX_TRIAL_DAYS = 730;
const MAX_PERIOD_GRACE_DAYS = 60;

export const SETTINGS = {
  publishableKey: optional(
    'PUBLIC_STRIPE_PUBLISHABLE_API_KEY',
    stripeId('publishableKey'),
    'PUBLIC_STRIPE_PUBLISHABLE_API_KEY must be a publishable key (pk_test_... or pk_live_...).',
  ),
  pricingTableId: optional(
    'PUBLIC_STRIPE_PRICING_TABLE_ID',
    stripeId('pricingTable'),
    'PUBLIC_STRIPE_PRICING_TABLE_ID must look like prctbl_....',
  ),
  buyButtonId: optional(
    'PUBLIC_STRIPE_BUY_BUTTON_ID',
    stripeId('buyButton'),
    'PUBLIC_STRIPE_BUY_BUTTON_ID must look like buy_btn_....',
  ),
  /** Stripe's e-mail login portal. */
  portalLoginUrl: optional(
    'PUBLIC_STRIPE_CUSTOMER_PORTAL_URL',
    (raw) => httpUrl('https:')(raw)?.toString(),
    'PUBLIC_STRIPE_CUSTOMER_PORTAL_URL must be an https URL (https://billing.stripe.com/p/login/...).',
  ),
  stripeApiKey: optional('STRIPE_API_KEY', stripeId('apiKey'), (raw) =>
    raw.startsWith('pk_')
      ? 'STRIPE_API_KEY holds a publishable key (pk_...); it needs a restricted key (rk_...) or a secret key (sk_...).'
      : 'STRIPE_API_KEY is not a Stripe secret or restricted key (expected rk_test_..., rk_live_..., sk_test_... or sk_live_...).',
  ),
  webhookSecret: optional(
    'STRIPE_WEBHOOK_SECRET',
    (raw) => (raw.startsWith('whsec_') ? raw : undefined),
    'STRIPE_WEBHOOK_SECRET must start with whsec_.',
  ),
  apiBase: optional(
    'STRIPE_API_BASE',
    httpUrl(),
    'STRIPE_API_BASE must be an http(s) URL such as http://127.0.0.1:12111.',
  ),
  /** The shop's public origin (SITE_URL); the only source of absolute URLs outside loopback. */
  siteOrigin: optional(
    'SITE_URL',
    siteOrigin,
    'SITE_URL must be the shop’s https origin without a path, such as https://shop.example.com.',
  ),
  /** MYPAGE_SHARED_CUSTOMER=true with a test-mode key (read.ts turns it off with a live key). */
  sharedCustomerMode: required('MYPAGE_SHARED_CUSTOMER', flag, false, ''),
  catalogTtlSeconds: required(
    'CATALOG_TTL_SECONDS',
    integerIn(0, 86_400),
    300,
    'CATALOG_TTL_SECONDS must be a whole number of seconds from 0 to 86400.',
  ),
  /** Free days for a customer's first subscription; undefined means no trial. */
  trialDays: optional(
    'TRIAL_DAYS',
    integerIn(1, MAX_TRIAL_DAYS),
    `TRIAL_DAYS must be a whole number of days from 1 to ${MAX_TRIAL_DAYS}.`,
  ),
  allowPromotionCodes: required(
    'ALLOW_PROMOTION_CODES',
    boolean,
    false,
    'ALLOW_PROMOTION_CODES must be true or false.',
  ),
  /** Members keep access this long past a period end no fresh read has confirmed (Stripe's retries end within days). */
  periodGraceDays: required(
    'PERIOD_GRACE_DAYS',
    integerIn(0, MAX_PERIOD_GRACE_DAYS),
    3,
    `PERIOD_GRACE_DAYS must be a whole number of days from 0 to ${MAX_PERIOD_GRACE_DAYS}.`,
  ),
  /** The sender of sign-in links (a domain onboarded to Email Sending); unset = no links. */
  signInFrom: optional(
    'SIGN_IN_EMAIL_FROM',
    senderAddress,
    'SIGN_IN_EMAIL_FROM must be a plain address on your sending domain, such as shop@example.com.',
  ),
  /** Purchases bind a browser only through a sign-in link. */
  requireVerifiedEmail: required('REQUIRE_VERIFIED_EMAIL', flag, false, ''),
  demoMode: required('DEMO_MODE', flag, false, ''),
  /** The language product names are entered in, in Stripe, and the unprefixed URLs' language. */
  shopLanguage: required('SHOP_LANGUAGE', oneOf<Language>(['ja', 'en']), 'ja', 'SHOP_LANGUAGE must be ja or en.'),
  /** Where Checkout may ship (ISO 3166-1 alpha-2); empty = a digital subscription. */
  shippingCountries: required(
    'SHIPPING_COUNTRIES',
    countryCodes,
    [],
    'SHIPPING_COUNTRIES must be two-letter country codes separated by commas, such as JP.',
  ),
  /** A recurring price added to every subscription as its 送料 line; unset = shipping included. */
  shippingPriceId: optional(
    'SHIPPING_PRICE',
    stripeId('priceOrPlan'),
    'SHIPPING_PRICE must be a price id such as price_....',
  ),
  /** Checkout computes tax with Stripe Tax (automatic_tax.enabled). */
  automaticTax: required('STRIPE_AUTOMATIC_TAX', boolean, false, 'STRIPE_AUTOMATIC_TAX must be true or false.'),
  /** Cloudflare Access in front of /admin: the team whose tokens it accepts; unset = no /admin (404). */
  accessTeamDomain: optional(
    'ACCESS_TEAM_DOMAIN',
    accessTeamDomain,
    'ACCESS_TEAM_DOMAIN must be your Zero Trust team domain, such as myteam.cloudflareaccess.com.',
  ),
  /** The Access application's AUD tag: a token for another application is refused. */
  accessAudience: optional(
    'ACCESS_AUD',
    accessAudience,
    'ACCESS_AUD must be the Access application’s Application Audience (AUD) tag: 64 hexadecimal characters.',
  ),
};

type Settings = typeof SETTINGS;

/** The names of the variables the site reads. */
export type VariableName = Settings[keyof Settings]['variable'];

/** Each setting's value, as the table types it. */
export type SettingValues = { [K in keyof Settings]: Settings[K] extends Setting<infer T, string> ? T : never };
