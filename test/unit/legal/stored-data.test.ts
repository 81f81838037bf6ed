import { describe, expect, it } from 'vitest';
import { STORED_TABLES, storedDataLines } from '../../../src/lib/legal/stored-data.ts';
import { useTestStorage } from '../../support/storage.ts';

const testStorage = useTestStorage();

/** Every table and its columns after all migrations, as D1 reports them. */
async function schema(db: D1Database): Promise<Map<string, string[]>> {
  const { results: tables } = await db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name <> 'd1_migrations'",
    )
    .all<{ name: string }>();
  const columns = new Map<string, string[]>();
  for (const { name } of tables) {
    const { results } = await db.prepare(`PRAGMA table_info("${name}")`).all<{ name: string }>();
    columns.set(
      name,
      results.map((column) => column.name),
    );
  }
  return columns;
}

describe('what the privacy policy says the shop stores', () => {
  it('names every table and every column of the migrated schema, and nothing that is not there', async () => {
    const actual = await schema(testStorage.storage.db);
    const declared = new Map(STORED_TABLES.map((table) => [table.table, [...table.columns]]));
    expect([...declared.keys()].sort()).toEqual([...actual.keys()].sort());
    for (const [table, columns] of actual) expect(declared.get(table)?.sort(), table).toEqual([...columns].sort());
  });

  it('gives each table a line in both languages, with how long it is kept', () => {
    const ja = storedDataLines('ja');
    const en = storedDataLines('en');
    expect(ja).toHaveLength(STORED_TABLES.length);
    expect(ja.every((line) => line.includes('保存期間：'))).toBe(true);
    expect(en.every((line) => line.includes('Kept: '))).toBe(true);
    expect(ja.join()).toContain('1年間');
    expect(ja.join()).toContain('30日間');
    expect(en.join()).toContain('4 days');
    expect(ja.join()).toContain('お届け先の氏名と住所');
  });
});
