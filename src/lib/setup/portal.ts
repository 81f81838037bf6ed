/**
 * The customer portal configuration against what the site relies on (portalFeatures): which features
 * are missing, and the update that turns them on. Stripe's portal sessions use the account's default
 * configuration (Stripe.BillingPortal.Configuration.is_default: "can be managed in the Dashboard and
 * portal sessions will use this configuration"); one made through the API is not the default, so setup
 * updates the default one rather than creating another. Pure.
 */
import type Stripe from 'stripe';

type Features = Stripe.BillingPortal.ConfigurationCreateParams.Features;

/** Each way the configuration falls short of `wanted`, in words an owner can act on (empty: none). */
export function portalShortfalls(configuration: Stripe.BillingPortal.Configuration, wanted: Features): string[] {
  const has = configuration.features;
  const missing: string[] = [];
  if (wanted.payment_method_update?.enabled && !has.payment_method_update.enabled)
    missing.push('payment method update');
  if (wanted.invoice_history?.enabled && !has.invoice_history.enabled) missing.push('invoice history');
  const cancel = wanted.subscription_cancel;
  if (cancel?.enabled) {
    if (!has.subscription_cancel.enabled) missing.push('cancellation');
    else if (cancel.mode && has.subscription_cancel.mode !== cancel.mode)
      missing.push(`cancellation ${cancel.mode.replaceAll('_', ' ')}`);
  }
  const update = wanted.subscription_update;
  if (update?.enabled) {
    const current = has.subscription_update;
    if (!current.enabled || !current.default_allowed_updates.includes('price')) missing.push('plan switching');
    else {
      for (const product of Array.isArray(update.products) ? update.products : []) {
        const offered = current.products?.find((entry) => entry.product === product.product);
        const absent = product.prices.filter((price) => !offered?.prices.includes(price));
        if (absent.length > 0) missing.push(`plan switching to ${product.product} (${absent.join(', ')})`);
      }
      if (update.proration_behavior && current.proration_behavior !== update.proration_behavior)
        missing.push(`plan switching with proration ${update.proration_behavior}`);
    }
  }
  const customer = wanted.customer_update;
  if (customer?.enabled) {
    const allowed = has.customer_update.enabled ? has.customer_update.allowed_updates : [];
    const absent = (customer.allowed_updates || []).filter((field) => !allowed.includes(field));
    if (absent.length > 0) missing.push(`customer updates of ${absent.join(', ')}`);
  }
  const pause = wanted.subscription_pause;
  if (pause?.enabled && !has.subscription_pause.enabled) missing.push('pause');
  return missing;
}

/** The login page (a `billing.stripe.com/p/login/…` link): PUBLIC_STRIPE_CUSTOMER_PORTAL_URL and "one subscription per customer" need it. */
export function loginPageShortfall(configuration: Stripe.BillingPortal.Configuration): string[] {
  return configuration.login_page.enabled ? [] : ['login page'];
}

/** The update for the default configuration, or none when it already has every feature and the login page. */
export function planPortal(
  configuration: Stripe.BillingPortal.Configuration,
  wanted: Features,
): { kind: 'update'; params: Stripe.BillingPortal.ConfigurationUpdateParams; why: string } | { kind: 'none' } {
  const missing = [...portalShortfalls(configuration, wanted), ...loginPageShortfall(configuration)];
  if (missing.length === 0) return { kind: 'none' };
  // A feature left off is not sent: a shop that turned pause on in the Dashboard keeps it.
  const features = Object.fromEntries(
    Object.entries(wanted).filter(([, feature]) => (feature as { enabled?: boolean } | undefined)?.enabled),
  ) as Stripe.BillingPortal.ConfigurationUpdateParams.Features;
  return { kind: 'update', params: { features, login_page: { enabled: true } }, why: `missing ${missing.join(', ')}` };
}
