// The pool of scan workers: each scan runs in a worker thread (piscina), never on the event loop that serves pages.
// A worker runs the whole scan (lib/jobs/execute-scan.ts): reading the source, the checks, progress and results all go
// through its own database connection. The pool bounds each scan's wall time and memory; a worker that crashes, runs
// out of memory or overruns is ended, its scan fails with that reason, and piscina starts a fresh worker in its place.
import fs from "node:fs";
import path from "node:path";
import { Piscina } from "piscina";
import { retryWhenBusy } from "@/db/busy";
import { failScan, getScan } from "@/db/queries/scans";
import { env } from "../env";
import { logger } from "../logger";
import { reportRepeatedFailures } from "./execute-scan";
import { trackRequests, type ForegroundGauge } from "./foreground";
import type { ScanTask } from "./scan-worker";

const log = logger("scan-pool");

/**
 * The engine stops at the scan's deadline by itself (its abort signal); the pool's hard stop comes a little later,
 * for work that never looks at the signal (a parser stuck in one huge file).
 */
const HARD_STOP_GRACE_MS = 15_000;

/** The worker's entry, bundled with the CLI (lib/cli/build.mjs): the pool loads it in each thread. */
export function scanWorkerFile(): string {
  return path.join(env().projectRoot, "dist", "cli", "scan-worker.cjs");
}

export interface ScanPoolOptions {
  threads: number;
  /** Wall time of one scan, from the moment a worker picks it up. */
  timeoutMs: number;
  /** The V8 heap limit of each worker thread (resourceLimits.maxOldGenerationSizeMb). */
  memoryMb: number;
  /** The worker module (default: the bundled scan worker). */
  filename?: string;
  /** How long after the deadline a worker that ignores its abort signal is ended (default 15 s). */
  hardStopGraceMs?: number;
  /** The web thread's requests in flight: scans pause between files while there are any (lib/jobs/foreground.ts). */
  foreground?: ForegroundGauge;
}

/** Why a pooled scan stopped, in words for the scan page. */
export function poolFailureReason(error: unknown, options: Pick<ScanPoolOptions, "timeoutMs" | "memoryMb">): string {
  const err = error as { name?: string; code?: string; message?: string };
  if (err?.name === "AbortError") return `The scan took longer than ${Math.round(options.timeoutMs / 1000)} s and was stopped.`;
  if (err?.code === "ERR_WORKER_OUT_OF_MEMORY")
    return `The scan needed more than ${options.memoryMb} MB of memory and was stopped (LAUNCH_REVIEW_SCAN_MEMORY_MB).`;
  const detail = err?.message ? `: ${err.message.slice(0, 200)}` : "";
  return `The scan worker stopped unexpectedly${detail}. Start the scan again; if it happens again, the logs say more.`;
}

export class ScanPool {
  readonly #pool: Piscina;
  readonly #options: ScanPoolOptions;

  constructor(options: ScanPoolOptions) {
    this.#options = options;
    const filename = options.filename ?? scanWorkerFile();
    // The worker is built beside the CLI, not part of the app bundle: Turbopack must not trace the whole project for it.
    if (!fs.existsSync(/*turbopackIgnore: true*/ filename))
      throw new Error(`The scan worker ${filename} is missing: run \`npm run build:cli\` (npm install does it).`);
    this.#pool = new Piscina({
      filename,
      minThreads: 0,
      maxThreads: Math.max(1, options.threads),
      // A warm worker keeps the TypeScript compiler loaded; an idle one gives its memory back after a while.
      idleTimeout: 5 * 60_000,
      concurrentTasksPerWorker: 1,
      // Piscina's default parks an idle thread in Atomics.wait, which stops its event loop between tasks: what a scan
      // leaves running (its last log line, advisory alerts and webhooks) would wait for the next scan. Messages keep
      // the loop turning; the cost is a little latency per task, nothing next to a scan.
      atomics: "disabled",
      resourceLimits: { maxOldGenerationSizeMb: options.memoryMb },
      workerData: { foreground: options.foreground?.buffer },
      // The ScanQueue in front hands out at most `threads` scans at once, so this queue stays short.
      maxQueue: "auto",
    });
  }

  /** Runs the scan in a worker; resolves when it is finished either way (a failure is written to the scan). */
  async run(scanId: number, options: { takeOver?: boolean } = {}): Promise<void> {
    try {
      await this.#pool.run(
        { scanId, takeOver: options.takeOver } satisfies ScanTask,
        { signal: AbortSignal.timeout(this.#options.timeoutMs + (this.#options.hardStopGraceMs ?? HARD_STOP_GRACE_MS)) },
      );
    } catch (error) {
      await this.#failAfterCrash(scanId, error);
    }
  }

  async #failAfterCrash(scanId: number, error: unknown): Promise<void> {
    const reason = poolFailureReason(error, this.#options);
    const scan = await getScan(scanId);
    log.warn({ err: error, scanId, correlationId: scan?.correlationId }, "scan worker ended abnormally");
    if (!scan) return;
    await retryWhenBusy(() => failScan(scanId, reason, "system")).catch((e: unknown) =>
      log.error({ err: e, scanId }, "could not record the failure"),
    );
    await reportRepeatedFailures(scan.connectorId, scan.correlationId);
  }

  get threads(): number {
    return this.#pool.threads.length;
  }

  async close(): Promise<void> {
    await this.#pool.close({ force: true });
  }
}

const globalForPool = globalThis as unknown as { launchReviewScanPool?: ScanPool };

/** The app's pool, sized by LAUNCH_REVIEW_SCAN_CONCURRENCY, bounded by LAUNCH_REVIEW_SCAN_TIMEOUT_MS and _MEMORY_MB. */
export function scanPool(): ScanPool {
  const e = env();
  globalForPool.launchReviewScanPool ??= new ScanPool({
    threads: e.LAUNCH_REVIEW_SCAN_CONCURRENCY,
    timeoutMs: e.LAUNCH_REVIEW_SCAN_TIMEOUT_MS,
    memoryMb: e.LAUNCH_REVIEW_SCAN_MEMORY_MB,
    // Pages first: this process's requests in flight make its scans pause between files.
    foreground: trackRequests(),
  });
  return globalForPool.launchReviewScanPool;
}
