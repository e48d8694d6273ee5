// The code checks end to end: realistic clean connectors (TypeScript and Python) stay silent, and the bundled demo
// connector triggers the deliberate problems its README lists, each under the right checklist item.
import path from "node:path";
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHECKS } from "@/checks";
import { OfflineOsvSource, OsvRecord } from "@/lib/engine/advisories/osv";
import { createAdvisoryService } from "@/lib/engine/advisories/service";
import { memoryDependencyCache } from "@/lib/engine/cache/memory";
import type { DependencyServices } from "@/lib/engine/advisories/services";
import { runScan } from "@/lib/engine/scan";
import { useTestDb } from "./support/db";
import { stubDependencyServices } from "./support/dependency-services";
import { packumentsFromLockfile, startFakeRegistry, type FakeRegistry } from "./support/fake-registry";
import { fixtureAdvisories } from "./support/registry-fixture";

const fixtures = path.resolve("test/fixtures");

describe("clean connectors", () => {
  let registry: FakeRegistry;
  beforeAll(async () => {
    await useTestDb();
    const lock = JSON.parse(fs.readFileSync(path.join(fixtures, "clean-connector-ts/package-lock.json"), "utf8"));
    registry = await startFakeRegistry({ advisories: fixtureAdvisories(), packuments: packumentsFromLockfile(lock) });
  });
  afterAll(() => registry.close());

  /** The TypeScript connector is audited against the npm stub; the Python one against offline OSV data. */
  function servicesFor(name: string): DependencyServices {
    if (name.endsWith("-ts")) return stubDependencyServices(registry.url, ["@modelcontextprotocol/sdk", "react"]);
    const mcpAdvisory = OsvRecord.parse({
      id: "GHSA-test-mcp1-0001",
      summary: "An old mcp release",
      affected: [
        {
          package: { ecosystem: "PyPI", name: "mcp" },
          ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "0" }, { fixed: "1.10.0" }] }],
        },
      ],
    });
    return { advisories: createAdvisoryService(new OfflineOsvSource([mcpAdvisory]), { cache: memoryDependencyCache(), cacheTtlMs: 0 }), registry: null, watchList: [] };
  }

  for (const name of ["clean-connector-ts", "clean-connector-py"]) {
    it(`${name}: every check runs and none reports anything`, async () => {
      const report = await runScan({ kind: "local", path: path.join(fixtures, name) }, { services: { dependencies: servicesFor(name) } });
      expect(report.dependencies.advisorySource.status).toBe("ok");
      expect(report.dependencies.lockfiles).toHaveLength(1);
      expect(report.checks.filter((c) => c.status !== "ok")).toEqual([]);
      // Information for the reviewer is allowed (vite's esbuild runs an install script); nothing above it.
      const problems = report.findings.filter((f) => f.severity !== "info");
      expect(problems.map((f) => `${f.ruleId} ${f.location?.path}:${f.location?.line} ${f.message}`)).toEqual([]);
      expect(new Set(report.findings.filter((f) => f.severity === "info").map((f) => f.ruleId))).toEqual(
        new Set(name.endsWith("-ts") ? ["lockfiles/install-script"] : []),
      );
      expect(report.checks.map((c) => c.id)).toEqual(CHECKS.map((c) => c.id));
    });
  }
});

describe("demo connector", () => {
  it("triggers the code checks in every section they cover, under the right items", async () => {
    const report = await runScan({ kind: "local", path: path.resolve("examples/demo-connector") });
    const has = (ruleId: string, where: string, item: string) =>
      expect(
        report.findings.some((f) => f.ruleId === ruleId && `${f.location?.path}:${f.location?.line}` === where && f.checklistItem === item),
        `${ruleId} at ${where} under ${item}`,
      ).toBe(true);
    has("widget/html-from-tool-output", "web/NotesWidget.tsx:35", "principles.defense-in-depth");
    has("logging/credential", "src/http.ts:23", "data-handling.log-redaction");
    has("structured-content/whole-records", "src/server.ts:48", "data-handling.minimal-structured-content");
    has("retention/no-policy", "README.md:1", "data-handling.retention-policy");
    has("flow/ssrf", "src/server.ts:97", "prompt-injection.input-validation");
    has("tls/reject-unauthorized", "src/store.ts:6", "network.outbound-tls");
    has("net/no-timeout", "src/server.ts:97", "network.timeouts-retries");
    has("transport/dns-rebinding-disabled", "src/http.ts:26", "network.transport-hardening");
    has("transport/cors-any-origin-with-credentials", "src/http.ts:12", "network.transport-hardening");
    has("widget/clipboard", "web/NotesWidget.tsx:21", "network.widget-sandbox-apis");
    has("widget/blocked-dialog", "web/NotesWidget.tsx:26", "network.widget-sandbox-apis");
    has("oauth/prm-missing-authorization-servers", "src/auth.ts:10", "auth.oauth-pkce-dcr");
    has("oauth/pkce-s256-missing", "src/auth.ts:14", "auth.oauth-pkce-dcr");
    has("oauth/no-client-registration", "src/auth.ts:14", "auth.oauth-pkce-dcr");
    has("oauth/401-without-challenge", "src/auth.ts:31", "auth.token-validation");
    has("token/decode-without-verify", "src/auth.ts:28", "auth.token-validation");
    has("token/query-string", "src/auth.ts:26", "auth.token-validation");
    has("token/passthrough", "src/server.ts:46", "auth.token-validation");
    has("ci/pull-request-target-checkout", ".github/workflows/deploy.yml:13", "operations.ci-hardening");
    has("ci/write-all-permissions", ".github/workflows/deploy.yml:7", "operations.ci-hardening");
    has("ci/unpinned-action", ".github/workflows/deploy.yml:17", "operations.ci-hardening");
    has("ci/secret-echoed", ".github/workflows/deploy.yml:20", "operations.ci-hardening");
    has("supply/no-update-bot", "package.json:1", "operations.dependency-hygiene");
    has("monitoring/none-found", "package.json:1", "operations.monitoring-alerts");

    const item = (id: string) => report.checklist.find((i) => i.id === id)!;
    for (const id of [
      "network.outbound-tls",
      "network.transport-hardening",
      "auth.oauth-pkce-dcr",
      "auth.token-validation",
      "data-handling.log-redaction",
      "operations.ci-hardening",
    ]) {
      expect(item(id).status, id).toBe("fail");
    }
    // Evidence is short and never carries a secret.
    for (const f of report.findings) {
      expect(f.evidence?.length ?? 0).toBeLessThanOrEqual(320);
      expect(f.evidence ?? "").not.toContain("q9V2xL7pT4mR8kW1zN6bH3cJ5fY0aD2s");
    }
  });
});
