// Item 4 of the attack on a running instance, below the views: what counts as "advisories unknown", and how the
// dashboard's pure parts treat it.
import { describe, expect, it } from "vitest";
import type { FleetRow, MatrixCell } from "@/db/queries/fleet";
import { cellLag, matrixCsvLines } from "@/lib/fleet/dashboard";
import { advisoriesKnown } from "@/lib/engine/report/patch-status";
import { reportWith } from "./support/reports";

const row = (over: Partial<FleetRow>): FleetRow => ({
  id: 1,
  name: "A",
  teamId: 1,
  teamName: "T",
  sourceKind: "local",
  location: "/a",
  scanId: 1,
  scannedAt: null,
  critical: 0,
  high: 0,
  advisoriesCritical: 0,
  advisoriesHigh: 0,
  advisoriesKnown: true,
  status: "not reviewed",
  signedOffCommit: null,
  risk: 0,
  ...over,
});
const cell = (over: Partial<MatrixCell>): MatrixCell => ({
  connectorId: 1,
  package: "react",
  version: "19.0.0",
  latest: "19.2.0",
  lag: "minor",
  advisories: [],
  fixedIn: null,
  scanId: 1,
  advisoriesKnown: true,
  ...over,
});

describe("advisories unknown", () => {
  it("is what the dependency audit says: unavailable means unknown, even with some advisories found", () => {
    const report = reportWith({});
    const withRun = (status: "ok" | "unavailable") => ({
      ...report,
      checks: [{ id: "dependencies", title: "", section: "operations" as const, status, error: null, findings: 0, durationMs: 0 }],
    });
    expect(advisoriesKnown(withRun("ok"))).toBe(true);
    expect(advisoriesKnown(withRun("unavailable"))).toBe(false);
  });

  // Its rank above a clean connector (risk, computed in SQL) is checked on a seeded fleet: test/fleet-pagination.test.ts.
  it("colours a cell unknown unless an advisory was found", () => {
    expect(cellLag(cell({ advisoriesKnown: false }))).toBe("unknown");
    expect(cellLag(cell({ advisoriesKnown: false, lag: "vulnerable", advisories: ["GHSA-x"] }))).toBe("vulnerable");
    expect(cellLag(cell({}))).toBe("minor");
  });

  it("writes unknown in the CSV, never an empty advisories field", () => {
    const rows = [{ ...row({ advisoriesKnown: false }), cells: new Map([["react", [cell({ advisoriesKnown: false })]]]) }];
    expect(matrixCsvLines(rows)).toEqual(["A,T,not reviewed,react,19.0.0,19.2.0,unknown,unknown,"]);
  });
});
