// Opens SQLite once per process, applies the committed migrations, and hands out the drizzle client.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { isDatabaseBusy } from "@/lib/core/errors";
import { connectPg, migratePg, type PgDb } from "./client-pg";
import { databasePath, databaseDialect, databaseUrl, integerFromEnv, migrationsFolder } from "./config";
import * as schema from "./schema-sqlite";
import { cacheStatements } from "./statement-cache";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/**
 * Creates the database file readable by its owner only (0600, like the key file), in a data folder only its owner
 * may enter (0700) when this creates it. SQLite gives the -wal and -shm files the database file's mode.
 */
export function prepareDatabaseFile(file: string): void {
  const dir = path.dirname(file);
  if (!fs.existsSync(dir)) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const fd = fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_RDWR, 0o600);
  try {
    if ((fs.fstatSync(fd).mode & 0o077) !== 0) fs.fchmodSync(fd, 0o600);
  } finally {
    fs.closeSync(fd);
  }
}

/** How long a statement waits for another process's write lock before SQLITE_BUSY (db/busy.ts retries writes). */
function busyTimeoutMs(): number {
  return integerFromEnv("LAUNCH_REVIEW_DB_BUSY_TIMEOUT_MS", 1000, 0);
}

/** Opens (creating if needed) and migrates a database file, or ":memory:". */
export function openDb(file: string, options: { migrationsFolder?: string } = {}): Db {
  if (file !== ":memory:") prepareDatabaseFile(file);
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma(`busy_timeout = ${busyTimeoutMs()}`);
  const db = drizzle(sqlite, { schema });
  // SQLite's procedure for schema changes: foreign keys off while tables are rebuilt (so dropping a parent
  // table can't cascade into its children), then a full integrity check before they go back on.
  sqlite.pragma("foreign_keys = OFF");
  migrate(db, { migrationsFolder: options.migrationsFolder ?? migrationsFolder() });
  const violations = sqlite.pragma("foreign_key_check") as unknown[];
  if (violations.length > 0) throw new Error(`Database migration left ${violations.length} foreign key violations; refusing to start.`);
  sqlite.pragma("foreign_keys = ON");
  cacheStatements(sqlite);
  return db;
}

const globalForDb = globalThis as unknown as { launchReviewDb?: Db };

/**
 * The process-wide database: PostgreSQL at DATABASE_URL, else SQLite at DATABASE_PATH; cached on globalThis so dev
 * reloads don't reopen it. On Postgres the client is typed as the SQLite one (see db/schema.ts for why that holds);
 * its migrations run in prepareDatabase, which every process awaits before its first query.
 */
export function getDb(): Db {
  globalForDb.launchReviewDb ??= databaseDialect() === "postgres" ? (connectPg(databaseUrl()) as unknown as Db) : openDb(databasePath());
  return globalForDb.launchReviewDb;
}

/** Opens the database and applies its migrations: first thing in the app's startup, workers and CLI commands. */
export async function prepareDatabase(): Promise<Db> {
  if (databaseDialect() === "postgres") await migratePg(databaseUrl());
  return getDb();
}

export interface DatabaseHealth {
  /** ok: reads and writes work; busy: another process holds the write lock (reads still work); unavailable: no answer. */
  state: "ok" | "busy" | "unavailable";
  error?: string;
}

/** PostgreSQL: one read through the pool, given two seconds (the pool's own wait for a connection is longer). */
async function postgresHealth(db: PgDb): Promise<DatabaseHealth> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("timeout")), 2000);
  });
  try {
    await Promise.race([db.$client.query("select 1"), timeout]);
    return { state: "ok" };
  } catch {
    return { state: "unavailable", error: "the database does not answer" };
  } finally {
    clearTimeout(timer);
  }
}

const HEALTH_PROBE_RETRY_MS = 25;

/** Takes and releases the write lock at once; false when another connection holds it. */
function tryWriteLock(db: Database.Database): boolean {
  try {
    db.exec("BEGIN IMMEDIATE");
    db.exec("ROLLBACK");
    return true;
  } catch (error) {
    if (db.inTransaction) db.exec("ROLLBACK");
    if (isDatabaseBusy(error)) return false;
    throw error;
  }
}

const globalForProbe = globalThis as unknown as { launchReviewDbProbe?: { file: string; db: Database.Database } };

/**
 * The database's state: a read on the app's connection, then a write-lock probe (BEGIN IMMEDIATE, rolled back at once)
 * on a second connection. The probe itself never blocks the event loop; a lock it meets is asked about again until
 * the busy timeout has passed, because a write waits that long before failing: a scan thread saving its results holds
 * the lock for a moment, and that is not an outage. Busy means a write made now would fail.
 */
export async function databaseHealth(): Promise<DatabaseHealth> {
  if (databaseDialect() === "postgres") return postgresHealth(getDb() as unknown as PgDb);
  try {
    const db = getDb();
    db.$client.prepare("select 1").get();
    const file = db.$client.name;
    if (file === ":memory:" || db.$client.memory) return { state: "ok" };
    let probe = globalForProbe.launchReviewDbProbe;
    if (!probe || probe.file !== file) {
      probe?.db.close();
      probe = { file, db: new Database(file, { fileMustExist: true, timeout: 0 }) };
      globalForProbe.launchReviewDbProbe = probe;
    }
    const giveUpAt = Date.now() + busyTimeoutMs();
    while (!tryWriteLock(probe.db)) {
      if (Date.now() >= giveUpAt) return { state: "busy", error: "another connection holds the write lock; reads work, writes wait" };
      await new Promise((resolve) => setTimeout(resolve, HEALTH_PROBE_RETRY_MS));
    }
    return { state: "ok" };
  } catch (error) {
    return { state: "unavailable", error: isDatabaseBusy(error) ? "locked" : "the database does not answer" };
  }
}

/** Replaces the process-wide database (tests, CLI). */
export function setDb(db: Db | undefined): void {
  globalForDb.launchReviewDb = db;
}

/** A fresh in-memory database with the real migrations applied. */
export function createTestDb(): Db {
  return openDb(":memory:");
}
