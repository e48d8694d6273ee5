// For a test file: a throwaway PostgreSQL of its own (test/support/postgres.ts), started before its tests and gone
// after. Apart from postgres.ts so scripts (the e2e run's server) can start a cluster without vitest.
import { afterAll, beforeAll } from "vitest";
import { startPostgresCluster, type PostgresCluster } from "./postgres";

/**
 * For a test file: a cluster of its own started before its tests, a fresh database for it, and both gone after.
 * Read `url()` inside tests or hooks (it is set once beforeAll ran).
 */
export function postgresForThisFile(): { url(): string; cluster(): PostgresCluster } {
  let cluster: PostgresCluster | undefined;
  let url: string | undefined;
  beforeAll(async () => {
    cluster = await startPostgresCluster();
    url = await cluster.createDatabase();
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
  });
  return {
    url: () => url ?? raise("The Postgres database is made in beforeAll; read its URL inside a test or hook."),
    cluster: () => cluster ?? raise("The Postgres cluster starts in beforeAll."),
  };
}

function raise(message: string): never {
  throw new Error(message);
}
