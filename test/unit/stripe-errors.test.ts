import { describe, expect, it } from 'vitest';
import { classifyStripeError } from '../../src/lib/stripe-errors';

describe('classifyStripeError', () => {
  it.each([
    [{ type: 'StripePermissionError' }, 502, 'permission'],
    [{ type: 'StripeAuthenticationError' }, 502, 'authentication'],
    [{ type: 'StripeConnectionError' }, 503, 'connection'],
    [{ type: 'StripeAPIError' }, 503, 'api'],
    [{ type: 'StripeRateLimitError' }, 503, 'rate_limit'],
    [{ type: 'StripeInvalidRequestError', message: 'No configuration provided and your test mode default configuration has not been created.' }, 502, 'portal_settings'],
    [{ type: 'StripeInvalidRequestError', code: 'resource_missing', message: "No such customer: 'cus_1'" }, 502, 'resource_missing'],
    [new Error('boom'), 503, 'unknown'],
  ])('%o → %i %s', (error, status, kind) => {
    const failure = classifyStripeError(error);
    expect(failure.status).toBe(status);
    expect(failure.kind).toBe(kind);
    expect(failure.likelyFix.length).toBeGreaterThan(10);
  });
});
