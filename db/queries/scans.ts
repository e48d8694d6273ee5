import "server-only";
// Scans and their results. A scan's findings and checklist are written in one transaction with its final status.
import { and, asc, desc, eq, inArray, isNotNull, isNull, lt, max, notInArray, or } from "drizzle-orm";
import { z } from "zod";
import type { ScanReport, WatchedPackage } from "@/lib/core/report";
import { returnedRow } from "../rows";
import { getDb, type Db } from "../client";
import { jsonText } from "../dialect";
import { inTransaction, prepareInsert } from "../transaction";
import { findings, reviews, scanChecklistItems, scans, scanTools, type FindingRow, type Scan, type ScanChecklistItemRow } from "../schema";
import { type ScanProgress } from "@/lib/core/types";
import { appendAudit } from "./audit";
import { scanToolRows } from "./tools";
import { insertScanPackages, watchedCounts } from "./fleet";

type Trigger = Scan["trigger"];

export async function insertQueuedScan(connectorId: number, trigger: Trigger, correlationId: string, tx: Db = getDb()): Promise<Scan> {
  return returnedRow(
    tx
      .insert(scans)
      .values({ connectorId, trigger, correlationId, status: "queued", progress: { stage: "queued", message: "Waiting to start" } })
      .returning(),
  );
}

/** The connector's queued or running scan, if any: a second "Scan now" joins it instead of starting another. */
export async function activeScanFor(connectorId: number): Promise<Scan | undefined> {
  return (
    await getDb()
      .select()
      .from(scans)
      .where(and(eq(scans.connectorId, connectorId), inArray(scans.status, ["queued", "running"])))
      .orderBy(desc(scans.id))
      .limit(1)
  )[0];
}

export async function getScan(id: number): Promise<Scan | undefined> {
  return (await getDb().select().from(scans).where(eq(scans.id, id)))[0];
}

/** Scan history, newest first, without the stored report (it can be large). */
export async function listScans(connectorId: number, limit = 50) {
  return await getDb()
    .select({
      id: scans.id,
      status: scans.status,
      trigger: scans.trigger,
      commit: scans.commit,
      queuedAt: scans.queuedAt,
      startedAt: scans.startedAt,
      finishedAt: scans.finishedAt,
      durationMs: scans.durationMs,
      critical: scans.critical,
      high: scans.high,
      moderate: scans.moderate,
      low: scans.low,
      info: scans.info,
      error: scans.error,
      progress: scans.progress,
    })
    .from(scans)
    .where(eq(scans.connectorId, connectorId))
    .orderBy(desc(scans.id))
    .limit(limit);
}

/** The scans waiting for a worker, oldest first. */
export async function queuedScans(): Promise<Array<{ id: number; connectorId: number }>> {
  return getDb().select({ id: scans.id, connectorId: scans.connectorId }).from(scans).where(eq(scans.status, "queued")).orderBy(asc(scans.id));
}

/**
 * Moves a queued scan to running; false if it was no longer queued (another worker took it, or it was cancelled).
 * `takeOver`: the scan's job came back because the worker running it was lost, so a running scan may be claimed too.
 */
export async function markScanRunning(id: number, options: { takeOver?: boolean } = {}): Promise<boolean> {
  const claimable = options.takeOver ? inArray(scans.status, ["queued", "running"]) : eq(scans.status, "queued");
  const moved = await getDb()
    .update(scans)
    .set({ status: "running", startedAt: new Date(), progress: { stage: "source", message: "Starting" } })
    .where(and(eq(scans.id, id), claimable))
    .returning({ id: scans.id });
  return moved.length === 1;
}

/** The commit a running scan resolved its ref to, stored as soon as it is known. */
export async function recordScanCommit(id: number, commit: string): Promise<void> {
  await getDb()
    .update(scans)
    .set({ commit })
    .where(and(eq(scans.id, id), eq(scans.status, "running")));
}

export async function updateScanProgress(id: number, progress: ScanProgress): Promise<void> {
  await getDb()
    .update(scans)
    .set({ progress })
    .where(and(eq(scans.id, id), eq(scans.status, "running")));
}

