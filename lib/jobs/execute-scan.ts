// Runs one queued scan to its end, wherever it runs: in a scan worker thread of the app's pool (lib/jobs/scan-pool.ts),
// in a `launch-review worker` process, or inline in tests. It reads and writes the database itself, progress included,
// so the web process only enqueues, reads progress and serves pages.
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
import type { Pacer } from "./foreground";
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

const log = logger("scan");

/** How a connector's stored source becomes a spec; local folders are re-checked against the allowed root every time. */
async function sourceSpecFor(connector: Connector): Promise<SourceSpec> {
  if (connector.sourceKind === "local") {
    const folder = await resolveFolderUnderRoot(connector.location, env().scanRoots);
    return { kind: "local", path: folder, subdirectory: connector.subdirectory };
  }
  if (connector.sourceKind === "npm") {
    // The version or tag (null: latest) resolves anew at every scan; the report pins the version and integrity read.
    return {
      kind: "npm",
      name: connector.location,
      version: connector.ref,
      subdirectory: connector.subdirectory,
      registry: npmRegistryUrl(env().projectRoot),
    };
  }
  return {
    kind: "github",
    repository: connector.location,
    ref: connector.ref,
    subdirectory: connector.subdirectory,
    token: await connectorToken(connector),
    apiUrl: env().GITHUB_API_URL,
    tokenHint: "on the connector page",
  };
}

/** Runs one queued scan to the end: succeeded with its results, or failed with a reason a user can act on. */
export async function executeScan(scanId: number, options: { takeOver?: boolean; pacer?: Pacer } = {}): Promise<void> {
  const scan = await getScan(scanId);
  if (!scan || !(await retryWhenBusy(() => markScanRunning(scanId, options)))) return;
  const scanLog = log.child({ scanId, correlationId: scan.correlationId });
  const connector = await getConnector(scan.connectorId);
  if (!connector) return await failScan(scanId, "The connector was deleted.", "system");

  let lastWrite = 0;
  // The engine reports progress and the commit without waiting (its callbacks return nothing): the writes are started
  // here and their failures logged, so a failed write can't surface later as an unhandled rejection.
  const onProgress = (p: ScanProgress) => {
    // Progress is polled by the browser; a write every 250 ms is plenty and keeps SQLite quiet.
    const now = Date.now();
    if (now - lastWrite < 250 && p.stage === "checks") return;
    lastWrite = now;
    updateScanProgress(scanId, p).catch((error: unknown) => {
      // Progress is best effort: a busy database (another process writing) only delays the next update.
      if (!isDatabaseBusy(error)) scanLog.warn({ err: error }, "could not record the scan's progress");
    });
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
      onCommit: (commit) => {
        recordScanCommit(scanId, commit).catch((error: unknown) => scanLog.warn({ err: error }, "could not record the scan's commit"));
      },
      logger: scanLog,
      pace: options.pacer?.pace,
      // A refresh exists to see advisories published since the last scan: it asks the source, not the cache.
      services: {
        toolBaseline: await toolBaselineFor(connector.id),
        dependencies: await dependencyServicesFromSettings({ freshAdvisories: scan.trigger === "advisory-refresh" }),
      },
    });
    onProgress({ stage: "saving", message: "Saving results", files: report.stats.files, findings: report.findings.length });
    const previous = await latestSucceededScan(connector.id);
    // A scan's results must land: while another process holds the write lock, keep trying without blocking.
    await retryWhenBusy(() => storeScanResult(scanId, report, "system"), {
      onRetry: () => scanLog.warn("database busy; retrying the save"),
    });
    void alertNewAdvisories(connector.id, scanId, previous?.id ?? null).catch((error: unknown) =>
      scanLog.error({ err: error }, "advisory alerts failed"),
    );
    await checkStalenessAfterScan(connector.id, scanId, scan.correlationId);
    scanLog.info(
      { summary: report.summary, durationMs: report.stats.durationMs, pausedForPagesMs: options.pacer?.pausedMs },
      "scan succeeded",
    );
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
    await reportRepeatedFailures(connector.id, scan.correlationId);
  }
}

export const REPEATED_FAILURES = 3;

/** Three failed scans in a row for one connector is worth a security event (and an alert if configured). */
export async function reportRepeatedFailures(connectorId: number, correlationId: string): Promise<void> {
  const streak = await consecutiveFailures(connectorId);
  if (streak === REPEATED_FAILURES) {
    await recordSecurityEvent({
      type: "scan.repeated-failures",
      actor: "system",
      correlationId,
      details: { connectorId, failures: streak },
    });
    const connector = await getConnector(connectorId);
    notifyInBackground({
      type: "scan.repeated-failures",
      title: `${connector?.name ?? `Connector ${connectorId}`}: ${streak} scans failed in a row`,
      connector: connector ? { id: connector.id, name: connector.name } : undefined,
      path: `/connectors/${connectorId}`,
      dedupeKey: `failures:${connectorId}:${correlationId}`,
    });
  }
}
