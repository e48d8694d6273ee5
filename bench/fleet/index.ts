// The fleet dashboard at scale: 500 connectors with 50 scans each (25,000 scans, 14 watched packages per scan).
// Measures the dashboard's queries in-process (time, and how many SQL statements one render runs), then the real
// page: the built app serves GET / (and page 2) to a signed-in administrator, p50 and p95 over repeated requests and
// the HTML's size, and the streamed CSV export of every row. Targets: GET / p95 under 100 ms, HTML under 300 KB.
// The pages are measured on SQLite, then on PostgreSQL (a throwaway cluster with the same rows, the app serving pages
// only). BENCH_APP_DIR=/path/to/other/checkout measures that checkout's build against the same database (before/after).
// Last, a simulation of 10,000 connectors rescanned daily: the scans an hour the embedded queue sustains (queue-sim.ts).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDb, setDb } from "@/db/client";
import { history } from "@/db/queries/fleet";
import { resetEnvForTests } from "@/lib/env";
import { FleetFilters } from "@/lib/fleet/dashboard";
import { loadDashboard } from "@/lib/fleet/load";
import { postgresBinDir, startPostgresCluster } from "../../test/support/postgres";
import { adminSessionCookie } from "../support/admin-session";
import { startApp } from "../support/app-server";
import { cpuShares, machineCpu, ms, time } from "../support/measure";
import { queueSimulation } from "./queue-sim";
import { CONNECTORS, seedSqlite, seedPostgres } from "./seed";

const TARGET = { p95Ms: 100, htmlBytes: 300 * 1024 };

/** Counts the SQL statements a function runs, by wrapping better-sqlite3's prepare for its duration. */
async function countStatements<T>(db: ReturnType<typeof openDb>, fn: () => Promise<T>): Promise<{ value: T; statements: number }> {
  const original = db.$client.prepare.bind(db.$client);
  let statements = 0;
  (db.$client as { prepare: typeof original }).prepare = ((source: string) => {
    statements += 1;
    return original(source);
  }) as typeof original;
  try {
    const value = await fn();
    return { value, statements };
  } finally {
    (db.$client as { prepare: typeof original }).prepare = original;
  }
}

async function inProcess(file: string): Promise<void> {
  const db = openDb(file);
  setDb(db);
  const render = async () => {
    const filters = FleetFilters.parse({});
    const dashboard = await loadDashboard("all", filters);
    // The history uncached (lib/fleet/load.ts keeps it until a scan finishes): what the first request after a scan costs.
    const trend = await history("all");
    return { rows: dashboard.rows.length, cells: dashboard.packages.length, days: trend.length, matching: dashboard.matching };
  };
  const { value, statements } = await countStatements(db, render);
  const timing = await time(20, render);
  console.log(
    `dashboard data: page of ${value.rows} rows (of ${value.matching}) x ${value.cells} packages, ${value.days} history days; ${statements} SQL statements per render`,
  );
  console.log(`dashboard data in-process: p50 ${ms(timing.p50)}, p95 ${ms(timing.p95)} over ${timing.runs} renders`);
  for (const [name, sql] of [
    ["fleet rows", "SELECT connector_id, max(id) FROM scans WHERE status = 'succeeded' GROUP BY connector_id"],
    ["matrix", "SELECT * FROM scan_packages WHERE scan_id = 1"],
  ] as const) {
    const plan = db.$client.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>;
    console.log(`plan (${name}): ${plan.map((p) => p.detail).join(" | ")}`);
  }
  db.$client.close();
  setDb(undefined);
}

function verdict(ok: boolean): string {
  return ok ? "meets the target" : "MISSES the target";
}

const WARM_UP_REQUESTS = 20;
const MEASURED_REQUESTS = 60;

