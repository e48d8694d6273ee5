// Each test gets its own empty database with the real migrations applied: in memory on SQLite; on Postgres (the
// integration suite's second run), a clone of the migrated template database in the run's cluster
// (test/support/postgres-suite.ts).
import { getTableName } from "drizzle-orm";
import pg from "pg";
import { inject } from "vitest";
import { createTestDb, setDb, type Db } from "@/db/client";
import { connectPg, type PgDb } from "@/db/client-pg";
import { databaseDialect } from "@/db/config";
import { TEMPLATE_DATABASE } from "./postgres-suite";

let clones = 0;
/** The pool of the previous test's database, ended when the next test starts. */
let previousPool: PgDb | undefined;

export async function useTestDb(): Promise<Db> {
  if (databaseDialect() !== "postgres") {
    const db = createTestDb();
    setDb(db);
    return db;
  }
  await closePreviousPool();
  const server = `postgres://postgres@127.0.0.1:${inject("postgresPort")}`;
  const name = `test_${process.pid}_${++clones}`;
  const admin = new pg.Client({ connectionString: `${server}/postgres` });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`);
  } finally {
    await admin.end();
  }
  // Code that reads DATABASE_URL itself (pg-boss, child processes) reaches the same database.
  process.env.DATABASE_URL = `${server}/${name}`;
  previousPool = connectPg(process.env.DATABASE_URL, { poolSize: 4 });
  const db = previousPool as unknown as Db;
  setDb(db);
  return db;
}

async function closePreviousPool(): Promise<void> {
  const pool = previousPool;
  previousPool = undefined;
  setDb(undefined);
  await pool?.$client.end().catch(() => {});
}

/** Records every insert built on `db` from now on: its table, and whether a transaction (SQLite's write lock) was open. */
export function recordInserts(db: Db): Array<{ table: string; locked: boolean }> {
  const built: Array<{ table: string; locked: boolean }> = [];
  const insert = db.insert.bind(db);
  db.insert = ((table: Parameters<Db["insert"]>[0]) => {
    built.push({ table: getTableName(table), locked: db.$client.inTransaction });
    return insert(table);
  }) as Db["insert"];
  return built;
}
