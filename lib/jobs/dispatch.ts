// Where a queued scan goes, by deployment: on SQLite (the embedded default) to this process's queue and worker pool;
// on PostgreSQL to a pg-boss job that any worker process pointed at the same database may take (lib/jobs/scan-jobs.ts).
// The scans table stays the truth either way: a scan is "queued" until a worker claims it, so a job lost on the way
// (the send failed, the database blinked) is sent again by the next sweep, and sending twice is harmless.
import { databaseUrl } from "@/db/config";
import { queuedScans } from "@/db/queries/scans";
import { env } from "../env";
import { logger } from "../logger";
import { scanQueueKind } from "./queue-kind";
import { ScanJobs } from "./scan-jobs";
import { scanQueue } from "./scan-queue";

const log = logger("dispatch");

const globalForJobs = globalThis as unknown as { launchReviewScanJobs?: Promise<ScanJobs> };

/** This process's connection to the job queue (Postgres deployment only), opened once. */
export function sharedScanJobs(): Promise<ScanJobs> {
  globalForJobs.launchReviewScanJobs ??= ScanJobs.start(databaseUrl(), { scanTimeoutMs: env().LAUNCH_REVIEW_SCAN_TIMEOUT_MS }).catch((error: unknown) => {
    globalForJobs.launchReviewScanJobs = undefined;
    throw error;
  });
  return globalForJobs.launchReviewScanJobs;
}

/** Hands a queued scan to whatever runs scans in this deployment. Never throws: the sweep resends what was missed. */
export async function dispatchScan(scan: { id: number; connectorId: number }): Promise<void> {
  if (scanQueueKind() === "embedded") {
    await scanQueue().enqueue(scan.id);
    return;
  }
  try {
    await (await sharedScanJobs()).send(scan);
  } catch (error) {
    log.warn({ err: error, scanId: scan.id }, "could not send the scan job; the next sweep sends it again");
  }
}

/** Hands every queued scan over again (idempotent): at start-up, and once a minute with the pg-boss scheduler tick. */
export async function resendQueuedScans(): Promise<void> {
  for (const scan of await queuedScans()) await dispatchScan(scan);
}

/** Closes this process's connection to the job queue, if it opened one (a process that only sends, at its end). */
export async function stopScanJobs(): Promise<void> {
  const jobs = globalForJobs.launchReviewScanJobs;
  globalForJobs.launchReviewScanJobs = undefined;
  if (jobs) await (await jobs).stop(false);
}
