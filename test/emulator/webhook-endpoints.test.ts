/**
 * Webhook endpoints through the API: the secret shown once, the endpoint's own event types, secret and API version
 * for each delivery, beside the test handle's target; Stripe's refusals.
 */
import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  CARD_CHECKOUT_EVENTS,
  recordingReceiver,
  seeded,
  stripeError,
  paidSubscription,
  typesSince,
  useEmulator,
  type RecordingReceiver,
} from '../support/emulator.ts';

const h = useEmulator();
let receiver: RecordingReceiver;
beforeAll(async () => {
  receiver = await recordingReceiver();
});
afterAll(() => receiver.close());

/** Deletes every endpoint a test made, so each test starts with none (the account's limit counts them all). */
beforeEach(async () => {
  h.emulator.reset();
  for (const endpoint of (await h.stripe.webhookEndpoints.list({ limit: 100 })).data)
    await h.stripe.webhookEndpoints.del(endpoint.id);
  receiver.received.length = 0;
});

/** The endpoint the setup CLI will make: the site's URL, the pinned version, the handled event types. */
function siteEndpoint(extra: Partial<Stripe.WebhookEndpointCreateParams> = {}) {
  return h.stripe.webhookEndpoints.create({
    url: receiver.url,
    enabled_events: ['customer.subscription.created', 'invoice.paid'],
    api_version: Stripe.API_VERSION,
    description: 'はなまめ珈琲 storefront',
    metadata: { managed_by: 'setup' },
    ...extra,
  });
}

describe('POST /v1/webhook_endpoints', () => {
  it('answers the signing secret once; retrieve and list never show it', async () => {
    const created = await siteEndpoint();
    expect(created).toMatchObject({
      object: 'webhook_endpoint',
      url: receiver.url,
      enabled_events: ['customer.subscription.created', 'invoice.paid'],
      api_version: Stripe.API_VERSION,
      application: null,
      description: 'はなまめ珈琲 storefront',
      metadata: { managed_by: 'setup' },
      livemode: false,
      status: 'enabled',
    });
    expect(created.id).toMatch(/^we_[A-Za-z0-9]{24}$/);
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9]{32}$/);
    const retrieved = await h.stripe.webhookEndpoints.retrieve(created.id);
    expect(retrieved).not.toHaveProperty('secret');
    expect(retrieved).toMatchObject({ id: created.id, url: receiver.url, status: 'enabled', created: created.created });
    const listed = await h.stripe.webhookEndpoints.list();
    expect(listed.data.map((endpoint) => endpoint.id)).toEqual([created.id]);
    expect(listed.data[0]).not.toHaveProperty('secret');
  });

  it('refuses what Stripe refuses', async () => {
    const missingUrl = await stripeError(
      h.stripe.webhookEndpoints.create({ enabled_events: ['*'] } as Stripe.WebhookEndpointCreateParams),
    );
    expect(missingUrl).toMatchObject({ statusCode: 400, code: 'parameter_missing', param: 'url' });
    const missingEvents = await stripeError(
      h.stripe.webhookEndpoints.create({ url: receiver.url } as Stripe.WebhookEndpointCreateParams),
    );
    expect(missingEvents).toMatchObject({ code: 'parameter_missing', param: 'enabled_events' });
    const unknownEvent = await stripeError(
      siteEndpoint({
        enabled_events: ['invoice.paid', 'invoice.exploded'] as Stripe.WebhookEndpointCreateParams.EnabledEvent[],
      }),
    );
    expect(unknownEvent).toMatchObject({ statusCode: 400, param: 'enabled_events[1]' });
    expect(unknownEvent.message).toMatch(/^Invalid enabled_events\[1\]: must be one of \*, account\.application/);
    // Stripe knows the versions Stripe.WebhookEndpointCreateParams.ApiVersion lists, and no other.
    const unknownVersion = await stripeError(
      siteEndpoint({ api_version: '2026-13-01.endive' as Stripe.WebhookEndpointCreateParams.ApiVersion }),
    );
    expect(unknownVersion).toMatchObject({ statusCode: 400, param: 'api_version' });
    expect(unknownVersion.message).toMatch(/^Invalid api_version: must be one of 2011-01-01, /);
    const notAUrl = await stripeError(siteEndpoint({ url: 'not a url' }));
    expect(notAUrl).toMatchObject({ statusCode: 400, param: 'url' });
  });

  it('allows 16 endpoints on an account, as Stripe does', async () => {
    for (let i = 0; i < 16; i++) await siteEndpoint({ enabled_events: ['*'] });
    const error = await stripeError(siteEndpoint());
    expect(error).toMatchObject({ statusCode: 400, type: 'StripeInvalidRequestError' });
    expect(error.message).toContain('16');
  });
});

