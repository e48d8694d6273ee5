// Scans off the request path: while the built app scans a generated 2,000-file connector, how fast do `/api/health`
// and a signed-in page answer? Target: p95 under 50 ms for both. The scan is started the way CI starts one (the API,
// with a team's token); health is asked every 100 ms and the connector's page every 250 ms until the scan ends.
// Answers at or over the target are listed with when into the scan they came, so a miss says where to look.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDb, setDb } from "@/db/client";
import { findTeamByName, insertTeam } from "@/db/queries/teams";
import { createApiToken } from "@/lib/auth/api-tokens";
import { registerLocalConnector } from "@/lib/connectors";
import { resetEnvForTests } from "@/lib/env";
import { generateRepo } from "../checks/index";
import { adminSessionCookie } from "../support/admin-session";
import { startApp } from "../support/app-server";
import { cpuShares, machineCpu, ms } from "../support/measure";

const FILES = 2000;
const TARGET_P95_MS = 50;

interface Samples {
  times: number[];
  failures: number;
  /** The slowest and the failed answers: when into the scan (s), how long (ms), and the status (0: no answer). */
  notable: Array<{ at: number; ms: number; status: number }>;
}

function summary(name: string, s: Samples): { line: string; p95: number } {
  const sorted = [...s.times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  const p95 = at(0.95);
  return {
    p95,
    line: `${name}: p50 ${ms(at(0.5))}, p95 ${ms(p95)}, max ${ms(sorted.at(-1) ?? NaN)} over ${sorted.length} requests${s.failures ? ` (${s.failures} failed)` : ""}; target p95 < ${TARGET_P95_MS} ms: ${p95 < TARGET_P95_MS ? "met" : "NOT met"}${notable(s)}`,
  };
}

/** The slow and failed answers, so a missed target says when in the scan it was missed. */
function notable(s: Samples): string {
  if (s.notable.length === 0) return "";
  const shown = s.notable.slice(0, 12).map((n) => `+${n.at.toFixed(1)} s: ${ms(n.ms)}${n.status === 200 ? "" : ` (${n.status || "no answer"})`}`);
  return `\n  slow or failed: ${shown.join(", ")}${s.notable.length > 12 ? ", …" : ""}`;
}

/** Requests `url` every `everyMs` (one at a time) until `done()`; each answer's time is a sample. */
async function sample(url: string, headers: Record<string, string>, everyMs: number, done: () => boolean): Promise<Samples> {
  const out: Samples = { times: [], failures: 0, notable: [] };
  const deadline = Date.now() + 10 * 60_000;
  const started = performance.now();
  while (!done() && Date.now() < deadline) {
    const t0 = performance.now();
    const res = await fetch(url, { headers }).catch(() => null);
    await res?.arrayBuffer();
    const took = performance.now() - t0;
    out.times.push(took);
    if (!res || res.status !== 200) out.failures += 1;
    if (!res || res.status !== 200 || took >= TARGET_P95_MS)
      out.notable.push({ at: (t0 - started) / 1000, ms: took, status: res?.status ?? 0 });
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return out;
}

/** Registers the generated connector, a small one to warm the server up with, and an API token for their team, in-process. */
async function prepare(
  file: string,
  folder: string,
  warmUpFolder: string,
): Promise<{ connectorId: number; warmUpId: number; token: string }> {
  const db = openDb(file);
  setDb(db);
  try {
    const actor = { id: "bench", correlationId: "bench" };
    const team = (await findTeamByName("Bench team")) ?? (await insertTeam("Bench team"));
    const { connector } = await registerLocalConnector(
      { name: "Generated", path: folder, subdirectory: "", scanNow: false, teamId: team.id },
      actor,
    );
    const { connector: warmUp } = await registerLocalConnector(
      { name: "Warm-up", path: warmUpFolder, subdirectory: "", scanNow: false, teamId: team.id },
      actor,
    );
    const { token } = await createApiToken(team.id, { name: "bench", role: "maintainer", expiresInDays: 1 }, actor);
    return { connectorId: connector.id, warmUpId: warmUp.id, token };
  } finally {
    db.$client.close();
    setDb(undefined);
  }
}

/** Starts a scan the way CI does (the API, with a team's token); its id. */
async function startScan(base: string, auth: Record<string, string>, connectorId: number): Promise<number> {
  const started = await fetch(`${base}/api/v1/connectors/${connectorId}/scans`, { method: "POST", headers: { ...auth, origin: base } });
  if (started.status !== 202) throw new Error(`starting the scan answered ${started.status}: ${await started.text()}`);
  return ((await started.json()) as { scanId: number }).scanId;
}

/** Polls the scan every 500 ms until it ends; its final status. */
async function scanEnd(base: string, auth: Record<string, string>, scanId: number): Promise<string> {
  for (;;) {
    await new Promise((r) => setTimeout(r, 500));
    // A server whose event loop was blocked may drop a kept-alive connection: ask again next time.
    const res = await fetch(`${base}/api/v1/scans/${scanId}`, { headers: auth }).catch(() => null);
    if (!res) continue;
    const scan = (await res.json()) as { status: string; error?: string };
    if (scan.status === "failed") console.log(`scan ${scanId} failed: ${scan.error}`);
    if (scan.status !== "queued" && scan.status !== "running") return scan.status;
  }
}

/**
 * A server that has been up a while has loaded the code of its pages in every state and started its scan threads:
 * one small scan, with its connector's page asked while it runs and after, does that here, so the figures below are
 * the steady state and not first-request start-up.
 */
async function warmUp(base: string, auth: Record<string, string>, cookie: string, connectorId: number): Promise<void> {
  const scanId = await startScan(base, auth, connectorId);
  const page = () => fetch(`${base}/connectors/${connectorId}`, { headers: { cookie } }).then((r) => r.arrayBuffer());
  await page();
  const status = await scanEnd(base, auth, scanId);
  if (status !== "succeeded") throw new Error(`the warm-up scan ${status}`);
  // A long-running server's JIT has optimised its request path: a few dozen requests get it there.
  for (let i = 0; i < 50; i++) await page();
  for (let i = 0; i < 50; i++) await fetch(`${base}/api/health`).then((r) => r.arrayBuffer());
}

/** Health and the connector's page, 20 requests each, while no scan runs; printed as `when` (idle, after the scan). */
async function printQuietFigures(base: string, connectorId: number, cookie: string, when: string): Promise<void> {
  for (const [name, url, headers] of [
    [`GET /api/health ${when}`, `${base}/api/health`, {}],
    [`GET /connectors/${connectorId} (signed in) ${when}`, `${base}/connectors/${connectorId}`, { cookie }],
  ] as const) {
    let asked = 0;
    console.log(summary(name, await sample(url, headers, 50, () => ++asked > 20)).line);
  }
}

export async function main(): Promise<void> {
  if (!fs.existsSync(".next/BUILD_ID")) throw new Error("no build: run `npm run build` first (the bench measures the built app)");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lr-bench-app-"));
  const root = path.join(dir, "connectors");
  const folder = path.join(root, "generated");
  const warmUpFolder = path.join(root, "warm-up");
  const bytes = generateRepo(folder, FILES);
  generateRepo(warmUpFolder, 30);
  const env = {
    DATABASE_PATH: path.join(dir, "data", "app.db"),
    LAUNCH_REVIEW_SECRET: randomBytes(32).toString("hex"),
    LAUNCH_REVIEW_LOCAL_ROOT: root,
    LAUNCH_REVIEW_SCAN_CONCURRENCY: "2",
  };
  Object.assign(process.env, env);
  resetEnvForTests();
  const app = await startApp(env);
  try {
    const { connectorId, warmUpId, token } = await prepare(env.DATABASE_PATH, folder, warmUpFolder);
    const cookie = adminSessionCookie({ ...env, LAUNCH_REVIEW_BASE_URL: app.base });
    console.log(`generated connector: ${FILES} files, ${(bytes / 1024 / 1024).toFixed(1)} MB`);
    const auth = { authorization: `Bearer ${token}` };
    await warmUp(app.base, auth, cookie, warmUpId);
    // Before the scan, the same requests on an idle server: what the scan's figures compare with.
    await printQuietFigures(app.base, connectorId, cookie, "idle");
    const cpuBefore = machineCpu();
    const scanId = await startScan(app.base, auth, connectorId);
    const t0 = performance.now();
    let status = "queued";
    const poll = scanEnd(app.base, auth, scanId).then((s) => {
      status = s;
    });
    const finished = () => status !== "queued" && status !== "running";
    const [health, page] = await Promise.all([
      sample(`${app.base}/api/health`, {}, 100, finished),
      sample(`${app.base}/connectors/${connectorId}`, { cookie }, 250, finished),
      poll,
    ]);
    console.log(`scan ${status} in ${ms(performance.now() - t0)} (as seen by polling every 500 ms)`);
    // The whole machine's: this bench's client and the server, and on a virtual machine what its host took back.
    console.log(`${cpuShares(cpuBefore, machineCpu())} (the whole machine, during the scan; nice is the scan threads)`);
    const h = summary("GET /api/health during the scan", health);
    const p = summary(`GET /connectors/${connectorId} (signed in) during the scan`, page);
    console.log(h.line);
    console.log(p.line);
    // After: the connector's page now shows a 2,000-file scan's results.
    await printQuietFigures(app.base, connectorId, cookie, "after the scan");
  } finally {
    await app.stop();
    if (!process.env.KEEP_BENCH_DB) fs.rmSync(dir, { recursive: true, force: true });
    else console.log(dir);
  }
}
