// What both Playwright runs (SQLite: playwright.config.ts, Postgres: postgres.config.ts) share: the system Chromium
// and a free port for the app.
import { execFileSync } from "node:child_process";
import fs from "node:fs";

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
