// The SQL that is not the same on SQLite and PostgreSQL, in one place: everything else in db/queries is written with
// drizzle's builders or with SQL both databases read alike. Each helper says what its PostgreSQL form will be, so the
// Postgres variant is added here and nowhere else.
import { sql, type SQL, type SQLWrapper } from "drizzle-orm";
import type { Db } from "./client";

/** Runs a hand-written SELECT and returns its rows. (PostgreSQL: `(await db.execute(query)).rows`.) */
export async function selectRows<T>(db: Db, query: SQL): Promise<T[]> {
  return db.all<T>(query);
}

/**
 * A timestamp column (or aliased column expression) as milliseconds since the epoch. SQLite stores timestamps as those
 * milliseconds already. (PostgreSQL: `(extract(epoch from x) * 1000)::bigint`.)
 */
export function epochMs(column: SQLWrapper): SQL {
  return sql`${column}`;
}

/**
 * The JSON text of the value at `path` (like "$.source.package") inside a JSON column, or null; a string comes back
 * unquoted. (PostgreSQL: `x #>> '{source,package}'`, on jsonb.)
 */
export function jsonText(column: SQLWrapper, path: string): SQL<string | null> {
  return sql<string | null>`json_extract(${column}, ${path})`;
}

/** The number at `path` inside a JSON column, or null. (PostgreSQL: `(x #>> '{connectorId}')::numeric`.) */
export function jsonNumber(column: SQLWrapper, path: string): SQL<number | null> {
  return sql<number | null>`json_extract(${column}, ${path})`;
}
