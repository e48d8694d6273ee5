// The entry of a scan worker thread (piscina loads it, see lib/jobs/scan-pool.ts): one task is one whole scan.
import { executeScan } from "./execute-scan";

export interface ScanTask {
  scanId: number;
  /** The scan's worker was lost mid-scan (Postgres deployment): this one takes the running scan over. */
  takeOver?: boolean;
}

export default async function runScanTask(task: ScanTask): Promise<void> {
  await executeScan(task.scanId, { takeOver: task.takeOver });
}
