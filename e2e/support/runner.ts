// What both Playwright runs (SQLite: playwright.config.ts, Postgres: postgres.config.ts) share: the system Chromium,
// a free port for the app, the registry stub, and the app itself as a web server.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { ADMIN } from "./users";

export function systemChromium(): string {
  const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!fs.existsSync(chromium)) {
    throw new Error(
      `No Chromium at ${chromium}. The end-to-end tests drive the system Chromium, never a downloaded browser.\n` +
        `Install it (Debian/Ubuntu: apt-get install -y chromium) or point CHROMIUM_PATH at a Chromium binary.`,
    );
  }
  return chromium;
}

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

/**
 * A port nothing else on the machine holds, picked once by the runner: the config is loaded again in each worker, which
 * inherits the variable from here and so agrees on it. The variable set by hand wins.
 */
export function freePortIn(variable: string): number {
  const script =
    "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})";
  process.env[variable] ??= execFileSync(process.execPath, ["-e", script], { encoding: "utf8" });
  return Number(process.env[variable]);
}

/**
 * The registry stub as a Playwright web server: the bulk advisory endpoint and packuments, with fixture advisories for
 * the demo's dependencies. Its port lands in FAKE_REGISTRY_PORT, which the app's command and the specs read.
 */
export function fakeRegistryServer(root: string) {
  return {
    name: "fake-registry",
    command: "node --import tsx test/support/fake-registry-server.ts",
    cwd: root,
    wait: { stdout: /fake registry listening on http:\/\/127\.0\.0\.1:(?<fake_registry_port>\d+)/ },
    timeout: 60_000,
    stdout: "ignore" as const,
    stderr: "pipe" as const,
  };
}

export interface AppServerOptions {
  port: number;
  /** The run's data folder (relative to the root), removed by the server's own command before the app starts. */
  dataDir: string;
  /** Variables set in the command line, expanded by the shell once the other web servers have printed their ports. */
  commandEnv: string;
  /** The run's own environment, on top of what every run gives the app. */
  env: Record<string, string>;
}

/** The built app (`next start`, never a rebuild) as a Playwright web server, signed-in tests' administrator included. */
export function appServer(root: string, options: AppServerOptions) {
  const base = `http://127.0.0.1:${options.port}`;
  return {
    name: "app",
    command: `node -e "require('fs').rmSync('${options.dataDir}',{recursive:true,force:true})" && ${options.commandEnv} node node_modules/next/dist/bin/next start -p ${options.port}`,
    cwd: root,
    url: `${base}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe" as const,
    stderr: "pipe" as const,
    env: {
      LAUNCH_REVIEW_LOG_LEVEL: "error",
      LAUNCH_REVIEW_ADMIN_EMAIL: ADMIN.email,
      LAUNCH_REVIEW_ADMIN_PASSWORD: ADMIN.password,
      LAUNCH_REVIEW_BASE_URL: base,
      PORT: String(options.port),
      ...options.env,
    },
  };
}
