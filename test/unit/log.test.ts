import { describe, expect, it } from 'vitest';
import { createLogger, describeError, redact } from '../../src/lib/log';
import { fakeStripeSecret } from '../support/fake-secrets.ts';

describe('logging', () => {
  it('scrubs secrets, signatures and e-mail addresses', () => {
    const secrets = [fakeStripeSecret('rk_test'), fakeStripeSecret('sk_live'), fakeStripeSecret('whsec')];
    const text = redact(
      `keys ${secrets[0]} and ${secrets[1]}, secret ${secrets[2]}, sig v1=0123456789abcdef0123, mail jane.doe@example.com`,
    );
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/0123456789abcdef0123|jane\.doe/);
  });

  it('writes one JSON object per line', () => {
    const lines: string[] = [];
    const log = createLogger((line) => lines.push(line));
    log.info({ msg: 'webhook', outcome: 'processed', event_id: 'evt_1', ms: 3 });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toEqual({
      level: 'info',
      msg: 'webhook',
      outcome: 'processed',
      event_id: 'evt_1',
      ms: 3,
    });
  });

  it('describes errors briefly and safely', () => {
    expect(describeError(new TypeError(`bad ${fakeStripeSecret('rk_test')}`))).toBe('TypeError: bad [redacted]');
    expect(describeError('string')).toBe('unknown error');
  });
});
