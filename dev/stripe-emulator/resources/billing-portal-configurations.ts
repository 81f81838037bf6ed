/**
 * Customer portal configurations: POST /v1/billing_portal/configurations, GET …(/:id) (`is_default`, `active`),
 * POST …/:id; the default configuration (the Dashboard's), which portal sessions use unless they name another; and the
 * emulator's own default, as if the owner had saved the portal settings once.
 */
import type Stripe from 'stripe';
import { invalidRequest, missingParam, noSuch } from '../errors.ts';
import { portalConfigurationObject, portalFeaturesOff } from '../objects.ts';
import {
  allowOnly,
  emptyableString,
  expand,
  metadataChange,
  newestFirst,
  optionalBoolean,
  optionalEnum,
  optionalInteger,
  optionalObject,
  optionalObjectArray,
  optionalStringArray,
  optionalUrl,
  paginate,
  PAGE_PARAMS,
  settableString,
  type Params,
} from '../params.ts';
import { ok, type Handler } from '../api.ts';
import { type EmulatorState, ID_PREFIX, idOf, newId, nowSeconds, snapshot } from '../state.ts';
import { addInterval } from './subscription-core.ts';

type Configuration = Stripe.BillingPortal.Configuration;
type Features = Stripe.BillingPortal.Configuration.Features;
type PauseDuration = Stripe.BillingPortal.Configuration.Features.SubscriptionPause.Duration;
type UpdateProduct = Stripe.BillingPortal.Configuration.Features.SubscriptionUpdate.Product;

const CUSTOMER_UPDATES = ['address', 'email', 'name', 'phone', 'shipping', 'tax_id'] as const;
const SUBSCRIPTION_UPDATES = ['price', 'promotion_code', 'quantity'] as const;
const CANCELLATION_REASONS = [
  'customer_service',
  'low_quality',
  'missing_features',
  'other',
  'switched_service',
  'too_complex',
  'too_expensive',
  'unused',
] as const;
const PRORATIONS = ['always_invoice', 'create_prorations', 'none'] as const;
const INTERVALS = ['day', 'week', 'month', 'year'] as const;
/** Stripe.BillingPortal.Configuration.Features.SubscriptionUpdate.products: "The list of up to 10 products". */
const MAX_PRODUCTS = 10;
/** Stripe.BillingPortal.ConfigurationCreateParams…IntervalOption.interval_count: "The maximum duration is three years." */
const MAX_PAUSE_YEARS = 3;
/** The length of the random part of a login page URL (public ones look like …/p/login/test_8wM17y7ej2tF5vG9AA). */
const LOGIN_CODE_LENGTH = 18;

// ---------------------------------------------------------------- reading the configuration

/** The default configuration, which portal sessions use unless they name another (Stripe.BillingPortal.Configuration.is_default). */
function defaultConfiguration(state: EmulatorState): Configuration | undefined {
  return [...state.portalConfigurations.values()].find((configuration) => configuration.is_default);
}

/** The default configuration, which the emulator always has (ensureDefaultConfiguration). */
export function requireDefaultConfiguration(state: EmulatorState): Configuration {
  const configuration = defaultConfiguration(state);
  if (!configuration) throw new Error('Stripe emulator: no default portal configuration.');
  return configuration;
}

/** The configuration a portal session uses (its `configuration`). */
export function configurationOf(state: EmulatorState, session: Stripe.BillingPortal.Session): Configuration {
  return state.portalConfigurations.get(idOf(session.configuration)) ?? requireDefaultConfiguration(state);
}

/** True when the configuration lets customers switch prices (`subscription_update` on, `price` among its updates). */
export function allowsPlanSwitch(configuration: Configuration): boolean {
  const update = configuration.features.subscription_update;
  return update.enabled && update.default_allowed_updates.includes('price');
}

/** True when the configuration lets customers change their shipping address (`customer_update.allowed_updates`). */
export function allowsShippingUpdate(configuration: Configuration): boolean {
  const update = configuration.features.customer_update;
  return update.enabled && update.allowed_updates.includes('shipping');
}

