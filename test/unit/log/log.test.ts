import { describe, expect, it } from 'vitest';
import { createLogger, describeError, redact } from '../../../src/lib/log/log.ts';
import { fakeStripeSecret } from '../../support/fake-secrets.ts';

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

describe('e-mail redaction', () => {
  it('catches addresses in any script, with invisible characters, between quotes, brackets and punctuation', () => {
    for (const address of [
      'пётр@почта.рф',
      'taro@例え.jp',
      'josé@exämple.com',
      'bob\u200B@example.com',
      'bob@exa\u200Bmple.com',
      'bob@p\u0430ypal.com',
    ]) {
      const text = redact(`Invalid email address: ${address}, try again`);
      expect(text, address).toBe('Invalid email address: [email], try again');
    }
    expect(redact('"a@b.co" <c@d.jp> (e@f.io); g@h.fr')).toBe('"[email]" <[email]> ([email]); [email]');
  });

  it('leaves text without an address alone', () => {
    for (const text of ['no address here', 'user@localhost', 'a @ b.com', 'POST /checkout 422'])
      expect(redact(text)).toBe(text);
  });

  it('writes no address into a log line, whatever its script', () => {
    const lines: string[] = [];
    createLogger((line) => lines.push(line)).warn({ msg: 'refused', detail: 'for пётр@почта.рф' });
    expect(lines[0]).not.toContain('почта');
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ detail: 'for [email]' });
  });

  it('stays fast on a long value without delimiters (no quadratic backtracking)', () => {
    const started = performance.now();
    redact(`${'a'.repeat(200_000)}@${'b'.repeat(200_000)}`);
    redact('a'.repeat(200_000));
    expect(performance.now() - started).toBeLessThan(500);
  });
});
