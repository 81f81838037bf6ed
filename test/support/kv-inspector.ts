/**
 * Reads and writes the running worker's local KV from the test process: wrangler's platform proxy
 * opened on the same persistence directory (wrangler dev keeps KV under <persist-to>/v3).
 */
import { join, resolve } from 'node:path';
import { getPlatformProxy } from 'wrangler';

export interface KvInspector {
  kv: KVNamespace;
  /** Every key and value, for "KV unchanged" assertions. */
  snapshot(): Promise<Record<string, string | null>>;
  dispose(): Promise<void>;
}

export async function inspectKv(persistDir: string): Promise<KvInspector> {
  const proxy = await getPlatformProxy<{ WSDEMO: KVNamespace }>({
    configPath: resolve(import.meta.dirname, '../../wrangler.toml'),
    persist: { path: join(persistDir, 'v3') },
  });
  const kv = proxy.env.WSDEMO;
  return {
    kv,
    async snapshot() {
      const entries: Record<string, string | null> = {};
      let cursor: string | undefined;
      do {
        const page: KVNamespaceListResult<unknown, string> = await kv.list({ cursor });
        for (const key of page.keys) entries[key.name] = await kv.get(key.name);
        cursor = page.list_complete ? undefined : page.cursor;
      } while (cursor);
      return entries;
    },
    dispose: () => proxy.dispose(),
  };
}
