import { NextResponse } from "next/server";
import { requestScan } from "@/lib/connectors";
import { apiCaller, connectorForCaller, jsonError } from "../../../../../_server/api";

export const dynamic = "force-dynamic";

/** Queues a scan of the connector (or returns the one already running): CI's way to rescan after a push. */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const caller = await apiCaller(request, { allowTokens: true });
  if (caller instanceof NextResponse) return caller;
  const raw = (await params).id;
  if (!/^[0-9]{1,15}$/.test(raw)) return jsonError(404, "Not found.");
  const connector = await connectorForCaller(caller, Number(raw), "connector.scan", request);
  if (connector instanceof NextResponse) return connector;
  const correlationId = request.headers.get("x-correlation-id") ?? crypto.randomUUID();
  const { scan, alreadyActive } = await requestScan(connector.id, "api", { id: caller.principal.id, correlationId });
  return NextResponse.json({ scanId: scan.id, status: scan.status, alreadyActive, url: `/api/v1/scans/${scan.id}` }, { status: 202 });
}
