/**
 * The webhook endpoint the site needs: `SITE_URL/webhook`, the SDK's pinned API version, and exactly
 * the event types the code handles (HANDLED_EVENT_TYPES, the one list). Pure: the setup CLI and the
 * doctor read the account's endpoints and pass them here.
 */
import type Stripe from 'stripe';
import { STRIPE_API_VERSION } from '../stripe/client.ts';
import { HANDLED_EVENT_TYPES } from '../webhook/events.ts';

/** The URL Stripe posts events to for a site origin (`https://shop.example.com`). */
export function webhookUrl(siteUrl: string): string {
  return new URL('/webhook', siteUrl).href;
}

/** What to do about the site's endpoint. */
export type WebhookPlan =
  | { kind: 'create'; params: Stripe.WebhookEndpointCreateParams }
  | { kind: 'update'; id: string; params: Stripe.WebhookEndpointUpdateParams; why: string }
  /**
   * docs.stripe.com/api/webhook_endpoints/update has no `api_version`: an endpoint on another version is
   * deleted and made again (its new signing secret replaces the old one).
   */
  | { kind: 'recreate'; id: string; params: Stripe.WebhookEndpointCreateParams; why: string }
  | { kind: 'none'; id: string };

/** The event types an endpoint lacks (`*` lacks none), and those it sends the site does not handle. */
export function eventDifference(endpoint: Pick<Stripe.WebhookEndpoint, 'enabled_events'>): {
  missing: string[];
  extra: string[];
} {
  const enabled = new Set(endpoint.enabled_events);
  const handled = new Set<string>(HANDLED_EVENT_TYPES);
  return {
    missing: enabled.has('*') ? [] : HANDLED_EVENT_TYPES.filter((type) => !enabled.has(type)),
    extra: [...enabled].filter((type) => !handled.has(type)),
  };
}

/** The account's endpoint for the site's URL, if any (the first, as Stripe lists them, newest first). */
export function siteEndpoint(
  endpoints: readonly Stripe.WebhookEndpoint[],
  siteUrl: string,
): Stripe.WebhookEndpoint | undefined {
  const url = webhookUrl(siteUrl);
  return endpoints.find((endpoint) => endpoint.url === url);
}

/** Creates, updates, re-creates or leaves the site's endpoint so it sends what the site handles. */
export function planWebhook(endpoints: readonly Stripe.WebhookEndpoint[], siteUrl: string): WebhookPlan {
  const params: Stripe.WebhookEndpointCreateParams = {
    url: webhookUrl(siteUrl),
    api_version: STRIPE_API_VERSION,
    enabled_events: [...HANDLED_EVENT_TYPES],
    description: 'The storefront (npm run setup)',
  };
  const endpoint = siteEndpoint(endpoints, siteUrl);
  if (!endpoint) return { kind: 'create', params };
  if (endpoint.api_version !== STRIPE_API_VERSION)
    return {
      kind: 'recreate',
      id: endpoint.id,
      params,
      why: `API version ${endpoint.api_version ?? 'the account default'} instead of ${STRIPE_API_VERSION}`,
    };
  const { missing, extra } = eventDifference(endpoint);
  const reasons = [
    ...(endpoint.status !== 'enabled' ? ['disabled'] : []),
    ...(missing.length > 0 ? [`missing ${missing.join(', ')}`] : []),
    ...(extra.length > 0 ? [`sends unhandled ${extra.join(', ')}`] : []),
  ];
  if (reasons.length === 0) return { kind: 'none', id: endpoint.id };
  return {
    kind: 'update',
    id: endpoint.id,
    params: { enabled_events: [...HANDLED_EVENT_TYPES], disabled: false },
    why: reasons.join('; '),
  };
}
