// npm run bench workers: the sizing table of the Postgres deployment (README, Deployments). A throwaway PostgreSQL;
// for each layout, SCANS copies of the demo connector are queued as pg-boss jobs the way the app queues them, then
// `launch-review worker` processes take them, and the bench prints scans per minute, in all and per worker process.
// Advisory lookups go to an address nothing listens on, so the figures are the scan's own work (the scan records the
// advisories as unknown); a real registry adds its answer time per scan.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { startPostgresCluster } from "../../test/support/postgres";

const root = path.resolve(__dirname, "..", "..");
const SCANS = Number(process.env.BENCH_WORKER_SCANS ?? 24);
const LAYOUTS: Array<{ processes: number; concurrency: number }> = [
  { processes: 1, concurrency: 1 },
  { processes: 1, concurrency: 2 },
  { processes: 2, concurrency: 1 },
];

function benchEnv(url: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: url,
    LAUNCH_REVIEW_SECRET: "bench-workers-secret-0123456789abcdef",
    LAUNCH_REVIEW_LOCAL_ROOT: path.join(root, "examples"),
    LAUNCH_REVIEW_LOG_LEVEL: "warn",
    LAUNCH_REVIEW_SCHEDULER: "0",
    npm_config_registry: "http://127.0.0.1:9/",
    LAUNCH_REVIEW_PYPI_URL: "http://127.0.0.1:9",
  };
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: ["ignore", "ignore", "inherit"] });
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${args.join(" ")} exited with ${code}`))));
  });
}

function startWorker(concurrency: number, env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["lib/cli/launch-review.mjs", "worker", "--concurrency", String(concurrency)], {
      cwd: root,
      env,
      stdio: ["ignore", "ignore", "pipe"],
    });
    let said = "";
    child.stderr!.on("data", (chunk: Buffer) => {
      said += chunk.toString();
      if (said.includes("worker started")) resolve(child);
    });
    child.on("exit", (code) => reject(new Error(`worker exited with ${code}: ${said}`)));
  });
}

async function finished(url: string): Promise<{ done: number; failed: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ done: string; failed: string }>(
      "select count(*) filter (where status in ('succeeded', 'failed')) as done, count(*) filter (where status = 'failed') as failed from scans",
    );
    return { done: Number(rows[0]!.done), failed: Number(rows[0]!.failed) };
  } finally {
    await client.end();
  }
}

export async function main(): Promise<void> {
  const cluster = await startPostgresCluster();
  try {
    console.log(`${SCANS} scans of examples/demo-connector per layout, on this machine (2 cores):`);
    console.log("layout                         | scans/min | per worker process | failed");
    for (const layout of LAYOUTS) {
      const url = await cluster.createDatabase(`bench_${layout.processes}_${layout.concurrency}`);
      const env = benchEnv(url);
      await run(["--conditions=react-server", "--import", "tsx", "bench/workers/enqueue.ts"], { ...env, BENCH_CONNECTOR: "demo-connector", BENCH_COUNT: String(SCANS) });
      const started = performance.now();
      const workers = await Promise.all(Array.from({ length: layout.processes }, () => startWorker(layout.concurrency, env)));
      let state = await finished(url);
      while (state.done < SCANS) {
        await new Promise((r) => setTimeout(r, 200));
        state = await finished(url);
      }
      const minutes = (performance.now() - started) / 60_000;
      for (const w of workers) w.kill("SIGKILL");
      const perMinute = SCANS / minutes;
      const name = `${layout.processes} worker${layout.processes > 1 ? "s" : ""} × concurrency ${layout.concurrency}`;
      console.log(
        `${name.padEnd(30)} | ${perMinute.toFixed(0).padStart(9)} | ${(perMinute / layout.processes).toFixed(0).padStart(18)} | ${state.failed}`,
      );
    }
    console.log("(from the workers' start, so each includes its processes' start-up and first, cold scan)");
  } finally {
    await cluster.stop();
  }
}
