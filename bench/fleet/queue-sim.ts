// How many scans an hour the embedded queue sustains on this machine, against what 10,000 connectors rescanned daily
// need (10,000 / 24 ≈ 417 an hour). Real scans of the demo connector run through the app's own queue (ScanQueue,
// with its fairness caps) and worker pool (ScanPool), with 1, 2 and 4 workers: a warm-up round (each worker loads
// the parsers once, as a long-running app's workers have), then a timed round. The registries are unreachable on
// purpose (the advisories come back "unknown"), so this measures the scan's own work, not the network.
import fs from "node:fs";
import path from "node:path";
import { openDb, setDb } from "@/db/client";
import { insertQueuedScan } from "@/db/queries/scans";
import { insertTeam } from "@/db/queries/teams";
import { registerLocalConnector } from "@/lib/connectors";
import { resetEnvForTests } from "@/lib/env";
import { ScanPool } from "@/lib/jobs/scan-pool";
import { ScanQueue } from "@/lib/jobs/scan-queue";
import { ms } from "../support/measure";

const FLEET = 10_000;
const NEEDED_PER_HOUR = FLEET / 24;
const WORKERS = [1, 2, 4];
/** Scans per worker in the timed round: enough that start and end effects stay small. */
const JOBS_PER_WORKER = 6;

interface Round {
  workers: number;
  jobs: number;
  seconds: number;
  failed: number;
}

async function round(dir: string, workers: number, spreadHosts: boolean): Promise<Round> {
  const file = path.join(dir, `queue-${workers}-${spreadHosts ? "spread" : "one-host"}.db`);
  process.env.DATABASE_PATH = file;
  resetEnvForTests();
  const db = openDb(file);
  setDb(db);
  const pool = new ScanPool({ threads: workers, timeoutMs: 600_000, memoryMb: 2048 });
  // One source host for every connector is the real case of a fleet on github.com or one disk: the queue keeps one
  // slot free of any single host (lib/jobs/fairness.ts). "Spread" gives each connector its own host.
  const queue = new ScanQueue({
    concurrency: workers,
    execute: (scanId) => pool.run(scanId),
    ...(spreadHosts ? { describe: async (scanId: number) => ({ scanId, connectorId: scanId, host: `host-${scanId}` }) } : {}),
  });
  try {
    const team = await insertTeam("Simulation");
    const actor = { id: "bench", correlationId: "bench" };
    const jobs = workers * (1 + JOBS_PER_WORKER);
    const connectors: number[] = [];
    for (let i = 0; i < jobs; i++) {
      const { connector } = await registerLocalConnector(
        { name: `sim-${i}`, path: "demo-connector", subdirectory: "", scanNow: false, teamId: team.id },
        actor,
      );
      connectors.push(connector.id);
    }
    const runAll = async (ids: number[]) => {
      for (const id of ids) queue.enqueue((await insertQueuedScan(id, "schedule", "bench")).id);
      await queue.whenIdle();
    };
    await runAll(connectors.slice(0, workers));
    const started = performance.now();
    await runAll(connectors.slice(workers));
    const seconds = (performance.now() - started) / 1000;
    const failed = (db.$client.prepare("select count(*) as n from scans where status <> 'succeeded'").get() as { n: number }).n;
    return { workers, jobs: jobs - workers, seconds, failed };
  } finally {
    await pool.close();
    db.$client.close();
    setDb(undefined);
  }
}

export async function queueSimulation(dir: string): Promise<void> {
  if (!fs.existsSync(path.join("dist", "cli", "scan-worker.cjs"))) {
    console.log("(no scan worker: run `npm run build:cli` to simulate the queue)");
    return;
  }
  Object.assign(process.env, {
    LAUNCH_REVIEW_LOCAL_ROOT: path.resolve("examples"),
    npm_config_registry: "http://127.0.0.1:9/",
    LAUNCH_REVIEW_PYPI_URL: "http://127.0.0.1:9",
    LAUNCH_REVIEW_LOG_LEVEL: "silent",
  });
  console.log(
    `queue simulation: ${FLEET} connectors rescanned daily need ${NEEDED_PER_HOUR.toFixed(0)} scans an hour (demo connector, ${JOBS_PER_WORKER} timed scans per worker)`,
  );
  let oneScanSeconds = 0;
  for (const spread of [false, true]) {
    for (const workers of WORKERS) {
      const r = await round(dir, workers, spread);
      if (workers === 1 && !spread) oneScanSeconds = r.seconds / r.jobs;
      const perHour = (r.jobs / r.seconds) * 3600;
      console.log(
        `  ${workers} worker${workers > 1 ? "s" : ""}, ${spread ? "hosts spread" : "one source host"}: ${r.jobs} scans in ${ms(r.seconds * 1000)} → ${perHour.toFixed(0)} an hour, ` +
          `${(perHour / NEEDED_PER_HOUR).toFixed(1)}× the need; a day's rescans take ${((FLEET / perHour) * 60).toFixed(0)} min${r.failed ? ` (${r.failed} scans failed)` : ""}`,
      );
    }
  }
  console.log(
    `  one demo scan takes ${ms(oneScanSeconds * 1000)} here; a real connector's (a GitHub download, registry answers) takes longer: ` +
      `divide the rates by its time ÷ ${oneScanSeconds.toFixed(2)} s`,
  );
}
