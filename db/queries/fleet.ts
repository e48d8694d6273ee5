import "server-only";
// The fleet dashboard's queries: every connector's launch status, open advisories and watched packages, aggregated
// in SQL (one query per view, never one per row), and their history over time.
import type { WatchedPackage } from "@/lib/core/report";
import { getDb, type DbOrTx } from "../client";
import { scanPackages } from "../schema";
import { type LagLevel } from "@/lib/core/types";

export function insertScanPackages(scanId: number, connectorId: number, packages: readonly WatchedPackage[], tx: DbOrTx = getDb()): void {
  if (packages.length === 0) return;
  tx.insert(scanPackages)
    .values(
      packages.map((p) => ({
        scanId,
        connectorId,
        package: p.package,
        version: p.version,
        latest: p.latest,
        lag: p.lag,
        advisories: p.advisories,
        fixedIn: p.fixedIn,
      })),
    )
    .onConflictDoNothing()
    .run();
}

export type LaunchStatus = "not reviewed" | "in review" | "signed off" | "stale";

export interface FleetRow {
  id: number;
  name: string;
  teamId: number;
  teamName: string;
  sourceKind: "local" | "github";
  location: string;
  scanId: number | null;
  scannedAt: Date | null;
  critical: number;
  high: number;
  advisoriesCritical: number;
  advisoriesHigh: number;
  /** False when the latest scan could not tell (the advisory source was unavailable, …): show "unknown", not the counts. */
  advisoriesKnown: boolean;
  status: LaunchStatus;
  signedOffCommit: string | null;
  /** Higher is riskier (the weights: lib/fleet/dashboard.ts). */
  risk: number;
}

export interface MatrixCell {
  connectorId: number;
  package: string;
  version: string;
  latest: string | null;
  lag: LagLevel;
  advisories: string[];
  fixedIn: string | null;
  scanId: number;
  /** False when that scan's advisories are unknown: `advisories` is then what could be found, not the whole answer. */
  advisoriesKnown: boolean;
}

/** The watched packages of each connector's latest successful scan: the patch matrix, in one query. */
export function matrixCells(connectorIds: readonly number[] | "all"): MatrixCell[] {
  if (connectorIds !== "all" && connectorIds.length === 0) return [];
  const filter = connectorIds === "all" ? "" : `AND p.connector_id IN (${connectorIds.map(() => "?").join(",")})`;
  const rows = getDb()
    .$client.prepare(
      `WITH latest_scan AS (SELECT connector_id, max(id) AS id FROM scans WHERE status = 'succeeded' GROUP BY connector_id)
       SELECT p.connector_id AS connectorId, p.package, p.version, p.latest, p.lag, p.advisories, p.fixed_in AS fixedIn, p.scan_id AS scanId,
              s.advisories_known AS advisoriesKnown
       FROM scan_packages p JOIN latest_scan ls ON ls.id = p.scan_id JOIN scans s ON s.id = p.scan_id
       WHERE 1 = 1 ${filter}`,
    )
    .all(...(connectorIds === "all" ? [] : connectorIds)) as Array<
    Omit<MatrixCell, "advisories" | "advisoriesKnown"> & { advisories: string; advisoriesKnown: number }
  >;
  return rows.map((r) => ({ ...r, advisories: JSON.parse(r.advisories) as string[], advisoriesKnown: r.advisoriesKnown !== 0 }));
}

export interface HistoryPoint {
  day: string;
  critical: number;
  high: number;
  /** Null ("unknown") when any counted connector's advisories were unknown that day: a partial sum would read low. */
  vulnerable: number | null;
  behind: number;
}

/**
 * The fleet's (or one connector's) open critical/high findings and watched-package lag per day: each connector counts
 * with its latest successful scan as of that day, carried forward over days without a scan.
 */
export function history(connectorIds: readonly number[] | "all", days = 90, now = new Date()): HistoryPoint[] {
  if (connectorIds !== "all" && connectorIds.length === 0) return [];
  const since = now.getTime() - days * 24 * 3600_000;
  const filter = connectorIds === "all" ? "" : `AND s.connector_id IN (${connectorIds.map(() => "?").join(",")})`;
  const ids = connectorIds === "all" ? [] : connectorIds;
  // Each connector's last successful scan per day in the window, plus its last one before the window (the state the
  // window opens with). Counts are columns of scans, so this reads no package rows.
  const rows = getDb()
    .$client.prepare(
      `WITH picked AS (
         SELECT max(id) AS id FROM scans s
         WHERE s.status = 'succeeded' AND s.finished_at >= ? ${filter}
         GROUP BY s.connector_id, date(s.finished_at / 1000, 'unixepoch')
         UNION
         SELECT max(id) FROM scans s
         WHERE s.status = 'succeeded' AND s.finished_at < ? ${filter}
         GROUP BY s.connector_id
       )
       SELECT s.connector_id AS connectorId, date(s.finished_at / 1000, 'unixepoch') AS day, s.critical, s.high,
              s.watched_vulnerable AS vulnerable, s.watched_behind AS behind, s.advisories_known AS known
       FROM picked JOIN scans s ON s.id = picked.id
       ORDER BY s.finished_at`,
    )
    .all(since, ...ids, since, ...ids) as Array<HistoryPoint & { connectorId: number; known: number }>;

  const current = new Map<number, Omit<HistoryPoint, "day">>();
  const byDay = new Map<string, Array<(typeof rows)[number]>>();
  for (const r of rows) {
    const list = byDay.get(r.day);
    if (list) list.push(r);
    else byDay.set(r.day, [r]);
  }
  const out: HistoryPoint[] = [];
  const firstDay = new Date(since);
  for (let t = Date.UTC(firstDay.getUTCFullYear(), firstDay.getUTCMonth(), firstDay.getUTCDate()); t <= now.getTime(); t += 24 * 3600_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    // Scans from before the window seed the state on its first day.
    for (const [d, list] of byDay) {
      if (d > day) continue;
      for (const r of list)
        current.set(r.connectorId, {
          critical: r.critical,
          high: r.high,
          vulnerable: r.known === 0 ? null : r.vulnerable,
          behind: r.behind,
        });
      byDay.delete(d);
    }
    if (current.size === 0) continue;
    const sum: HistoryPoint = { day, critical: 0, high: 0, vulnerable: 0, behind: 0 };
    for (const v of current.values()) {
      sum.critical += v.critical;
      sum.high += v.high;
      sum.vulnerable = sum.vulnerable === null || v.vulnerable === null ? null : sum.vulnerable + v.vulnerable;
      sum.behind += v.behind;
    }
    out.push(sum);
  }
  return out;
}
