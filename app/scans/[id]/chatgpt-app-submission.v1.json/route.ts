import { NextResponse } from "next/server";
import { getScan, reportForScan } from "@/db/queries/scans";
import { SUBMISSION_FILE_NAME } from "@/lib/engine/submission/format";
import { apiCaller, connectorForCaller, jsonError } from "../../../_server/api";

export const dynamic = "force-dynamic";

/**
 * The ChatGPT app submission file the scan generated from the code (the same file `launch-review submission` writes),
 * as a download. Whoever may read the scan may download it; outside the connector's team it doesn't exist (404).
 */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const caller = await apiCaller(request, { allowTokens: true });
  if (caller instanceof NextResponse) return caller;
  const { id } = await params;
  const scan = /^[0-9]{1,15}$/.test(id) ? await getScan(Number(id)) : undefined;
  if (!scan) return jsonError(404, "Not found.");
  const connector = await connectorForCaller(caller, scan.connectorId, "connector.read", request);
  if (connector instanceof NextResponse) return connector;
  if (scan.status !== "succeeded") return jsonError(409, "This scan has no results: there is no submission file to download.");
  const submission = (await reportForScan(scan.id))?.submission;
  if (!submission) return jsonError(404, "This scan was made before Launch Review generated submission files: scan the connector again.");
  return new NextResponse(`${JSON.stringify(submission, null, 2)}\n`, {
    headers: {
      "content-type": "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="${SUBMISSION_FILE_NAME}"`,
      "cache-control": "no-store",
    },
  });
}
