// The Postgres deployment's scan queue (lib/jobs/scan-jobs.ts) against a real PostgreSQL: idempotent sends, one scan
// per connector at a time, and a scan whose worker dies mid-scan comes back to another worker, once.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobIdForScan, ScanJobs, scanQueuePolicy, type ScanAttempt } from "@/lib/jobs/scan-jobs";
import { testScanJobOptions } from "./support/scan-job-options";
import { startPostgresCluster, type PostgresCluster } from "./support/postgres";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await sleep(100);
  }
}

describe("jobIdForScan", () => {
  it("gives each scan one stable UUID", () => {
    expect(jobIdForScan(42)).toBe(jobIdForScan(42));
    expect(jobIdForScan(42)).not.toBe(jobIdForScan(43));
    expect(jobIdForScan(7)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("expires a job only after the scan's own deadline", () => {
    expect(scanQueuePolicy({ scanTimeoutMs: 600_000 }).expireInSeconds).toBe(630);
    expect(scanQueuePolicy({ scanTimeoutMs: 600_000 }).policy).toBe("singleton");
    // A short deadline (tests, small deployments) gets a proportionate grace, not 30 s.
    expect(scanQueuePolicy({ scanTimeoutMs: 10_000 }).expireInSeconds).toBe(15);
  });
});

describe("scan jobs on PostgreSQL", () => {
  let pg: PostgresCluster;
  const started: ScanJobs[] = [];
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    pg = await startPostgresCluster();
  }, 60_000);

  afterAll(async () => {
    for (const child of children) child.kill("SIGKILL");
    for (const jobs of started) await jobs.stop(false).catch(() => {});
    await pg?.stop();
  });

  async function jobsOn(url: string): Promise<ScanJobs> {
    const jobs = await ScanJobs.start(url, testScanJobOptions);
    started.push(jobs);
    return jobs;
  }

  it("starts many workers at once on a fresh database (each creates the queues it finds missing)", async () => {
    const url = await pg.createDatabase();
    const all = await Promise.all(Array.from({ length: 4 }, () => jobsOn(url)));
    expect(all).toHaveLength(4);
    await all[0]!.send({ id: 1, connectorId: 1 });
    const taken: number[] = [];
    await all[3]!.work(1, async ({ scanId }) => void taken.push(scanId));
    await until(() => taken.length === 1);
    expect(taken).toEqual([1]);
  });

  it("runs a scan sent twice once, and never two scans of one connector at once", async () => {
    const url = await pg.createDatabase();
    const jobs = await jobsOn(url);
    await jobs.send({ id: 11, connectorId: 5 });
    await jobs.send({ id: 11, connectorId: 5 });
    await jobs.send({ id: 12, connectorId: 5 });
    await jobs.send({ id: 13, connectorId: 6 });

    const runs: ScanAttempt[] = [];
    const active = new Map<number, number>();
    let mostAtOnceForConnector5 = 0;
    let overlapped = false;
    const connectorOf = (scanId: number) => (scanId === 13 ? 6 : 5);
    await jobs.work(3, async (attempt) => {
      runs.push(attempt);
      const connector = connectorOf(attempt.scanId);
      active.set(connector, (active.get(connector) ?? 0) + 1);
      mostAtOnceForConnector5 = Math.max(mostAtOnceForConnector5, active.get(5) ?? 0);
      if ((active.get(5) ?? 0) > 0 && (active.get(6) ?? 0) > 0) overlapped = true;
      await sleep(700);
      active.set(connector, active.get(connector)! - 1);
    });
    await until(async () => (await jobs.jobOf(12))?.state === "completed" && (await jobs.jobOf(13))?.state === "completed");

    expect(runs.map((r) => r.scanId).sort()).toEqual([11, 12, 13]);
    expect(mostAtOnceForConnector5).toBe(1);
    expect(overlapped).toBe(true);
  }, 60_000);

  it("gives a scan whose worker was killed mid-scan to another worker, once", async () => {
    const url = await pg.createDatabase();
    const sender = await jobsOn(url);
    const child = spawn(process.execPath, ["--import", "tsx", path.join(__dirname, "support", "scan-job-worker.ts")], {
      env: { ...process.env, PG_URL: url },
      stdio: ["ignore", "pipe", "inherit"],
    });
    children.push(child);
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    await until(() => output.includes("ready"), 30_000);

    await sender.send({ id: 21, connectorId: 9 });
    await until(() => output.includes("started 21 0"));
    child.kill("SIGKILL");
    await until(() => child.exitCode !== null || child.signalCode !== null);
    expect((await sender.jobOf(21))?.state).toBe("active");

    const runs: ScanAttempt[] = [];
    const survivor = await jobsOn(url);
    await survivor.work(1, async (attempt) => {
      runs.push(attempt);
    });
    await until(async () => (await survivor.jobOf(21))?.state === "completed");
    await sleep(1500); // nothing else comes: the retried job ran once
    expect(runs).toEqual([{ scanId: 21, retry: 1 }]);
  }, 90_000);
});
