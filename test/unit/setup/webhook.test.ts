import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { checkWebhook } from '../../../src/lib/setup/doctor.ts';
import { planWebhook } from '../../../src/lib/setup/webhook.ts';
import { STRIPE_API_VERSION } from '../../../src/lib/stripe/client.ts';
import { HANDLED_EVENT_TYPES } from '../../../src/lib/webhook/events.ts';

const SITE = 'https://shop.example.com';

function endpoint(overrides: Partial<Stripe.WebhookEndpoint> = {}): Stripe.WebhookEndpoint {
  return {
    id: 'we_1',
    url: `${SITE}/webhook`,
    api_version: STRIPE_API_VERSION,
    enabled_events: [...HANDLED_EVENT_TYPES],
    status: 'enabled',
    ...overrides,
  } as Stripe.WebhookEndpoint;
}

const failed = (checks: ReturnType<typeof checkWebhook>) =>
  checks.filter((check) => check.status === 'fail').map((check) => check.label);

describe('planWebhook', () => {
  it('creates SITE_URL/webhook on the pinned version with exactly the handled event types', () => {
    expect(planWebhook([endpoint({ url: 'https://other.example/webhook' })], SITE)).toEqual({
      kind: 'create',
      params: expect.objectContaining({
        url: `${SITE}/webhook`,
        api_version: STRIPE_API_VERSION,
        enabled_events: [...HANDLED_EVENT_TYPES],
      }),
    });
  });

  it('leaves a correct endpoint alone', () => {
    expect(planWebhook([endpoint()], SITE)).toEqual({ kind: 'none', id: 'we_1' });
  });

  it('updates a disabled endpoint or one with missing or extra types', () => {
    const missing = endpoint({ enabled_events: HANDLED_EVENT_TYPES.filter((type) => type !== 'invoice.paid') });
    expect(planWebhook([missing], SITE)).toMatchObject({ kind: 'update', id: 'we_1', why: 'missing invoice.paid' });
    expect(planWebhook([endpoint({ status: 'disabled' })], SITE)).toMatchObject({
      kind: 'update',
      params: { disabled: false, enabled_events: [...HANDLED_EVENT_TYPES] },
    });
    expect(planWebhook([endpoint({ enabled_events: ['*'] })], SITE)).toMatchObject({ kind: 'update' });
  });

  it('re-creates an endpoint on another API version (the update call cannot change it)', () => {
    expect(planWebhook([endpoint({ api_version: '2024-06-20' })], SITE)).toMatchObject({
      kind: 'recreate',
      id: 'we_1',
    });
  });
});

describe('checkWebhook', () => {
  it('passes a correct endpoint', () => {
    expect(failed(checkWebhook([endpoint()], SITE))).toEqual([]);
  });

  it('names each fault alone', () => {
    expect(failed(checkWebhook([], SITE))).toEqual([`a webhook endpoint for ${SITE}/webhook`]);
    expect(failed(checkWebhook([endpoint({ status: 'disabled' })], SITE))).toEqual(['the endpoint is enabled']);
    expect(failed(checkWebhook([endpoint({ api_version: '2024-06-20' })], SITE))).toEqual([
      `the endpoint's API version is ${STRIPE_API_VERSION}`,
    ]);
    const checks = checkWebhook([endpoint({ enabled_events: HANDLED_EVENT_TYPES.slice(1) })], SITE);
    expect(failed(checks)).toEqual(['the endpoint sends every event type the site handles']);
    expect(checks.find((check) => check.status === 'fail')?.fix).toContain(HANDLED_EVENT_TYPES[0]);
  });
});
