/**
 * Webhook endpoints: POST /v1/webhook_endpoints (the signing secret in that answer only), GET /v1/webhook_endpoints,
 * GET/POST/DELETE /v1/webhook_endpoints/:id; and the endpoints webhooks.ts delivers to: every enabled one whose
 * `enabled_events` name the event's type (or are `*`), signed with its own secret, labelled with its `api_version`.
 */
import type Stripe from 'stripe';
import { invalidRequest, missingParam, noSuch } from '../errors.ts';
import {
  allowOnly,
  emptyableString,
  expand,
  metadataChange,
  newestFirst,
  optionalBoolean,
  optionalEnum,
  optionalStringArray,
  optionalUrl,
  paginate,
  PAGE_PARAMS,
  type Params,
} from '../params.ts';
import { ok, type Handler } from '../api.ts';
import { type EmulatorState, ID_PREFIX, newId, nowSeconds } from '../state.ts';
import { API_VERSION_VALUES, ENABLED_EVENT_VALUES } from '../webhook-enums.ts';
import type { WebhookEndpoints } from '../webhooks.ts';

/** docs.stripe.com/development/dashboard/webhooks: "You can register up to 16 webhook endpoints on each Stripe account." */
const MAX_ENDPOINTS = 16;

function endpointOrThrow(state: EmulatorState, id: string): Stripe.WebhookEndpoint {
  const endpoint = state.webhookEndpoints.get(id);
  if (!endpoint) throw noSuch('webhook_endpoint', id);
  return endpoint;
}

/**
 * `url`: an absolute URL. Stripe's endpoints are HTTPS (docs.stripe.com/webhooks: "You can create an HTTPS webhook
 * endpoint"); the emulator also takes http and loopback URLs, since it delivers to this machine's receivers (the
 * tests' and the demo's), which Stripe could not reach. Whether Stripe's test mode takes http is not confirmed.
 */
function urlParam(params: Params): string | undefined {
  return optionalUrl(params, 'url');
}

/**
 * `enabled_events[]`: event types Stripe.WebhookEndpointCreateParams.EnabledEvent lists, or `*` ("You may specify
 * `['*']` to enable all events"); refused like any enum value Stripe does not know.
 */
function enabledEventsParam(params: Params): string[] | undefined {
  const events = optionalStringArray(params, 'enabled_events');
  if (events === undefined) return undefined;
  if (events.length === 0) throw missingParam('enabled_events');
  events.forEach((type, index) => {
    const label = `enabled_events[${index}]`;
    if (!ENABLED_EVENT_VALUES.includes(type))
      throw invalidRequest(`Invalid ${label}: must be one of ${ENABLED_EVENT_VALUES.join(', ')}`, label);
  });
  return [...new Set(events)];
}

/**
 * POST /v1/webhook_endpoints: `url` and `enabled_events[]` (required), `api_version` (one Stripe knows:
 * Stripe.WebhookEndpointCreateParams.ApiVersion; events to the endpoint carry it), `description`, `metadata`,
 * `connect`. The answer alone holds `secret` (Stripe.WebhookEndpoint.secret: "Only returned at creation").
 */
