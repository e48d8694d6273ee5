// The entry of a scan worker thread (piscina loads it, see lib/jobs/scan-pool.ts): one task is one whole scan.
import { workerData } from "piscina";
import { executeScan } from "./execute-scan";
import { ForegroundGauge, Pacer } from "./foreground";
import { lowerBackgroundThreads } from "./thread-priority";

// Scans are background work: this thread, and V8's helper threads that collect its heap, run at a lower CPU priority
// than the web process's main thread, so pages keep answering promptly while scans take whatever CPU is left.
lowerBackgroundThreads();

export interface ScanTask {
  scanId: number;
  /** The scan's worker was lost mid-scan (Postgres deployment): this one takes the running scan over. */
  takeOver?: boolean;
}

/** The web thread's count of requests in flight, when the pool was given one (ScanPoolOptions.foreground). */
const foreground = (workerData as { foreground?: unknown } | undefined)?.foreground;
const gauge = foreground instanceof SharedArrayBuffer ? new ForegroundGauge(foreground) : null;

export default async function runScanTask(task: ScanTask): Promise<void> {
  await executeScan(task.scanId, { takeOver: task.takeOver, pacer: gauge ? new Pacer(gauge) : undefined });
}
