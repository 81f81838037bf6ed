/**
 * What the clean-up run and a customer's deletion need of each D1 table. Every table module (beside
 * the capability that owns it) implements what applies to it, and the composition root (`src/site.ts`)
 * lists them: a new table joins the clean-up by being listed there, not by editing a central store.
 */

/** A table whose rows expire: the hourly clean-up deletes those past their time. */
export interface ExpiringRows {
  /** The statement deleting rows expired at `nowMs` (run in one batch with the other tables'). */
  deleteExpired(nowMs: number): D1PreparedStatement;
}

/** A table holding rows about one customer: forgotten when Stripe confirms the customer deleted. */
export interface CustomerRows {
  /** The statement deleting every row of the customer (run in one batch with the other tables'). */
  deleteCustomer(customerId: string): D1PreparedStatement;
}

/** Deletes the expired rows of every table in one batch; returns how many rows went. */
export async function deleteExpiredRows(
  db: D1Database,
  tables: readonly ExpiringRows[],
  nowMs: number,
): Promise<number> {
  const results = await db.batch(tables.map((table) => table.deleteExpired(nowMs)));
  return results.reduce((sum, result) => sum + result.meta.changes, 0);
}

/** Deletes every row about a customer from every table in one batch (atomic: all or none). */
export async function deleteCustomerRows(
  db: D1Database,
  tables: readonly CustomerRows[],
  customerId: string,
): Promise<void> {
  await db.batch(tables.map((table) => table.deleteCustomer(customerId)));
}
