/**
 * Real storage in the test process: Miniflare's local KV and D1 (the workerd implementations that
 * `wrangler dev` uses), in memory and fresh per call, with the schema of migrations/ applied.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Miniflare, convertV4MiniflareOptions } from 'miniflare';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { buildOwnerTables, type OwnerTables } from '../../src/owner-tables.ts';
import { buildTables, type Tables } from '../../src/tables.ts';

const MIGRATIONS = resolve(import.meta.dirname, '../../migrations');

export interface TestStorage {
  kv: KVNamespace;
  db: D1Database;
  dispose(): Promise<void>;
}

/** The statements of every migration, in order (comments dropped; one statement per `;` at a line end). */
function migrationStatements(): string[] {
  return readdirSync(MIGRATIONS)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .flatMap((file) =>
      readFileSync(join(MIGRATIONS, file), 'utf8')
        .replace(/--.*$/gm, '')
        .split(/;\s*$/m)
        .map((statement) => statement.trim())
        .filter(Boolean),
    );
}

export async function createTestStorage(): Promise<TestStorage> {
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      modules: true,
      script: 'export default {}',
      kvNamespaces: ['WSDEMO'],
      d1Databases: ['DB'],
    }),
  );
  const kv = (await mf.getKVNamespace('WSDEMO')) as unknown as KVNamespace;
  const db = (await mf.getD1Database('DB')) as unknown as D1Database;
  await db.batch(migrationStatements().map((statement) => db.prepare(statement)));
  return { kv, db, dispose: () => mf.dispose() };
}

/** Empties every table and key, for a fresh state between tests that share one storage. */
export async function clearStorage({ kv, db }: TestStorage): Promise<void> {
  for (const key of (await kv.list()).keys) await kv.delete(key.name);
  const { results } = await db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'",
    )
    .all<{ name: string }>();
  await db.batch(results.map(({ name }) => db.prepare(`DELETE FROM "${name}"`)));
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

/**
 * A database whose statements fail while `failing()` says so, as D1 does in an outage: every
 * `run`, `first`, `all`, `raw` and `batch` rejects with D1's kind of error.
 */
export function failingDb(db: D1Database, failing: () => boolean = () => true): D1Database {
  const outage = () => Promise.reject(new Error('D1_ERROR: Network connection lost.'));
  const statement = (inner: D1PreparedStatement): D1PreparedStatement =>
    new Proxy(inner, {
      get(target, property) {
        const value: unknown = Reflect.get(target, property);
        if (typeof value !== 'function') return value;
        const method = value as (...args: unknown[]) => unknown;
        if (property === 'bind')
          return (...args: unknown[]) => statement(method.apply(target, args) as D1PreparedStatement);
        if (['run', 'first', 'all', 'raw'].includes(String(property)))
          return (...args: unknown[]) => (failing() ? outage() : method.apply(target, args));
        return method.bind(target);
      },
    });
  const database: D1Database = new Proxy(db, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      if (property === 'prepare')
        return (query: string) => statement(method.call(target, query) as D1PreparedStatement);
      if (property === 'batch') return (...args: unknown[]) => (failing() ? outage() : method.apply(target, args));
      if (property === 'withSession') return () => database;
      return method.bind(target);
    },
  });
  return database;
}

/** Every KV key and every D1 row, for "wrote nothing" assertions. */
export async function storedState({ kv, db }: Pick<TestStorage, 'kv' | 'db'>): Promise<Record<string, unknown[]>> {
  const state: Record<string, unknown[]> = { kv: (await kv.list()).keys.map((key) => key.name) };
  const { results } = await db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name <> 'd1_migrations'",
    )
    .all<{ name: string }>();
  for (const { name } of results) state[name] = (await db.prepare(`SELECT * FROM "${name}"`).all()).results;
  return state;
}

/** True when nothing at all is stored. */
export async function isEmpty(storage: Pick<TestStorage, 'kv' | 'db'>): Promise<boolean> {
  return Object.values(await storedState(storage)).every((rows) => rows.length === 0);
}

/** Whether an event was applied (done), is being applied (claimed), or is unknown. */
export async function eventState(db: D1Database, eventId: string): Promise<'done' | 'claimed' | null> {
  const row = await db
    .prepare('SELECT done FROM processed_events WHERE event_id = ?')
    .bind(eventId)
    .first<{ done: number }>();
  return row ? (row.done === 1 ? 'done' : 'claimed') : null;
}

/**
 * Vitest hooks for a unit test file: one real storage for the file, emptied before each test, and a
 * site's tables on it (src/tables.ts, and the owner's: src/owner-tables.ts). Read `ctx.storage`,
 * `ctx.tables` and `ctx.owner` inside tests only.
 */
export function useTestStorage(): {
  readonly storage: TestStorage;
  readonly tables: Tables;
  readonly owner: OwnerTables;
} {
  let storage: TestStorage | undefined;
  let tables: Tables | undefined;
  let owner: OwnerTables | undefined;
  beforeAll(async () => {
    storage = await createTestStorage();
  });
  beforeEach(async () => {
    await clearStorage(storage!);
    tables = buildTables(storage!.db, storage!.kv);
    owner = buildOwnerTables(storage!.db, tables.viewerReads);
  });
  afterAll(() => storage?.dispose());
  return {
    get storage() {
      if (!storage) throw new Error('useTestStorage: read it inside a test');
      return storage;
    },
    get tables() {
      if (!tables) throw new Error('useTestStorage: read it inside a test');
      return tables;
    },
    get owner() {
      if (!owner) throw new Error('useTestStorage: read it inside a test');
      return owner;
    },
  };
}
