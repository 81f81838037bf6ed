/**
 * Vitest setup for integration tests: every request uses a fresh connection. The site answers some
 * bad requests (403, 405, 413, 415) without reading their body; the server then drops that
 * connection, and a client that reuses it sees "other side closed".
 * Installed once per worker (test files share it: the integration project does not isolate them).
 */
const installed = Symbol.for('storefront.fresh-connections');
const scope = globalThis as typeof globalThis & { [installed]?: true };

if (!scope[installed]) {
  scope[installed] = true;
  const originalFetch = globalThis.fetch;
  globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    headers.set('connection', 'close');
    return originalFetch(input, { ...init, headers });
  };
}
