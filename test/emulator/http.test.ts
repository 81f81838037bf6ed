/** The emulator's HTTP surface: the DNS-rebinding guard, rate limits and outages as Stripe answers them. */
import Stripe from 'stripe';
import { fakeStripeSecret } from '../support/fake-secrets.ts';
import { beforeEach, describe, expect, it } from 'vitest';
import { rawRequest } from '../support/raw-http.ts';
import { stripeError, stripeOn, useEmulator } from '../support/emulator.ts';

const h = useEmulator();
beforeEach(() => h.emulator.reset());

describe('DNS-rebinding guard', () => {
  it.each(['localhost', '127.0.0.1', '[::1]', 'LOCALHOST'])('answers Host %s with its own port', async (name) => {
    const response = await rawRequest(
      h.emulator.url,
      `GET /health HTTP/1.1\nHost: ${name}:${h.emulator.port}\nConnection: close`,
      '',
    );
    expect(response.status).toBe(200);
    expect((await response.text()).trim()).toContain('ok');
  });

  it.each([
    ['another name', (port: number) => `rebind.attacker.example:${port}`],
    ['another port', (port: number) => `127.0.0.1:${port + 1}`],
    ['no port', () => 'localhost'],
  ])('refuses %s with 421 plain text and does not process the request', async (_name, host) => {
    const body = 'mode=subscription';
    const response = await rawRequest(
      h.emulator.url,
      [
        'POST /v1/checkout/sessions HTTP/1.1',
        `Host: ${host(h.emulator.port)}`,
        'Content-Type: application/x-www-form-urlencoded',
        `Content-Length: ${body.length}`,
        'Connection: close',
      ].join('\n'),
      body,
    );
    expect(response.status).toBe(421);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toContain('Misdirected request');
    expect(h.emulator.requests).toEqual([]);
    expect(h.emulator.state.checkoutSessions.size).toBe(0);
  });

  it('also guards the hosted pages', async () => {
    const response = await rawRequest(h.emulator.url, 'GET / HTTP/1.1\nHost: evil.example\nConnection: close', '');
    expect(response.status).toBe(421);
  });
});

describe('authentication', () => {
  const call = (authorization?: string) =>
    fetch(`${h.emulator.url}/v1/prices`, { headers: authorization === undefined ? {} : { authorization } });

  it('answers a key it does not know (malformed, or live) like Stripe: 401 invalid_request_error, the key masked but its prefix and last 4', async () => {
    const response = await call('Bearer rk_test_0123456789-abcdefghiabcd');
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: { type: 'invalid_request_error', message: 'Invalid API Key provided: rk_test_********************abcd' },
    });
    const liveKey = fakeStripeSecret('sk_live');
    const live = await stripeError(
      new Stripe(liveKey, {
        host: '127.0.0.1',
        port: h.emulator.port,
        protocol: 'http',
      }).prices.list(),
    );
    expect(live).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(live).toMatchObject({
      statusCode: 401,
      rawType: 'invalid_request_error',
      message: `Invalid API Key provided: ${liveKey.slice(0, 8)}${'*'.repeat(liveKey.length - 12)}${liveKey.slice(-4)}`,
    });
  });

  it('accepts only its own key: another well-formed test key gets the same 401 as a made-up one', async () => {
    expect(h.emulator.apiKey).toMatch(/^rk_test_[A-Za-z0-9]{24}$/);
    expect((await call(`Bearer ${h.emulator.apiKey}`)).status).toBe(200);
    const otherTestKey = fakeStripeSecret('rk_test');
    for (const other of [otherTestKey, `sk_test_${otherTestKey.slice(8)}`, `${h.emulator.apiKey}x`]) {
      const response = await call(`Bearer ${other}`);
      expect(response.status, other).toBe(401);
      expect(await response.json(), other).toEqual({
        error: {
          type: 'invalid_request_error',
          message: `Invalid API Key provided: ${other.slice(0, 8)}${'*'.repeat(other.length - 12)}${other.slice(-4)}`,
        },
      });
    }
    const stranger = await stripeError(
      new Stripe(otherTestKey, {
        host: '127.0.0.1',
        port: h.emulator.port,
        protocol: 'http',
      }).prices.list(),
    );
    expect(stranger).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
  });

  it('takes the key as HTTP Basic username too, as Stripe does (curl -u KEY:)', async () => {
    const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
    expect((await call(basic(h.emulator.apiKey))).status).toBe(200);
    expect((await call(basic(fakeStripeSecret('rk_test')))).status).toBe(401);
  });

  it('lists no customer (and no e-mail) to a request without its key', async () => {
    h.emulator.addCustomer({ email: 'listed-nowhere@example.com', name: 'Secret Customer' });
    for (const authorization of [undefined, `Bearer ${fakeStripeSecret('rk_test')}`]) {
      const response = await fetch(`${h.emulator.url}/v1/customers?limit=100`, {
        headers: authorization === undefined ? {} : { authorization },
      });
      expect(response.status).toBe(401);
      const text = await response.text();
      expect(text).not.toContain('listed-nowhere');
      expect(text).not.toContain('"data"');
    }
    const listed = await h.stripe.customers.list({ email: 'listed-nowhere@example.com' });
    expect(listed.data.map((customer) => customer.email)).toEqual(['listed-nowhere@example.com']);
  });

  it('the keyless hosted index shows no customer or e-mail', async () => {
    h.emulator.addCustomer({ email: 'index-hidden@example.com', name: 'Hidden Name' });
    const response = await fetch(`${h.emulator.url}/`);
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain('Stripe emulator');
    expect(page).not.toMatch(/[\w.+-]+@[\w-]+\.[a-z]+|cus_|Hidden Name/);
  });

  it('answers a request without a key with Stripe’s "You did not provide an API key"', async () => {
    const response = await call();
    expect(response.status).toBe(401);
    const body = await response.json<{ error: { type: string; message: string } }>();
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.message).toMatch(
      /^You did not provide an API key\. You need to provide your API key in the Authorization header, using Bearer auth \(e\.g\. 'Authorization: Bearer YOUR_SECRET_KEY'\)\./,
    );
  });
});