function advisoryCounts(report: ScanReport): { advisoriesCritical: number; advisoriesHigh: number } {
  const distinct = new Map(report.dependencies.vulnerabilities.map((v) => [`${v.package}@${v.version} ${v.advisory}`, v.severity]));
  const severities = [...distinct.values()];
  return {
    advisoriesCritical: severities.filter((s) => s === "critical").length,
    advisoriesHigh: severities.filter((s) => s === "high").length,
  };
}

/**
 * Stores a finished scan's findings, checklist, watched packages (their patch status, worked out by the engine),
 * whether its advisory answer is complete, and the report, and marks it succeeded, all or nothing.
 */
export async function completeScan(
  id: number,
  report: ScanReport,
  actor: string,
  derived: { watched: readonly WatchedPackage[]; advisoriesKnown: boolean },
): Promise<void> {
  const { watched } = derived;
  // Everything that takes time is made ready before the transaction takes SQLite's write lock (prepareInsert).
  const db = getDb();
  const writeFindings = prepareInsert(
    db,
    findings,
    report.findings.map((f) => ({
      scanId: id,
      checkId: f.checkId,
      ruleId: f.ruleId,
      section: f.section,
      severity: f.severity,
      title: f.title,
      message: f.message,
      remediation: f.remediation,
      path: f.location?.path ?? null,
      line: f.location?.line ?? null,
      endLine: f.location?.endLine ?? null,
      evidence: f.evidence ?? null,
      fingerprint: f.fingerprint,
    })),
  );
  const writeTools = prepareInsert(db, scanTools, scanToolRows(id, report.tools));
  const reportJson = JSON.stringify(report);
  await inTransaction(db, async (tx) => {
    const scan = (await tx.select().from(scans).where(eq(scans.id, id)))[0];
    if (!scan) throw new Error(`scan ${id} disappeared`);
    await writeFindings(tx);
    await writeTools(tx);
    await insertScanPackages(id, scan.connectorId, watched, tx);
    if (report.checklist.length > 0) {
      await tx.insert(scanChecklistItems).values(
        report.checklist.map((c) => ({
          scanId: id,
          itemId: c.id,
          section: c.section,
          status: c.status,
          findings: c.findings,
          reason: c.reason,
        })),
      );
    }
    const finishedAt = new Date();
    await tx
      .update(scans)
      .set({
        status: "succeeded",
        // An npm package has no commit: the exact version its tag resolved to is its pin (the report keeps the integrity).
        commit: report.source.commit ?? report.source.package?.version ?? null,
        finishedAt,
        durationMs: scan.startedAt ? finishedAt.getTime() - scan.startedAt.getTime() : report.stats.durationMs,
        ...report.summary,
        ...advisoryCounts(report),
        advisoriesKnown: derived.advisoriesKnown,
        ...watchedCounts(watched, derived.advisoriesKnown),
        stats: report.stats,
        report: reportJson,
        progress: { stage: "done", message: "Finished", files: report.stats.files, findings: report.findings.length },
        error: null,
      })
      .where(eq(scans.id, id));
    await appendAudit(
      {
        actor,
        action: "scan.succeeded",
        targetType: "scan",
        targetId: id,
        correlationId: scan.correlationId,
        details: { connectorId: scan.connectorId, commit: report.source.commit, summary: report.summary },
      },
      tx,
    );
  });
}

export async function failScan(id: number, error: string, actor: string): Promise<void> {
  await inTransaction(getDb(), async (tx) => {
    const scan = (await tx.select().from(scans).where(eq(scans.id, id)))[0];
    if (!scan || scan.status === "succeeded" || scan.status === "failed") return;
    const finishedAt = new Date();
    await tx
      .update(scans)
      .set({
        status: "failed",
        error,
        finishedAt,
        durationMs: scan.startedAt ? finishedAt.getTime() - scan.startedAt.getTime() : null,
        progress: { stage: "failed", message: error },
      })
      .where(eq(scans.id, id));
    await appendAudit(
      {
        actor,
        action: "scan.failed",
        targetType: "scan",
        targetId: id,
        correlationId: scan.correlationId,
        details: { connectorId: scan.connectorId, error },
      },
      tx,
    );
  });
}

