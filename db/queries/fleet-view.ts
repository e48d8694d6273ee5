import "server-only";
// The fleet dashboard's rows, filtered, sorted and paged in SQL: a page of 500 (or 10,000) connectors costs what a
// page of 50 costs. Launch status and risk are computed by the database, so filters and sort never need every row.
import { sql, type SQL } from "drizzle-orm";
import { getDb } from "../client";
import { joinLatest, selectRows } from "../dialect";
import type { FleetRow, LaunchStatus } from "./fleet";

export interface FleetQuery {
  /** The teams the caller may see ("all" for administrators). */
  scope: readonly number[] | "all";
  team?: number;
  status?: LaunchStatus;
  /** Only connectors whose latest scan locks this watched package. */
  package?: string;
  sort: "risk" | "name";
}

/**
 * Risk, highest first: advisories, then unknown advisories (never as safe as a clean answer), critical and high
 * findings, a stale sign-off, and how far watched packages lag (weighed when the scan succeeded: watchedCounts in
 * ./fleet.ts). lib/fleet/dashboard.ts explains the weights.
 */
const RISK = sql.raw(`coalesce(s.advisories_critical, 0) * 1000 + coalesce(s.advisories_high, 0) * 300
  + CASE WHEN coalesce(s.advisories_known, true) THEN 0 ELSE 150 END
  + coalesce(s.critical, 0) * 50 + coalesce(s.high, 0) * 10
  + CASE WHEN r.status = 'stale' THEN 40 ELSE 0 END + coalesce(s.watched_lag_risk, 0)`);

const LAUNCH_STATUS = sql.raw(`CASE WHEN r.status IS NULL THEN 'not reviewed' WHEN r.status = 'signed-off' THEN 'signed off'
  WHEN r.status = 'stale' THEN 'stale' ELSE 'in review' END`);

/** The connectors the query may show (before the status filter), with every column a row needs. */
function fleetCte(q: Omit<FleetQuery, "sort" | "status">): SQL {
  const where: SQL[] = [sql`1 = 1`];
  if (q.scope !== "all") where.push(q.scope.length > 0 ? sql`c.team_id IN (${sql.join([...q.scope], sql`, `)})` : sql`1 = 0`);
  if (q.team !== undefined) where.push(sql`c.team_id = ${q.team}`);
  if (q.package) where.push(sql`EXISTS (SELECT 1 FROM scan_packages fp WHERE fp.scan_id = s.id AND fp.package = ${q.package})`);
  // Each connector's latest successful scan, looked up through the (connector_id, id) index one connector at a time
  // and carrying the columns a row needs: grouping every scan instead read the whole table.
  return sql`WITH latest_scan AS (
      SELECT lc.id AS connector_id, ls.id, ls.finished_at, ls.critical, ls.high, ls.advisories_critical, ls.advisories_high,
             ls.advisories_known, ls.watched_lag_risk
      FROM connectors lc
      ${joinLatest("scans", "ls", "connector_id", "lc.id", sql`x.status = 'succeeded'`)}
    ), latest_review AS (
      SELECT connector_id, max(id) AS id FROM reviews GROUP BY connector_id
    ), fleet AS (
      SELECT c.id, c.name, c.team_id AS "teamId", t.name AS "teamName", c.source_kind AS "sourceKind", c.location,
             s.id AS "scanId", s.finished_at AS "scannedAt", coalesce(s.critical, 0) AS critical, coalesce(s.high, 0) AS high,
             coalesce(s.advisories_critical, 0) AS "advisoriesCritical", coalesce(s.advisories_high, 0) AS "advisoriesHigh",
             coalesce(s.advisories_known, true) AS "advisoriesKnown", so."commit" AS "signedOffCommit",
             ${LAUNCH_STATUS} AS status, ${RISK} AS risk
      FROM connectors c
      JOIN teams t ON t.id = c.team_id
      LEFT JOIN latest_scan s ON s.connector_id = c.id
      LEFT JOIN latest_review lrv ON lrv.connector_id = c.id
      LEFT JOIN reviews r ON r.id = lrv.id
      LEFT JOIN sign_offs so ON so.review_id = r.id
      WHERE ${sql.join(where, sql` AND `)}
    )`;
}

const STATUSES: readonly LaunchStatus[] = ["not reviewed", "in review", "signed off", "stale"];

/** Each status's count over the whole query (before the status filter), as window columns count0…count3 of every row. */
const STATUS_COUNTS = sql.raw(STATUSES.map((s, i) => `sum(CASE WHEN status = '${s}' THEN 1 ELSE 0 END) OVER () AS count${i}`).join(", "));

