// The SQLite and Postgres schemas describe one database: the same tables, columns, keys and indexes, and columns that
// give the same JavaScript types. Adding a column (or an index, or a cascade) to one schema only fails here.
import { integer as pgInteger, pgTable, text as pgText } from "drizzle-orm/pg-core";
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import * as sqliteSchema from "@/db/schema-sqlite";
import * as pgSchema from "@/db/schema-pg";
import { describeTable, tablesOf } from "./support/table-description";

const sqliteTables = tablesOf(sqliteSchema);
const pgTables = tablesOf(pgSchema);

describe("the Postgres schema and the SQLite schema", () => {
  it("have the same tables", () => {
    expect(sqliteTables.size).toBeGreaterThan(20);
    expect([...pgTables.keys()].sort()).toEqual([...sqliteTables.keys()].sort());
  });

  it.each([...sqliteTables.keys()].sort())("describe %s alike", (name) => {
    const sqliteTable = sqliteTables.get(name)!;
    const pgTable = pgTables.get(name);
    expect(pgTable, `${name} is missing from db/schema-pg.ts`).toBeDefined();
    expect(describeTable(pgTable!)).toEqual(describeTable(sqliteTable));
  });
});

describe("a table description", () => {
  const parents = sqliteTable("parents", { id: integer("id").primaryKey({ autoIncrement: true }) });
  const pgParents = pgTable("parents", { id: pgInteger("id").primaryKey().generatedByDefaultAsIdentity() });

  it("is the same for a SQLite table and its Postgres twin", () => {
    const sqliteChild = sqliteTable("children", {
      parentId: integer("parent_id").references(() => parents.id, { onDelete: "cascade" }),
      name: text("name").notNull().default("x"),
    });
    const pgChild = pgTable("children", {
      parentId: pgInteger("parent_id").references(() => pgParents.id, { onDelete: "cascade" }),
      name: pgText("name").notNull().default("x"),
    });
    expect(describeTable(pgParents)).toEqual(describeTable(parents));
    expect(describeTable(pgChild)).toEqual(describeTable(sqliteChild));
  });

  it("differs when one side has a column more, another default, or another onDelete", () => {
    const base = describeTable(sqliteTable("t", { parentId: integer("parent_id").references(() => parents.id), name: text("name") }));
    const extraColumn = pgTable("t", {
      parentId: pgInteger("parent_id").references(() => pgParents.id),
      name: pgText("name"),
      extra: pgText("extra"),
    });
    const otherDefault = pgTable("t", {
      parentId: pgInteger("parent_id").references(() => pgParents.id),
      name: pgText("name").default(""),
    });
    const cascade = pgTable("t", {
      parentId: pgInteger("parent_id").references(() => pgParents.id, { onDelete: "cascade" }),
      name: pgText("name"),
    });
    expect(describeTable(pgTable("t", { parentId: pgInteger("parent_id").references(() => pgParents.id), name: pgText("name") }))).toEqual(
      base,
    );
    expect(describeTable(extraColumn)).not.toEqual(base);
    expect(describeTable(otherDefault)).not.toEqual(base);
    expect(describeTable(cascade)).not.toEqual(base);
  });
});