/** A product and the prices a subscription can switch to, with its quantity fixed (the emulator's portal changes prices only). */
export function switchableProduct(product: string, prices: readonly string[]): UpdateProduct {
  // not confirmed: that a product's minimum quantity is 1 unless given
  return { adjustable_quantity: { enabled: false, maximum: null, minimum: 1 }, prices: [...prices], product };
}

// ---------------------------------------------------------------- parameters

/** `params[name]` under the name Stripe reports it as (`features[x][y]`), for the generic readers. */
function labelled(params: Params, name: string, label: string): Params {
  return { [label]: params[name] };
}

/** An `Emptyable` array of enum values (`x=` clears it), each refused like Stripe refuses an enum value it does not know. */
function enumArrayParam<T extends string>(
  params: Params,
  name: string,
  values: readonly T[],
  label: string,
): T[] | undefined {
  if (params[name] === '') return [];
  const items = optionalStringArray(labelled(params, name, label), label);
  return items?.map((item, index) => {
    const match = values.find((value) => value === item);
    if (match === undefined)
      throw invalidRequest(`Invalid ${label}[${index}]: must be one of ${values.join(', ')}`, `${label}[${index}]`);
    return match;
  });
}

/** `features[name]` with its allowed keys, or undefined. */
function featureParam(features: Params, name: keyof Features, allowed: string[]): Params | undefined {
  const label = `features[${name}]`;
  const feature = optionalObject(features, name, label);
  if (feature) allowOnly(feature, allowed, label);
  return feature;
}

/** A feature's `enabled`, required where Stripe.BillingPortal.ConfigurationCreateParams / UpdateParams require it. */
function enabledParam(feature: Params, label: string, required: boolean): boolean | undefined {
  const enabled = optionalBoolean(feature, 'enabled', `${label}[enabled]`);
  if (enabled === undefined && required) throw missingParam(`${label}[enabled]`);
  return enabled;
}

/**
 * `subscription_update[products]`: up to 10 products, each with prices of its own (Stripe.BillingPortal
 * .ConfigurationCreateParams.Features.SubscriptionUpdate.Product: "The list of price IDs for the product that a
 * subscription can be updated to"); the refusals' wording is not confirmed.
 */
function productsParam(state: EmulatorState, update: Params): UpdateProduct[] | undefined {
  const label = 'features[subscription_update][products]';
  if (update['products'] === '') return [];
  const entries = optionalObjectArray(labelled(update, 'products', label), label);
  if (entries === undefined) return undefined;
  if (entries.length > MAX_PRODUCTS) throw invalidRequest(`You can list at most ${MAX_PRODUCTS} products.`, label);
  return entries.map((entry, index) => {
    const at = `${label}[${index}]`;
    allowOnly(entry, ['adjustable_quantity', 'prices', 'product'], at);
    const productId = settableString(entry, 'product', `${at}[product]`);
    if (productId === undefined) throw missingParam(`${at}[product]`);
    if (!state.products.has(productId)) throw noSuch('product', productId, `${at}[product]`);
    const prices = optionalStringArray(labelled(entry, 'prices', `${at}[prices]`), `${at}[prices]`);
    if (prices === undefined) throw missingParam(`${at}[prices]`);
    prices.forEach((priceId, priceIndex) => {
      const priceLabel = `${at}[prices][${priceIndex}]`;
      const price = state.prices.get(priceId);
      if (!price) throw noSuch('price', priceId, priceLabel);
      if (idOf(price.product) !== productId)
        throw invalidRequest(`The price \`${priceId}\` does not belong to the product \`${productId}\`.`, priceLabel);
    });
    const quantity = optionalObject(entry, 'adjustable_quantity', `${at}[adjustable_quantity]`);
    if (quantity) allowOnly(quantity, ['enabled', 'maximum', 'minimum'], `${at}[adjustable_quantity]`);
    const quantityLabel = `${at}[adjustable_quantity]`;
    return {
      adjustable_quantity: {
        enabled: (quantity && enabledParam(quantity, quantityLabel, true)) ?? false,
        maximum:
          (quantity && optionalInteger(quantity, 'maximum', 1, Number.MAX_SAFE_INTEGER, `${quantityLabel}[maximum]`)) ??
          null,
        // not confirmed: that the minimum is 1 unless given
        minimum:
          (quantity && optionalInteger(quantity, 'minimum', 0, Number.MAX_SAFE_INTEGER, `${quantityLabel}[minimum]`)) ??
          1,
      },
      prices: [...new Set(prices)],
      product: productId,
    };
  });
}