export const create: Handler = ({ state }, { params }) => {
  allowOnly(params, ['api_version', 'connect', 'description', 'enabled_events', 'expand', 'metadata', 'url']);
  const url = urlParam(params);
  if (url === undefined) throw missingParam('url');
  const enabledEvents = enabledEventsParam(params);
  if (enabledEvents === undefined) throw missingParam('enabled_events');
  const apiVersion = optionalEnum(params, 'api_version', API_VERSION_VALUES) ?? null;
  const description = emptyableString(params, 'description') ?? null;
  const metadata = metadataChange(params);
  const connect = optionalBoolean(params, 'connect') ?? false;
  // The limit's wording is not confirmed.
  if (state.webhookEndpoints.size >= MAX_ENDPOINTS)
    throw invalidRequest(`You can register up to ${MAX_ENDPOINTS} webhook endpoints on each Stripe account.`);
  // openapi/fixtures3.json webhook_endpoint
  const endpoint: Stripe.WebhookEndpoint = {
    id: newId(ID_PREFIX.webhookEndpoint),
    object: 'webhook_endpoint',
    api_version: apiVersion,
    application: null,
    created: nowSeconds(),
    description,
    enabled_events: enabledEvents,
    livemode: false,
    metadata: metadata ? metadata({}) : {},
    status: 'enabled',
    url,
  };
  const secret = newId(ID_PREFIX.webhookSecret, 32);
  state.webhookEndpoints.set(endpoint.id, endpoint);
  state.webhookEndpointSettings.set(endpoint.id, { secret, connect });
  return ok(expand(state, { ...endpoint, secret }, params));
};

/** GET /v1/webhook_endpoints, newest first, without secrets. */
export const list: Handler = ({ state }, { params }) => {
  allowOnly(params, [...PAGE_PARAMS]);
  const page = paginate(
    newestFirst(state.webhookEndpoints),
    () => true,
    params,
    '/v1/webhook_endpoints',
    'webhook_endpoint',
  );
  return ok(expand(state, page, params));
};

/** GET /v1/webhook_endpoints/:id, without the secret. */
export const retrieve: Handler = ({ state }, { params }, [id = '']) => {
  allowOnly(params, ['expand']);
  return ok(expand(state, endpointOrThrow(state, id), params));
};

/**
 * POST /v1/webhook_endpoints/:id: `url`, `enabled_events[]`, `disabled` (status `disabled` or `enabled`),
 * `description`, `metadata` (Stripe.WebhookEndpointUpdateParams; `api_version` "can't change … after you create the
 * endpoint", so it is an unknown parameter here as there).
 */
export const update: Handler = ({ state }, { params }, [id = '']) => {
  allowOnly(params, ['description', 'disabled', 'enabled_events', 'expand', 'metadata', 'url']);
  const endpoint = endpointOrThrow(state, id);
  const url = urlParam(params);
  const enabledEvents = enabledEventsParam(params);
  const disabled = optionalBoolean(params, 'disabled');
  const description = emptyableString(params, 'description');
  const metadata = metadataChange(params)?.(endpoint.metadata);
  if (url !== undefined) endpoint.url = url;
  if (enabledEvents !== undefined) endpoint.enabled_events = enabledEvents;
  if (disabled !== undefined) endpoint.status = disabled ? 'disabled' : 'enabled';
  if (description !== undefined) endpoint.description = description;
  if (metadata) endpoint.metadata = metadata;
  return ok(expand(state, endpoint, params));
};

/** DELETE /v1/webhook_endpoints/:id: `{ id, object, deleted: true }` (Stripe.DeletedWebhookEndpoint); deliveries stop. */
export const del: Handler = ({ state }, { params }, [id = '']) => {
  allowOnly(params, []);
  endpointOrThrow(state, id);
  state.webhookEndpoints.delete(id);
  state.webhookEndpointSettings.delete(id);
  const deleted: Stripe.DeletedWebhookEndpoint = { id, object: 'webhook_endpoint', deleted: true };
  return ok(deleted);
};

/** The API's endpoints as webhooks.ts delivers to them, read from the state at each attempt. */
export function webhookEndpointTargets(state: EmulatorState): WebhookEndpoints {
  return {
    subscribed: (type) => state.webhookEndpointsFor(type).map((endpoint) => endpoint.id),
    target: (id) => {
      const endpoint = state.webhookEndpoints.get(id);
      const settings = state.webhookEndpointSettings.get(id);
      if (!endpoint || !settings || endpoint.status !== 'enabled') return null;
      return { url: endpoint.url, secret: settings.secret, apiVersion: endpoint.api_version };
    },
  };
}
