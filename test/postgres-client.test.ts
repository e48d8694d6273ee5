// openPgDb against a real PostgreSQL (test/support/postgres.ts): the migrations, the append-only audit log, the pool's
// limits, and rows that come back with the JavaScript types SQLite gives them.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq, getTableName, sql } from "drizzle-orm";
import { getTableConfig } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "@/db/client";
import { closePgDb, openPgDb, type PgDb } from "@/db/client-pg";
import * as sqliteSchema from "@/db/schema";
import { LAG_LEVELS } from "@/lib/core/types";
import * as pgSchema from "@/db/schema-pg";
import { migrationsBefore } from "./support/migrations";
import { postgresForThisFile } from "./support/postgres-file";
import { tablesOf } from "./support/table-description";

const journal = JSON.parse(fs.readFileSync(path.resolve("db/migrations-pg/meta/_journal.json"), "utf8")) as { entries: unknown[] };
const postgres = postgresForThisFile();
let db: PgDb;

beforeAll(async () => {
  db = await openPgDb(postgres.url());
});
afterAll(async () => {
  await closePgDb(db);
});

/** drizzle wraps the driver's error: what Postgres said is its cause. */
const postgresError = (code: string, message: RegExp) => ({
  cause: expect.objectContaining({ code, message: expect.stringMatching(message) }),
});

async function appliedMigrations(on: PgDb): Promise<number> {
  const { rows } = await on.execute<{ n: number }>(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
  return rows[0]!.n;
}

describe("openPgDb", () => {
  it("creates every table of the Postgres schema in an empty database", async () => {
    const { rows } = await db.execute<{ name: string }>(
      sql`select table_name as name from information_schema.tables where table_schema = 'public' order by table_name`,
    );
    expect(rows.map((row) => row.name)).toEqual([...tablesOf(pgSchema).keys()].sort());
    expect(journal.entries.length).toBeGreaterThanOrEqual(2);
    expect(await appliedMigrations(db)).toBe(journal.entries.length);
  });

  it("creates the columns db/schema-pg.ts declares: the migrations are generated from the schema as it is now", async () => {
    const { rows } = await db.execute<{ table: string; column: string; type: string; nullable: string }>(
      sql`select table_name as table, column_name as column, data_type as type, is_nullable as nullable
          from information_schema.columns where table_schema = 'public'`,
    );
    const inDatabase = rows.map((row) => `${row.table}.${row.column} ${row.type}${row.nullable === "NO" ? " not null" : ""}`).sort();
    const declared = [...tablesOf(pgSchema).values()]
      .flatMap((table) =>
        getTableConfig(table as typeof pgSchema.auditLog).columns.map((column) => {
          const type = column.getSQLType().replace(/^timestamp \(3\) with time zone$/, "timestamp with time zone");
          return `${getTableName(table)}.${column.name} ${type}${column.notNull ? " not null" : ""}`;
        }),
      )
      .sort();
    expect(inDatabase).toEqual(declared);
  });

  it("applies nothing a second time, and keeps the rows", async () => {
    await db.insert(pgSchema.teams).values({ name: "Kept" });
    const again = await openPgDb(postgres.url());
    try {
      expect(await appliedMigrations(again)).toBe(journal.entries.length);
      expect(await again.select({ name: pgSchema.teams.name }).from(pgSchema.teams).where(eq(pgSchema.teams.name, "Kept"))).toEqual([
        { name: "Kept" },
      ]);
    } finally {
      await closePgDb(again);
    }
  });

  it("migrates once when several processes start on an empty database together", async () => {
    const url = await postgres.cluster().createDatabase();
    const opened = await Promise.all([openPgDb(url), openPgDb(url), openPgDb(url)]);
    try {
      expect(await appliedMigrations(opened[0]!)).toBe(journal.entries.length);
    } finally {
      await Promise.all(opened.map(closePgDb));
    }
  });

  it("weighs the watched packages of scans stored before the fleet kept each scan's lag risk, on upgrade", async () => {
    const url = await postgres.cluster().createDatabase();
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "lr-pg-mig-"));
    try {
      const migrationsFolder = migrationsBefore(
        path.resolve("db/migrations-pg"),
        path.join(folder, "migrations"),
        /^0002_fleet_risk_and_version$/,
      );
      const old = await openPgDb(url, { migrationsFolder });
      await old.execute(sql`insert into teams (name) values ('T')`);
      await old.execute(sql`insert into connectors (name, source_kind, location, team_id) values ('Old', 'local', '/x', 1)`);
      for (const known of [true, false]) {
        const { rows } = await old.execute<{ id: number }>(
          sql`insert into scans (connector_id, correlation_id, status, advisories_known) values (1, 'c', 'succeeded', ${known}) returning id`,
        );
        // One package at each lag, named after it (as test/migrations.test.ts does on SQLite).
        for (const lag of LAG_LEVELS)
          await old.execute(sql`insert into scan_packages (scan_id, connector_id, package, version, lag, advisories)
            values (${rows[0]!.id}, 1, ${lag}, '1.0.0', ${lag}, '[]')`);
      }
      await closePgDb(old);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
    const upgraded = await openPgDb(url);
    try {
      const { rows } = await upgraded.execute<{ risk: number }>(sql`select watched_lag_risk as risk from scans order by id`);
      expect(rows).toEqual([{ risk: 112 }, { risk: 100 }]);
    } finally {
      await closePgDb(upgraded);
    }
  });

  it("bounds the pool and cancels statements that run past the timeout", async () => {
    const limited = await openPgDb(postgres.url(), { poolSize: 3, statementTimeoutMs: 200 });
    try {
      expect(limited.$client.options.max).toBe(3);
      await expect(limited.execute(sql`select pg_sleep(2)`)).rejects.toMatchObject(postgresError("57014", /statement timeout/));
      expect((await limited.execute<{ one: number }>(sql`select 1 as one`)).rows).toEqual([{ one: 1 }]);
    } finally {
      await closePgDb(limited);
    }
  });
});

