// The fleet dashboard for one request: a page of connectors (filtered and sorted by the database), their patch-matrix
// cells, the status counts, and the filter choices. Only the page's rows reach the page's HTML.
import { matrixCells } from "@/db/queries/fleet";
import { fleetIds, fleetPage, fleetStatusCounts, packagesInScope, type FleetQuery } from "@/db/queries/fleet-view";
import type { LaunchStatus, MatrixCell } from "@/db/queries/fleet";
import { DASHBOARD_PAGE_SIZE, type DashboardRow, type FleetFilters } from "./dashboard";

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

export function loadDashboard(scope: FleetQuery["scope"], filters: FleetFilters): Dashboard {
  const query = fleetQuery(scope, filters);
  const counts = fleetStatusCounts(query);
  const filtered = filters.team !== undefined || Boolean(filters.package);
  const totalConnectors = filtered
    ? Object.values(fleetStatusCounts({ scope })).reduce((a, b) => a + b, 0)
    : Object.values(counts).reduce((a, b) => a + b, 0);
  const { rows, total } = fleetPage(query, { limit: DASHBOARD_PAGE_SIZE, offset: (filters.page - 1) * DASHBOARD_PAGE_SIZE });
  const shown = withCells(rows, matrixCells(rows.map((r) => r.id)), filters.package);
  const packages = [...new Set(shown.flatMap((r) => [...r.cells.keys()]))].sort();
  return {
    rows: shown,
    packages,
    allPackages: packagesInScope(scope),
    counts,
    totalConnectors,
    matching: total,
    page: filters.page,
    pageCount: Math.max(1, Math.ceil(total / DASHBOARD_PAGE_SIZE)),
  };
}

/** The connectors of every page, for the history chart under the matrix ("all": an administrator's unfiltered fleet). */
export function dashboardConnectorIds(scope: FleetQuery["scope"], filters: FleetFilters): number[] | "all" {
  const unfiltered = filters.team === undefined && !filters.status && !filters.package;
  return scope === "all" && unfiltered ? "all" : fleetIds(fleetQuery(scope, filters));
}