describe('delivery to API endpoints', () => {
  it('sends each endpoint only its event types, signed with its own secret, beside the test handle’s target', async () => {
    const endpoint = await siteEndpoint();
    const everything = await siteEndpoint({ enabled_events: ['*'], api_version: undefined });
    const from = h.events.length;
    await paidSubscription(h, seeded(h.emulator).monthly.id);
    // The test handle's target still gets everything, as before.
    expect(typesSince(h, from)).toEqual(CARD_CHECKOUT_EVENTS);
    const mine = receiver.eventsSignedWith(endpoint.secret ?? '');
    expect(mine.map((event) => event.type)).toEqual(['customer.subscription.created', 'invoice.paid']);
    const all = receiver.eventsSignedWith(everything.secret ?? '');
    expect(all.map((event) => event.type)).toEqual(CARD_CHECKOUT_EVENTS);
    // Each delivery verifies with its endpoint's secret only.
    expect(receiver.received).toHaveLength(mine.length + all.length);
    // pending_webhooks counts the endpoints each event goes to.
    expect(mine.map((event) => event.pending_webhooks)).toEqual([3, 3]);
    expect(all.find((event) => event.type === 'customer.created')?.pending_webhooks).toBe(2);
    expect(h.emulator.deliveries.filter((record) => record.endpoint === endpoint.id)).toHaveLength(2);
  });

  it('labels events with the endpoint’s api_version, which cannot change afterwards', async () => {
    const older = await siteEndpoint({ api_version: '2025-09-30.clover', enabled_events: ['customer.created'] });
    await paidSubscription(h, seeded(h.emulator).monthly.id);
    const [event] = receiver.eventsSignedWith(older.secret ?? '');
    expect(event?.api_version).toBe('2025-09-30.clover');
    expect(h.events.at(-1)?.api_version).toBe(Stripe.API_VERSION);
    const error = await stripeError(
      h.stripe.webhookEndpoints.update(older.id, {
        api_version: Stripe.API_VERSION,
      } as Stripe.WebhookEndpointUpdateParams),
    );
    expect(error).toMatchObject({ message: 'Received unknown parameter: api_version', param: 'api_version' });
  });

  it('updates url, events, description and metadata; a disabled or deleted endpoint gets nothing', async () => {
    const endpoint = await siteEndpoint();
    const updated = await h.stripe.webhookEndpoints.update(endpoint.id, {
      enabled_events: ['customer.created'],
      description: '',
      metadata: { managed_by: '', version: '2' },
      disabled: true,
    });
    expect(updated).toMatchObject({
      status: 'disabled',
      enabled_events: ['customer.created'],
      description: null,
      metadata: { version: '2' },
    });
    await paidSubscription(h, seeded(h.emulator).monthly.id);
    expect(receiver.received).toHaveLength(0);

    expect((await h.stripe.webhookEndpoints.update(endpoint.id, { disabled: false })).status).toBe('enabled');
    await paidSubscription(h, seeded(h.emulator).monthly.id);
    expect(receiver.eventsSignedWith(endpoint.secret ?? '').map((event) => event.type)).toEqual(['customer.created']);

    const deleted = await h.stripe.webhookEndpoints.del(endpoint.id);
    expect(deleted).toMatchObject({ id: endpoint.id, object: 'webhook_endpoint', deleted: true });
    const gone = await stripeError(h.stripe.webhookEndpoints.retrieve(endpoint.id));
    expect(gone).toMatchObject({ statusCode: 404, code: 'resource_missing' });
    await paidSubscription(h, seeded(h.emulator).monthly.id);
    expect(receiver.received).toHaveLength(1);
  });

  it('retries a failing endpoint on its own', async () => {
    const failing = await siteEndpoint({ url: 'http://127.0.0.1:9/webhook', enabled_events: ['customer.created'] });
    await paidSubscription(h, seeded(h.emulator).monthly.id);
    await h.emulator.settle();
    const attempts = h.emulator.deliveries.filter((record) => record.endpoint === failing.id);
    // useEmulator's retry schedule: two retries after the first attempt.
    expect(attempts.map((record) => [record.attempt, record.ok])).toEqual([
      [1, false],
      [2, false],
      [3, false],
    ]);
    // The test handle's target got every event at the first attempt.
    expect(h.emulator.deliveries.filter((record) => record.endpoint === null).every((record) => record.ok)).toBe(true);
  });
});
