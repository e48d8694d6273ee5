#!/usr/bin/env node
// The `launch-review` command: runs the CLI built ahead of time into dist/cli (by `npm install`). When the sources are
// newer than that build (in a checkout, where sources are edited), it rebuilds first, so the command never runs stale code.
import fs from "node:fs";
import { createRequire } from "node:module";
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

// An installed package (under some node_modules) is built once by its `prepare` and its sources never change: only a
// checkout, where the sources are edited, pays for the walk over them.
const installed = home.split(path.sep).includes("node_modules");
const built = fs.statSync(stamp, { throwIfNoEntry: false });
if (!built || (!installed && built.mtimeMs < newestSource())) {
  const { buildCli } = await import(pathToFileURL(path.join(home, "lib", "cli", "build.mjs")).href);
  await buildCli();
}
// Commands load the TypeScript compiler (9 MB of JavaScript) and bundles of several MB: V8's compiled code for them,
// made when the CLI was built, spares compiling them on every run. --version and --help load nothing more.
const argv = process.argv.slice(2);
if (argv.length > 0 && !argv.some((a) => a === "--version" || a === "-v" || a === "--help" || a === "-h")) {
  const { cachedFiles, installCodeCache } = await import("./code-cache.mjs");
  const buildDir = path.join(home, "dist", "cli");
  installCodeCache({ dir: path.join(buildDir, "code-cache"), files: cachedFiles(buildDir) });
}
createRequire(import.meta.url)(path.join(home, "dist", "cli", "main.cjs"));
