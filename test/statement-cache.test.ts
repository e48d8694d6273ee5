// The SQLite connection keeps its compiled statements by SQL text (db/statement-cache.ts): drizzle prepares every query
// anew, and compiling them again was ~2 ms of each page's render.
import Database from "better-sqlite3";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { createTestDb } from "@/db/client";
import { teams } from "@/db/schema";
import { cacheStatements } from "@/db/statement-cache";

const open: Database.Database[] = [];
afterEach(() => {
  for (const c of open.splice(0)) c.close();
});

/** A connection with the cache, and how many times SQLite compiled a statement on it. */
function counted(max?: number): { connection: Database.Database; compiled: () => number } {
  const connection = new Database(":memory:");
  open.push(connection);
  let compiled = 0;
  const compile = connection.prepare.bind(connection);
  connection.prepare = ((sql: string) => (compiled++, compile(sql))) as typeof connection.prepare;
  cacheStatements(connection, max);
  return { connection, compiled: () => compiled };
}

describe("the statement cache", () => {
  it("compiles each SQL text once and hands out the same statement after", () => {
    const { connection, compiled } = counted();
    const first = connection.prepare("select 1 as one");
    expect(connection.prepare("select 1 as one")).toBe(first);
    expect(connection.prepare("select 2 as two").get()).toEqual({ two: 2 });
    expect(compiled()).toBe(2);
  });

  it("hands a statement out with rows as objects again after drizzle switched it to arrays", () => {
    const { connection } = counted();
    expect(connection.prepare("select 1 as one").raw().get()).toEqual([1]);
    expect(connection.prepare("select 1 as one").get()).toEqual({ one: 1 });
  });

  it("gives a fresh statement while the cached one is still iterating", () => {
    const { connection, compiled } = counted();
    connection.exec("create table t (n integer); insert into t values (1), (2)");
    const iterating = connection.prepare("select n from t order by n").iterate();
    expect(iterating.next().value).toEqual({ n: 1 });
    expect(connection.prepare("select n from t order by n").all()).toEqual([{ n: 1 }, { n: 2 }]);
    expect(iterating.next().value).toEqual({ n: 2 });
    expect(iterating.next().done).toBe(true);
    // The table was made with exec(), which compiles nothing through prepare(): the query twice, once per statement.
    expect(compiled()).toBe(2);
  });

  it("keeps a bounded number of statements, dropping the least recently used", () => {
    const { connection, compiled } = counted(2);
    for (const sql of ["select 1", "select 2", "select 1", "select 3", "select 1", "select 2"]) connection.prepare(sql);
    // "select 2" was dropped when "select 3" came (the least recently used then), so it is compiled again.
    expect(compiled()).toBe(4);
  });

  it("is on for the app's database, and drizzle's queries read the same rows through it", async () => {
    const db = createTestDb();
    open.push(db.$client);
    expect(db.$client.prepare("select 1")).toBe(db.$client.prepare("select 1"));
    await db.insert(teams).values([{ name: "Alpha" }, { name: "Beta" }]);
    for (let i = 0; i < 3; i++) {
      expect((await db.select({ name: teams.name }).from(teams).where(eq(teams.name, "Beta"))).map((t) => t.name)).toEqual(["Beta"]);
      expect(await db.query.teams.findFirst({ where: eq(teams.name, "Alpha"), columns: { name: true } })).toEqual({ name: "Alpha" });
    }
  });
});
