import { sql } from "drizzle-orm";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { history, matrixCellsOfScans, watchedCounts } from "@/db/queries/fleet";
import { fleetPage, type FleetQuery } from "@/db/queries/fleet-view";
import { insertQueuedScan, markScanRunning } from "@/db/queries/scans";
import { storeScanResult } from "@/lib/scan-results";
import { registerLocalConnector } from "@/lib/connectors";
import { resetEnvForTests } from "@/lib/env";
import { FleetFilters, MATRIX_CSV_HEADER, matrixCsvLines } from "@/lib/fleet/dashboard";
import { loadDashboard } from "@/lib/fleet/load";
import { classifyLag, watchedPackages } from "@/lib/engine/report/patch-status";
import type { ScanReport, WatchedPackage } from "@/lib/core/report";
import { LAG_LEVELS } from "@/lib/core/types";
import { makeTeam } from "./support/auth";
import { useTestDb } from "./support/db";
import { reportWith, vulnerability } from "./support/reports";
import { at, testExec } from "./support/sql";

describe("lag classification", () => {
  it("says how far a locked version is behind the latest release", () => {
    expect(classifyLag("19.2.1", "19.2.1", [])).toBe("current");
    expect(classifyLag("19.2.0", "19.2.1", [])).toBe("patch");
    expect(classifyLag("19.0.4", "19.2.1", [])).toBe("minor");
    expect(classifyLag("18.3.1", "19.2.1", [])).toBe("major");
    expect(classifyLag("20.0.0", "19.2.1", [])).toBe("current");
  });

  it("ranks a known advisory above any lag, and knows when it can't tell", () => {
    expect(classifyLag("19.2.1", "19.2.1", ["GHSA-x"])).toBe("vulnerable");
    expect(classifyLag("19.0.0", null, [])).toBe("unknown");
    expect(classifyLag("workspace:*", "1.0.0", [])).toBe("unknown");
  });

  it("joins watched packages with the advisories on their locked version and the smallest complete fix", () => {
    const report = withWatched(
      reportWith({
        vulnerabilities: [
          { ...vulnerability("react", "19.0.0", "GHSA-a"), fixedIn: "19.0.1" },
          { ...vulnerability("react", "19.0.0", "GHSA-b"), fixedIn: "19.0.3" },
        ],
      }),
      [
        { package: "react", version: "19.0.0", latest: "19.2.1" },
        { package: "zod", version: "3.23.8", latest: "4.1.0" },
      ],
    );
    expect(watchedPackages(report)).toEqual([
      { package: "react", version: "19.0.0", latest: "19.2.1", lag: "vulnerable", advisories: ["GHSA-a", "GHSA-b"], fixedIn: "19.0.3" },
      { package: "zod", version: "3.23.8", latest: "4.1.0", lag: "major", advisories: [], fixedIn: null },
    ]);
  });
});

function withWatched(report: ScanReport, watched: Array<{ package: string; version: string; latest: string | null }>): ScanReport {
  return { ...report, dependencies: { ...report.dependencies, watched: watched.map((w) => ({ ...w, behind: null, deprecated: false })) } };
}

/** The first page of connectors in name order. */
const fleetRows = async (scope: FleetQuery["scope"]) => (await fleetPage({ scope, sort: "name" }, { limit: 50, offset: 0 })).rows;

