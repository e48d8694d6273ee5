import { NextResponse } from "next/server";
import { getScan } from "@/db/queries/scans";

export const dynamic = "force-dynamic";

/** A scan's status and progress, polled by the connector page while the scan runs. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const id = Number((await params).id);
  const scan = Number.isSafeInteger(id) ? getScan(id) : undefined;
  if (!scan) return NextResponse.json({ error: "not found" }, { status: 404 });
  return NextResponse.json(
    { id: scan.id, status: scan.status, progress: scan.progress, error: scan.error },
    { headers: { "cache-control": "no-store" } },
  );
}
