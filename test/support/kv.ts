/**
 * A real KV namespace for unit tests: wrangler's platform proxy gives the same local KV
 * implementation (workerd) that `wrangler dev` uses, here in memory, fresh per call.
 */
import { resolve } from 'node:path';
import { getPlatformProxy } from 'wrangler';

export interface TestKv {
  kv: KVNamespace;
  dispose(): Promise<void>;
}

export async function createTestKv(): Promise<TestKv> {
  const proxy = await getPlatformProxy<{ WSDEMO: KVNamespace }>({
    configPath: resolve(import.meta.dirname, '../../wrangler.toml'),
    persist: false,
  });
  return { kv: proxy.env.WSDEMO, dispose: () => proxy.dispose() };
}
