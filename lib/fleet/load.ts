// The fleet dashboard for one request: a page of connectors (filtered and sorted by the database), their patch-matrix
// cells, the status counts, and the filter choices. Only the page's rows reach the page's HTML.
import { createHash } from "node:crypto";
import { history, matrixCellsOfScans, type HistoryPoint } from "@/db/queries/fleet";
import { fleetIds, fleetPage, fleetStatusCounts, packagesInScope, type FleetQuery } from "@/db/queries/fleet-view";
import type { LaunchStatus, MatrixCell } from "@/db/queries/fleet";
import { DASHBOARD_PAGE_SIZE, type DashboardRow, type FleetFilters } from "./dashboard";
import { cachedUntilScansChange } from "./scans-cache";

export interface Dashboard {
  rows: DashboardRow[];
  /** Watched packages found in the shown connectors, for the matrix columns. */
  packages: string[];
  /** Every watched package in scope, for the package filter. */
  allPackages: string[];
  counts: Record<LaunchStatus, number>;
  /** Connectors the caller can see, whatever the filters. */
  totalConnectors: number;
  /** Connectors the filters match, over all pages. */
  matching: number;
  page: number;
  pageCount: number;
}

/** The latest scans of the rows that have one: their cells are the page's matrix. */
export function scanIdsOf(rows: ReadonlyArray<{ scanId: number | null }>): number[] {
  return rows.flatMap((r) => (r.scanId === null ? [] : [r.scanId]));
}

export function fleetQuery(scope: FleetQuery["scope"], filters: FleetFilters): FleetQuery {
  return { scope, team: filters.team, status: filters.status, package: filters.package, sort: filters.sort };
}

/** Each row with its cells by package, keeping only the filtered package when there is one. */
export function withCells(
  rows: ReadonlyArray<Omit<DashboardRow, "cells">>,
  cells: readonly MatrixCell[],
  onlyPackage?: string,
): DashboardRow[] {
  const byConnector = new Map<number, Map<string, MatrixCell[]>>();
  for (const c of cells) {
    if (onlyPackage && c.package !== onlyPackage) continue;
    const own = byConnector.get(c.connectorId) ?? new Map<string, MatrixCell[]>();
    own.set(c.package, [...(own.get(c.package) ?? []), c]);
    byConnector.set(c.connectorId, own);
  }
  return rows.map((r) => ({ ...r, cells: byConnector.get(r.id) ?? new Map() }));
}

export async function loadDashboard(scope: FleetQuery["scope"], filters: FleetFilters): Promise<Dashboard> {
  const query = fleetQuery(scope, filters);
  const sum = (c: Record<LaunchStatus, number>) => Object.values(c).reduce((a, b) => a + b, 0);
  // Filtered by team or package, the page's counts cover what matches; "in all" needs one more count.
  const filtered = filters.team !== undefined || Boolean(filters.package);
  // Independent reads, asked together (on PostgreSQL each is its own round trip); the cells need the page's rows.
  const [{ rows, total, counts, cells }, allCounts, allPackages] = await Promise.all([
    fleetPage(query, { limit: DASHBOARD_PAGE_SIZE, offset: (filters.page - 1) * DASHBOARD_PAGE_SIZE }).then(async (page) => ({
      ...page,
      cells: await matrixCellsOfScans(scanIdsOf(page.rows)),
    })),
    filtered ? fleetStatusCounts({ scope }) : undefined,
    // Packages come from latest scans only (a connector never changes team): kept until a scan finishes.
    cachedUntilScansChange(`packages:${scope === "all" ? "all" : scope.join(",")}`, () => packagesInScope(scope)),
  ]);
  const shown = withCells(rows, cells, filters.package);
  const packages = [...new Set(shown.flatMap((r) => [...r.cells.keys()]))].sort();
  return {
    rows: shown,
    packages,
    allPackages,
    counts,
    totalConnectors: sum(allCounts ?? counts),
    matching: total,
    page: filters.page,
    pageCount: Math.max(1, Math.ceil(total / DASHBOARD_PAGE_SIZE)),
  };
}

/**
 * The history chart under the matrix: every page's connectors, not just the one on screen. Which connectors match is
 * asked each time (a review changes a status); their history is kept until a scan finishes (lib/fleet/scans-cache.ts).
 */
export async function dashboardHistory(scope: FleetQuery["scope"], filters: FleetFilters): Promise<HistoryPoint[]> {
  const unfiltered = filters.team === undefined && !filters.status && !filters.package;
  const ids = scope === "all" && unfiltered ? ("all" as const) : await fleetIds(fleetQuery(scope, filters));
  const key = ids === "all" ? "history:all" : `history:${createHash("sha256").update(ids.join(",")).digest("hex")}`;
  const day = new Date().toISOString().slice(0, 10);
  return await cachedUntilScansChange(`${key}:${day}`, () => history(ids));
}
