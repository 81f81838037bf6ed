/**
 * Vitest setup for integration tests: every response body and header the suite reads from the site
 * is checked for the configured secrets; a leak fails the test that caused it.
 * The fetch wrapper is installed once per worker; the check runs after every test of every file.
 */
import { afterEach, expect } from 'vitest';
import { TEST_API_KEY, TEST_WEBHOOK_SECRET } from './stack.ts';

const key = Symbol.for('storefront.secret-guard');
const scope = globalThis as typeof globalThis & { [key]?: string[] };

if (!scope[key]) {
  const leaks: string[] = [];
  scope[key] = leaks;
  const secrets = [TEST_API_KEY, TEST_WEBHOOK_SECRET];
  const originalFetch = globalThis.fetch;
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const response = await originalFetch(input, init);
    const url = input instanceof Request ? input.url : String(input);
    // Only the site's answers matter; the emulator legitimately echoes keys it is given.
    if (!url.includes('/v1/')) {
      const body = await response.clone().text();
      for (const secret of secrets) if (body.includes(secret)) leaks.push(`${url} leaked a secret`);
      for (const [, value] of response.headers)
        for (const secret of secrets) if (value.includes(secret)) leaks.push(`${url} header leaked a secret`);
    }
    return response;
  };
}

afterEach(() => {
  const found = (scope[key] ?? []).splice(0);
  expect(found, 'responses must never contain STRIPE_API_KEY or STRIPE_WEBHOOK_SECRET').toEqual([]);
});
