// The scan page's download of the generated chatgpt-app-submission.v1.json (a route handler beside the scan page):
// the file the CLI writes, named so, to whoever may read the scan; 404 outside the team, 401 signed out, and a clear
// answer for scans without one.
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { failScan, insertQueuedScan, markScanRunning } from "@/db/queries/scans";
import { createApiToken } from "@/lib/auth/api-tokens";
import { registerLocalConnector } from "@/lib/connectors";
import type { ScanReport } from "@/lib/core/report";
import { runScan } from "@/lib/engine/scan";
import { resetEnvForTests } from "@/lib/env";
import { storeScanResult } from "@/lib/scan-results";
import { makeTeam, makeUser, sessionCookie } from "./support/auth";
import { useTestDb } from "./support/db";

const actor = { id: "fixture", correlationId: "fixture" };
let report: ScanReport;
let scanId: number;
let failedScanId: number;
let oldScanId: number;
let teamId: number;

async function download(id: number, headers: Record<string, string> = {}) {
  const { GET } = await import("@/app/scans/[id]/chatgpt-app-submission.v1.json/route");
  const request = new Request(`http://localhost/scans/${id}/chatgpt-app-submission.v1.json`, {
    headers: { host: "localhost", ...headers },
  });
  return GET(request, { params: Promise.resolve({ id: String(id) }) });
}

async function storedScan(connectorId: number, stored: ScanReport): Promise<number> {
  const scan = await insertQueuedScan(connectorId, "manual", "c");
  await markScanRunning(scan.id);
  await storeScanResult(scan.id, stored, "fixture");
  return scan.id;
}

beforeAll(async () => {
  process.env.LAUNCH_REVIEW_LOCAL_ROOT = path.resolve("examples");
  process.env.DATABASE_PATH = ":memory:";
  resetEnvForTests();
  await useTestDb();
  teamId = (await makeTeam("Demo team")).id;
  const other = await makeTeam("Other team");
  await makeUser("viewer@submission.test", { teamId, role: "viewer" });
  await makeUser("outsider@submission.test", { teamId: other.id, role: "maintainer" });
  const { connector } = await registerLocalConnector(
    { name: "Demo", path: "demo-connector", subdirectory: "", scanNow: false, teamId },
    actor,
  );
  report = await runScan({ kind: "local", path: path.resolve("examples/demo-connector") });
  scanId = await storedScan(connector.id, report);
  // A report stored before scans generated the file.
  const { submission: _none, ...older } = report;
  oldScanId = await storedScan(connector.id, older as ScanReport);
  const failed = await insertQueuedScan(connector.id, "manual", "c");
  await markScanRunning(failed.id);
  await failScan(failed.id, "The server stopped.", "fixture");
  failedScanId = failed.id;
});

describe("GET /scans/[id]/chatgpt-app-submission.v1.json", () => {
  it("downloads the generated file, exactly as the CLI writes it, under its own name", async () => {
    const res = await download(scanId, { cookie: await sessionCookie("viewer@submission.test") });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="chatgpt-app-submission.v1.json"');
    expect(res.headers.get("cache-control")).toBe("no-store");
    const text = await res.text();
    expect(text).toBe(`${JSON.stringify(report.submission, null, 2)}\n`);
    expect(Object.keys(JSON.parse(text).tools).sort()).toEqual(["delete_note", "import_from_url", "search_notes", "share_note"]);
  });

  it("answers an API token of the team, 404 outside the team and for unknown scans, 401 signed out", async () => {
    const { token } = await createApiToken(teamId, { name: "CI", role: "viewer", expiresInDays: 1 }, actor);
    expect((await download(scanId, { authorization: `Bearer ${token}` })).status).toBe(200);
    expect((await download(scanId, { cookie: await sessionCookie("outsider@submission.test") })).status).toBe(404);
    expect((await download(999_999, { cookie: await sessionCookie("viewer@submission.test") })).status).toBe(404);
    const anonymous = await download(scanId);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).not.toContain("tools");
  });

  it("says why there is nothing to download for a failed scan and for one made before the file existed", async () => {
    const cookie = await sessionCookie("viewer@submission.test");
    const failed = await download(failedScanId, { cookie });
    expect(failed.status).toBe(409);
    expect(await failed.json()).toEqual({ error: "This scan has no results: there is no submission file to download." });
    const old = await download(oldScanId, { cookie });
    expect(old.status).toBe(404);
    expect((await old.json()).error).toMatch(/scan the connector again/);
  });
});
