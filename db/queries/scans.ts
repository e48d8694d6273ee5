import "server-only";
// Scans and their results. A scan's findings and checklist are written in one transaction with its final status.
import { and, asc, desc, eq, inArray, lt, sql } from "drizzle-orm";
import { z } from "zod";
import type { ScanReport, WatchedPackage } from "@/lib/core/report";
import { getDb, type DbOrTx } from "../client";
import { findings, scanChecklistItems, scans, type FindingRow, type Scan, type ScanChecklistItemRow } from "../schema";
import { type ScanProgress } from "@/lib/core/types";
import { appendAudit } from "./audit";
import { insertScanTools } from "./tools";
import { insertScanPackages } from "./fleet";

type Trigger = Scan["trigger"];

export function insertQueuedScan(connectorId: number, trigger: Trigger, correlationId: string, tx: DbOrTx = getDb()): Scan {
  return tx
    .insert(scans)
    .values({ connectorId, trigger, correlationId, status: "queued", progress: { stage: "queued", message: "Waiting to start" } })
    .returning()
    .get();
}

/** The connector's queued or running scan, if any: a second "Scan now" joins it instead of starting another. */
export function activeScanFor(connectorId: number): Scan | undefined {
  return getDb()
    .select()
    .from(scans)
    .where(and(eq(scans.connectorId, connectorId), inArray(scans.status, ["queued", "running"])))
    .orderBy(desc(scans.id))
    .limit(1)
    .get();
}

export function getScan(id: number): Scan | undefined {
  return getDb().select().from(scans).where(eq(scans.id, id)).get();
}

/** Scan history, newest first, without the stored report (it can be large). */
export function listScans(connectorId: number, limit = 50) {
  return getDb()
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
    .limit(limit)
    .all();
}

export function queuedScanIds(): number[] {
  return getDb()
    .select({ id: scans.id })
    .from(scans)
    .where(eq(scans.status, "queued"))
    .orderBy(asc(scans.id))
    .all()
    .map((r) => r.id);
}

/**
 * Moves a queued scan to running; false if it was no longer queued (another worker took it, or it was cancelled).
 * `takeOver`: the scan's job came back because the worker running it was lost, so a running scan may be claimed too.
 */
export function markScanRunning(id: number, options: { takeOver?: boolean } = {}): boolean {
  const claimable = options.takeOver ? inArray(scans.status, ["queued", "running"]) : eq(scans.status, "queued");
  const result = getDb()
    .update(scans)
    .set({ status: "running", startedAt: new Date(), progress: { stage: "source", message: "Starting" } })
    .where(and(eq(scans.id, id), claimable))
    .run();
  return result.changes === 1;
}

/** The commit a running scan resolved its ref to, stored as soon as it is known. */
export function recordScanCommit(id: number, commit: string): void {
  getDb()
    .update(scans)
    .set({ commit })
    .where(and(eq(scans.id, id), eq(scans.status, "running")))
    .run();
}

