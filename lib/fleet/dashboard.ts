// The fleet dashboard as data: connectors filtered by team, status and package, sorted by risk, each with its
// patch-matrix cells. Pure: the page and the CSV export both render it.
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
});
export type FleetFilters = z.infer<typeof FleetFilters>;

export interface DashboardRow extends FleetRow {
  cells: Map<string, MatrixCell[]>;
  risk: number;
}

export interface Dashboard {
  rows: DashboardRow[];
  /** Watched packages found in the shown connectors, for the matrix columns. */
  packages: string[];
  counts: Record<LaunchStatus, number>;
  totalConnectors: number;
}

const LAG_RISK: Record<LagLevel, number> = { vulnerable: 100, major: 8, minor: 3, patch: 1, current: 0, unknown: 0 };

/** Unknown advisories rank between a high advisory and none: never as safe as a clean answer. */
const UNKNOWN_ADVISORIES_RISK = 150;

/**
 * A cell's colour. A known advisory outranks everything; without an answer from the advisory source a cell is
 * "unknown" whatever its lag, because "current" would read as safe.
 */
export function cellLag(cell: Pick<MatrixCell, "lag" | "advisoriesKnown">): LagLevel {
  if (cell.lag === "vulnerable" || cell.advisoriesKnown) return cell.lag;
  return "unknown";
}

/** Higher is riskier: advisories first, then critical/high findings, then how far watched packages lag. */
export function riskScore(row: FleetRow, cells: readonly MatrixCell[]): number {
  return (
    row.advisoriesCritical * 1000 +
    row.advisoriesHigh * 300 +
    (row.advisoriesKnown ? 0 : UNKNOWN_ADVISORIES_RISK) +
    row.critical * 50 +
    row.high * 10 +
    (row.status === "stale" ? 40 : 0) +
    cells.reduce((n, c) => n + LAG_RISK[cellLag(c)], 0)
  );
}

export function buildDashboard(all: readonly FleetRow[], cells: readonly MatrixCell[], filters: FleetFilters): Dashboard {
  const byConnector = new Map<number, MatrixCell[]>();
  for (const c of cells) byConnector.set(c.connectorId, [...(byConnector.get(c.connectorId) ?? []), c]);

  const counts = Object.fromEntries(LAUNCH_STATUSES.map((s) => [s, 0])) as Record<LaunchStatus, number>;
  const rows: DashboardRow[] = [];
  for (const row of all) {
    if (filters.team !== undefined && row.teamId !== filters.team) continue;
    const own = byConnector.get(row.id) ?? [];
    if (filters.package && !own.some((c) => c.package === filters.package)) continue;
    counts[row.status] += 1;
    if (filters.status && row.status !== filters.status) continue;
    const map = new Map<string, MatrixCell[]>();
    for (const c of own) map.set(c.package, [...(map.get(c.package) ?? []), c]);
    rows.push({ ...row, cells: map, risk: riskScore(row, own) });
  }
  rows.sort((a, b) => (filters.sort === "name" ? a.name.localeCompare(b.name) : b.risk - a.risk || a.name.localeCompare(b.name)));
  const packages = [...new Set(rows.flatMap((r) => [...r.cells.keys()]))].filter((p) => !filters.package || p === filters.package).sort();
  return { rows, packages, counts, totalConnectors: all.length };
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

/** The matrix as CSV: one line per connector and watched package version. */
export function matrixCsv(dashboard: Dashboard): string {
  const lines = [["connector", "team", "status", "package", "version", "latest", "lag", "advisories", "fixed_in"].join(",")];
  for (const row of dashboard.rows) {
    for (const pkg of dashboard.packages) {
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
  return `${lines.join("\r\n")}\r\n`;
}
