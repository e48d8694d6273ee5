import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// The layers (design.md), lowest first. Imports point down only:
//   core     lib/core                     types shared by everyone; imports nothing of ours
//   engine   lib/engine, checks           sources → snapshot → parse → facts → checks → report; a library
//   db       db                           schema, migrations, named queries, the SQLite cache
//   services lib/* (the rest)             review, fleet, alerts, scheduler, queue, auth
//   doors    app, lib/cli, bench          pages, actions, routes, the CLI
const LAYER_ZONES = [
  { target: "./lib/core", from: ["./lib", "./db", "./app", "./checks"], except: ["./core"], message: "lib/core is the leaf layer: it imports nothing of ours." },
  {
    target: ["./lib/engine", "./checks"],
    from: "./lib",
    except: ["./engine", "./core"],
    message: "The engine (lib/engine, checks) is a library: it may import lib/core and itself, never the app's services.",
  },
  { target: ["./lib/engine", "./checks"], from: ["./db", "./app"], message: "The engine knows nothing of the database or the app: pass what it needs in as services." },
  { target: "./db", from: "./lib", except: ["./core"], message: "db/ may import lib/core only: the services above it pass everything else in." },
  { target: "./db", from: ["./app", "./checks"], message: "db/ may import lib/core only." },
  { target: "./lib", from: ["./app", "./bench", "./e2e"], message: "lib/ never imports the front doors (app/, bench/, e2e/)." },
  { target: "./lib", from: "./lib/cli", message: "lib/ never imports the CLI: it is a front door." },
];

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([".next/**", "node_modules/**", "next-env.d.ts", "data/**", "dist/**", "examples/**", "test/fixtures/**", "test-results/**", "playwright-report/**", "bench/out/**", ".e2e/**"]),
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
      // Only db/queries reads tables: everything else calls named query functions.
      "no-restricted-imports": ["error", { patterns: [{ group: ["@/db/schema", "@/db/schema-pg"], importNames: ["connectors", "scans", "findings", "scanChecklistItems", "auditLog"], message: "Query tables through db/queries/." }] }],
    },
  },
  {
    // Production code only: tests may reach across layers to set things up.
    files: ["lib/**/*.ts", "checks/**/*.ts", "db/**/*.ts"],
    ignores: ["**/*.test.ts", "lib/cli/**"],
    rules: { "import/no-restricted-paths": ["error", { zones: LAYER_ZONES }] },
  },
  {
    // Checks read facts: parsing happens once per scan, in lib/engine/facts, never again inside a rule.
    files: ["checks/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            { name: "typescript", message: "Checks read facts (lib/engine/facts), never syntax trees." },
            { name: "web-tree-sitter", message: "Checks read facts (lib/engine/facts), never syntax trees." },
          ],
          patterns: [{ group: ["@/lib/engine/parse/js", "@/lib/engine/parse/python"], message: "Checks read facts (lib/engine/facts), never syntax trees." }],
        },
      ],
    },
  },
  {
    // The data layer is asynchronous (it runs on PostgreSQL too): a query function called without `await` would run
    // after the caller moved on, or never be waited for. These rules make a missing await a lint error.
    files: ["app/**/*.{ts,tsx}", "lib/**/*.ts", "db/**/*.ts", "instrumentation.ts", "proxy.ts"],
    ignores: ["**/*.test.ts"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
    },
  },
  {
    // better-auth's adapter needs the auth tables themselves; the drift and Postgres client tests and the fleet seed work on the tables.
    files: ["db/**", "lib/auth/auth.ts", "test/schema-drift.test.ts", "test/postgres-client.test.ts", "test/support/fleet-seed.ts"],
    rules: { "no-restricted-imports": "off" },
  },
]);
