import fs from "node:fs";
import path from "node:path";
import { defineConfig } from "@playwright/test";

const root = path.resolve(__dirname, "..");
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!fs.existsSync(chromium)) {
  throw new Error(
    `No Chromium at ${chromium}. The end-to-end tests drive the system Chromium, never a downloaded browser.\n` +
      `Install it (Debian/Ubuntu: apt-get install -y chromium) or point CHROMIUM_PATH at a Chromium binary.`,
  );
}

const PORT = Number(process.env.E2E_PORT ?? 3100);
export const e2eDataDir = path.join(root, ".e2e");

export default defineConfig({
  testDir: __dirname,
  testMatch: "**/*.spec.ts",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? "line" : "list",
  outputDir: path.join(root, "test-results"),
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: chromium,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  webServer: {
    // A fresh database for every run: removed here, in the server's own command, before the server starts.
    command: `node -e "require('fs').rmSync('.e2e',{recursive:true,force:true})" && node node_modules/next/dist/bin/next start -p ${PORT}`,
    cwd: root,
    url: `http://127.0.0.1:${PORT}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      DATABASE_PATH: path.join(e2eDataDir, "launch-review.db"),
      LAUNCH_REVIEW_LOCAL_ROOT: path.join(root, "examples"),
      LAUNCH_REVIEW_LOG_LEVEL: "warn",
      // The live-view test serves MCP on 127.0.0.1; metadata and link-local addresses stay refused regardless.
      LAUNCH_REVIEW_LIVE_ALLOW_PRIVATE: "1",
      PORT: String(PORT),
    },
  },
});
