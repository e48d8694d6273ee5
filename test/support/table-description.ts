// Describes a drizzle table, SQLite or Postgres, in words that don't depend on the dialect, so the two schemas can be
// compared table by table (test/schema-drift.test.ts). Column types are described by the JavaScript type they give.
import { getTableName, is, SQL, type Column } from "drizzle-orm";
import { getTableConfig as pgTableConfig, PgTable } from "drizzle-orm/pg-core";
import { getTableConfig as sqliteTableConfig, SQLiteTable } from "drizzle-orm/sqlite-core";

export interface ColumnDescription {
  name: string;
  /** What drizzle hands back: string, number, boolean, date, json. */
  jsType: string;
  enumValues: readonly string[] | null;
  notNull: boolean;
  primaryKey: boolean;
  /** "none", "auto-increment", "expression" (an SQL default, spelled per dialect), or the literal value as JSON. */
  default: string;
  unique: string | null;
}

export interface TableDescription {
  name: string;
  columns: ColumnDescription[];
  primaryKeys: string[][];
  indexes: Array<{ name: string; columns: string[]; unique: boolean; where: boolean }>;
  uniqueConstraints: Array<{ name: string; columns: string[] }>;
  foreignKeys: Array<{ columns: string[]; table: string; foreignColumns: string[]; onDelete: string; onUpdate: string }>;
}

type AnyTable = SQLiteTable | PgTable;

/** Every table a schema module exports, by table name. */
export function tablesOf(schema: Record<string, unknown>): Map<string, AnyTable> {
  const tables = new Map<string, AnyTable>();
  for (const value of Object.values(schema)) {
    if (is(value, SQLiteTable) || is(value, PgTable)) tables.set(getTableName(value), value);
  }
  return tables;
}

function describeDefault(column: Column): string {
  const dialectColumn = column as Column & { autoIncrement?: boolean; generatedIdentity?: unknown };
  // SQLite's `integer primary key autoincrement` and a Postgres identity column are the same thing: ids the database picks.
  if (dialectColumn.autoIncrement || dialectColumn.generatedIdentity) return "auto-increment";
  if (!column.hasDefault) return "none";
  if (is(column.default, SQL) || column.defaultFn || column.onUpdateFn) return "expression";
  return JSON.stringify(column.default);
}

function describeColumn(column: Column): ColumnDescription {
  return {
    name: column.name,
    jsType: column.dataType,
    enumValues: column.enumValues ?? null,
    notNull: column.notNull,
    primaryKey: column.primary,
    default: describeDefault(column),
    unique: column.isUnique ? (column.uniqueName ?? "unnamed") : null,
  };
}

const names = (columns: readonly Column[]) => columns.map((column) => column.name);

export function describeTable(table: AnyTable): TableDescription {
  const config = is(table, PgTable) ? pgTableConfig(table) : sqliteTableConfig(table);
  return {
    name: config.name,
    columns: config.columns.map(describeColumn).sort((a, b) => a.name.localeCompare(b.name)),
    primaryKeys: config.primaryKeys.map((key) => names(key.columns)),
    indexes: config.indexes
      .map(({ config: index }) => ({
        name: index.name ?? "unnamed",
        // An index on an expression has no column name; say so rather than drop it.
        columns: index.columns.map((column) => ("name" in column && typeof column.name === "string" ? column.name : "expression")),
        unique: index.unique,
        where: index.where !== undefined,
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    uniqueConstraints: config.uniqueConstraints
      .map((constraint) => ({ name: constraint.getName() ?? "unnamed", columns: names(constraint.columns) }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    foreignKeys: config.foreignKeys
      .map((key) => {
        const reference = key.reference();
        return {
          columns: names(reference.columns),
          table: getTableName(reference.foreignTable),
          foreignColumns: names(reference.foreignColumns),
          // Unset means the SQL default, "no action", in both dialects.
          onDelete: key.onDelete ?? "no action",
          onUpdate: key.onUpdate ?? "no action",
        };
      })
      .sort((a, b) => a.columns.join().localeCompare(b.columns.join())),
  };
}
