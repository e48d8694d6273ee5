// Starting the built app for a benchmark: on a free port, against a given database, with the administrator the bench
// signs in as; stopped when the bench ends. Used by bench/app and bench/fleet.
import { spawn, type ChildProcess } from "node:child_process";
import { freePort } from "../../test/support/free-port";
import path from "node:path";

export const BENCH_ADMIN = { email: "bench@launch-review.local", password: "bench-admin-password" };


export interface RunningApp {
  base: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Waits until `url` answers 200, at most `withinMs`. */
export async function waitForOk(url: string, withinMs = 90_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    const ok = await fetch(url)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} did not answer within ${withinMs / 1000} s`);
}

/**
 * The built app (`next start`, never a rebuild), with `env` on top of the bench's defaults. `appDir` runs the build of
 * another checkout (the same bench before and after a change); by default this one. `BENCH_APP_NODE_ARGS` gives the
 * app's Node flags (say `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile it).
 */
export async function startApp(env: Record<string, string>, appDir = process.cwd()): Promise<RunningApp> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_APP_NODE_ARGS?.split(" ").filter(Boolean) ?? []),
      path.resolve(appDir, "node_modules/next/dist/bin/next"),
      "start",
      "-p",
      String(port),
    ],
    {
      cwd: appDir,
      env: {
        ...process.env,
        NODE_ENV: "production",
        LAUNCH_REVIEW_SEED_DEMO: "0",
        LAUNCH_REVIEW_SCHEDULER: "0",
        LAUNCH_REVIEW_LOG_LEVEL: process.env.BENCH_APP_LOG_LEVEL ?? "error",
        LAUNCH_REVIEW_ADMIN_EMAIL: BENCH_ADMIN.email,
        LAUNCH_REVIEW_ADMIN_PASSWORD: BENCH_ADMIN.password,
        LAUNCH_REVIEW_BASE_URL: base,
        ...env,
      },
      stdio: ["ignore", process.env.BENCH_APP_LOG_LEVEL ? "inherit" : "ignore", "inherit"],
    },
  );
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
    });
  try {
    await waitForOk(`${base}/api/health`);
  } catch (error) {
    await stop();
    throw error;
  }
  return { base, process: child, stop };
}