/**
 * `subscription_pause[duration]` (Stripe.BillingPortal.ConfigurationCreateParams.Features.SubscriptionPause.Duration):
 * `indefinite`, or `interval_options` ("Required when `type` is `interval_options`"), each at most three years.
 */
function pauseDurationParam(pause: Params): PauseDuration | undefined {
  const label = 'features[subscription_pause][duration]';
  const duration = optionalObject(pause, 'duration', label);
  if (!duration) return undefined;
  allowOnly(duration, ['interval_options', 'type'], label);
  const type = optionalEnum(duration, 'type', ['indefinite', 'interval_options'] as const, `${label}[type]`);
  if (type === undefined) throw missingParam(`${label}[type]`);
  const optionsLabel = `${label}[interval_options]`;
  const options =
    duration['interval_options'] === ''
      ? []
      : optionalObjectArray(labelled(duration, 'interval_options', optionsLabel), optionsLabel);
  if (type === 'indefinite') return { type, interval_options: [] };
  if (!options || options.length === 0) throw missingParam(optionsLabel);
  const longest = addInterval(0, 'year', MAX_PAUSE_YEARS);
  return {
    type,
    interval_options: options.map((option, index) => {
      const at = `${optionsLabel}[${index}]`;
      allowOnly(option, ['interval', 'interval_count'], at);
      const interval = optionalEnum(option, 'interval', INTERVALS, `${at}[interval]`);
      if (interval === undefined) throw missingParam(`${at}[interval]`);
      const count = optionalInteger(option, 'interval_count', 1, Number.MAX_SAFE_INTEGER, `${at}[interval_count]`) ?? 1;
      // wording not confirmed
      if (addInterval(0, interval, count) > longest)
        throw invalidRequest(`A pause can last at most ${MAX_PAUSE_YEARS} years.`, `${at}[interval_count]`);
      return { interval, interval_count: count };
    }),
  };
}

/**
 * `features`: each feature's fields over `current`'s (a new configuration's: every feature off). `enabled` is
 * required where the SDK's create or update parameters require it. `subscription_cancel[proration_behavior]`:
 * "`create_prorations`, which is only compatible with `mode=immediately`. Passing `always_invoice` will result in
 * an error" (Stripe.BillingPortal.ConfigurationCreateParams.Features.SubscriptionCancel; wording not confirmed).
 */
