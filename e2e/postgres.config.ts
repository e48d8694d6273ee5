// The Postgres end-to-end run: a throwaway PostgreSQL, the app serving pages only (LAUNCH_REVIEW_WORKER=0, as
// `serve --no-worker` does), and the specs in e2e/postgres/ start and kill `launch-review worker` processes themselves.
import path from "node:path";
import { defineConfig } from "@playwright/test";
import { appServer, CHROMIUM_ARGS, fakeRegistryServer, freePortIn, systemChromium } from "./support/runner";

const root = path.resolve(__dirname, "..");
const PORT = freePortIn("E2E_PG_PORT");
export const e2ePgDir = path.join(root, ".e2e-pg");
/** Every process of the deployment (the app here, the spec's workers and CLI) shares the master key. */
export const E2E_PG_SECRET = "e2e-postgres-secret-that-is-long-enough-0123456789";

export default defineConfig({
  testDir: path.join(__dirname, "postgres"),
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 240_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? "line" : "list",
  outputDir: path.join(root, "test-results", "postgres"),
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: { executablePath: systemChromium(), args: CHROMIUM_ARGS },
  },
  webServer: [
    {
      // Its port lands in process.env.POSTGRES_PORT, read by the app's command below and by the specs.
      name: "postgres",
      command: "node --import tsx test/support/postgres-server.ts",
      cwd: root,
      wait: { stdout: /test postgres listening on 127\.0\.0\.1:(?<postgres_port>\d+)/ },
      timeout: 90_000,
      stdout: "ignore",
      stderr: "pipe",
      gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
    },
    fakeRegistryServer(root),
    appServer(root, {
      port: PORT,
      dataDir: ".e2e-pg",
      commandEnv: "DATABASE_URL=postgres://postgres@127.0.0.1:$POSTGRES_PORT/launch_review npm_config_registry=http://127.0.0.1:$FAKE_REGISTRY_PORT/",
      env: {
        LAUNCH_REVIEW_WORKER: "0",
        // The same scan deadline as the spec's workers: the queue's expiry is derived from it by every process.
        LAUNCH_REVIEW_SCAN_TIMEOUT_MS: "20000",
        DATABASE_PATH: path.join(e2ePgDir, "unused.db"),
        LAUNCH_REVIEW_LOCAL_ROOT: path.join(e2ePgDir, "connectors"),
        LAUNCH_REVIEW_SEED_DEMO: "0",
        LAUNCH_REVIEW_SECRET: E2E_PG_SECRET,
      },
    }),
  ],
});
