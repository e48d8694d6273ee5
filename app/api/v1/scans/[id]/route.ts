import { NextResponse } from "next/server";
import { getScan, reportForScan } from "@/db/queries/scans";
import { apiCaller, connectorForCaller, jsonError } from "../../../../_server/api";

export const dynamic = "force-dynamic";

/** A scan's status and progress (polled by the connector page), and with ?report=1 its full report (CI). */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const caller = await apiCaller(request, { allowTokens: true });
  if (caller instanceof NextResponse) return caller;
  const raw = (await params).id;
  const scan = /^[0-9]{1,15}$/.test(raw) ? await getScan(Number(raw)) : undefined;
  if (!scan) return jsonError(404, "Not found.");
  const connector = await connectorForCaller(caller, scan.connectorId, "connector.read", request);
  if (connector instanceof NextResponse) return connector;
  const withReport = new URL(request.url).searchParams.get("report") === "1";
  return NextResponse.json(
    {
      id: scan.id,
      connectorId: scan.connectorId,
      status: scan.status,
      progress: scan.progress,
      error: scan.error,
      commit: scan.commit,
      summary: { critical: scan.critical, high: scan.high, moderate: scan.moderate, low: scan.low, info: scan.info },
      ...(withReport && scan.status === "succeeded" ? { report: await reportForScan(scan.id) } : {}),
    },
    { headers: { "cache-control": "no-store" } },
  );
}
