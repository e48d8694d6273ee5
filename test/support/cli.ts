// The launch-review CLI run as a user runs it: the real binary in a child process, with an environment that reaches
// nothing real (an in-memory database, no registry listening, a cache folder of its own) unless a test points it
// somewhere.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const CLI_BIN = path.resolve("lib/cli/launch-review.mjs");

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `env` entries set to undefined are removed from the environment the CLI gets. */
export function runCli(args: string[], env: Record<string, string | undefined> = {}, options: { cwd?: string } = {}): Promise<CliRun> {
  // Each run gets an empty cache folder, so one test's cached advisory answers never leak into the next.
  const cacheHome = env.XDG_CACHE_HOME ? null : fs.mkdtempSync(path.join(os.tmpdir(), "lr-cli-cache-"));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI_BIN, ...args],
      {
        env: withoutUndefined({
          NODE_ENV: "test",
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          LAUNCH_REVIEW_LOG_LEVEL: "silent",
          DATABASE_PATH: ":memory:",
          npm_config_registry: "http://127.0.0.1:9/",
          LAUNCH_REVIEW_PYPI_URL: "http://127.0.0.1:9",
          ...(cacheHome ? { XDG_CACHE_HOME: cacheHome } : {}),
          ...env,
        }),
        maxBuffer: 64 * 1024 * 1024,
        ...(options.cwd ? { cwd: options.cwd } : {}),
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        if (cacheHome) fs.rmSync(cacheHome, { recursive: true, force: true });
        resolve({ code: error ? (typeof error.code === "number" ? error.code : 99) : 0, stdout, stderr });
      },
    );
  });
}

function withoutUndefined(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined)) as NodeJS.ProcessEnv;
}
