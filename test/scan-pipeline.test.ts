// Integration: a full scan of the bundled demo connector into a fresh database, through the same code the app runs.
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { verifyAuditChain, listAudit } from "@/db/queries/audit";
import { checklistForScan, failInterruptedScans, findingsForScan, getScan, insertQueuedScan, markScanRunning } from "@/db/queries/scans";
import { listSecurityEvents } from "@/db/queries/security";
import { storeScanResult } from "@/lib/scan-results";
import { insertTeam } from "@/db/queries/teams";
import { registerLocalConnector, requestScan } from "@/lib/connectors";
import { resetEnvForTests } from "@/lib/env";
import { scanQueue } from "@/lib/jobs/scan-queue";
import type { ScanReport } from "@/lib/core/report";
import { runScan } from "@/lib/engine/scan";
import { useTestDb } from "./support/db";

const examples = path.resolve("examples");
const actor = { id: "tester", correlationId: "corr-1" };
let teamId: number;

describe("scan pipeline", () => {
  beforeEach(async () => {
    process.env.LAUNCH_REVIEW_LOCAL_ROOT = examples;
    resetEnvForTests();
    await useTestDb();
    teamId = (await insertTeam("Team")).id;
  });
  afterEach(() => scanQueue().whenIdle());

  it("scans the demo connector and stores findings, checklist and audit entries in one go", async () => {
    const { connector } = await registerLocalConnector(
      { name: "Demo", path: "demo-connector", subdirectory: "", scanNow: false, teamId },
      actor,
    );
    const { scan } = await requestScan(connector.id, "manual", actor);
    await scanQueue().whenIdle();

    const stored = (await getScan(scan.id))!;
    expect(stored.status).toBe("succeeded");
    expect(stored.error).toBeNull();
    expect(stored.stats?.files).toBeGreaterThan(5);
    const report = JSON.parse(stored.report!) as ScanReport;
    expect(report.schemaVersion).toBe(1);

    const rows = await findingsForScan(scan.id);
    expect(rows.length).toBe(report.findings.length);
    expect(rows.some((f) => f.ruleId === "secrets/env-file" && f.path === ".env")).toBe(true);
    expect(stored.high).toBe(rows.filter((f) => f.severity === "high").length);

    const checklist = await checklistForScan(scan.id);
    expect(new Set(checklist.map((c) => c.section))).toEqual(
      new Set(["principles", "data-handling", "prompt-injection", "network", "auth", "operations"]),
    );
    expect(checklist.find((c) => c.itemId === "auth.no-long-lived-secrets")?.status).toBe("fail");

    expect((await listAudit()).map((e) => e.action).reverse()).toEqual(["connector.registered", "scan.queued", "scan.succeeded"]);
    expect(await verifyAuditChain()).toEqual({ ok: true, entries: 3 });
  });

  it("fails a scan with a clear reason when its folder has gone, and stores no findings", async () => {
    const { connector } = await registerLocalConnector(
      { name: "Demo", path: "demo-connector", subdirectory: "no/such/sub", scanNow: false, teamId },
      actor,
    );
    const { scan } = await requestScan(connector.id, "manual", actor);
    await scanQueue().whenIdle();
    const stored = (await getScan(scan.id))!;
    expect(stored.status).toBe("failed");
    expect(stored.error).toMatch(/No folder at/);
    expect(await findingsForScan(scan.id)).toEqual([]);
  });

  it("writes nothing when storing the results fails half-way", async () => {
    const { connector } = await registerLocalConnector(
      { name: "Demo", path: "demo-connector", subdirectory: "", scanNow: false, teamId },
      actor,
    );
    const scan = await insertQueuedScan(connector.id, "manual", "corr-2");
    await markScanRunning(scan.id);
    const report = await runScan({ kind: "local", path: path.join(examples, "demo-connector") });
    // A finding that violates a NOT NULL column, after a valid one: the whole transaction must roll back.
    const broken = { ...report, findings: [...report.findings, { ...report.findings[0]!, title: null as unknown as string }] };
    await expect(storeScanResult(scan.id, broken, "tester")).rejects.toThrow();
    expect(await findingsForScan(scan.id)).toEqual([]);
    expect(await checklistForScan(scan.id)).toEqual([]);
    expect((await getScan(scan.id))!.status).toBe("running");
  });

  it("marks scans a killed process left running as failed at start", async () => {
    const { connector } = await registerLocalConnector(
      { name: "Demo", path: "demo-connector", subdirectory: "", scanNow: false, teamId },
      actor,
    );
    const scan = await insertQueuedScan(connector.id, "manual", "corr-3");
    await markScanRunning(scan.id);
    expect(await failInterruptedScans()).toEqual([scan.id]);
    expect(await getScan(scan.id)).toMatchObject({ status: "failed", error: expect.stringMatching(/server stopped/) });
  });

  it("joins an active scan instead of queuing a second one", async () => {
    const { connector } = await registerLocalConnector(
      { name: "Demo", path: "demo-connector", subdirectory: "", scanNow: false, teamId },
      actor,
    );
    const first = await insertQueuedScan(connector.id, "manual", "corr-4");
    const second = await requestScan(connector.id, "manual", actor);
    expect(second).toMatchObject({ alreadyActive: true, scan: { id: first.id } });
  });

  it("records a security event when a connector's scans fail three times in a row", async () => {
    const { connector } = await registerLocalConnector(
      { name: "Broken", path: "demo-connector", subdirectory: "gone", scanNow: false, teamId },
      actor,
    );
    for (let i = 0; i < 3; i++) {
      await requestScan(connector.id, "manual", actor);
      await scanQueue().whenIdle();
    }
    expect(await listSecurityEvents({ type: "scan.repeated-failures" })).toEqual([
      expect.objectContaining({ details: { connectorId: connector.id, failures: 3 } }),
    ]);
  });

  it("refuses folders outside the allowed root", async () => {
    await expect(registerLocalConnector({ name: "Etc", path: "/etc", subdirectory: "", scanNow: false, teamId }, actor)).rejects.toThrow(
      /outside the allowed folder/,
    );
  });
});
