// The SQL that is not the same on SQLite and PostgreSQL, in one place: everything else in db/queries is written with
// drizzle's builders or with SQL both databases read alike. Each helper picks its form for the database this process
// runs on (db/config.ts).
import { sql, type SQL, type SQLWrapper } from "drizzle-orm";
import type { Db } from "./client";
import type { PgDb } from "./client-pg";
import { databaseDialect } from "./config";

const onPostgres = () => databaseDialect() === "postgres";

/** Runs a hand-written SELECT and returns its rows. */
export async function selectRows<T>(db: Db, query: SQL): Promise<T[]> {
  if (onPostgres()) return (await (db as unknown as PgDb).execute(query)).rows as T[];
  return db.all<T>(query);
}

/**
 * Joins each outer row to the row of `table` with the highest id among those whose `column` equals `outerColumn` and
 * that `filter` keeps (written on the alias `x`); an outer row with none drops out, as in an inner join. PostgreSQL
 * reads it as a LATERAL subquery, one backward index scan per outer row: joined on the subquery's max(id) instead,
 * its planner hashed the whole table on every request (the fleet dashboard's 25,000 scans: ~25 of its ~45 ms).
 * SQLite has no LATERAL, and looks the max(id) up per outer row by itself. Names are ours, never a user's.
 */
export function joinLatest(table: string, alias: string, column: string, outerColumn: string, filter: SQL): SQL {
  const [t, a, c, o] = [table, alias, column, outerColumn].map((name) => sql.raw(name)) as [SQL, SQL, SQL, SQL];
  return onPostgres()
    ? sql`CROSS JOIN LATERAL (SELECT * FROM ${t} x WHERE x.${c} = ${o} AND ${filter} ORDER BY x.id DESC LIMIT 1) ${a}`
    : sql`JOIN ${t} ${a} ON ${a}.${c} = ${o} AND ${a}.id = (SELECT max(x.id) FROM ${t} x WHERE x.${c} = ${o} AND ${filter})`;
}

/** Runs a hand-written statement that returns nothing (maintenance, test set-up). */
export async function executeStatement(db: Db, statement: SQL): Promise<void> {
  if (onPostgres()) await (db as unknown as PgDb).execute(statement);
  else db.run(statement);
}

/**
 * A timestamp column (or aliased column expression) as whole milliseconds since the epoch (an integer, so dividing
 * it divides as integers on both; PostgreSQL returns it as a string: read it with Number). SQLite stores
 * timestamps as those milliseconds already; PostgreSQL's timestamptz is converted.
 */
export function epochMs(column: SQLWrapper): SQL {
  return onPostgres() ? sql`(extract(epoch from ${column}) * 1000)::bigint` : sql`${column}`;
}

/** `path` ("$.source.package") as PostgreSQL's text-array path ('{source,package}'). */
function pgPath(path: string): string {
  if (!/^\$(\.[A-Za-z_][\w]*)+$/.test(path)) throw new Error(`Unsupported JSON path ${path}`);
  return `{${path.slice(2).split(".").join(",")}}`;
}

/** The JSON text of the value at `path` (like "$.source.package") inside a JSON column, or null; a string unquoted. */
export function jsonText(column: SQLWrapper, path: string): SQL<string | null> {
  return onPostgres() ? sql<string | null>`((${column})::jsonb #>> ${pgPath(path)})` : sql<string | null>`json_extract(${column}, ${path})`;
}

/** The number at `path` inside a JSON column, or null. */
export function jsonNumber(column: SQLWrapper, path: string): SQL<number | null> {
  return onPostgres()
    ? sql<number | null>`((${column})::jsonb #>> ${pgPath(path)})::float8`
    : sql<number | null>`json_extract(${column}, ${path})`;
}
