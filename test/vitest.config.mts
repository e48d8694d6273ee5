import path from "node:path";
import { defineConfig } from "vitest/config";

const root = path.resolve(import.meta.dirname, "..");

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
    include: ["test/**/*.test.ts", "checks/**/*.test.ts", "lib/**/*.test.ts"],
    exclude: ["test/fixtures/**", "node_modules/**"],
    environment: "node",
    pool: "forks",
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
  },
});
