// Opens PostgreSQL (DATABASE_URL=postgres://…): a bounded pool, the committed Postgres migrations applied at startup,
// and the drizzle client over the Postgres schema. openDb (db/client.ts) is the SQLite twin.
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { integerFromEnv, pgMigrationsFolder } from "./config";
import * as schema from "./schema-pg";

export type PgDb = NodePgDatabase<typeof schema> & { $client: pg.Pool };

export interface PgOptions {
  migrationsFolder?: string;
  /** Connections per process; web and worker processes each hold a pool, and the server's max_connections is shared. */
  poolSize?: number;
  /** A statement running longer is cancelled by the server, so a runaway query can't hold a connection for good. */
  statementTimeoutMs?: number;
}

/** Any process that migrates takes this lock first: web and workers starting together apply each migration once. */
const MIGRATION_LOCK_KEY = 0x4c52_6d67; // "LRmg"

/**
 * Applies the migrations on a connection of its own, without the pool's statement timeout (an index on a big table
 * may take longer), holding an advisory lock so concurrent startups wait for each other instead of racing.
 */
export async function migratePg(url: string, migrationsFolder = pgMigrationsFolder()): Promise<void> {
  const client = new pg.Client({ connectionString: url, application_name: "launch-review migrate" });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    try {
      await migrate(drizzle(client), { migrationsFolder });
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await client.end();
  }
}

/** Migrates the database at `url` and returns a drizzle client over a bounded pool. Close it with closePgDb. */
export async function openPgDb(url: string, options: PgOptions = {}): Promise<PgDb> {
  await migratePg(url, options.migrationsFolder ?? pgMigrationsFolder());
  return connectPg(url, options);
}

/** A drizzle client over a bounded pool, without migrating (connections open on first use): see migratePg. */
export function connectPg(url: string, options: Omit<PgOptions, "migrationsFolder"> = {}): PgDb {
  const pool = new pg.Pool({
    connectionString: url,
    application_name: "launch-review",
    max: options.poolSize ?? integerFromEnv("LAUNCH_REVIEW_PG_POOL_SIZE", 10, 1),
    statement_timeout: options.statementTimeoutMs ?? integerFromEnv("LAUNCH_REVIEW_PG_STATEMENT_TIMEOUT_MS", 30_000, 1),
    // Waiting longer than this for a free connection means the pool is too small or the server is gone: say so.
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle connection the server drops (restart, failover) emits here; the pool has already discarded it and the
  // next query opens a new one. Without a listener the error would end the process.
  pool.on("error", () => {});
  return drizzle(pool, { schema });
}

export async function closePgDb(db: PgDb): Promise<void> {
  await db.$client.end();
}
