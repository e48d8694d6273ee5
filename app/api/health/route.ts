import { NextResponse } from "next/server";
import { databaseHealth } from "@/db/client";

export const dynamic = "force-dynamic";

/**
 * Readiness: the database opens and answers reads and writes. A write lock released within the busy timeout (a scan
 * thread saving its results) is waited out without blocking the server; one held longer (another process) answers
 * 503 with `database.state: "busy"`.
 */
export async function GET() {
  const database = await databaseHealth();
  const status = database.state === "ok" ? "ok" : database.state === "busy" ? "busy" : "unavailable";
  return NextResponse.json({ status, database }, { status: status === "ok" ? 200 : 503, headers: { "cache-control": "no-store" } });
}
