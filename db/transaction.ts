// One way to run statements all-or-nothing, with an async body, on every dialect the app runs on. On PostgreSQL that is
// drizzle's own transaction; the rest of this comment is about SQLite.
//
// Why not drizzle's `db.transaction(cb)`: on better-sqlite3 it refuses an async body (the driver is synchronous), and
// the data layer is async so the same code runs on PostgreSQL. So on SQLite a transaction is BEGIN IMMEDIATE / COMMIT /
// ROLLBACK on the one connection, and two rules keep that safe:
//   1. Transactions on a connection take turns (an async mutex): a second caller waits for COMMIT instead of issuing
//      BEGIN inside the first one's transaction.
//   2. The body must not yield to the event loop. drizzle's SQLite queries run synchronously and resolve as microtasks,
//      so a body that only awaits queries finishes within the macrotask that began it, and no other request's statements
//      (which are not behind the mutex) land inside the transaction. A body that awaits real I/O or a timer would let them
//      in, and hold the write lock while it waits: that is caught (a setImmediate scheduled at BEGIN has fired by
//      COMMIT), the transaction is rolled back and the caller gets an error saying so, so the mistake fails tests loudly.
//      Fetch, hash and read files before the transaction; write in it.
// A nested call (from inside a body, seen through AsyncLocalStorage) runs in a SAVEPOINT of the outer transaction: its
// failure rolls back its own writes only, and the outer body decides whether to go on.
import { AsyncLocalStorage } from "node:async_hooks";
import { Mutex } from "async-mutex";
import type { SQLiteInsertValue, SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Db } from "./client";
import type { PgDb } from "./client-pg";
import { databaseDialect } from "./config";

type Connection = Db["$client"];

const turns = new WeakMap<Connection, Mutex>();
/** The transaction the running body belongs to; `open` turns false at COMMIT/ROLLBACK (a promise the body left behind may run later). */
const current = new AsyncLocalStorage<{ connection: Connection; depth: number; open: boolean }>();

export class TransactionYieldedError extends Error {
  constructor() {
    super(
      "A database transaction's body waited on the event loop (I/O or a timer) between BEGIN and COMMIT; it was rolled back. " +
        "Do the slow work before inTransaction and only await queries inside it.",
    );
    this.name = "TransactionYieldedError";
  }
}

function turnsOf(connection: Connection): Mutex {
  let mutex = turns.get(connection);
  if (!mutex) turns.set(connection, (mutex = new Mutex()));
  return mutex;
}

/**
 * Runs `body` in one transaction on `db` (BEGIN IMMEDIATE: the write lock is taken up front, so a busy database fails
 * at BEGIN, where db/busy.ts can retry the whole call, never halfway). Commits when it resolves, rolls back when it
 * throws. The handle the body gets is a `Db` like any other: every query function runs inside or outside a transaction.
 */
export async function inTransaction<T>(db: Db, body: (tx: Db) => Promise<T>): Promise<T> {
  // PostgreSQL: a real transaction on one pooled connection (a nested call is a savepoint of it); the body may await.
  if (databaseDialect() === "postgres") return (db as unknown as PgDb).transaction((tx) => body(tx as unknown as Db));
  const connection = db.$client;
  const outer = current.getStore();
  if (outer?.open && outer.connection === connection) return inSavepoint(db, outer.depth + 1, body);
  return turnsOf(connection).runExclusive(async () => {
    connection.exec("BEGIN IMMEDIATE");
    const scope = { connection, depth: 0, open: true };
    let yielded = false;
    const watch = setImmediate(() => (yielded = true));
    try {
      const result = await current.run(scope, () => body(db));
      if (yielded) throw new TransactionYieldedError();
      connection.exec("COMMIT");
      return result;
    } catch (error) {
      if (connection.inTransaction) connection.exec("ROLLBACK");
      throw error;
    } finally {
      scope.open = false;
      clearImmediate(watch);
    }
  });
}

async function inSavepoint<T>(db: Db, depth: number, body: (tx: Db) => Promise<T>): Promise<T> {
  const connection = db.$client;
  const name = `nested_${depth}`;
  const scope = { connection, depth, open: true };
  connection.exec(`SAVEPOINT ${name}`);
  try {
    const result = await current.run(scope, () => body(db));
    connection.exec(`RELEASE ${name}`);
    return result;
  } catch (error) {
    connection.exec(`ROLLBACK TO ${name}`);
    connection.exec(`RELEASE ${name}`);
    throw error;
  } finally {
    scope.open = false;
  }
}

/** An insert made ready before a transaction, to run inside it (see prepareInsert). */
export type ReadyInsert = (tx: Db) => Promise<void>;

const INSERT_BATCH_ROWS = 200;

/**
 * Rows to insert inside a transaction, with their SQL built before it begins. On SQLite a transaction's whole body
 * holds the database's one write lock, and drizzle spends ~50 µs building each row's statement: saving a scan of 1,300
 * findings and 2,000 tools held the lock ~400 ms, and every other writer (a sign-off, the health probe) waited that
 * long. Prepared here, the statements (SQL and bound values) only run inside. On PostgreSQL, whose writers lock rows
 * and not the database, the rows are inserted in the transaction as built.
 */
export function prepareInsert<T extends SQLiteTable>(db: Db, table: T, rows: readonly SQLiteInsertValue<T>[]): ReadyInsert {
  const batches: SQLiteInsertValue<T>[][] = [];
  for (let i = 0; i < rows.length; i += INSERT_BATCH_ROWS) batches.push(rows.slice(i, i + INSERT_BATCH_ROWS));
  if (databaseDialect() === "postgres") {
    return async (tx) => {
      for (const batch of batches) await tx.insert(table).values(batch);
    };
  }
  const statements = batches.map((batch) => db.insert(table).values(batch).prepare());
  return async (tx) => {
    // Prepared statements belong to their connection: run on another, they would write outside the transaction.
    if (tx.$client !== db.$client)
      throw new Error("prepareInsert: the transaction runs on another connection than the one its statements were prepared on.");
    for (const statement of statements) statement.run();
  };
}
