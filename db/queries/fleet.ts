import "server-only";
// The fleet dashboard's queries: every connector's launch status, open advisories and watched packages, aggregated
// in SQL (one query per view, never one per row), and their history over time.
import type { WatchedPackage } from "@/lib/core/report";
import { eq, sql } from "drizzle-orm";
import { getDb, type Db } from "../client";
import { epochMs, selectRows } from "../dialect";
import { dataVersions, scanPackages, type SourceKind } from "../schema";
import { type LagLevel } from "@/lib/core/types";

export async function insertScanPackages(
  scanId: number,
  connectorId: number,
  packages: readonly WatchedPackage[],
  tx: Db = getDb(),
): Promise<void> {
  if (packages.length === 0) return;
  await tx
    .insert(scanPackages)
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
    .onConflictDoNothing();
}

/** Each watched package's lag in the fleet's risk score; lib/fleet/dashboard.ts lists every weight. */
const LAG_RISK: Record<LagLevel, number> = { vulnerable: 100, major: 8, minor: 3, patch: 1, current: 0, unknown: 0 };

/**
 * A succeeded scan's watched-package numbers, kept on the scan: the history's lines and the lag's share of the risk
 * sort, so the dashboard never sums package rows per request. Without an answer from the advisory source only a known
 * advisory counts: lag alone would rank an unknown cell as if it were known to be safe.
 */
export function watchedCounts(watched: readonly WatchedPackage[], advisoriesKnown: boolean) {
  return {
    watchedVulnerable: watched.filter((w) => w.lag === "vulnerable").length,
    watchedBehind: watched.filter((w) => w.lag === "major" || w.lag === "minor" || w.lag === "patch").length,
    watchedLagRisk: watched.reduce((sum, w) => sum + (w.lag === "vulnerable" || advisoriesKnown ? LAG_RISK[w.lag] : 0), 0),
  };
}

export type LaunchStatus = "not reviewed" | "in review" | "signed off" | "stale";

