// Stores a finished scan: the report as the engine made it, plus the patch status of its watched packages.
import { completeScan } from "@/db/queries/scans";
import type { ScanReport } from "./core/report";
import { watchedPackages } from "./engine/report/patch-status";

export function storeScanResult(scanId: number, report: ScanReport, actor: string): void {
  completeScan(scanId, report, actor, watchedPackages(report));
}
