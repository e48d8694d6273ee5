// The fleet dashboard at scale: 500 connectors with 50 scans each (25,000 scans, 14 watched packages per scan).
// Measures the dashboard's queries in-process (time, and how many SQL statements one render runs), then the real
// page: the built app serves GET / (and page 2) to a signed-in administrator, p50 and p95 over repeated requests and
// the HTML's size, and the streamed CSV export of every row. Targets: GET / p95 under 100 ms, HTML under 300 KB.
// BENCH_APP_DIR=/path/to/other/checkout measures that checkout's build against the same database (before/after).
// Last, a simulation of 10,000 connectors rescanned daily: the scans an hour the embedded queue sustains (queue-sim.ts).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDb, setDb } from "@/db/client";
import { history } from "@/db/queries/fleet";
import { getAuth } from "@/lib/auth/auth";
import { resetEnvForTests } from "@/lib/env";
import { FleetFilters } from "@/lib/fleet/dashboard";
import { loadDashboard } from "@/lib/fleet/load";
import { BENCH_ADMIN, startApp } from "../support/app-server";
import { ms, time } from "../support/measure";
import { queueSimulation } from "./queue-sim";

const CONNECTORS = 500;
const SCANS_PER_CONNECTOR = 50;
const PACKAGES = [
  "react",
  "react-dom",
  "next",
  "react-server-dom-webpack",
  "@modelcontextprotocol/sdk",
  "@modelcontextprotocol/ext-apps",
  "mcp-handler",
  "openai",
  "@openai/agents",
  "zod",
  "express",
  "typescript",
  "undici",
  "jose",
];
const LAGS = ["current", "patch", "minor", "major", "vulnerable"] as const;
const ADMIN = BENCH_ADMIN;
const TARGET = { p95Ms: 100, htmlBytes: 300 * 1024 };

export function seed(file: string): void {
  const db = openDb(file);
  const sql = db.$client;
  const started = performance.now();
  sql.transaction(() => {
    sql.prepare("insert into teams (id, name) values (1, 'Bench team')").run();
    const connector = sql.prepare("insert into connectors (id, team_id, name, source_kind, location) values (?, 1, ?, 'github', ?)");
    const scan = sql.prepare(
      "insert into scans (id, connector_id, status, correlation_id, queued_at, finished_at, critical, high, advisories_critical, advisories_high, watched_vulnerable, watched_behind, report) values (?, ?, 'succeeded', 'bench', ?, ?, ?, ?, ?, ?, ?, ?, '{}')",
    );
    const pkg = sql.prepare(
      "insert into scan_packages (scan_id, connector_id, package, version, latest, lag, advisories, fixed_in) values (?, ?, ?, ?, ?, ?, ?, ?)",
    );
    let scanId = 0;
    const now = Date.now();
    for (let c = 1; c <= CONNECTORS; c++) {
      connector.run(c, `connector-${String(c).padStart(3, "0")}`, `acme/connector-${c}`);
      for (let s = 0; s < SCANS_PER_CONNECTOR; s++) {
        scanId += 1;
        const at = now - (SCANS_PER_CONNECTOR - s) * 24 * 3600_000;
        const vulnerable = (c + s) % 7 === 0 ? 1 : 0;
        const lags = PACKAGES.map((_, i) => LAGS[(c + s + i) % LAGS.length]!);
        scan.run(
          scanId,
          c,
          at,
          at,
          (c * s) % 3,
          (c + s) % 5,
          vulnerable,
          (c + s) % 4 === 0 ? 1 : 0,
          lags.filter((l) => l === "vulnerable").length,
          lags.filter((l) => l === "major" || l === "minor" || l === "patch").length,
        );
        for (const [i, name] of PACKAGES.entries()) {
          const lag = lags[i]!;
          pkg.run(
            scanId,
            c,
            name,
            `1.${i}.${s % 10}`,
            `1.${i + 1}.0`,
            lag,
            lag === "vulnerable" ? `["GHSA-bnch-${i}-${c % 10}"]` : "[]",
            lag === "vulnerable" ? `1.${i}.9` : null,
          );
        }
      }
    }
    sql.prepare("analyze").run();
  })();
  db.$client.close();
  console.log(
    `seeded ${CONNECTORS} connectors, ${CONNECTORS * SCANS_PER_CONNECTOR} scans, ${CONNECTORS * SCANS_PER_CONNECTOR * PACKAGES.length} package rows in ${ms(performance.now() - started)}`,
  );
}

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

async function overHttp(file: string, appDir: string): Promise<void> {
  const app = await startApp({ DATABASE_PATH: file }, appDir);
  try {
    const cookie = await signIn(file);
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
      const timing = await time(30, () => get(page));
      console.log(
        `GET ${page} (${CONNECTORS} connectors): ${(bytes / 1024).toFixed(0)} KB of HTML, p50 ${ms(timing.p50)}, p95 ${ms(timing.p95)} over ${timing.runs} requests`,
      );
      if (page === "/")
        console.log(
          `  target p95 < ${TARGET.p95Ms} ms: ${verdict(timing.p95 < TARGET.p95Ms)}; HTML < ${TARGET.htmlBytes / 1024} KB: ${verdict(bytes < TARGET.htmlBytes)}`,
        );
    }
    const started = performance.now();
    // Uncompressed: gzip holds a streamed body back until it has a block's worth, which would hide when rows leave.
    const res = await fetch(`${app.base}/api/v1/fleet/matrix.csv`, { headers: { cookie, "accept-encoding": "identity" } });
    const { body: csv, firstAfterMs } = await readStreamed(res, started);
    const lines = csv.split("\r\n").filter(Boolean).length;
    console.log(
      `GET /api/v1/fleet/matrix.csv: ${lines - 1} rows, ${(csv.length / 1024).toFixed(0)} KB; first bytes after ${ms(firstAfterMs)}, all after ${ms(performance.now() - started)}`,
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

/** Signs the administrator in through better-auth against the same database and key, returning the session cookie. */
async function signIn(file: string): Promise<string> {
  const db = openDb(file);
  setDb(db);
  try {
    const response = await getAuth().api.signInEmail({ body: { email: ADMIN.email, password: ADMIN.password }, asResponse: true });
    const cookie = response.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    if (!cookie.includes("session_token")) throw new Error(`sign-in failed (${response.status})`);
    return cookie;
  } finally {
    db.$client.close();
    setDb(undefined);
  }
}

export async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lr-bench-fleet-"));
  const file = path.join(dir, "fleet.db");
  process.env.DATABASE_PATH = file;
  resetEnvForTests();
  try {
    seed(file);
    await inProcess(file);
    const appDir = path.resolve(process.env.BENCH_APP_DIR ?? ".");
    if (!fs.existsSync(path.join(appDir, ".next/BUILD_ID"))) console.log("(no build: run `npm run build` to measure the page over HTTP)");
    else await overHttp(file, appDir);
    // BENCH_FLEET_QUEUE=0 skips the queue simulation (about a minute or two).
    if (process.env.BENCH_FLEET_QUEUE !== "0") await queueSimulation(dir);
  } finally {
    if (!process.env.KEEP_BENCH_DB) fs.rmSync(dir, { recursive: true, force: true });
    else console.log(file);
  }
}