describe("fleet dashboard", () => {
  let teamA: number;
  let teamB: number;

  async function connectorWith(name: string, teamId: number, report: ScanReport, daysAgo = 0): Promise<number> {
    const { connector } = await registerLocalConnector(
      { name, path: "demo-connector", subdirectory: "", scanNow: false, teamId },
      { id: "u", correlationId: "c" },
    );
    const scan = await insertQueuedScan(connector.id, "manual", "c");
    await markScanRunning(scan.id);
    await storeScanResult(scan.id, report, "t");
    await testExec(sql`update scans set finished_at = ${at(Date.now() - daysAgo * 24 * 3600_000)} where id = ${scan.id}`);
    return connector.id;
  }

  beforeEach(async () => {
    process.env.LAUNCH_REVIEW_LOCAL_ROOT = path.resolve("examples");
    resetEnvForTests();
    await useTestDb();
    teamA = (await makeTeam("A")).id;
    teamB = (await makeTeam("B")).id;
  });

  it("shows each connector's latest scan in the matrix, scoped to the caller's teams", async () => {
    const vulnerable = await connectorWith(
      "Vulnerable",
      teamA,
      withWatched(reportWith({ vulnerabilities: [vulnerability("react", "19.0.0", "GHSA-r")] }), [
        { package: "react", version: "19.0.0", latest: "19.2.1" },
      ]),
    );
    await connectorWith("Current", teamB, withWatched(reportWith(), [{ package: "react", version: "19.2.1", latest: "19.2.1" }]));
    expect((await fleetRows([teamA])).map((r) => r.name)).toEqual(["Vulnerable"]);
    expect((await fleetRows("all")).map((r) => r.name)).toEqual(["Current", "Vulnerable"]);
    expect((await fleetRows([teamA]))[0]).toMatchObject({ status: "not reviewed", advisoriesHigh: 1, advisoriesCritical: 0 });
    const cells = await matrixCellsOfScans((await fleetRows("all")).filter((r) => r.id === vulnerable).map((r) => r.scanId!));
    expect(cells).toEqual([expect.objectContaining({ package: "react", version: "19.0.0", lag: "vulnerable", advisories: ["GHSA-r"] })]);
  });

  it("weighs each watched package's lag into the risk when the scan is stored, a known advisory above any lag", async () => {
    const watched = (...lags: Array<[string, string]>) =>
      withWatched(
        reportWith(),
        lags.map(([version, latest], i) => ({ package: `pkg-${i}`, version, latest })),
      );
    await connectorWith("Current", teamA, watched(["2.0.0", "2.0.0"]));
    await connectorWith("Patch and minor", teamA, watched(["2.0.0", "2.0.1"], ["2.0.0", "2.1.0"]));
    await connectorWith("Major", teamA, watched(["1.0.0", "2.0.0"]));
    const rows = (await fleetPage({ scope: "all", sort: "risk" }, { limit: 10, offset: 0 })).rows;
    expect(rows.map((r) => [r.name, r.risk])).toEqual([
      ["Major", 8],
      ["Patch and minor", 4],
      ["Current", 0],
    ]);
  });

  it("counts a scan's watched packages once, as it is stored: vulnerable, behind, and their weight", () => {
    const pkg = (lag: WatchedPackage["lag"]): WatchedPackage => ({
      package: lag,
      version: "1.0.0",
      latest: "2.0.0",
      lag,
      advisories: [],
      fixedIn: null,
    });
    const all = LAG_LEVELS.map(pkg);
    expect(watchedCounts(all, true)).toEqual({ watchedVulnerable: 1, watchedBehind: 3, watchedLagRisk: 100 + 8 + 3 + 1 });
    // Without an answer from the advisory source, lag alone would rank an unknown cell as if known to be safe.
    expect(watchedCounts(all, false)).toEqual({ watchedVulnerable: 1, watchedBehind: 3, watchedLagRisk: 100 });
    expect(watchedCounts([], true)).toEqual({ watchedVulnerable: 0, watchedBehind: 0, watchedLagRisk: 0 });
  });

  it("filters by team, status and package, and sorts by risk", async () => {
    await connectorWith("Zeta safe", teamA, withWatched(reportWith(), [{ package: "zod", version: "4.1.0", latest: "4.1.0" }]));
    await connectorWith(
      "Alpha risky",
      teamA,
      withWatched(reportWith({ vulnerabilities: [vulnerability("next", "15.0.0", "GHSA-n")] }), [
        { package: "next", version: "15.0.0", latest: "16.4.6" },
      ]),
    );
    await connectorWith("Other team", teamB, withWatched(reportWith(), [{ package: "next", version: "16.4.6", latest: "16.4.6" }]));
    const dashboard = (filters: Record<string, string>) => loadDashboard("all", FleetFilters.parse(filters));
    expect((await dashboard({})).rows.map((r) => r.name)).toEqual(["Alpha risky", "Other team", "Zeta safe"]);
    expect((await dashboard({ sort: "name" })).rows.map((r) => r.name)).toEqual(["Alpha risky", "Other team", "Zeta safe"]);
    expect((await dashboard({ team: String(teamB) })).rows.map((r) => r.name)).toEqual(["Other team"]);
    const next = await dashboard({ package: "next" });
    expect(next.rows.map((r) => r.name)).toEqual(["Alpha risky", "Other team"]);
    expect(next.packages).toEqual(["next"]);
    expect((await dashboard({ status: "signed off" })).rows).toEqual([]);
    expect(FleetFilters.parse({ status: "bogus", sort: "evil", team: "x", page: "-3" })).toEqual({
      sort: "risk",
      status: undefined,
      team: undefined,
      page: 1,
    });
  });

  it("exports the matrix as CSV, neutralising spreadsheet formulas", async () => {
    await connectorWith(
      '=HYPERLINK("http://evil")',
      teamA,
      withWatched(reportWith(), [{ package: "react", version: "19.0.0", latest: "19.2.1" }]),
    );
    const lines = [MATRIX_CSV_HEADER, ...matrixCsvLines((await loadDashboard("all", FleetFilters.parse({}))).rows)];
    expect(lines[0]).toBe("connector,team,status,package,version,latest,lag,advisories,fixed_in");
    expect(lines[1]).toBe(`"'=HYPERLINK(""http://evil"")",A,not reviewed,react,19.0.0,19.2.1,minor,,`);
  });

  it("draws history per day, carrying each connector's last state forward over days without scans", async () => {
    const id = await connectorWith(
      "History",
      teamA,
      withWatched(reportWith({ vulnerabilities: [vulnerability("react", "19.0.0", "GHSA-r")] }), [
        { package: "react", version: "19.0.0", latest: "19.2.1" },
      ]),
      3,
    );
    await testExec(sql`update scans set critical = 2, high = 1`);
    const points = await history([id], 5);
    expect(points.length).toBeGreaterThanOrEqual(3);
    expect(points.every((p) => p.critical === 2 && p.high === 1 && p.vulnerable === 1 && p.behind === 0)).toBe(true);
    expect(await history([], 5)).toEqual([]);
  });
});
