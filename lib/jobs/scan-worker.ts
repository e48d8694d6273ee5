// The entry of a scan worker thread (piscina loads it, see lib/jobs/scan-pool.ts): one task is one whole scan.
import os from "node:os";
import { workerData } from "piscina";
import { executeScan } from "./execute-scan";
import { ForegroundGauge, Pacer } from "./foreground";

/**
 * Scans are background work: this thread runs at a lower CPU priority than the web process's main thread, so pages
 * keep answering promptly while scans take whatever CPU is left. Linux only: there a nice value belongs to the thread
 * that sets it (setpriority on "process 0" is the calling thread); elsewhere it would lower the whole web process.
 */
export const SCAN_THREAD_NICE = 10;
if (process.platform === "linux") {
  try {
    os.setPriority(SCAN_THREAD_NICE);
  } catch {
    // Not permitted: scans run at the normal priority.
  }
}

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