function featuresParam(state: EmulatorState, params: Params, current: Features, creating: boolean): Features {
  const features = optionalObject(params, 'features') ?? {};
  allowOnly(
    features,
    [
      'customer_update',
      'invoice_history',
      'payment_method_update',
      'subscription_cancel',
      'subscription_pause',
      'subscription_update',
    ],
    'features',
  );
  const next = snapshot(current);

  const customerUpdate = featureParam(features, 'customer_update', ['allowed_updates', 'enabled']);
  if (customerUpdate) {
    const label = 'features[customer_update]';
    next.customer_update.enabled = enabledParam(customerUpdate, label, creating) ?? next.customer_update.enabled;
    next.customer_update.allowed_updates =
      enumArrayParam(customerUpdate, 'allowed_updates', CUSTOMER_UPDATES, `${label}[allowed_updates]`) ??
      next.customer_update.allowed_updates;
  }

  const history = featureParam(features, 'invoice_history', ['enabled']);
  if (history) next.invoice_history.enabled = enabledParam(history, 'features[invoice_history]', true) ?? false;

  // The emulator has no payment method configurations, so `payment_method_configuration` is an unknown parameter.
  const paymentMethods = featureParam(features, 'payment_method_update', ['enabled']);
  if (paymentMethods)
    next.payment_method_update.enabled = enabledParam(paymentMethods, 'features[payment_method_update]', true) ?? false;

  const cancel = featureParam(features, 'subscription_cancel', [
    'cancellation_reason',
    'enabled',
    'mode',
    'proration_behavior',
  ]);
  if (cancel) {
    const label = 'features[subscription_cancel]';
    const feature = next.subscription_cancel;
    feature.enabled = enabledParam(cancel, label, creating) ?? feature.enabled;
    feature.mode =
      optionalEnum(cancel, 'mode', ['at_period_end', 'immediately'] as const, `${label}[mode]`) ?? feature.mode;
    feature.proration_behavior =
      optionalEnum(cancel, 'proration_behavior', PRORATIONS, `${label}[proration_behavior]`) ??
      feature.proration_behavior;
    if (feature.proration_behavior === 'always_invoice')
      throw invalidRequest(
        'Canceling from the portal cannot invoice prorations at once (always_invoice).',
        `${label}[proration_behavior]`,
      );
    if (feature.proration_behavior === 'create_prorations' && feature.mode !== 'immediately')
      throw invalidRequest(
        'create_prorations is only compatible with mode=immediately.',
        `${label}[proration_behavior]`,
      );
    const reason = optionalObject(cancel, 'cancellation_reason', `${label}[cancellation_reason]`);
    if (reason) {
      const reasonLabel = `${label}[cancellation_reason]`;
      allowOnly(reason, ['enabled', 'options'], reasonLabel);
      feature.cancellation_reason.enabled = enabledParam(reason, reasonLabel, true) ?? false;
      const options = enumArrayParam(reason, 'options', CANCELLATION_REASONS, `${reasonLabel}[options]`);
      // Stripe.BillingPortal.ConfigurationCreateParams…CancellationReason.options is required at creation
      if (options === undefined && creating) throw missingParam(`${reasonLabel}[options]`);
      feature.cancellation_reason.options = options ?? feature.cancellation_reason.options;
    }
  }

  const pause = featureParam(features, 'subscription_pause', ['duration', 'enabled']);
  if (pause) {
    next.subscription_pause.enabled =
      enabledParam(pause, 'features[subscription_pause]', false) ?? next.subscription_pause.enabled;
    next.subscription_pause.duration = pauseDurationParam(pause) ?? next.subscription_pause.duration;
  }

  const update = featureParam(features, 'subscription_update', [
    'billing_cycle_anchor',
    'default_allowed_updates',
    'enabled',
    'products',
    'proration_behavior',
    'trial_update_behavior',
  ]);
  if (update) {
    const label = 'features[subscription_update]';
    const feature = next.subscription_update;
    feature.enabled = enabledParam(update, label, creating) ?? feature.enabled;
    feature.default_allowed_updates =
      enumArrayParam(update, 'default_allowed_updates', SUBSCRIPTION_UPDATES, `${label}[default_allowed_updates]`) ??
      feature.default_allowed_updates;
    feature.products = productsParam(state, update) ?? feature.products ?? [];
    feature.proration_behavior =
      optionalEnum(update, 'proration_behavior', PRORATIONS, `${label}[proration_behavior]`) ??
      feature.proration_behavior;
    feature.billing_cycle_anchor =
      optionalEnum(update, 'billing_cycle_anchor', ['now', 'unchanged'] as const, `${label}[billing_cycle_anchor]`) ??
      feature.billing_cycle_anchor;
    feature.trial_update_behavior =
      optionalEnum(
        update,
        'trial_update_behavior',
        ['continue_trial', 'end_trial'] as const,
        `${label}[trial_update_behavior]`,
      ) ?? feature.trial_update_behavior;
  }
  return next;
}

/** `business_profile[headline|privacy_policy_url|terms_of_service_url]` over `current` (`''` unsets on update). */
function businessProfileParam(
  params: Params,
  current: Configuration['business_profile'],
): Configuration['business_profile'] {
  const label = 'business_profile';
  const profile = optionalObject(params, 'business_profile');
  if (!profile) return current;
  allowOnly(profile, ['headline', 'privacy_policy_url', 'terms_of_service_url'], label);
  const url = (name: 'privacy_policy_url' | 'terms_of_service_url') =>
    profile[name] === '' ? null : (optionalUrl(profile, name, `${label}[${name}]`) ?? current[name]);
  const headline = emptyableString(profile, 'headline', `${label}[headline]`);
  return {
    headline: headline === undefined ? current.headline : headline,
    privacy_policy_url: url('privacy_policy_url'),
    terms_of_service_url: url('terms_of_service_url'),
  };
}

