// Runs queued scans in this process, a few at a time. The database is the queue's memory: a restart re-queues
// what was waiting and fails what was running (see lib/startup.ts).
import { getConnector } from "@/db/queries/connectors";
import {
  consecutiveFailures,
  failScan,
  getScan,
  latestSucceededScan,
  markScanRunning,
  recordScanCommit,
  updateScanProgress,
} from "@/db/queries/scans";
import type { Connector } from "@/db/schema";
import type { ScanProgress } from "@/lib/core/types";
import { connectorToken } from "../connector-token";
import { env } from "../env";
import { retryWhenBusy } from "@/db/busy";
import { isAppError, isDatabaseBusy, publicMessage } from "../core/errors";
import { logger } from "../logger";
import { dependencyServicesFromSettings } from "../dependency-services";
import { checkStalenessAfterScan, toolBaselineFor } from "../review/service";
import { recordSecurityEvent } from "../security-events";
import { notifyInBackground } from "../alerts";
import { alertNewAdvisories } from "../alerts/triggers";
import { runScan } from "../engine/scan";
import { npmRegistryUrl } from "../engine/advisories/npm-config";
import { storeScanResult } from "../scan-results";
import { limitsFromEnv } from "../engine/snapshot";
import { resolveFolderUnderRoot } from "../engine/sources/local";
import { archiveLimitsFromEnv, type SourceSpec } from "../engine/sources/types";
import { nextRunnable, slotCaps, sourceHost, type SlotCaps, type SlotJob } from "./fairness";

const log = logger("scan-queue");

/** How a connector's stored source becomes a spec; local folders are re-checked against the allowed root every time. */
async function sourceSpecFor(connector: Connector): Promise<SourceSpec> {
  if (connector.sourceKind === "local") {
    const folder = await resolveFolderUnderRoot(connector.location, env().scanRoots);
    return { kind: "local", path: folder, subdirectory: connector.subdirectory };
  }
  if (connector.sourceKind === "npm") {
    // The version or tag (null: latest) resolves anew at every scan; the report pins the version and integrity read.
    return { kind: "npm", name: connector.location, version: connector.ref, subdirectory: connector.subdirectory, registry: npmRegistryUrl(env().projectRoot) };
  }
  return {
    kind: "github",
    repository: connector.location,
    ref: connector.ref,
    subdirectory: connector.subdirectory,
    token: connectorToken(connector),
    apiUrl: env().GITHUB_API_URL,
    tokenHint: "on the connector page",
  };
}

/** Runs one queued scan to the end: succeeded with its results, or failed with a reason a user can act on. */
export async function executeScan(scanId: number): Promise<void> {
  const scan = getScan(scanId);
  if (!scan || !(await retryWhenBusy(() => markScanRunning(scanId)))) return;
  const scanLog = log.child({ scanId, correlationId: scan.correlationId });
  const connector = getConnector(scan.connectorId);
  if (!connector) return failScan(scanId, "The connector was deleted.", "system");

  let lastWrite = 0;
  const onProgress = (p: ScanProgress) => {
    // Progress is polled by the browser; a write every 250 ms is plenty and keeps SQLite quiet.
    const now = Date.now();
    if (now - lastWrite < 250 && p.stage === "checks") return;
    lastWrite = now;
    try {
      updateScanProgress(scanId, p);
    } catch (error) {
      // Progress is best effort: a busy database (another process writing) only delays the next update.
      if (!isDatabaseBusy(error)) throw error;
    }
  };
  try {
    scanLog.info({ connectorId: connector.id }, "scan started");
    const spec = await sourceSpecFor(connector);
    const report = await runScan(spec, {
      limits: limitsFromEnv(env()),
      archiveLimits: archiveLimitsFromEnv(env()),
      signal: AbortSignal.timeout(env().LAUNCH_REVIEW_SCAN_TIMEOUT_MS),
      // A source that hangs (no byte for N s) or drips (still arriving after M s) is cut off, and frees its slot.
      github: {
        timeoutMs: env().LAUNCH_REVIEW_DOWNLOAD_IDLE_SECONDS * 1000,
        totalTimeoutMs: env().LAUNCH_REVIEW_DOWNLOAD_TIMEOUT_SECONDS * 1000,
      },
      onProgress,
      // Recorded before the download, so even a scan that fails later says which commit it tried.
      onCommit: (commit) => recordScanCommit(scanId, commit),
      logger: scanLog,
      // A refresh exists to see advisories published since the last scan: it asks the source, not the cache.
      services: {
        toolBaseline: toolBaselineFor(connector.id),
        dependencies: dependencyServicesFromSettings({ freshAdvisories: scan.trigger === "advisory-refresh" }),
      },
    });
    onProgress({ stage: "saving", message: "Saving results", files: report.stats.files, findings: report.findings.length });
    const previous = latestSucceededScan(connector.id);
    // A scan's results must land: while another process holds the write lock, keep trying without blocking.
    await retryWhenBusy(() => storeScanResult(scanId, report, "system"), { onRetry: () => scanLog.warn("database busy; retrying the save") });
    void alertNewAdvisories(connector.id, scanId, previous?.id ?? null).catch((error: unknown) =>
      scanLog.error({ err: error }, "advisory alerts failed"),
    );
    checkStalenessAfterScan(connector.id, scanId, scan.correlationId);
    scanLog.info({ summary: report.summary, durationMs: report.stats.durationMs }, "scan succeeded");
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === "TimeoutError";
    const message = timedOut
      ? `The scan took longer than ${Math.round(env().LAUNCH_REVIEW_SCAN_TIMEOUT_MS / 1000)} s and was stopped.`
      : publicMessage(error, scan.correlationId);
    if (isAppError(error) || timedOut) scanLog.warn({ err: error }, "scan failed");
    else scanLog.error({ err: error }, "scan crashed");
    await retryWhenBusy(() => failScan(scanId, message, "system")).catch((e: unknown) =>
      scanLog.error({ err: e }, "could not record the failure"),
    );
    reportRepeatedFailures(connector.id, scan.correlationId);
  }
}

