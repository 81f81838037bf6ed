/**
 * What an earlier (KV-only) version left in KV. Its bindings were keyed by the cookie's own value,
 * which Stripe, storage and embed pages exposed, so they are not carried over (a subscriber proves
 * the e-mail once with a sign-in link); the hourly run deletes them, then records in D1 `meta` that
 * none is left and stops listing.
 */
export const LEGACY_KV_PREFIXES = [
  'visitor:',
  'customer-visitor:',
  'declared-email:',
  'checkout:',
  'subscription:',
  'event:',
] as const;

/** `meta` row set once the KV keys of an earlier version are all deleted. */
const LEGACY_DELETED = 'legacy_kv_deleted';

/** Deletes up to `limit` keys an earlier version left in KV. Returns how many it deleted, and whether none is left. */
export async function deleteLegacyKvKeys(
  storage: { kv: KVNamespace; db: D1Database },
  limit: number,
  now: () => number = Date.now,
): Promise<{ deleted: number; done: boolean }> {
  const { kv, db } = storage;
  const marker = await db.prepare('SELECT value FROM meta WHERE name = ?').bind(LEGACY_DELETED).first();
  if (marker) return { deleted: 0, done: true };
  let deleted = 0;
  for (const prefix of LEGACY_KV_PREFIXES) {
    const page = await kv.list({ prefix, limit: limit - deleted });
    for (const key of page.keys) await kv.delete(key.name);
    deleted += page.keys.length;
    if (deleted >= limit) return { deleted, done: false };
  }
  if (deleted === 0)
    await db
      .prepare('INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING')
      .bind(LEGACY_DELETED, new Date(now()).toISOString())
      .run();
  return { deleted, done: deleted === 0 };
}
