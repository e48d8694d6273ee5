// Scan workers of the Postgres deployment: take scan jobs from pg-boss and run each in this process's pool of worker
// threads (the same limits as the embedded setup), and take the deployment-wide scheduler tick. Started by
// `launch-review worker`, and by the web process itself unless it was started with `serve --no-worker`.
import { logger } from "../logger";
import { env } from "../env";
import { resendQueuedScans, sharedScanJobs } from "./dispatch";
import { scanPool } from "./scan-pool";
import { schedulerTick } from "./scheduler";

const log = logger("scan-workers");

export async function startScanWorkers(options: { concurrency?: number } = {}): Promise<void> {
  const jobs = await sharedScanJobs();
  const pool = scanPool();
  const concurrency = options.concurrency ?? env().LAUNCH_REVIEW_SCAN_CONCURRENCY;
  // A retry means the worker that held the scan was lost mid-scan: this one takes the scan over where it stood.
  await jobs.work(concurrency, ({ scanId, retry }) => pool.run(scanId, { takeOver: retry > 0 }));
  if (env().LAUNCH_REVIEW_SCHEDULER === "1")
    await jobs.scheduleTick(async () => {
      await resendQueuedScans();
      await schedulerTick();
    });
  log.info({ concurrency }, "scan workers started");
}

/** Stops taking jobs and lets the running scans finish (SIGTERM), or drops them to be retried elsewhere. */
export async function stopScanWorkers(graceful = true): Promise<void> {
  await (await sharedScanJobs()).stop(graceful);
  await scanPool().close();
}
