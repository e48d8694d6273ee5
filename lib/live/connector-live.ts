// The live view for a registered connector: list what its running server serves and compare with its latest scan.
import { listScans } from "@/db/queries/scans";
import { toolsForScan } from "@/db/queries/tools";
import { env } from "../env";
import { compareWithStatic, listLiveTools, type LiveComparison, type LiveListing } from "./live-tools";

export interface ConnectorLiveResult {
  listing: LiveListing;
  /** Null when the connector has no successful scan to compare with. */
  comparison: LiveComparison | null;
  scanId: number | null;
}

export async function liveViewForConnector(connectorId: number, url: string, token: string | undefined): Promise<ConnectorLiveResult> {
  const listing = await listLiveTools(url, { token, allowPrivate: env().LAUNCH_REVIEW_LIVE_ALLOW_PRIVATE === "1" });
  const latest = (await listScans(connectorId)).find((s) => s.status === "succeeded");
  if (!latest) return { listing, comparison: null, scanId: null };
  return { listing, comparison: compareWithStatic(await toolsForScan(latest.id), listing.tools), scanId: latest.id };
}
