import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";

const root = path.resolve(import.meta.dirname, "..");
const include = ["test/**/*.test.ts", "checks/**/*.test.ts", "lib/**/*.test.ts"];
const exclude = ["test/fixtures/**", "node_modules/**"];

/**
 * The integration suite: every test file that works on the app's database (it calls useTestDb). It runs twice, on
 * SQLite and on a real PostgreSQL, so a query that works on one database only fails here. Files that test one
 * database's own machinery say so with a comment naming the other dialect's absence ("sqlite-only").
 */
function integrationSuite(): string[] {
  return ["test", "checks", "lib"]
    .flatMap((dir) => fs.readdirSync(path.join(root, dir), { recursive: true, encoding: "utf8" }).map((f) => path.join(dir, f)))
    .filter((file) => file.endsWith(".test.ts") && !file.split(path.sep).includes("fixtures"))
    .filter((file) => {
      const text = fs.readFileSync(path.join(root, file), "utf8");
      return text.includes("useTestDb()") && !text.includes("sqlite-only");
    })
    .sort();
}

export default defineConfig({
  root,
  resolve: {
    alias: [
      { find: /^@\//, replacement: `${root}/` },
      // Outside Next.js, "server-only" would throw; tests are server code.
      { find: /^server-only$/, replacement: path.join(root, "test/support/server-only.ts") },
    ],
  },
  test: {
    exclude,
    environment: "node",
    pool: "forks",
    // One test file per core, not vitest's cores - 1: much of the suite waits on child processes, servers and
    // Postgres rather than computing, and on a 2-core CI machine the default of one file at a time doubled its length.
    maxWorkers: os.availableParallelism(),
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Next.js sets this at build time from experimental.authInterrupts (next.config.ts); forbidden() needs it.
    env: {
      NODE_ENV: "test",
      LAUNCH_REVIEW_LOG_LEVEL: "silent",
      __NEXT_EXPERIMENTAL_AUTH_INTERRUPTS: "true",
      // No test reaches a real registry: scans that aren't given the stub find nothing listening here, and say so.
      npm_config_registry: "http://127.0.0.1:9/",
      LAUNCH_REVIEW_PYPI_URL: "http://127.0.0.1:9",
    },
    projects: [
      { extends: true, test: { name: "sqlite", include } },
      {
        extends: true,
        test: {
          name: "postgres",
          include: integrationSuite(),
          globalSetup: ["test/support/postgres-suite.ts"],
          // The dialect is read when modules load; each test's own database URL replaces this (test/support/db.ts).
          env: {
            DATABASE_URL: "postgres://postgres@127.0.0.1/launch_review_template",
            // The suite tests the data layer on Postgres; scans go through the embedded queue it waits on. The pg-boss
            // queue has its own tests (test/scan-jobs.test.ts, e2e/postgres/).
            LAUNCH_REVIEW_QUEUE: "embedded",
            // Required on Postgres: every process of a deployment shares it (lib/keys.ts).
            LAUNCH_REVIEW_SECRET: "integration-suite-secret-0123456789abcdef",
          },
        },
      },
    ],
  },
});
