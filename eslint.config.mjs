import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([".next/**", "node_modules/**", "next-env.d.ts", "data/**", "examples/**", "test/fixtures/**", "test-results/**", "playwright-report/**", "bench/out/**", ".e2e/**"]),
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
      // Only db/queries reads tables: everything else calls named query functions.
      "no-restricted-imports": ["error", { patterns: [{ group: ["@/db/schema"], importNames: ["connectors", "scans", "findings", "scanChecklistItems", "auditLog"], message: "Query tables through db/queries/." }] }],
    },
  },
  {
    // better-auth's adapter needs the auth tables themselves.
    files: ["db/**", "lib/auth/auth.ts"],
    rules: { "no-restricted-imports": "off" },
  },
]);
