// The fleet dashboard's rules, pure: the filters a request may give, the colour of a matrix cell, and the CSV lines of
// a batch of rows. The rows themselves are filtered, sorted (risk is computed in SQL, db/queries/fleet-view.ts, with the
// weights below) and paged by the database; lib/fleet/load.ts puts a page together.
import { z } from "zod";
import type { LagLevel } from "@/lib/core/types";
import { showHidden } from "../engine/unicode";
import type { FleetRow, LaunchStatus, MatrixCell } from "@/db/queries/fleet";

export const LAUNCH_STATUSES: readonly LaunchStatus[] = ["not reviewed", "in review", "signed off", "stale"];

export const FleetFilters = z.object({
  team: z.coerce.number().int().positive().optional().catch(undefined),
  status: z.enum(["not reviewed", "in review", "signed off", "stale"]).optional().catch(undefined),
  package: z.string().max(214).optional().catch(undefined),
  sort: z.enum(["risk", "name"]).default("risk").catch("risk"),
  page: z.coerce.number().int().min(1).max(1_000_000).default(1).catch(1),
});
export type FleetFilters = z.infer<typeof FleetFilters>;

/** The filters from a query string (the page's search params or a route's URL): anything invalid falls back to its default. */
export function parseFleetFilters(param: (name: string) => string | undefined): FleetFilters {
  return FleetFilters.parse({
    team: param("team") || undefined,
    status: param("status") || undefined,
    package: param("package") || undefined,
    sort: param("sort") || undefined,
    page: param("page") || undefined,
  });
}

/**
 * The query string ("" or "?…") that gives these filters back, defaults left out: page links, status links and the
 * CSV link keep the filters the user chose.
 */
export function fleetQueryString(filters: Partial<FleetFilters>): string {
  const params = new URLSearchParams();
  if (filters.team !== undefined) params.set("team", String(filters.team));
  if (filters.status) params.set("status", filters.status);
  if (filters.package) params.set("package", filters.package);
  if (filters.sort && filters.sort !== "risk") params.set("sort", filters.sort);
  if (filters.page && filters.page > 1) params.set("page", String(filters.page));
  const query = params.toString();
  return query ? `?${query}` : "";
}

/** Connectors on one page of the dashboard: with 14 watched packages, a page is about 10 KB of HTML a row. */
export const DASHBOARD_PAGE_SIZE = 25;

export interface DashboardRow extends FleetRow {
  cells: Map<string, MatrixCell[]>;
}

// Risk, as db/queries/fleet-view.ts computes it (the lag part weighed when a scan is stored: watchedCounts in
// db/queries/fleet.ts): a critical advisory 1000, a high one 300, advisories unknown 150
// (between a high advisory and none: never as safe as a clean answer), a critical finding 50, a high one 10, a stale
// sign-off 40, and per watched package: vulnerable 100, a major release behind 8, minor 3, patch 1 (0 when its
// advisories are unknown).

/**
 * A cell's colour. A known advisory outranks everything; without an answer from the advisory source a cell is
 * "unknown" whatever its lag, because "current" would read as safe.
 */
export function cellLag(cell: Pick<MatrixCell, "lag" | "advisoriesKnown">): LagLevel {
  if (cell.lag === "vulnerable" || cell.advisoriesKnown) return cell.lag;
  return "unknown";
}

/** The worst of several locked versions of one package in one connector decides the cell's colour. */
export function worstLag(cells: readonly MatrixCell[]): LagLevel {
  const order: LagLevel[] = ["vulnerable", "major", "minor", "patch", "current", "unknown"];
  return order.find((l) => cells.some((c) => cellLag(c) === l)) ?? "unknown";
}

function csvField(value: string | number | null): string {
  const text = value === null ? "" : String(value);
  // Spreadsheet formula injection: a cell starting with = + - @ is prefixed so it stays text.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * One locked version in a matrix cell, in the few bytes the page sends for it (app/ui/patch-matrix.tsx draws it):
 * what is usual (no advisories, advisories known, no fix) is left out.
 */
export interface MatrixVersion {
  v: string;
  lag: LagLevel;
  latest?: string;
  advisories?: string[];
  /** Set when the advisory source could not answer for this scan. */
  unknown?: true;
  fixedIn?: string;
}

/**
 * A connector's row of the matrix as the page sends it: one entry per package column, null where it isn't locked.
 * Every cell comes from the row's latest scan (`scanId`).
 */
export interface MatrixRowData extends Pick<
  FleetRow,
  "id" | "name" | "teamName" | "status" | "scanId" | "scannedAt" | "advisoriesKnown" | "advisoriesCritical" | "advisoriesHigh"
> {
  signedOffCommit: string | null;
  cells: Array<{ lag: LagLevel; versions: MatrixVersion[] } | null>;
}

function matrixVersion(c: MatrixCell): MatrixVersion {
  return {
    v: c.version,
    lag: c.lag,
    ...(c.latest ? { latest: c.latest } : {}),
    ...(c.advisories.length ? { advisories: c.advisories } : {}),
    ...(c.advisoriesKnown ? {} : { unknown: true as const }),
    ...(c.fixedIn ? { fixedIn: c.fixedIn } : {}),
  };
}

/**
 * The page's rows for the matrix's client component: plain data, so the page's payload carries a few bytes a cell
 * instead of every cell's elements (the HTML is rendered from it on the server all the same).
 */
export function matrixRowsData(rows: readonly DashboardRow[], packages: readonly string[]): MatrixRowData[] {
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    teamName: r.teamName,
    status: r.status,
    scanId: r.scanId,
    scannedAt: r.scannedAt,
    advisoriesKnown: r.advisoriesKnown,
    advisoriesCritical: r.advisoriesCritical,
    advisoriesHigh: r.advisoriesHigh,
    signedOffCommit: r.status === "signed off" && r.signedOffCommit ? r.signedOffCommit.slice(0, 7) : null,
    cells: packages.map((p) => {
      const cells = r.cells.get(p) ?? [];
      return cells.length === 0 ? null : { lag: worstLag(cells), versions: cells.map(matrixVersion) };
    }),
  }));
}

export const MATRIX_CSV_HEADER = ["connector", "team", "status", "package", "version", "latest", "lag", "advisories", "fixed_in"].join(",");

/** CSV lines for a batch of rows: one per connector and watched package version, packages in name order. */
export function matrixCsvLines(rows: readonly DashboardRow[]): string[] {
  const lines: string[] = [];
  for (const row of rows) {
    for (const pkg of [...row.cells.keys()].sort()) {
      for (const c of row.cells.get(pkg) ?? []) {
        lines.push(
          [
            showHidden(row.name),
            showHidden(row.teamName),
            row.status,
            c.package,
            c.version,
            c.latest,
            cellLag(c),
            c.advisoriesKnown ? c.advisories.join(" ") : ["unknown", ...c.advisories].join(" "),
            c.fixedIn,
          ]
            .map(csvField)
            .join(","),
        );
      }
    }
  }
  return lines;
}
