// Small helpers over awaited drizzle queries, the same on every dialect.

/** The one row an INSERT … RETURNING of one row gives back (it always gives one back, or throws). */
export async function returnedRow<T>(query: PromiseLike<T[]>): Promise<T> {
  const [row] = await query;
  if (row === undefined) throw new Error("The statement returned no row.");
  return row;
}
