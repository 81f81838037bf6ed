import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/lib/log/log.ts';
import {
  classifyStripeError,
  isCurrencyConflict,
  isMissingCustomer,
  logStripeFailure,
} from '../../../src/lib/stripe/errors.ts';

describe('classifyStripeError', () => {
  it.each([
    [{ type: 'StripePermissionError' }, 502, 'permission'],
    [{ type: 'StripeAuthenticationError' }, 502, 'authentication'],
    [{ type: 'StripeConnectionError' }, 503, 'connection'],
    [{ type: 'StripeAPIError' }, 503, 'api'],
    [{ type: 'StripeRateLimitError' }, 503, 'rate_limit'],
    [
      {
        type: 'StripeInvalidRequestError',
        message: 'No configuration provided and your test mode default configuration has not been created.',
      },
      502,
      'portal_settings',
    ],
    [
      { type: 'StripeInvalidRequestError', code: 'resource_missing', message: "No such customer: 'cus_1'" },
      502,
      'resource_missing',
    ],
    [new Error('boom'), 503, 'unknown'],
  ])('%o → %i %s', (error, status, kind) => {
    const failure = classifyStripeError(error);
    expect(failure.status).toBe(status);
    expect(failure.kind).toBe(kind);
    expect(failure.ownerHint.length).toBeGreaterThan(10);
  });

  it('suggests a retry delay for what passes (503) and none for setup problems (502)', () => {
    expect(classifyStripeError({ type: 'StripeRateLimitError' }).retryAfter).toBeGreaterThan(0);
    expect(classifyStripeError({ type: 'StripeAPIError' }).retryAfter).toBeGreaterThan(0);
    expect(classifyStripeError({ type: 'StripePermissionError' }).retryAfter).toBeUndefined();
  });

  it('keeps Stripe’s request id for the log line', () => {
    expect(classifyStripeError({ type: 'StripeAPIError', requestId: 'req_123' }).requestId).toBe('req_123');
  });
});

describe('recognised Stripe refusals', () => {
  it('a deleted customer is resource_missing on the customer parameter', () => {
    expect(isMissingCustomer({ type: 'StripeInvalidRequestError', code: 'resource_missing', param: 'customer' })).toBe(
      true,
    );
    expect(
      isMissingCustomer({ type: 'StripeInvalidRequestError', code: 'resource_missing', param: 'line_items[0][price]' }),
    ).toBe(false);
  });

  it('mixing currencies on one customer', () => {
    const error = {
      type: 'StripeInvalidRequestError',
      message:
        'You cannot combine currencies on a single customer. This customer has an active subscription with currency jpy.',
    };
    expect(isCurrencyConflict(error)).toBe(true);
    expect(isCurrencyConflict({ type: 'StripeInvalidRequestError', message: 'No such price' })).toBe(false);
  });
});

describe('an e-mail Stripe refused', () => {
  const refused = (param: string | undefined, message: string) => ({
    type: 'StripeInvalidRequestError',
    param,
    message,
  });

  it.each(['email', 'customer_email', 'customer_details[email]'])(
    'names the parameter %s but never quotes Stripe’s message',
    (param) => {
      const failure = classifyStripeError(refused(param, 'Invalid email address: пётр@почта.рф'));
      expect(failure).toMatchObject({ status: 502, kind: 'invalid_request' });
      expect(failure.ownerHint).toBe(`Stripe refused the e-mail address (param ${param}).`);
      expect(failure.ownerHint).not.toContain('почта');
    },
  );

  it('drops any message that quotes an address, whatever the parameter', () => {
    const failure = classifyStripeError(refused(undefined, 'Something about bob@example.com went wrong'));
    expect(failure.ownerHint).toBe('Stripe refused the e-mail address (param unknown).');
  });

  it('keeps Stripe’s message for other invalid requests', () => {
    expect(classifyStripeError(refused('line_items[0][price]', 'No such price: price_x')).ownerHint).toBe(
      'Stripe rejected the request: No such price: price_x',
    );
  });

  it('logs the failure without Stripe’s message', () => {
    const lines: string[] = [];
    const error = Object.assign(new Error('Invalid email address: пётр@почта.рф'), {
      type: 'StripeInvalidRequestError',
      param: 'customer_email',
    });
    logStripeFailure(
      createLogger((line) => lines.push(line)),
      'checkout',
      classifyStripeError(error),
      error,
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(/пётр|почта|Invalid email address/);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      hint: 'Stripe refused the e-mail address (param customer_email).',
      kind: 'invalid_request',
    });
  });
});