/** At start: scans a killed process left running can't finish, so they fail with that reason. */
export async function failInterruptedScans(): Promise<number[]> {
  const running = await getDb().select({ id: scans.id }).from(scans).where(eq(scans.status, "running"));
  for (const { id } of running) await failScan(id, "The server stopped while this scan was running. Start it again.", "system");
  return running.map((r) => r.id);
}

export async function findingsForScan(scanId: number): Promise<FindingRow[]> {
  return await getDb().select().from(findings).where(eq(findings.scanId, scanId)).orderBy(asc(findings.id));
}

export async function checklistForScan(scanId: number): Promise<ScanChecklistItemRow[]> {
  return await getDb().select().from(scanChecklistItems).where(eq(scanChecklistItems.scanId, scanId));
}

const ScannedPackage = z.object({ name: z.string(), version: z.string(), integrity: z.string() });

/** The package an npm scan read (name, exact version, integrity), from its stored report without parsing all of it. */
export async function scannedPackageOf(scanId: number): Promise<z.infer<typeof ScannedPackage> | null> {
  const row = (
    await getDb()
      .select({ pkg: jsonText(scans.report, "$.source.package") })
      .from(scans)
      .where(eq(scans.id, scanId))
  )[0];
  if (!row?.pkg) return null;
  const parsed = ScannedPackage.safeParse(JSON.parse(row.pkg));
  return parsed.success ? parsed.data : null;
}

/** The stored report of a finished scan, parsed. */
export async function reportForScan(scanId: number): Promise<ScanReport | null> {
  const row = (await getDb().select({ report: scans.report }).from(scans).where(eq(scans.id, scanId)))[0];
  return row?.report ? (JSON.parse(row.report) as ScanReport) : null;
}

/**
 * Deletes finished scans (and, by cascade, their findings and checklist rows) older than `cutoff`, always keeping
 * each connector's latest successful scan so its current state is never lost, and scans a review was built on.
 */
export async function purgeScansBefore(cutoff: Date): Promise<number> {
  const latestSucceeded = getDb()
    .select({ id: max(scans.id) })
    .from(scans)
    .where(eq(scans.status, "succeeded"))
    .groupBy(scans.connectorId);
  const reviewed = getDb().select({ id: reviews.scanId }).from(reviews);
  const reviewedStale = getDb().select({ id: reviews.staleScanId }).from(reviews).where(isNotNull(reviews.staleScanId));
  const deleted = await getDb()
    .delete(scans)
    .where(
      and(
        inArray(scans.status, ["succeeded", "failed"]),
        or(lt(scans.finishedAt, cutoff), and(isNull(scans.finishedAt), lt(scans.queuedAt, cutoff))),
        notInArray(scans.id, latestSucceeded),
        notInArray(scans.id, reviewed),
        notInArray(scans.id, reviewedStale),
      ),
    )
    .returning({ id: scans.id });
  return deleted.length;
}

/** How many of the connector's most recent finished scans failed in a row. */
export async function consecutiveFailures(connectorId: number): Promise<number> {
  const recent = await getDb()
    .select({ status: scans.status })
    .from(scans)
    .where(and(eq(scans.connectorId, connectorId), inArray(scans.status, ["succeeded", "failed"])))
    .orderBy(desc(scans.id))
    .limit(50);
  const firstSuccess = recent.findIndex((s) => s.status === "succeeded");
  return firstSuccess === -1 ? recent.length : firstSuccess;
}

export async function latestSucceededScan(connectorId: number): Promise<Scan | undefined> {
  return (
    await getDb()
      .select()
      .from(scans)
      .where(and(eq(scans.connectorId, connectorId), eq(scans.status, "succeeded")))
      .orderBy(desc(scans.id))
      .limit(1)
  )[0];
}

/** The connector's last successful scan before `scanId`: what a scan's changes are measured against. */
export async function previousSucceededScan(connectorId: number, scanId: number): Promise<Scan | undefined> {
  return (
    await getDb()
      .select()
      .from(scans)
      .where(and(eq(scans.connectorId, connectorId), eq(scans.status, "succeeded"), lt(scans.id, scanId)))
      .orderBy(desc(scans.id))
      .limit(1)
  )[0];
}
