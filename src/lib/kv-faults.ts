/**
 * Test-only fault injection for KV writes. site.ts installs it only when TEST_FAULT_INJECTION=true
 * AND STRIPE_API_BASE is a loopback address (lib/config.ts), so a deployed shop can never have it.
 * The test harness's fake Stripe serves the list of keys whose writes must fail.
 */

/** Path on the fake Stripe that lists keys whose `put` must throw: `{"failPuts":["visitor:abc"]}`. */
export const KV_FAULTS_PATH = '/_test/kv-faults';

async function failingKeys(apiBase: URL): Promise<string[]> {
  const response = await fetch(new URL(KV_FAULTS_PATH, apiBase));
  if (!response.ok) return [];
  const body = (await response.json()) as { failPuts?: unknown };
  return Array.isArray(body.failPuts) ? body.failPuts.filter((key): key is string => typeof key === 'string') : [];
}

/** Wraps a namespace so that `put` throws for the keys the fake Stripe lists. */
export function withKvFaults(kv: KVNamespace, apiBase: URL): KVNamespace {
  return new Proxy(kv, {
    get(target, property, receiver) {
      if (property === 'put') {
        return async (key: string, ...rest: unknown[]) => {
          if ((await failingKeys(apiBase)).includes(key)) throw new Error(`injected KV fault for ${key}`);
          return (target.put as (...args: unknown[]) => Promise<void>)(key, ...rest);
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