/** The built app on the seeded database (`env` says which), measured over HTTP as a signed-in administrator sees it. */
async function overHttp(database: string, env: Record<string, string>, appDir: string): Promise<void> {
  const app = await startApp(env, appDir);
  try {
    const cookie = adminSessionCookie({ ...env, LAUNCH_REVIEW_BASE_URL: app.base });
    const get = async (pathAndQuery: string) => {
      const res = await fetch(`${app.base}${pathAndQuery}`, { headers: { cookie } });
      if (res.status !== 200) throw new Error(`GET ${pathAndQuery} answered ${res.status}`);
      return Buffer.from(await res.arrayBuffer());
    };
    for (const page of ["/", "/?page=2"]) {
      const html = await get(page);
      const bytes = html.byteLength;
      // BENCH_SAVE_HTML=<file>: keep the first page's HTML, to see what its bytes are made of.
      if (page === "/" && process.env.BENCH_SAVE_HTML) fs.writeFileSync(process.env.BENCH_SAVE_HTML, html);
      // A running server's answers, not its first ones: the first few dozen after a start wait for V8 to compile the
      // render path (each about twice as slow), which a p95 over a few requests would measure instead.
      for (let i = 0; i < WARM_UP_REQUESTS; i++) await get(page);
      const cpuBefore = machineCpu();
      const timing = await time(MEASURED_REQUESTS, () => get(page));
      console.log(
        `${database}: GET ${page} (${CONNECTORS} connectors): ${(bytes / 1024).toFixed(0)} KB of HTML, p50 ${ms(timing.p50)}, p95 ${ms(timing.p95)} over ${timing.runs} requests (after ${WARM_UP_REQUESTS} to warm up)`,
      );
      if (page === "/") {
        console.log(`  ${cpuShares(cpuBefore, machineCpu())} (the whole machine, while measured)`);
        console.log(
          `  target p95 < ${TARGET.p95Ms} ms: ${verdict(timing.p95 < TARGET.p95Ms)}; HTML < ${TARGET.htmlBytes / 1024} KB: ${verdict(bytes < TARGET.htmlBytes)}`,
        );
      }
    }
    const started = performance.now();
    // Uncompressed: gzip holds a streamed body back until it has a block's worth, which would hide when rows leave.
    const res = await fetch(`${app.base}/api/v1/fleet/matrix.csv`, { headers: { cookie, "accept-encoding": "identity" } });
    const { body: csv, firstAfterMs } = await readStreamed(res, started);
    const lines = csv.split("\r\n").filter(Boolean).length;
    console.log(
      `${database}: GET /api/v1/fleet/matrix.csv: ${lines - 1} rows, ${(csv.length / 1024).toFixed(0)} KB; first bytes after ${ms(firstAfterMs)}, all after ${ms(performance.now() - started)}`,
    );
  } finally {
    await app.stop();
  }
}

/** A streamed body, and how long after the request its first chunk came: a streamed export starts before the last row is read. */
async function readStreamed(res: Response, started: number): Promise<{ body: string; firstAfterMs: number }> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let body = "";
  let firstAfterMs = 0;
  for (;;) {
    const next = await reader.read();
    if (next.done) break;
    if (!body) firstAfterMs = performance.now() - started;
    body += decoder.decode(next.value, { stream: true });
  }
  return { body, firstAfterMs };
}

const SECRET = "bench-fleet-secret-that-is-long-enough-0123456789";

export async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lr-bench-fleet-"));
  const file = path.join(dir, "fleet.db");
  process.env.DATABASE_PATH = file;
  resetEnvForTests();
  try {
    seedSqlite(file);
    await inProcess(file);
    const appDir = path.resolve(process.env.BENCH_APP_DIR ?? ".");
    if (!fs.existsSync(path.join(appDir, ".next/BUILD_ID"))) console.log("(no build: run `npm run build` to measure the page over HTTP)");
    else {
      await overHttp("SQLite", { DATABASE_PATH: file, LAUNCH_REVIEW_SECRET: SECRET }, appDir);
      // BENCH_FLEET_POSTGRES=0 skips the same measure on PostgreSQL (a throwaway cluster, seeded in about half a minute).
      if (process.env.BENCH_FLEET_POSTGRES !== "0") await onPostgres(appDir);
    }
    // BENCH_FLEET_QUEUE=0 skips the queue simulation (about a minute or two).
    if (process.env.BENCH_FLEET_QUEUE !== "0") await queueSimulation(dir);
  } finally {
    if (!process.env.KEEP_BENCH_DB) fs.rmSync(dir, { recursive: true, force: true });
    else console.log(file);
  }
}

/** The same fleet and pages on PostgreSQL: the app serving pages only (`serve --no-worker`), as a scaled-out web node. */
async function onPostgres(appDir: string): Promise<void> {
  if (!fs.existsSync(path.join(postgresBinDir(), "initdb"))) {
    console.log(`(PostgreSQL is not installed at ${postgresBinDir()}: the Postgres figures are left out; .ci/run installs it)`);
    return;
  }
  const cluster = await startPostgresCluster();
  try {
    const url = await cluster.createDatabase("fleet");
    await seedPostgres(url);
    await overHttp("PostgreSQL", { DATABASE_URL: url, LAUNCH_REVIEW_SECRET: SECRET, LAUNCH_REVIEW_WORKER: "0" }, appDir);
  } finally {
    await cluster.stop();
  }
}
