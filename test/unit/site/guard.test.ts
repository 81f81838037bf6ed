import { describe, expect, it } from 'vitest';
import { guardStripePage, setRefusalStatus, stripeFailureRefusal } from '../../../src/lib/site/guard.ts';
import { createLogger } from '../../../src/lib/log/log.ts';
import type { RequestLimiters } from '../../../src/lib/http/rate-limit.ts';

function limiter(allow: boolean, seen: string[] = []): RateLimit {
  return {
    limit: ({ key }: { key: string }) => {
      seen.push(key);
      return Promise.resolve({ success: allow });
    },
  };
}

function setup(options: { allow?: boolean; siteOrigin?: string; host?: string; stripe?: object } = {}) {
  const lines: Record<string, unknown>[] = [];
  const keys: string[] = [];
  const limiters: RequestLimiters = {
    visitor: limiter(options.allow ?? true, keys),
    client: limiter(true, keys),
  };
  const url = new URL(`http://${options.host ?? '127.0.0.1:4321'}/mypage`);
  return {
    lines,
    keys,
    input: {
      route: 'mypage' as const,
      request: new Request(url, { headers: { 'cf-connecting-ip': '203.0.113.9' } }),
      requestUrl: url,
      visitorRef: 'v'.repeat(43),
      limiters,
      stripe: 'stripe' in options ? options.stripe : { client: true },
      siteOrigin: options.siteOrigin,
      log: createLogger((line) => lines.push(JSON.parse(line) as Record<string, unknown>)),
    },
  };
}

describe('guardStripePage', () => {
  it('passes with the Stripe client and the origin Stripe URLs are built from', async () => {
    const { input, keys } = setup({ siteOrigin: 'https://shop.example' });
    await expect(guardStripePage(input)).resolves.toEqual({
      ok: true,
      stripe: { client: true },
      origin: 'https://shop.example',
    });
    expect(keys).toEqual(['mypage:ip:203.0.113.9', `mypage:visitor:${'v'.repeat(43)}`]);
  });

  it('checks the rate limit first, then the origin, then the key', async () => {
    const limited = setup({ allow: false, host: 'shop.example', stripe: undefined });
    expect(await guardStripePage(limited.input)).toEqual({ ok: false, refusal: { kind: 'rate-limited' } });

    const noOrigin = setup({ host: 'shop.example', stripe: undefined });
    expect(await guardStripePage(noOrigin.input)).toEqual({ ok: false, refusal: { kind: 'no-site-url' } });
    expect(noOrigin.lines[0]?.msg).toMatch(/SITE_URL is not set/);

    const noKey = setup({ stripe: undefined });
    const result = await guardStripePage(noKey.input);
    expect(result).toMatchObject({ ok: false, refusal: { kind: 'stripe-failure', failure: { status: 503 } } });
    expect(noKey.lines[0]).toMatchObject({ kind: 'config', ref: expect.stringMatching(/^[0-9a-f]{8}$/) });
  });

  it('uses the loopback request origin only without SITE_URL', async () => {
    const { input } = setup();
    expect(await guardStripePage(input)).toMatchObject({ ok: true, origin: 'http://127.0.0.1:4321' });
  });
});

describe('refusal statuses', () => {
  const status = (refusal: Parameters<typeof setRefusalStatus>[1]) => {
    const response = { status: 200, headers: new Headers() };
    setRefusalStatus(response, refusal);
    return [response.status, response.headers.get('retry-after')];
  };

  it('answers 429 with Retry-After, 500 without SITE_URL, and Stripe failures as classified', () => {
    expect(status({ kind: 'rate-limited' })).toEqual([429, '60']);
    expect(status({ kind: 'no-site-url' })).toEqual([500, null]);
    const lines: string[] = [];
    const log = createLogger((line) => lines.push(line));
    expect(status(stripeFailureRefusal(log, 'mypage', { type: 'StripeRateLimitError' }))).toEqual([503, '10']);
    expect(status(stripeFailureRefusal(log, 'mypage', { type: 'StripePermissionError' }))).toEqual([502, null]);
    expect(lines).toHaveLength(2);
  });
});
