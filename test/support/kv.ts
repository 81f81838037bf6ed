/**
 * A real KV namespace in the test process: Miniflare's local KV (the workerd implementation that
 * `wrangler dev` uses), in memory and fresh per call.
 */
import { Miniflare, convertV4MiniflareOptions } from 'miniflare';

export interface TestKv {
  kv: KVNamespace;
  dispose(): Promise<void>;
}

export async function createTestKv(): Promise<TestKv> {
  const mf = new Miniflare(
    convertV4MiniflareOptions({ modules: true, script: 'export default {}', kvNamespaces: ['WSDEMO'] }),
  );
  const kv = (await mf.getKVNamespace('WSDEMO')) as unknown as KVNamespace;
  return { kv, dispose: () => mf.dispose() };
}

/** A namespace whose writes (put and delete) fail for the keys `fails` picks, as KV does in an outage. */
export function failingKv(kv: KVNamespace, fails: (key: string) => boolean = () => true): KVNamespace {
  return new Proxy(kv, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      if (property === 'put' || property === 'delete') {
        return (key: string, ...rest: unknown[]) =>
          fails(key)
            ? Promise.reject(new Error(`KV ${property} failed for ${key}`))
            : method.call(target, key, ...rest);
      }
      return method.bind(target);
    },
  });
}
