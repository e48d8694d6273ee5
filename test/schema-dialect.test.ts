// db/schema.ts hands query code the tables of the database this process runs on: every SQLite table is there, and
// with DATABASE_URL=postgres://… the same names hold the Postgres tables.
import { is } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import { SQLiteTable } from "drizzle-orm/sqlite-core";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as sqlite from "@/db/schema-sqlite";

const sqliteTables = Object.entries(sqlite).filter(([, value]) => is(value, SQLiteTable)).map(([name]) => name).sort();

describe("db/schema.ts", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it("exports every SQLite table on SQLite", async () => {
    vi.stubEnv("DATABASE_URL", "");
    const schema = (await import("@/db/schema")) as Record<string, unknown>;
    expect(sqliteTables.length).toBeGreaterThan(20);
    for (const name of sqliteTables) expect(is(schema[name], SQLiteTable), name).toBe(true);
  });

  it("exports the Postgres twin of every table on Postgres", async () => {
    vi.stubEnv("DATABASE_URL", "postgres://db.example/launch_review");
    vi.resetModules();
    const schema = (await import("@/db/schema")) as Record<string, unknown>;
    for (const name of sqliteTables) expect(is(schema[name], PgTable), name).toBe(true);
  });
});