export const REPEATED_FAILURES = 3;

/** Three failed scans in a row for one connector is worth a security event (and an alert if configured). */
function reportRepeatedFailures(connectorId: number, correlationId: string): void {
  const streak = consecutiveFailures(connectorId);
  if (streak === REPEATED_FAILURES) {
    recordSecurityEvent({ type: "scan.repeated-failures", actor: "system", correlationId, details: { connectorId, failures: streak } });
    const connector = getConnector(connectorId);
    notifyInBackground({
      type: "scan.repeated-failures",
      title: `${connector?.name ?? `Connector ${connectorId}`}: ${streak} scans failed in a row`,
      connector: connector ? { id: connector.id, name: connector.name } : undefined,
      path: `/connectors/${connectorId}`,
      dedupeKey: `failures:${connectorId}:${correlationId}`,
    });
  }
}

/** What the queue needs to know of a scan to place it: its connector and the host it reads from. */
function describeScan(scanId: number): SlotJob | null {
  const scan = getScan(scanId);
  const connector = scan ? getConnector(scan.connectorId) : undefined;
  if (!scan || !connector) return null;
  const host =
    connector.sourceKind === "local"
      ? sourceHost({ kind: "local" })
      : connector.sourceKind === "npm"
        ? sourceHost({ kind: "npm", registry: npmRegistryUrl(env().projectRoot) })
        : sourceHost({ kind: "github", apiUrl: env().GITHUB_API_URL });
  return { scanId, connectorId: connector.id, host };
}

export interface ScanQueueOptions {
  concurrency: number;
  /** Runs one scan to its end (executeScan in the app). */
  execute?: (scanId: number) => Promise<void>;
  /** The scan's connector and host; null when it is gone (it then runs, to be failed or skipped by execute). */
  describe?: (scanId: number) => SlotJob | null;
}

/**
 * Runs queued scans, a few at a time, fairly: no connector and no host may hold every slot (lib/jobs/fairness.ts), so
 * a hanging source can't starve the others. A waiting scan that can't start yet doesn't hold up those behind it.
 */
export class ScanQueue {
  readonly #caps: SlotCaps;
  readonly #execute: (scanId: number) => Promise<void>;
  readonly #describe: (scanId: number) => SlotJob | null;
  readonly #running: SlotJob[] = [];
  readonly #pending: SlotJob[] = [];
  #idleWaiters: Array<() => void> = [];

  constructor(options: ScanQueueOptions) {
    this.#caps = slotCaps(options.concurrency);
    this.#execute = options.execute ?? executeScan;
    this.#describe = options.describe ?? describeScan;
  }

  get concurrency(): number {
    return this.#caps.total;
  }

  enqueue(scanId: number): void {
    if (!this.#pending.some((j) => j.scanId === scanId) && !this.#running.some((j) => j.scanId === scanId)) {
      this.#pending.push(this.#describe(scanId) ?? { scanId, connectorId: -scanId, host: `gone:${scanId}` });
    }
    this.#pump();
  }

  get size(): { running: number; pending: number } {
    return { running: this.#running.length, pending: this.#pending.length };
  }

  /** The scans running now, for tests and the admin view. */
  running(): number[] {
    return this.#running.map((j) => j.scanId);
  }

  /** Resolves once nothing is running or waiting (tests, and a graceful shutdown). */
  whenIdle(): Promise<void> {
    if (this.#running.length === 0 && this.#pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #pump(): void {
    if (this.#running.length === 0 && this.#pending.length === 0) {
      for (const resolve of this.#idleWaiters.splice(0)) resolve();
      return;
    }
    for (;;) {
      const index = nextRunnable(this.#pending, this.#running, this.#caps);
      if (index === -1) return;
      const [job] = this.#pending.splice(index, 1) as [SlotJob];
      this.#running.push(job);
      this.#execute(job.scanId)
        .catch((error: unknown) => log.error({ err: error, scanId: job.scanId }, "scan worker crashed"))
        .finally(() => {
          this.#running.splice(this.#running.indexOf(job), 1);
          this.#pump();
        });
    }
  }
}

const globalForQueue = globalThis as unknown as { launchReviewScanQueue?: ScanQueue };

export function scanQueue(): ScanQueue {
  globalForQueue.launchReviewScanQueue ??= new ScanQueue({ concurrency: env().LAUNCH_REVIEW_SCAN_CONCURRENCY });
  return globalForQueue.launchReviewScanQueue;
}
