// Column helpers shared by the Postgres tables: they give the JavaScript types the SQLite columns give.
import { sql } from "drizzle-orm";
import { integer, timestamp } from "drizzle-orm/pg-core";

/**
 * A Date column. SQLite keeps milliseconds since the epoch; precision 3 keeps exactly that much here, so a Date
 * read back and compared in SQL (`at > $1`) matches the stored value instead of losing to its microseconds.
 */
export const timestampMs = (column: string) => timestamp(column, { withTimezone: true, mode: "date", precision: 3 });

/**
 * A Date that defaults to the insert time. statement_timestamp(), not now(): SQLite's default is the time of the
 * statement, while now() would give every row of a transaction the transaction's start.
 */
export const timestampNow = (column: string) =>
  timestampMs(column)
    .notNull()
    .default(sql`statement_timestamp()`);

/**
 * SQLite's `integer primary key autoincrement`. By default rather than always: inserts may leave the id out or
 * (like SQLite) give one, and drizzle's insert type keeps `id?: number` as it is for SQLite.
 */
export const serialId = (column: string) => integer(column).primaryKey().generatedByDefaultAsIdentity();
