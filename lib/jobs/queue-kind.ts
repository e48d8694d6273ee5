// Which queue this deployment's scans go through. Apart from dispatch.ts (which loads the database queries) so the
// `serve` and `worker` commands can check it before loading anything else.
import { databaseDialect } from "@/db/config";
import { env } from "../env";

/**
 * pg-boss jobs by default on PostgreSQL, this process's embedded queue on SQLite (or on PostgreSQL when
 * LAUNCH_REVIEW_QUEUE=embedded: one machine, one process).
 */
export function scanQueueKind(): "embedded" | "pg-boss" {
  const chosen = env().LAUNCH_REVIEW_QUEUE ?? (databaseDialect() === "postgres" ? "pg-boss" : "embedded");
  if (chosen === "pg-boss" && databaseDialect() !== "postgres")
    throw new Error("LAUNCH_REVIEW_QUEUE=pg-boss needs DATABASE_URL=postgres://… (pg-boss keeps its jobs in PostgreSQL).");
  return chosen;
}

/** Why `what` (a worker process, a web process without one) makes no sense here, or null when it does. */
export function withoutJobQueue(what: string): string | null {
  if (databaseDialect() !== "postgres")
    return `${what} needs DATABASE_URL=postgres://…: on SQLite the app's own process runs the scans.`;
  if (scanQueueKind() !== "pg-boss")
    return `${what} needs the pg-boss queue: with LAUNCH_REVIEW_QUEUE=embedded the app's own process runs the scans.`;
  return null;
}
