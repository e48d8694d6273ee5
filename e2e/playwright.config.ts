import path from "node:path";
import { defineConfig } from "@playwright/test";
import { appServer, CHROMIUM_ARGS, fakeRegistryServer, freePortIn, systemChromium } from "./support/runner";
import { storageStateOf } from "./support/users";

const root = path.resolve(__dirname, "..");
const chromium = systemChromium();
const PORT = freePortIn("E2E_PORT");
export const e2eDataDir = path.join(root, ".e2e");

export default defineConfig({
  testDir: __dirname,
  // The Postgres run (postgres.config.ts) has its own specs and servers.
  testIgnore: ["**/postgres/**"],
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? "line" : "list",
  outputDir: path.join(root, "test-results"),
  projects: [
    { name: "setup", testMatch: /auth\.setup\.ts$/ },
    { name: "app", testMatch: /\.spec\.ts$/, dependencies: ["setup"], use: { storageState: storageStateOf("admin") } },
  ],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: chromium,
      args: CHROMIUM_ARGS,
    },
  },
  webServer: [
    {
      // A fake GitHub on a free port (test/support/fake-github.ts). Its port, printed on start, lands in
      // process.env.FAKE_GITHUB_PORT, which the app's command below and the specs read.
      name: "fake-github",
      command: "node --import tsx test/support/fake-github-server.ts",
      cwd: root,
      wait: { stdout: /fake GitHub API listening on http:\/\/127\.0\.0\.1:(?<fake_github_port>\d+)/ },
      timeout: 60_000,
      stdout: "ignore",
      stderr: "pipe",
    },
    fakeRegistryServer(root),
    // A fresh database for every run; the app reads GitHub at the fake's URL.
    appServer(root, {
      port: PORT,
      dataDir: ".e2e",
      commandEnv: `GITHUB_API_URL=http://127.0.0.1:$FAKE_GITHUB_PORT npm_config_registry=http://127.0.0.1:$FAKE_REGISTRY_PORT/ LAUNCH_REVIEW_PYPI_URL=http://127.0.0.1:$FAKE_REGISTRY_PORT`,
      env: {
        DATABASE_PATH: path.join(e2eDataDir, "launch-review.db"),
        // The bundled examples, and a folder the review spec fills with a connector it edits between scans.
        LAUNCH_REVIEW_LOCAL_ROOT: [path.join(root, "examples"), path.join(e2eDataDir, "connectors")].join(path.delimiter),
        // The live-view test serves MCP on 127.0.0.1; metadata and link-local addresses stay refused regardless.
        LAUNCH_REVIEW_LIVE_ALLOW_PRIVATE: "1",
      },
    }),
  ],
});
