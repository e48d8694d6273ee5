// Scans off the request path: while the built app scans a generated 2,000-file connector, how fast do `/api/health`
// and a signed-in page answer? Target: p95 under 50 ms for both. The scan is started the way CI starts one (the API,
// with a team's token); health is asked every 100 ms and the connector's page every 250 ms until the scan ends.
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
import { ms } from "../support/measure";

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
    if (!res || res.status !== 200 || took > 2 * TARGET_P95_MS) out.notable.push({ at: (t0 - started) / 1000, ms: took, status: res?.status ?? 0 });
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return out;
}

/** Registers the generated connector and an API token for its team, in-process. */
async function prepare(file: string, folder: string): Promise<{ connectorId: number; token: string }> {
  const db = openDb(file);
  setDb(db);
  try {
    const actor = { id: "bench", correlationId: "bench" };
    const team = (await findTeamByName("Bench team")) ?? (await insertTeam("Bench team"));
    const { connector } = await registerLocalConnector(
      { name: "Generated", path: folder, subdirectory: "", scanNow: false, teamId: team.id },
      actor,
    );
    const { token } = await createApiToken(team.id, { name: "bench", role: "maintainer", expiresInDays: 1 }, actor);
    return { connectorId: connector.id, token };
  } finally {
    db.$client.close();
    setDb(undefined);
  }
}

export async function main(): Promise<void> {
  if (!fs.existsSync(".next/BUILD_ID")) throw new Error("no build: run `npm run build` first (the bench measures the built app)");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lr-bench-app-"));
  const root = path.join(dir, "connectors");
  const folder = path.join(root, "generated");
  const bytes = generateRepo(folder, FILES);
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
    const { connectorId, token } = await prepare(env.DATABASE_PATH, folder);
    const cookie = adminSessionCookie({ ...env, LAUNCH_REVIEW_BASE_URL: app.base });
    console.log(`generated connector: ${FILES} files, ${(bytes / 1024 / 1024).toFixed(1)} MB`);
    const auth = { authorization: `Bearer ${token}` };
    // Before the scan, the same requests on an idle server: what the scan's figures compare with. (The first request
    // to a route also loads its code, start-up that a server up for a while has long done.)
    for (const [name, url, headers] of [
      ["GET /api/health idle", `${app.base}/api/health`, {}],
      [`GET /connectors/${connectorId} (signed in) idle`, `${app.base}/connectors/${connectorId}`, { cookie }],
    ] as const) {
      await (await fetch(url, { headers })).arrayBuffer();
      let asked = 0;
      console.log(summary(name, await sample(url, headers, 50, () => ++asked > 20)).line);
    }
    const started = await fetch(`${app.base}/api/v1/connectors/${connectorId}/scans`, {
      method: "POST",
      headers: { ...auth, origin: app.base },
    });
    if (started.status !== 202) throw new Error(`starting the scan answered ${started.status}: ${await started.text()}`);
    const { scanId } = (await started.json()) as { scanId: number };
    const t0 = performance.now();
    let status = "queued";
    const poll = (async () => {
      while (status === "queued" || status === "running") {
        await new Promise((r) => setTimeout(r, 500));
        // A server whose event loop was blocked may drop a kept-alive connection: ask again next time.
        const res = await fetch(`${app.base}/api/v1/scans/${scanId}`, { headers: auth }).catch(() => null);
        if (!res) continue;
        const scan = (await res.json()) as { status: string; error?: string };
        status = scan.status;
        if (status === "failed") console.log(`scan failed: ${scan.error}`);
      }
    })();
    const finished = () => status !== "queued" && status !== "running";
    const [health, page] = await Promise.all([
      sample(`${app.base}/api/health`, {}, 100, finished),
      sample(`${app.base}/connectors/${connectorId}`, { cookie }, 250, finished),
      poll,
    ]);
    console.log(`scan ${status} in ${ms(performance.now() - t0)} (as seen by polling every 500 ms)`);
    const h = summary("GET /api/health during the scan", health);
    const p = summary(`GET /connectors/${connectorId} (signed in) during the scan`, page);
    console.log(h.line);
    console.log(p.line);
  } finally {
    await app.stop();
    if (!process.env.KEEP_BENCH_DB) fs.rmSync(dir, { recursive: true, force: true });
    else console.log(dir);
  }
}
