// SQLite compiles a statement's SQL each time it is prepared, and drizzle prepares every query anew: a signed-in page's
// dozen queries spent ~2 ms of its render in SQLite's compiler (the fleet query ~0.8 ms each time). A connection keeps
// its compiled statements by SQL text instead: a bounded number, the least recently used dropped first.
import type Database from "better-sqlite3";

/** Distinct SQL texts kept per connection: the app's queries are ~100; SQL with values written in it would be more. */
export const MAX_CACHED_STATEMENTS = 500;

/**
 * Makes `connection.prepare` hand out a statement compiled before for the same SQL, in its default state (rows as
 * objects: drizzle switches a statement to arrays with raw() and never back). A statement still busy (an unfinished
 * iterate()) is not shared: that call gets a fresh one.
 */
export function cacheStatements(connection: Database.Database, max = MAX_CACHED_STATEMENTS): void {
  const compile = connection.prepare.bind(connection);
  const statements = new Map<string, Database.Statement>();
  connection.prepare = ((sql: string) => {
    const known = statements.get(sql);
    if (known && !known.busy) {
      statements.delete(sql);
      statements.set(sql, known);
      if (known.reader) known.raw(false).pluck(false).expand(false);
      return known;
    }
    const statement = compile(sql);
    if (!known) {
      statements.set(sql, statement);
      if (statements.size > max) statements.delete(statements.keys().next().value!);
    }
    return statement;
  }) as typeof connection.prepare;
}
