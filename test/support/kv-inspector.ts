/** Reads and writes the running worker's local KV from the test process (Miniflare's own binding). */

export interface KvInspector {
  kv: KVNamespace;
  /** Every key and value, for "KV unchanged" assertions. */
  snapshot(): Promise<Record<string, string | null>>;
}

export function inspectKv(kv: KVNamespace): KvInspector {
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
  };
}
