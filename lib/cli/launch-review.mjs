#!/usr/bin/env node
// The `launch-review` command. The CLI is written in TypeScript and runs without a build step: this shim starts
// Node with tsx's loader and the "react-server" condition (so server-only modules load outside Next.js).
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const home = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const tsx = import.meta.resolve("tsx");
const main = path.join(home, "lib", "cli", "main.ts");

const child = spawn(process.execPath, ["--conditions=react-server", "--import", tsx, main, ...process.argv.slice(2)], {
  stdio: "inherit",
  env: { ...process.env, LAUNCH_REVIEW_HOME: process.env.LAUNCH_REVIEW_HOME ?? home, TSX_TSCONFIG_PATH: path.join(home, "tsconfig.json") },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => {
  if (signal) process.kill(process.pid, signal);
  else process.exit(code ?? 1);
});
