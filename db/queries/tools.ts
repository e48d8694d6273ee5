import "server-only";
// Tool manifests per scan: stored with the scan's results, read back to list a scan's tools and compare two scans.
import { and, asc, desc, eq, lt } from "drizzle-orm";
import type { ReportTool, ScanReport } from "@/lib/core/report";
import { getDb } from "../client";
import { scans, scanTools } from "../schema";

/** A scan's tool rows, in report order (stored by completeScan). */
export function scanToolRows(scanId: number, tools: readonly ReportTool[]): Array<typeof scanTools.$inferInsert> {
  return tools.map((t, position) => ({
    scanId,
    position,
    name: t.name,
    hash: t.hash ?? "",
    title: t.title,
    description: t.description,
    path: t.location.path,
    line: t.location.line,
    data: t as unknown as Record<string, unknown>,
  }));
}

/** A scan's tools in report order; scans stored before tool rows existed fall back to their report. */
export async function toolsForScan(scanId: number): Promise<ReportTool[]> {
  const rows = await getDb().select().from(scanTools).where(eq(scanTools.scanId, scanId)).orderBy(asc(scanTools.position));
  if (rows.length > 0) return rows.map((r) => ({ ...(r.data as unknown as ReportTool), hash: r.hash }));
  const row = (await getDb().select({ report: scans.report }).from(scans).where(eq(scans.id, scanId)))[0];
  return row?.report ? ((JSON.parse(row.report) as ScanReport).tools ?? []) : [];
}

/** The connector's last succeeded scan before this one, if any. */
export async function previousSucceededScan(
  connectorId: number,
  beforeScanId: number,
): Promise<{ id: number; finishedAt: Date | null } | undefined> {
  return (
    await getDb()
      .select({ id: scans.id, finishedAt: scans.finishedAt })
      .from(scans)
      .where(and(eq(scans.connectorId, connectorId), eq(scans.status, "succeeded"), lt(scans.id, beforeScanId)))
      .orderBy(desc(scans.id))
      .limit(1)
  )[0];
}
