import { describe, expect, it } from 'vitest';
import { createLogger, describeError, redact } from '../../src/lib/log';

describe('logging', () => {
  it('scrubs secrets, signatures and e-mail addresses', () => {
    const text = redact('key rk_test_51Habc and sk_live_xyz, secret whsec_AbC123+/=, sig v1=0123456789abcdef0123, mail jane.doe@example.com');
    expect(text).not.toMatch(/rk_test_51Habc|sk_live_xyz|whsec_AbC|0123456789abcdef0123|jane\.doe/);
  });

  it('writes one JSON object per line', () => {
    const lines: string[] = [];
    const log = createLogger((line) => lines.push(line));
    log.info({ msg: 'webhook', outcome: 'processed', event_id: 'evt_1', ms: 3 });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toEqual({ level: 'info', msg: 'webhook', outcome: 'processed', event_id: 'evt_1', ms: 3 });
  });

  it('describes errors briefly and safely', () => {
    expect(describeError(new TypeError('bad rk_test_123'))).toBe('TypeError: bad [redacted]');
    expect(describeError('string')).toBe('unknown error');
  });
});