type RawFleetRow = Omit<FleetRow, "scannedAt" | "advisoriesKnown"> & {
  scannedAt: number | string | Date | null;
  advisoriesKnown: unknown;
  total: number;
  count0: number;
  count1: number;
  count2: number;
  count3: number;
};

function toRow({ total: _t, count0: _0, count1: _1, count2: _2, count3: _3, scannedAt, advisoriesKnown, ...r }: RawFleetRow): FleetRow {
  return {
    ...r,
    risk: Number(r.risk),
    advisoriesKnown: advisoriesKnown === true || advisoriesKnown === 1,
    scannedAt: scannedAt === null ? null : new Date(typeof scannedAt === "string" ? Number(scannedAt) || scannedAt : scannedAt),
  };
}

const statusFilter = (status: LaunchStatus | undefined) => (status ? sql`WHERE status = ${status}` : sql``);
const ORDER = { risk: sql`ORDER BY risk DESC, name, id`, name: sql`ORDER BY name, id` } as const;

export interface FleetPage {
  rows: FleetRow[];
  /** Rows on all pages. */
  total: number;
  /** Connectors per launch status, with the other filters but not the status one. */
  counts: Record<LaunchStatus, number>;
}

/** The one query behind a page of the fleet (exported so a test can read its plan). */
export function fleetPageQuery(q: FleetQuery, page: { limit: number; offset: number }): SQL {
  return sql`${fleetCte(q)} SELECT *, count(*) OVER () AS total FROM (SELECT *, ${STATUS_COUNTS} FROM fleet) AS counted ${statusFilter(q.status)}
        ${ORDER[q.sort]} LIMIT ${page.limit} OFFSET ${page.offset}`;
}

/** One page of the fleet in the query's order, how many rows all pages hold, and the status counts: one query. */
export async function fleetPage(q: FleetQuery, page: { limit: number; offset: number }): Promise<FleetPage> {
  const rows = await selectRows<RawFleetRow>(getDb(), fleetPageQuery(q, page));
  const first = rows[0];
  if (!first) {
    // Past the last page (or nothing matches): the counts still describe everything.
    const counts = await fleetStatusCounts(q);
    return { rows: [], total: q.status ? counts[q.status] : Object.values(counts).reduce((a, b) => a + b, 0), counts };
  }
  const counts = Object.fromEntries(STATUSES.map((s, i) => [s, Number(first[`count${i}` as "count0"])])) as Record<LaunchStatus, number>;
  return { rows: rows.map(toRow), total: Number(first.total), counts };
}

/** How many connectors each launch status has, with the team and package filters (not the status one). */
export async function fleetStatusCounts(q: Omit<FleetQuery, "sort" | "status">): Promise<Record<LaunchStatus, number>> {
  const counts: Record<LaunchStatus, number> = { "not reviewed": 0, "in review": 0, "signed off": 0, stale: 0 };
  for (const r of await selectRows<{ status: LaunchStatus; n: number }>(
    getDb(),
    sql`${fleetCte(q)} SELECT status, count(*) AS n FROM fleet GROUP BY status`,
  ))
    counts[r.status] = Number(r.n);
  return counts;
}

/** Every connector id the query shows (the history chart covers all pages, not just the one on screen). */
export async function fleetIds(q: Omit<FleetQuery, "sort">): Promise<number[]> {
  const rows = await selectRows<{ id: number }>(getDb(), sql`${fleetCte(q)} SELECT id FROM fleet ${statusFilter(q.status)} ORDER BY id`);
  return rows.map((r) => Number(r.id));
}

/** The watched packages locked by the latest scans of the connectors in scope: the package filter's choices. */
export async function packagesInScope(scope: FleetQuery["scope"]): Promise<string[]> {
  if (scope !== "all" && scope.length === 0) return [];
  const teams = scope === "all" ? sql`` : sql`AND c.team_id IN (${sql.join([...scope], sql`, `)})`;
  const rows = await selectRows<{ package: string }>(
    getDb(),
    sql`WITH latest_scan AS (SELECT connector_id, max(id) AS id FROM scans WHERE status = 'succeeded' GROUP BY connector_id)
          SELECT DISTINCT p.package FROM latest_scan ls JOIN scan_packages p ON p.scan_id = ls.id JOIN connectors c ON c.id = ls.connector_id
          WHERE 1 = 1 ${teams} ORDER BY p.package`,
  );
  return rows.map((r) => r.package);
}