export interface FleetRow {
  id: number;
  name: string;
  teamId: number;
  teamName: string;
  sourceKind: SourceKind;
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

/**
 * The watched packages of the given scans (each connector's latest, as fleet rows carry them): a page's cells. The ids
 * bound both tables, so Postgres looks the scans up by key instead of hashing the whole scans table.
 */
export async function matrixCellsOfScans(scanIds: readonly number[]): Promise<MatrixCell[]> {
  if (scanIds.length === 0) return [];
  const rows = await selectRows<Omit<MatrixCell, "advisories" | "advisoriesKnown"> & { advisories: unknown; advisoriesKnown: unknown }>(
    getDb(),
    sql`SELECT p.connector_id AS "connectorId", p.package, p.version, p.latest, p.lag, p.advisories, p.fixed_in AS "fixedIn",
               p.scan_id AS "scanId", s.advisories_known AS "advisoriesKnown"
        FROM scan_packages p JOIN scans s ON s.id = p.scan_id
        WHERE p.scan_id IN (${sql.join([...scanIds], sql`, `)}) AND s.id IN (${sql.join([...scanIds], sql`, `)})`,
  );
  return rows.map((r) => ({
    ...r,
    connectorId: Number(r.connectorId),
    scanId: Number(r.scanId),
    // A JSON column read by hand: SQLite hands back its text, PostgreSQL the parsed value.
    advisories: (typeof r.advisories === "string" ? JSON.parse(r.advisories) : r.advisories) as string[],
    advisoriesKnown: r.advisoriesKnown === true || r.advisoriesKnown === 1,
  }));
}

/**
 * Moves whenever a scan succeeds, stops being succeeded or is deleted as a succeeded one (a scan's numbers never change
 * after it succeeds): what is computed from succeeded scans alone can be kept until it moves. The database's triggers
 * keep it (db/migrations/0013), so reading it is one primary-key lookup.
 */
export async function succeededScansVersion(): Promise<number> {
  const [row] = await getDb().select({ version: dataVersions.version }).from(dataVersions).where(eq(dataVersions.name, "succeeded_scans"));
  return row?.version ?? 0;
}

export interface HistoryPoint {
  day: string;
  critical: number;
  high: number;
  /** Null ("unknown") when any counted connector's advisories were unknown that day: a partial sum would read low. */
  vulnerable: number | null;
  behind: number;
}

const DAY_MS = 24 * 3600_000;

/**
 * The fleet's (or one connector's) open critical/high findings and watched-package lag per day: each connector counts
 * with its latest successful scan as of that day, carried forward over days without a scan.
 */
export async function history(connectorIds: readonly number[] | "all", days = 90, now = new Date()): Promise<HistoryPoint[]> {
  if (connectorIds !== "all" && connectorIds.length === 0) return [];
  const since = now.getTime() - days * DAY_MS;
  const filter = connectorIds === "all" ? sql`` : sql`AND s.connector_id IN (${sql.join([...connectorIds], sql`, `)})`;
  const finishedAt = epochMs(sql.raw("s.finished_at"));
  // Each connector's last successful scan per day in the window, plus its last one before the window (the state the
  // window opens with). The database turns them into changes per day (a scan's numbers minus the same connector's
  // previous ones), so what comes back is one row per day, not one per connector and day; counts are columns of
  // scans, so this reads no package rows.
  const rows = await selectRows<{ day: number } & Record<"critical" | "high" | "vulnerable" | "behind" | "unknown" | "connectors", number>>(
    getDb(),
    sql`WITH picked AS (
         SELECT max(id) AS id FROM scans s
         WHERE s.status = 'succeeded' AND ${finishedAt} >= ${since} ${filter}
         GROUP BY s.connector_id, ${finishedAt} / ${sql.raw(String(DAY_MS))}
         UNION ALL
         SELECT max(id) FROM scans s
         WHERE s.status = 'succeeded' AND ${finishedAt} < ${since} ${filter}
         GROUP BY s.connector_id
       ), states AS (
         SELECT s.id, s.connector_id, s.finished_at, ${finishedAt} / ${sql.raw(String(DAY_MS))} AS day, s.critical, s.high,
                s.watched_vulnerable AS vulnerable, s.watched_behind AS behind, CASE WHEN s.advisories_known THEN 0 ELSE 1 END AS unknown
         FROM picked JOIN scans s ON s.id = picked.id
       ), changes AS (
         SELECT day, critical - coalesce(lag(critical) OVER w, 0) AS critical, high - coalesce(lag(high) OVER w, 0) AS high,
                vulnerable - coalesce(lag(vulnerable) OVER w, 0) AS vulnerable, behind - coalesce(lag(behind) OVER w, 0) AS behind,
                unknown - coalesce(lag(unknown) OVER w, 0) AS unknown, CASE WHEN lag(id) OVER w IS NULL THEN 1 ELSE 0 END AS connectors
         FROM states WINDOW w AS (PARTITION BY connector_id ORDER BY finished_at, id)
       )
       SELECT day, sum(critical) AS critical, sum(high) AS high, sum(vulnerable) AS vulnerable, sum(behind) AS behind,
              sum(unknown) AS unknown, sum(connectors) AS connectors
       FROM changes GROUP BY day ORDER BY day`,
  );

  // Running sums over the days; scans from before the window seed the state on its first day.
  const sum = { critical: 0, high: 0, vulnerable: 0, behind: 0, unknown: 0, connectors: 0 };
  const out: HistoryPoint[] = [];
  let next = 0;
  for (let day = Math.floor(since / DAY_MS); day <= Math.floor(now.getTime() / DAY_MS); day++) {
    for (; next < rows.length && Number(rows[next]!.day) <= day; next++)
      for (const k of Object.keys(sum) as Array<keyof typeof sum>) sum[k] += Number(rows[next]![k]);
    if (sum.connectors === 0) continue;
    out.push({
      day: new Date(day * DAY_MS).toISOString().slice(0, 10),
      critical: sum.critical,
      high: sum.high,
      // Null ("unknown") when any counted connector's advisories were unknown that day: a partial sum would read low.
      vulnerable: sum.unknown > 0 ? null : sum.vulnerable,
      behind: sum.behind,
    });
  }
  return out;
}
