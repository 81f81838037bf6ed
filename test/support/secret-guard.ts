/**
 * Vitest setup for integration tests: every response body the suite reads over HTTP is checked
 * for the configured secrets (a leak fails the test that caused it), and every request uses a
 * fresh connection: the site answers some bad requests (403, 405, 413) without reading their
 * body, the server then drops that connection, and a client that reuses it sees "other side closed".
 */
import { afterEach, expect } from 'vitest';
import { TEST_API_KEY, TEST_WEBHOOK_SECRET } from './stack.ts';

const SECRETS = [TEST_API_KEY, TEST_WEBHOOK_SECRET];
const leaks: string[] = [];
const originalFetch = globalThis.fetch;

globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
  const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
  headers.set('connection', 'close');
  const response = await originalFetch(input, { ...init, headers });
  const url = input instanceof Request ? input.url : String(input);
  // Only the site's answers matter; the emulator legitimately echoes keys it is given.
  if (!url.includes('/v1/') && !url.includes('/_test/')) {
    const body = await response.clone().text();
    for (const secret of SECRETS) if (body.includes(secret)) leaks.push(`${url} leaked a secret`);
    for (const [, value] of response.headers) for (const secret of SECRETS) if (value.includes(secret)) leaks.push(`${url} header leaked a secret`);
  }
  return response;
};

afterEach(() => {
  const found = leaks.splice(0);
  expect(found, 'responses must never contain STRIPE_API_KEY or STRIPE_WEBHOOK_SECRET').toEqual([]);
});
