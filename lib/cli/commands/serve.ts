// `launch-review serve` (npm start): builds the app when the build is missing or older than the sources, then serves it.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { env } from "@/lib/env";
import { withoutJobQueue } from "@/lib/jobs/queue-kind";
import { UsageError } from "../usage";

const SOURCE_DIRS = ["app", "lib", "db", "checks"];
const SOURCE_FILES = ["next.config.ts", "package.json", "package-lock.json", "tsconfig.json", "proxy.ts", "instrumentation.ts"];

function newestMtime(root: string): number {
  let newest = 0;
  const visit = (p: string) => {
    const stat = fs.statSync(p, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) for (const name of fs.readdirSync(p)) visit(path.join(p, name));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const d of SOURCE_DIRS) visit(path.join(root, d));
  for (const f of SOURCE_FILES) visit(path.join(root, f));
  return newest;
}

export function buildIsCurrent(root: string): boolean {
  const buildId = fs.statSync(path.join(root, ".next", "BUILD_ID"), { throwIfNoEntry: false });
  return buildId !== undefined && buildId.mtimeMs >= newestMtime(root);
}

function runNext(args: string[], root: string, extraEnv: Record<string, string> = {}): Promise<number> {
  const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [nextBin, ...args], { cwd: root, stdio: "inherit", env: { ...process.env, ...extraEnv } });
    for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
    child.on("exit", (code) => resolve(code ?? 1));
  });
}

export async function serve({ port, worker = true }: { port: number; worker?: boolean }): Promise<number> {
  const root = env().projectRoot;
  if (!buildIsCurrent(root)) {
    process.stderr.write("launch-review: building the app (first start or sources changed)…\n");
    const code = await runNext(["build"], root);
    if (code !== 0) return code;
  }
  process.stderr.write(`launch-review: serving on http://localhost:${port}\n`);
  // Read by lib/startup.ts: whether this web process also takes scan jobs (Postgres deployment).
  return runNext(["start", "-p", String(port)], root, { LAUNCH_REVIEW_WORKER: worker ? "1" : "0" });
}

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { port: { type: "string" }, "no-worker": { type: "boolean" } } });
  const refusal = values["no-worker"] ? withoutJobQueue("--no-worker") : null;
  if (refusal) throw new UsageError(refusal);
  const port = z.coerce
    .number()
    .int()
    .min(1)
    .max(65535)
    .optional()
    .safeParse(values.port ?? process.env.PORT);
  if (!port.success) throw new UsageError("--port must be a number between 1 and 65535.");
  return serve({ port: port.data ?? 3000, worker: !values["no-worker"] });
}

