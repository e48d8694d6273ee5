import { NextResponse } from "next/server";
import { databaseHealth } from "@/db/client";

export const dynamic = "force-dynamic";

/**
 * Readiness: the database opens and answers reads and writes. Never waits on a lock: when another process holds
 * SQLite's write lock the answer is 503 with `database.state: "busy"` at once.
 */
export async function GET() {
  const database = await databaseHealth();
  const status = database.state === "ok" ? "ok" : database.state === "busy" ? "busy" : "unavailable";
  return NextResponse.json({ status, database }, { status: status === "ok" ? 200 : 503, headers: { "cache-control": "no-store" } });
}
