// Stores a finished scan: the report as the engine made it, plus what the fleet views derive from it (the patch status
// of its watched packages, and whether its advisory answer is complete).
import { completeScan } from "@/db/queries/scans";
import type { ScanReport } from "./core/report";
import { advisoriesKnown, watchedPackages } from "./engine/report/patch-status";

export async function storeScanResult(scanId: number, report: ScanReport, actor: string): Promise<void> {
  await completeScan(scanId, report, actor, { watched: watchedPackages(report), advisoriesKnown: advisoriesKnown(report) });
}
