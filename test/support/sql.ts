// Hand-written SQL in tests (set-up a query function doesn't offer, like ageing a scan), run on whichever database the
// suite runs on. Values go in as drizzle parameters; `at` turns epoch milliseconds into the database's timestamp.
import type { SQL } from "drizzle-orm";
import { getDb } from "@/db/client";
import { databaseDialect } from "@/db/config";
import { executeStatement, selectRows } from "@/db/dialect";

export function testRows<T>(query: SQL): Promise<T[]> {
  return selectRows<T>(getDb(), query);
}

export function testExec(statement: SQL): Promise<void> {
  return executeStatement(getDb(), statement);
}

/** A point in time as a statement parameter: milliseconds on SQLite, a Date on PostgreSQL. */
export function at(epochMs: number): number | Date {
  return databaseDialect() === "postgres" ? new Date(epochMs) : epochMs;
}

/** A boolean as a statement parameter: 1 or 0 on SQLite (it has no boolean to bind), true or false on PostgreSQL. */
export function flag(value: boolean): number | boolean {
  return databaseDialect() === "postgres" ? value : value ? 1 : 0;
}

/** Runs an INSERT … RETURNING id (both databases have it) and gives the new row's id. */
export async function insertedId(statement: SQL): Promise<number> {
  const [row] = await testRows<{ id: number }>(statement);
  if (!row) throw new Error("The insert returned no row.");
  return Number(row.id);
}
