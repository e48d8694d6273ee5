// The pool of scan workers: scans run in worker threads (the event loop that serves pages stays free), and a worker
// that crashes, hangs or runs out of memory fails its scan with the reason while the pool replaces it.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, setDb, type Db } from "@/db/client";
import { getScan, insertQueuedScan } from "@/db/queries/scans";
import { insertTeam } from "@/db/queries/teams";
import { registerLocalConnector } from "@/lib/connectors";
import { resetEnvForTests } from "@/lib/env";
import { ScanPool } from "@/lib/jobs/scan-pool";
import { generateRepo } from "@/bench/checks/index";

const actor = { id: "tester", correlationId: "corr-pool" };
let dir: string;
let db: Db;
let connectorId: number;
let demoId: number;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "lr-pool-"));
  generateRepo(path.join(dir, "root", "generated"), 300);
  // Worker threads open the database themselves: it has to be a file.
  process.env.DATABASE_PATH = path.join(dir, "data", "pool.db");
  process.env.LAUNCH_REVIEW_LOCAL_ROOT = path.join(dir, "root");
  process.env.npm_config_registry = "http://127.0.0.1:9/";
  resetEnvForTests();
  db = openDb(process.env.DATABASE_PATH);
  setDb(db);
  const team = await insertTeam("Pool team");
  const { connector } = await registerLocalConnector(
    { name: "Generated", path: "generated", subdirectory: "", scanNow: false, teamId: team.id },
    actor,
  );
  connectorId = connector.id;
  const demo = path.resolve("examples/demo-connector");
  demoId = (await registerLocalConnector({ name: "Demo", path: demo, subdirectory: "", scanNow: false, teamId: team.id }, actor)).connector
    .id;
});

afterAll(() => {
  db.$client.close();
  setDb(undefined);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("scan pool", () => {
  it("fails a crashed, a hung and an out-of-memory scan with the reason, and keeps scanning with fresh workers", async () => {
    const pool = new ScanPool({
      threads: 1,
      timeoutMs: 8000,
      hardStopGraceMs: 0,
      memoryMb: 256,
      filename: path.resolve("test/support/workers/faulty-scan-worker.mjs"),
    });
    try {
      const ids: number[] = [];
      for (const c of [connectorId, connectorId, connectorId, demoId])
        ids.push((await insertQueuedScan(c, "manual", actor.correlationId)).id);
      expect(ids).toEqual([1, 2, 3, 4]);
      for (const id of ids) await pool.run(id);
      expect(await getScan(1)).toMatchObject({
        status: "failed",
        error: expect.stringMatching(/^The scan worker stopped unexpectedly: worker exited with code: 3/),
      });
      expect(await getScan(2)).toMatchObject({ status: "failed", error: "The scan took longer than 8 s and was stopped." });
      expect(await getScan(3)).toMatchObject({ status: "failed", error: expect.stringContaining("more than 256 MB of memory") });
      expect(await getScan(4)).toMatchObject({ status: "succeeded", error: null });
    } finally {
      await pool.close();
    }
  }, 120_000);

  it("lets a worker finish what its scan left running (its last log line, its alerts) while it waits for the next", async () => {
    const marker = path.join(dir, "left-behind.txt");
    process.env.LR_TEST_MARKER = marker;
    const pool = new ScanPool({
      threads: 1,
      timeoutMs: 8000,
      memoryMb: 256,
      filename: path.resolve("test/support/workers/background-work-worker.mjs"),
    });
    try {
      await pool.run(42);
      // No other task comes: an idle worker that stopped its thread between tasks would never write the marker.
      for (let i = 0; i < 100 && !fs.existsSync(marker); i++) await new Promise((r) => setTimeout(r, 20));
      expect(fs.existsSync(marker) ? fs.readFileSync(marker, "utf8") : "never written").toBe("42");
    } finally {
      await pool.close();
      delete process.env.LR_TEST_MARKER;
    }
  });

  it("runs a scan off the calling thread: its event loop keeps turning while a 300-file connector is scanned", async () => {
    const pool = new ScanPool({ threads: 1, timeoutMs: 120_000, memoryMb: 1024 });
    const delay = monitorEventLoopDelay({ resolution: 10 });
    try {
      const scan = await insertQueuedScan(connectorId, "manual", actor.correlationId);
      delay.enable();
      await pool.run(scan.id);
      delay.disable();
      const stored = (await getScan(scan.id))!;
      expect(stored.status, stored.error ?? "").toBe("succeeded");
      expect(stored.stats?.files).toBeGreaterThanOrEqual(300);
      // Inline, parsing 300 files holds the loop for seconds at a time; in a worker only the pool's messages touch it.
      expect(delay.max / 1e6).toBeLessThan(500);
    } finally {
      await pool.close();
    }
  }, 120_000);
});
