// The database layer's own configuration: which database (a SQLite file, or Postgres at DATABASE_URL), where the file
// is, and where each dialect's migrations are. Read from the environment here (the lowest layer that needs it);
// lib/env.ts builds the rest of the configuration on top.
import path from "node:path";
import { z } from "zod";

const DatabaseEnv = z.object({ DATABASE_PATH: z.string().min(1).default("./data/launch-review.db") });

/** The install folder: the CLI sets LAUNCH_REVIEW_HOME so it works from any folder; the app runs from the project root. */
export function projectRoot(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.env.LAUNCH_REVIEW_HOME ?? process.cwd());
}

/** DATABASE_PATH resolved against the working folder, or ":memory:". */
export function databasePath(): string {
  const parsed = DatabaseEnv.safeParse(process.env);
  if (!parsed.success) throw new Error(`Invalid environment configuration:\n  DATABASE_PATH: ${parsed.error.issues[0]?.message}`);
  const file = parsed.data.DATABASE_PATH;
  return file === ":memory:" ? file : path.resolve(/*turbopackIgnore: true*/ file);
}

export function migrationsFolder(): string {
  return path.join(projectRoot(), "db", "migrations");
}

export type DatabaseDialect = "sqlite" | "postgres";

/** Postgres when DATABASE_URL is a postgres:// (or postgresql://) URL; otherwise the SQLite file at DATABASE_PATH. */
export function databaseDialect(): DatabaseDialect {
  return /^postgres(ql)?:\/\//i.test(process.env.DATABASE_URL ?? "") ? "postgres" : "sqlite";
}

/** DATABASE_URL, for the Postgres deployment. */
export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url || databaseDialect() !== "postgres") throw new Error("DATABASE_URL must be a postgres:// URL for the Postgres deployment.");
  return url;
}

export function pgMigrationsFolder(): string {
  return path.join(projectRoot(), "db", "migrations-pg");
}

/** A whole number of at least `min` from the environment; anything else (unset, text, too small) gives `fallback`. */
export function integerFromEnv(name: string, fallback: number, min: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value >= min ? value : fallback;
}