/**
 * `login_page[enabled]` (required in the object): on, a shareable `https://billing.stripe.com/p/login/test_…` URL
 * (kept while it stays on); off, "the previously generated url, if any, will be deactivated"
 * (Stripe.BillingPortal.Configuration.LoginPage).
 */
function loginPageParam(params: Params, current: Configuration['login_page']): Configuration['login_page'] {
  const page = optionalObject(params, 'login_page');
  if (!page) return current;
  allowOnly(page, ['enabled'], 'login_page');
  const enabled = enabledParam(page, 'login_page', true) ?? false;
  if (!enabled) return { enabled: false, url: null };
  return {
    enabled: true,
    url: current.url ?? `https://billing.stripe.com/p/login/${newId('test_', LOGIN_CODE_LENGTH)}`,
  };
}

/** `default_return_url` over `current` (`''` unsets it). */
function returnUrlParam(params: Params, current: string | null): string | null {
  if (params['default_return_url'] === '') return null;
  return optionalUrl(params, 'default_return_url') ?? current;
}

// ---------------------------------------------------------------- the API

/** The changed top-level fields' previous values, for `billing_portal.configuration.updated`. */
function changedFields(before: Configuration, after: Configuration): Partial<Configuration> {
  const changed: Record<string, unknown> = {};
  for (const key of Object.keys(after) as Array<keyof Configuration>)
    if (key !== 'updated' && JSON.stringify(before[key]) !== JSON.stringify(after[key])) changed[key] = before[key];
  return changed;
}

/**
 * POST /v1/billing_portal/configurations: `features` (required), `business_profile`, `default_return_url`,
 * `login_page`, `metadata`, `name`. A configuration made through the API is not the default: that one is the
 * Dashboard's (Stripe.BillingPortal.Configuration.is_default: "If `true`, this configuration can be managed in the
 * Dashboard"; `is_default` is no parameter). `billing_portal.configuration.created`.
 */
export const create: Handler = ({ state, events }, { params }) => {
  allowOnly(params, ['business_profile', 'default_return_url', 'expand', 'features', 'login_page', 'metadata', 'name']);
  if (optionalObject(params, 'features') === undefined) throw missingParam('features');
  const created = nowSeconds();
  const blank = portalConfigurationObject({ id: '', created, features: portalFeaturesOff() });
  const metadata = metadataChange(params);
  const configuration = portalConfigurationObject({
    id: newId(ID_PREFIX.portalConfiguration),
    created,
    features: featuresParam(state, params, blank.features, true),
    business_profile: businessProfileParam(params, blank.business_profile),
    default_return_url: returnUrlParam(params, null),
    login_page: loginPageParam(params, blank.login_page),
    metadata: metadata ? metadata({}) : {},
    name: emptyableString(params, 'name') ?? null,
  });
  state.portalConfigurations.set(configuration.id, configuration);
  return ok(expand(state, configuration, params), [
    state.createEvent('billing_portal.configuration.created', configuration, events),
  ]);
};

/**
 * POST /v1/billing_portal/configurations/:id: `active` and everything `create` takes, each feature's fields merged
 * into what it has. The default configuration stays active: portal sessions without a `configuration` use it (the
 * refusal's wording is not confirmed). `billing_portal.configuration.updated` with the changed fields.
 */
