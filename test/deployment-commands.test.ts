// The commands of the Postgres deployment refuse, with a reason, to run where they make no sense (SQLite), and a scan's
// claim follows the job: only a job that came back after its worker was lost may take over a running scan.
import { beforeEach, describe, expect, it } from "vitest";
import { failScan, getScan, insertQueuedScan, markScanRunning } from "@/db/queries/scans";
import { insertConnector } from "@/db/queries/connectors";
import { insertTeam } from "@/db/queries/teams";
import { runCli } from "./support/cli";
import { useTestDb } from "./support/db";

describe("deployment commands where there is no job queue", () => {
  it("refuses `worker`: the app's own process runs the scans", async () => {
    const run = await runCli(["worker"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("worker needs DATABASE_URL=postgres://");
  });

  it("refuses `serve --no-worker` before building anything", async () => {
    const run = await runCli(["serve", "--no-worker"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--no-worker needs DATABASE_URL=postgres://");
  });

  it("refuses `worker` on Postgres when the queue is the embedded one: nothing would send it a job", async () => {
    const run = await runCli(["worker"], { DATABASE_URL: "postgres://127.0.0.1:9/none", LAUNCH_REVIEW_QUEUE: "embedded" });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("worker needs the pg-boss queue");
  });

  it("checks --concurrency", async () => {
    const run = await runCli(["worker", "--concurrency", "0"], { DATABASE_URL: "postgres://127.0.0.1:9/none" });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--concurrency must be at least 1");
  });
});

describe("claiming a scan", () => {
  beforeEach(async () => {
    await useTestDb();
  });

  async function queuedScan(): Promise<number> {
    const team = await insertTeam("t");
    const connector = await insertConnector({ name: "c", sourceKind: "local", location: "/tmp/c", subdirectory: "", createdBy: "test", teamId: team.id });
    return (await insertQueuedScan(connector.id, "manual", "corr")).id;
  }

  it("claims a queued scan once", async () => {
    const id = await queuedScan();
    expect(await markScanRunning(id)).toBe(true);
    expect(await markScanRunning(id)).toBe(false);
    expect((await getScan(id))?.status).toBe("running");
  });

  it("lets a retried job take over a running scan, never a finished one", async () => {
    const id = await queuedScan();
    await markScanRunning(id);
    expect(await markScanRunning(id, { takeOver: true })).toBe(true);
    expect((await getScan(id))?.status).toBe("running");
    await failScan(id, "stopped", "system");
    expect(await markScanRunning(id, { takeOver: true })).toBe(false);
    expect((await getScan(id))?.status).toBe("failed");
  });
});
