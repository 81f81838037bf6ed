/**
 * A real KV namespace in the test process: wrangler's platform proxy gives the same local KV
 * implementation (workerd) that `wrangler dev` uses. In memory and fresh per call, or, given a
 * directory, the persisted KV that a running worker uses too.
 */
import { resolve } from 'node:path';
import { getPlatformProxy } from 'wrangler';

export interface TestKv {
  kv: KVNamespace;
  dispose(): Promise<void>;
}

export async function createTestKv(persistPath?: string): Promise<TestKv> {
  const proxy = await getPlatformProxy<{ WSDEMO: KVNamespace }>({
    configPath: resolve(import.meta.dirname, '../../wrangler.toml'),
    persist: persistPath ? { path: persistPath } : false,
  });
  return { kv: proxy.env.WSDEMO, dispose: () => proxy.dispose() };
}