export const update: Handler = ({ state, events }, { params }, [id = '']) => {
  allowOnly(params, [
    'active',
    'business_profile',
    'default_return_url',
    'expand',
    'features',
    'login_page',
    'metadata',
    'name',
  ]);
  const configuration = configurationOrThrow(state, id);
  const active = optionalBoolean(params, 'active');
  if (active === false && configuration.is_default)
    throw invalidRequest('The default portal configuration cannot be deactivated.', 'active');
  const metadata = metadataChange(params);
  const name = emptyableString(params, 'name');
  const next: Configuration = {
    ...configuration,
    active: active ?? configuration.active,
    features: featuresParam(state, params, configuration.features, false),
    business_profile: businessProfileParam(params, configuration.business_profile),
    default_return_url: returnUrlParam(params, configuration.default_return_url),
    login_page: loginPageParam(params, configuration.login_page),
    metadata: metadata ? metadata(configuration.metadata ?? {}) : configuration.metadata,
    name: name === undefined ? configuration.name : name,
  };
  const previous = changedFields(configuration, next);
  if (Object.keys(previous).length === 0) return ok(expand(state, configuration, params));
  Object.assign(configuration, next, { updated: nowSeconds() });
  return ok(expand(state, configuration, params), [
    state.createEvent('billing_portal.configuration.updated', configuration, events, previous),
  ]);
};

function configurationOrThrow(state: EmulatorState, id: string): Configuration {
  const configuration = state.portalConfigurations.get(id);
  if (!configuration) throw noSuch('billing_portal.configuration', id);
  return configuration;
}

/** GET /v1/billing_portal/configurations: `is_default`, `active`, newest first. */
export const list: Handler = ({ state }, { params }) => {
  allowOnly(params, [...PAGE_PARAMS, 'active', 'is_default']);
  const active = optionalBoolean(params, 'active');
  const isDefault = optionalBoolean(params, 'is_default');
  const page = paginate(
    newestFirst(state.portalConfigurations),
    (configuration) =>
      (active === undefined || configuration.active === active) &&
      (isDefault === undefined || configuration.is_default === isDefault),
    params,
    '/v1/billing_portal/configurations',
    'billing_portal.configuration',
  );
  return ok(expand(state, page, params));
};

/** GET /v1/billing_portal/configurations/:id */
export const retrieve: Handler = ({ state }, { params }, [id = '']) => {
  allowOnly(params, ['expand']);
  return ok(expand(state, configurationOrThrow(state, id), params));
};

/**
 * The configuration a new portal session uses: `configuration` when given (an active one: "Whether the configuration is
 * active and can be used to create portal sessions"; the refusal's wording is not confirmed), else the default.
 */
export function sessionConfiguration(state: EmulatorState, params: Params): Configuration {
  const id = settableString(params, 'configuration');
  if (id === undefined) return requireDefaultConfiguration(state);
  const configuration = state.portalConfigurations.get(id);
  if (!configuration) throw noSuch('billing_portal.configuration', id, 'configuration');
  if (!configuration.active) throw invalidRequest(`The portal configuration \`${id}\` is not active.`, 'configuration');
  return configuration;
}

// ---------------------------------------------------------------- the default

/**
 * Makes sure the account has its default configuration, as if the owner had saved the portal settings once in test mode
 * (docs/setup.md): cards updated, cancellation at the period end, shipping addresses changed, plan switches without
 * proration among the catalog file's products (`metadata.catalog_key`) and all their active recurring prices, the
 * invoice history shown; pausing and the login page off, as in a new configuration.
 */
export function ensureDefaultConfiguration(state: EmulatorState): void {
  if (defaultConfiguration(state)) return;
  const features = portalFeaturesOff();
  features.customer_update = { enabled: true, allowed_updates: ['shipping'] };
  features.invoice_history.enabled = true;
  features.payment_method_update.enabled = true;
  features.subscription_cancel.enabled = true;
  const catalog = newestFirst(state.products).filter((product) => product.metadata['catalog_key'] !== undefined);
  const prices = newestFirst(state.prices);
  features.subscription_update = {
    ...features.subscription_update,
    enabled: true,
    default_allowed_updates: ['price'],
    products: catalog.map((product) =>
      switchableProduct(
        product.id,
        prices
          .filter((price) => idOf(price.product) === product.id && price.active && price.recurring)
          .map((price) => price.id),
      ),
    ),
  };
  const configuration = portalConfigurationObject({
    id: newId(ID_PREFIX.portalConfiguration),
    created: nowSeconds(),
    features,
    is_default: true,
  });
  state.portalConfigurations.set(configuration.id, configuration);
}