export function updateScanProgress(id: number, progress: ScanProgress): void {
  getDb()
    .update(scans)
    .set({ progress })
    .where(and(eq(scans.id, id), eq(scans.status, "running")))
    .run();
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
export function completeScan(
  id: number,
  report: ScanReport,
  actor: string,
  derived: { watched: readonly WatchedPackage[]; advisoriesKnown: boolean },
): void {
  const { watched } = derived;
  const db = getDb();
  db.transaction(
    (tx) => {
      const scan = tx.select().from(scans).where(eq(scans.id, id)).get();
      if (!scan) throw new Error(`scan ${id} disappeared`);
      for (let i = 0; i < report.findings.length; i += 200) {
        const batch = report.findings.slice(i, i + 200);
        tx.insert(findings)
          .values(
            batch.map((f) => ({
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
          )
          .run();
      }
      insertScanTools(id, report.tools, tx);
      insertScanPackages(id, scan.connectorId, watched, tx);
      if (report.checklist.length > 0) {
        tx.insert(scanChecklistItems)
          .values(
            report.checklist.map((c) => ({
              scanId: id,
              itemId: c.id,
              section: c.section,
              status: c.status,
              findings: c.findings,
              reason: c.reason,
            })),
          )
          .run();
      }
      const finishedAt = new Date();
      tx.update(scans)
        .set({
          status: "succeeded",
          // An npm package has no commit: the exact version its tag resolved to is its pin (the report keeps the integrity).
          commit: report.source.commit ?? report.source.package?.version ?? null,
          finishedAt,
          durationMs: scan.startedAt ? finishedAt.getTime() - scan.startedAt.getTime() : report.stats.durationMs,
          ...report.summary,
          ...advisoryCounts(report),
          advisoriesKnown: derived.advisoriesKnown,
          watchedVulnerable: watched.filter((w) => w.lag === "vulnerable").length,
          watchedBehind: watched.filter((w) => w.lag === "major" || w.lag === "minor" || w.lag === "patch").length,
          stats: report.stats,
          report: JSON.stringify(report),
          progress: { stage: "done", message: "Finished", files: report.stats.files, findings: report.findings.length },
          error: null,
        })
        .where(eq(scans.id, id))
        .run();
      appendAudit(
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
    },
    { behavior: "immediate" },
  );
}

export function failScan(id: number, error: string, actor: string): void {
  const db = getDb();
  db.transaction(
    (tx) => {
      const scan = tx.select().from(scans).where(eq(scans.id, id)).get();
      if (!scan || scan.status === "succeeded" || scan.status === "failed") return;
      const finishedAt = new Date();
      tx.update(scans)
        .set({
          status: "failed",
          error,
          finishedAt,
          durationMs: scan.startedAt ? finishedAt.getTime() - scan.startedAt.getTime() : null,
          progress: { stage: "failed", message: error },
        })
        .where(eq(scans.id, id))
        .run();
      appendAudit(
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
    },
    { behavior: "immediate" },
  );
}

/** At start: scans a killed process left running can't finish, so they fail with that reason. */
export function failInterruptedScans(): number[] {
  const running = getDb().select({ id: scans.id }).from(scans).where(eq(scans.status, "running")).all();
  for (const { id } of running) failScan(id, "The server stopped while this scan was running. Start it again.", "system");
  return running.map((r) => r.id);
}

export function findingsForScan(scanId: number): FindingRow[] {
  return getDb().select().from(findings).where(eq(findings.scanId, scanId)).orderBy(asc(findings.id)).all();
}

export function checklistForScan(scanId: number): ScanChecklistItemRow[] {
  return getDb().select().from(scanChecklistItems).where(eq(scanChecklistItems.scanId, scanId)).all();
}

const ScannedPackage = z.object({ name: z.string(), version: z.string(), integrity: z.string() });

/** The package an npm scan read (name, exact version, integrity), from its stored report without parsing all of it. */
export function scannedPackageOf(scanId: number): z.infer<typeof ScannedPackage> | null {
  const row = getDb()
    .select({ pkg: sql<string | null>`json_extract(${scans.report}, '$.source.package')` })
    .from(scans)
    .where(eq(scans.id, scanId))
    .get();
  if (!row?.pkg) return null;
  const parsed = ScannedPackage.safeParse(JSON.parse(row.pkg));
  return parsed.success ? parsed.data : null;
}

/** The stored report of a finished scan, parsed. */
export function reportForScan(scanId: number): ScanReport | null {
  const row = getDb().select({ report: scans.report }).from(scans).where(eq(scans.id, scanId)).get();
  return row?.report ? (JSON.parse(row.report) as ScanReport) : null;
}

/**
 * Deletes finished scans (and, by cascade, their findings and checklist rows) older than `cutoff`, always keeping
 * each connector's latest successful scan so its current state is never lost, and scans a review was built on.
 */
export function purgeScansBefore(cutoff: Date): number {
  return getDb()
    .$client.prepare(
      `DELETE FROM scans
       WHERE status IN ('succeeded', 'failed')
         AND coalesce(finished_at, queued_at) < ?
         AND id NOT IN (SELECT max(id) FROM scans WHERE status = 'succeeded' GROUP BY connector_id)
         AND id NOT IN (SELECT scan_id FROM reviews)
         AND id NOT IN (SELECT stale_scan_id FROM reviews WHERE stale_scan_id IS NOT NULL)`,
    )
    .run(cutoff.getTime()).changes;
}

/** How many of the connector's most recent finished scans failed in a row. */
export function consecutiveFailures(connectorId: number): number {
  const recent = getDb()
    .select({ status: scans.status })
    .from(scans)
    .where(and(eq(scans.connectorId, connectorId), inArray(scans.status, ["succeeded", "failed"])))
    .orderBy(desc(scans.id))
    .limit(50)
    .all();
  const firstSuccess = recent.findIndex((s) => s.status === "succeeded");
  return firstSuccess === -1 ? recent.length : firstSuccess;
}

export function latestSucceededScan(connectorId: number): Scan | undefined {
  return getDb()
    .select()
    .from(scans)
    .where(and(eq(scans.connectorId, connectorId), eq(scans.status, "succeeded")))
    .orderBy(desc(scans.id))
    .limit(1)
    .get();
}

/** The connector's last successful scan before `scanId`: what a scan's changes are measured against. */
export function previousSucceededScan(connectorId: number, scanId: number): Scan | undefined {
  return getDb()
    .select()
    .from(scans)
    .where(and(eq(scans.connectorId, connectorId), eq(scans.status, "succeeded"), lt(scans.id, scanId)))
    .orderBy(desc(scans.id))
    .limit(1)
    .get();
}
