#!/usr/bin/env node
// The `launch-review` command: runs the CLI built ahead of time into dist/cli (by `npm install`). When the sources are
// newer than that build (a checkout or an edit since), it rebuilds first, so the command never runs stale code.
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const home = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
process.env.LAUNCH_REVIEW_HOME ??= home;
const stamp = path.join(home, "dist", "cli", "BUILD_STAMP");

function newestSource() {
  let newest = 0;
  const visit = (p) => {
    const stat = fs.statSync(p, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(p)) if (name !== "node_modules" && !name.startsWith(".")) visit(path.join(p, name));
    } else if (/\.(?:ts|mjs|json)$/.test(p) && !p.endsWith(".test.ts")) newest = Math.max(newest, stat.mtimeMs);
  };
  for (const d of ["lib", "checks", "db/queries", "db/schema.ts", "db/client.ts", "db/config.ts", "package.json"]) visit(path.join(home, d));
  return newest;
}

const built = fs.statSync(stamp, { throwIfNoEntry: false });
if (!built || built.mtimeMs < newestSource()) {
  const { buildCli } = await import(pathToFileURL(path.join(home, "lib", "cli", "build.mjs")).href);
  await buildCli();
}
// Scans load the TypeScript compiler (9 MB of JavaScript): V8's compiled code is kept in the CLI's cache folder, so
// later runs skip compiling it. --version and --help load nothing more.
const argv = process.argv.slice(2);
if (argv.length > 0 && !argv.some((a) => a === "--version" || a === "-v" || a === "--help" || a === "-h")) {
  const base = process.env.XDG_CACHE_HOME && path.isAbsolute(process.env.XDG_CACHE_HOME) ? process.env.XDG_CACHE_HOME : path.join(os.homedir(), ".cache");
  process.env.V8_COMPILE_CACHE_CACHE_DIR ??= path.join(base, "launch-review", "v8");
  createRequire(import.meta.url)("v8-compile-cache");
}
await import(pathToFileURL(path.join(home, "dist", "cli", "main.mjs")).href);
