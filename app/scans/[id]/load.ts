import "server-only";
import { notFound } from "next/navigation";
import { cache } from "react";
import { getScan, reportForScan } from "@/db/queries/scans";
import { requireConnector } from "../../_server/session";
import { idParam } from "../../ui/params";

/** The scan, its connector and its report, loaded once per request and shared by the layout and the tabs. */
export const loadScanView = cache(async (params: Promise<{ id: string }>) => {
  const scan = await getScan(await idParam(params));
  if (!scan) notFound();
  const { user, connector } = await requireConnector(scan.connectorId);
  const report = scan.status === "succeeded" ? await reportForScan(scan.id) : null;
  return { user, scan, connector, report };
});
