/**
 * Reads and writes the running worker's local KV from the test process: wrangler's platform proxy
 * opened on the same persistence directory (wrangler dev keeps KV under <persist-to>/v3).
 */
import { join } from 'node:path';
import { createTestKv } from './kv.ts';

export interface KvInspector {
  kv: KVNamespace;
  /** Every key and value, for "KV unchanged" assertions. */
  snapshot(): Promise<Record<string, string | null>>;
  dispose(): Promise<void>;
}

export async function inspectKv(persistDir: string): Promise<KvInspector> {
  const { kv, dispose } = await createTestKv(join(persistDir, 'v3'));
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
    dispose,
  };
}