describe('rate limits', () => {
  it('answer like Stripe: 429, rate_limit, Stripe-Should-Retry false, a request id; stripe-node raises StripeRateLimitError', async () => {
    h.emulator.rateLimitNext({ path: '/v1/prices' });
    const retrying = stripeOn(h.emulator, 2);
    const error = await stripeError(retrying.prices.list());
    expect(error).toBeInstanceOf(Stripe.errors.StripeRateLimitError);
    expect(error.statusCode).toBe(429);
    expect(error.rawType).toBe('invalid_request_error');
    expect(error.code).toBe('rate_limit');
    expect(error.doc_url).toBe('https://stripe.com/docs/error-codes/rate-limit');
    expect(error.message).toBe(
      'Testmode request rate limit exceeded, the rate limits in testmode are lower than livemode. You can learn more about rate limits here https://stripe.com/docs/rate-limits.',
    );
    expect(error.requestId).toMatch(/^req_[A-Za-z0-9]{14}$/);
    expect(error.headers?.['stripe-should-retry']).toBe('false');
    expect(error.headers?.['stripe-rate-limited-reason']).toBe('global-rate');
    // Stripe-Should-Retry: false → no retry even with maxNetworkRetries.
    expect(h.emulator.requests.filter((r) => r.path === '/v1/prices')).toHaveLength(1);
    await expect(retrying.prices.list()).resolves.toBeDefined();
  });

  it('count limits how many calls are refused', async () => {
    h.emulator.rateLimitNext({ method: 'GET', count: 2 });
    await stripeError(h.stripe.prices.list());
    await stripeError(h.stripe.prices.list());
    await expect(h.stripe.prices.list()).resolves.toBeDefined();
  });
});

describe('outages', () => {
  it('a 5xx fault is an api_error with a request-id header; stripe-node raises StripeAPIError', async () => {
    h.emulator.failNext({ path: '/v1/prices', status: 503 });
    const error = await stripeError(h.stripe.prices.list());
    expect(error).toBeInstanceOf(Stripe.errors.StripeAPIError);
    expect(error.statusCode).toBe(503);
    expect(error.rawType).toBe('api_error');
    expect(error.requestId).toMatch(/^req_/);
    expect(error.headers?.['request-id']).toBe(error.requestId);
  });

  it('setDown answers 500 api_error to every call until lifted', async () => {
    h.emulator.setDown(true);
    const error = await stripeError(h.stripe.customers.list({ limit: 1 }));
    expect(error.statusCode).toBe(500);
    expect(error.rawType).toBe('api_error');
    h.emulator.setDown(false);
    await expect(h.stripe.customers.list({ limit: 1 })).resolves.toBeDefined();
  });

  it('unknown routes are Stripe 404s', async () => {
    const response = await fetch(`${h.emulator.url}/v1/events`, {
      headers: { authorization: `Bearer ${h.emulator.apiKey}` },
    });
    expect(response.status).toBe(404);
    expect((await response.json<{ error: { message: string } }>()).error.message).toContain(
      'Unrecognized request URL (GET: /v1/events)',
    );
  });
});