describe("the audit log on Postgres", () => {
  it("takes new entries and refuses to update, delete or truncate them", async () => {
    const [entry] = await db
      .insert(pgSchema.auditLog)
      .values({ actor: "u1", action: "connector.create", targetType: "connector", correlationId: "c1", prevHash: "0", hash: "h1" })
      .returning();
    const audit = pgSchema.auditLog;
    const refused = postgresError("P0001", /audit_log is append-only/);
    await expect(db.update(audit).set({ actor: "someone else" }).where(eq(audit.id, entry!.id))).rejects.toMatchObject(refused);
    await expect(db.delete(audit).where(eq(audit.id, entry!.id))).rejects.toMatchObject(refused);
    await expect(db.execute(sql`truncate audit_log`)).rejects.toMatchObject(refused);
    expect(await db.select().from(audit).where(eq(audit.id, entry!.id))).toEqual([entry]);
  });
});

/** Each value's kind as a caller sees it: what must match between the two databases even where values can't. */
function kinds(row: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(row).map(([key, value]) => [
      key,
      value === null ? "null" : value instanceof Date ? "Date" : Array.isArray(value) ? "array" : typeof value,
    ]),
  );
}

describe("rows written and read through drizzle", () => {
  const sqlite = createTestDb();
  afterAll(() => sqlite.$client.close());
  const at = new Date("2025-03-04T05:06:07.089Z");

  /** Inserts the same values into both databases; returns the row each one reads back. */
  async function roundTrip<K extends "user" | "teams" | "connectors" | "scans" | "auditLog">(
    table: K,
    values: (typeof sqliteSchema)[K]["$inferInsert"],
  ): Promise<{ fromSqlite: Record<string, unknown>; fromPostgres: Record<string, unknown> }> {
    // Both tables share their columns (test/schema-drift.test.ts); drizzle's types can't see that across dialects.
    const sqliteTable = sqliteSchema[table] as typeof sqliteSchema.auditLog;
    const pgTable = pgSchema[table] as unknown as typeof pgSchema.auditLog;
    sqlite
      .insert(sqliteTable)
      .values(values as typeof sqliteTable.$inferInsert)
      .run();
    await db.insert(pgTable).values(values as typeof pgTable.$inferInsert);
    const fromSqlite = sqlite.select().from(sqliteTable).all().at(-1)!;
    const [fromPostgres] = await db
      .select()
      .from(pgTable)
      .orderBy(sql`1 desc`)
      .limit(1);
    return { fromSqlite, fromPostgres: fromPostgres! };
  }

  it("give back users with booleans, Dates and defaults as SQLite does", async () => {
    const { fromSqlite, fromPostgres } = await roundTrip("user", {
      id: "u1",
      name: "Ada",
      email: "ada@example.com",
      emailVerified: true,
      updatedAt: at,
    });
    expect(kinds(fromPostgres)).toEqual(kinds(fromSqlite));
    expect(fromPostgres).toMatchObject({ emailVerified: true, isAdmin: false, disabled: false, updatedAt: at });
    const { createdAt: pgCreated, ...pgRest } = fromPostgres;
    const { createdAt: sqliteCreated, ...sqliteRest } = fromSqlite;
    expect(pgRest).toEqual(sqliteRest);
    // The insert time, filled in by each database's default.
    for (const created of [pgCreated, sqliteCreated]) expect(Math.abs(Date.now() - (created as Date).getTime())).toBeLessThan(60_000);
  });

  it("give back teams, connectors and scans with ids, json and Dates as SQLite does", async () => {
    await roundTrip("teams", { id: 7, name: "Platform", createdAt: at });
    const connector = await roundTrip("connectors", {
      id: 3,
      teamId: 7,
      name: "Notes",
      sourceKind: "npm",
      location: "@acme/notes",
      createdAt: at,
    });
    expect(connector.fromPostgres).toEqual(connector.fromSqlite);
    expect(connector.fromPostgres).toMatchObject({ ref: null, subdirectory: "", scanIntervalMinutes: 1440, createdBy: "system" });

    const scan = await roundTrip("scans", {
      connectorId: 3,
      status: "succeeded",
      progress: { stage: "done", message: "Done", files: 12 },
      stats: { files: 12, bytes: 3400 },
      queuedAt: at,
      startedAt: at,
      finishedAt: new Date(at.getTime() + 1500),
      durationMs: 1500,
      high: 2,
      advisoriesKnown: false,
      correlationId: "c2",
    });
    expect(scan.fromPostgres).toEqual({ ...scan.fromSqlite, id: scan.fromPostgres.id });
    expect(scan.fromPostgres).toMatchObject({
      progress: { stage: "done", message: "Done", files: 12 },
      advisoriesKnown: false,
      critical: 0,
    });
  });

  it("give back audit entries with their details parsed", async () => {
    const details = { before: { name: "Old" }, after: { name: "New" }, scans: [1, 2], note: null };
    const entry = await roundTrip("auditLog", {
      at,
      actor: "u1",
      action: "connector.rename",
      targetType: "connector",
      targetId: "3",
      correlationId: "c3",
      details,
      prevHash: "h0",
      hash: "h1",
    });
    expect({ ...entry.fromPostgres, id: 0 }).toEqual({ ...entry.fromSqlite, id: 0 });
    expect(entry.fromPostgres.details).toEqual(details);
  });
});
