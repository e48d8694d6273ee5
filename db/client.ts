// Opens SQLite once per process, applies the committed migrations, and hands out the drizzle client.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { databasePath, migrationsFolder } from "./config";
import * as schema from "./schema";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** Opens (creating if needed) and migrates a database file, or ":memory:". */
export function openDb(file: string, options: { migrationsFolder?: string } = {}): Db {
  if (file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("busy_timeout = 5000");
  const db = drizzle(sqlite, { schema });
  // SQLite's procedure for schema changes: foreign keys off while tables are rebuilt (so dropping a parent
  // table can't cascade into its children), then a full integrity check before they go back on.
  sqlite.pragma("foreign_keys = OFF");
  migrate(db, { migrationsFolder: options.migrationsFolder ?? migrationsFolder() });
  const violations = sqlite.pragma("foreign_key_check") as unknown[];
  if (violations.length > 0) throw new Error(`Database migration left ${violations.length} foreign key violations; refusing to start.`);
  sqlite.pragma("foreign_keys = ON");
  return db;
}

const globalForDb = globalThis as unknown as { launchReviewDb?: Db };

/** The process-wide database at DATABASE_PATH; cached on globalThis so dev reloads don't reopen it. */
export function getDb(): Db {
  globalForDb.launchReviewDb ??= openDb(databasePath());
  return globalForDb.launchReviewDb;
}

/** Replaces the process-wide database (tests, CLI). */
export function setDb(db: Db | undefined): void {
  globalForDb.launchReviewDb = db;
}

/** A fresh in-memory database with the real migrations applied. */
export function createTestDb(): Db {
  return openDb(":memory:");
}

/** A transaction handle, as drizzle passes it to `db.transaction(cb)`. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** Query helpers that may run inside a caller's transaction take either. */
export type DbOrTx = Db | Tx;
