// Saving a large scan's results holds SQLite's write lock (sqlite-only: PostgreSQL's writers lock rows, not the
// database) only while its statements run: their SQL is built before the transaction begins. Built inside, a scan of
// 1,300 findings and 2,000 tools held the lock ~400 ms, and every writer of the web app waited behind it.
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDb, setDb, type Db } from "@/db/client";
import { findingsForScan, insertQueuedScan, markScanRunning } from "@/db/queries/scans";
import { toolsForScan } from "@/db/queries/tools";
import { insertTeam } from "@/db/queries/teams";
import { registerLocalConnector } from "@/lib/connectors";
import type { ScanReport } from "@/lib/core/report";
import { runScan } from "@/lib/engine/scan";
import { resetEnvForTests } from "@/lib/env";
import { storeScanResult } from "@/lib/scan-results";
import { recordInserts } from "./support/db";

const examples = path.resolve("examples");
let db: Db;

beforeEach(() => {
  process.env.LAUNCH_REVIEW_LOCAL_ROOT = examples;
  resetEnvForTests();
  db = createTestDb();
  setDb(db);
});
afterEach(() => {
  setDb(undefined);
  db.$client.close();
});

/** The demo connector's report with each finding and tool repeated `times` times, as a large repository's would be. */
function enlarged(report: ScanReport, times: number): ScanReport {
  const copies = Array.from({ length: times }, (_, i) => i);
  return {
    ...report,
    findings: copies.flatMap((i) => report.findings.map((f) => ({ ...f, fingerprint: `${f.fingerprint}-${i}` }))),
    tools: copies.flatMap((i) => report.tools.map((t) => ({ ...t, name: `${t.name}_${i}` }))),
  };
}

describe("saving a scan's results", () => {
  it("builds the findings' and tools' statements before it takes the write lock, and stores every row", async () => {
    const team = await insertTeam("Team");
    const { connector } = await registerLocalConnector(
      { name: "Demo", path: "demo-connector", subdirectory: "", scanNow: false, teamId: team.id },
      { id: "tester", correlationId: "corr-1" },
    );
    const scan = await insertQueuedScan(connector.id, "manual", "corr-2");
    await markScanRunning(scan.id);
    const report = enlarged(await runScan({ kind: "local", path: path.join(examples, "demo-connector") }), 60);
    expect(report.findings.length).toBeGreaterThan(400);
    expect(report.tools.length).toBeGreaterThan(200);

    const built = recordInserts(db);
    await storeScanResult(scan.id, report, "tester");

    const large = built.filter((b) => b.table === "findings" || b.table === "scan_tools");
    expect(large.length).toBeGreaterThanOrEqual(5);
    expect(large.filter((b) => b.locked)).toEqual([]);
    expect((await findingsForScan(scan.id)).length).toBe(report.findings.length);
    expect((await toolsForScan(scan.id)).map((t) => t.name)).toEqual(report.tools.map((t) => t.name));
  });
});
