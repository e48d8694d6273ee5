// The real CLI binary auditing the demo connector's dependencies: against the registry stub, against offline OSV
// files, and with the registry down (the report says so and the dependency item stays unknown).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScanReport } from "@/lib/core/report";
import { runCli } from "../support/cli";
import { vulnerabilityPairs } from "../support/dependency-services";
import { startFakeRegistry, type FakeRegistry } from "../support/fake-registry";
import { demoRegistry } from "../support/registry-fixture";

const DEMO = path.resolve("examples/demo-connector");

/** The CLI with its registry and PyPI pointed at the stub. */
const cli = (args: string[], registryUrl: string) =>
  runCli(args, { npm_config_registry: registryUrl, LAUNCH_REVIEW_PYPI_URL: registryUrl.replace(/\/$/, "") });

const pairs = (report: ScanReport) => vulnerabilityPairs(report.dependencies);
const item = (report: ScanReport, id: string) => report.checklist.find((i) => i.id === id)!;

describe("launch-review scan: the dependency audit", () => {
  let registry: FakeRegistry;
  let dir: string;
  beforeAll(async () => {
    registry = await startFakeRegistry(demoRegistry());
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "lr-cli-deps-"));
  });
  afterAll(async () => {
    await registry.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("asks the registry npm is configured with, once, and reports vulnerabilities with their fixes", async () => {
    const run = await cli(["scan", DEMO, "--format", "json", "--quiet"], registry.url);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as ScanReport;
    expect(report.dependencies.advisorySource).toMatchObject({ name: "npm", status: "ok" });
    expect(pairs(report)).toContain("@modelcontextprotocol/sdk GHSA-3q8m-xw6j-9vp2");
    expect(pairs(report)).toHaveLength(8);
    expect(report.stats.advisoryRequests).toBe(1);
    expect(report.dependencies.watched.find((w) => w.package === "react")).toMatchObject({ version: "19.0.0", latest: "19.2.1" });
    expect(item(report, "operations.dependencies-patched").status).toBe("fail");
  }, 60_000);

  it("--offline-advisories DIR audits against OSV files and sends no advisory request", async () => {
    const osvDir = path.join(dir, "osv");
    fs.mkdirSync(osvDir);
    fs.writeFileSync(
      path.join(osvDir, "GHSA-9x2c-offl-ine1.json"),
      JSON.stringify({
        id: "GHSA-9x2c-offl-ine1",
        summary: "Offline test advisory for jsonwebtoken",
        database_specific: { severity: "HIGH" },
        affected: [
          {
            package: { ecosystem: "npm", name: "jsonwebtoken" },
            ranges: [{ type: "SEMVER", events: [{ introduced: "0" }, { fixed: "9.0.1" }] }],
          },
        ],
      }),
    );
    const before = registry.bulkRequests.length;
    const run = await cli(["scan", DEMO, "--format", "json", "--quiet", "--offline-advisories", osvDir], registry.url);
    const report = JSON.parse(run.stdout) as ScanReport;
    expect(report.dependencies.advisorySource).toMatchObject({ name: "offline", status: "ok" });
    expect(pairs(report)).toEqual(["jsonwebtoken GHSA-9x2c-offl-ine1"]);
    expect(registry.bulkRequests.length).toBe(before);
  }, 60_000);

  it("with the registry answering 500, the report says why and the dependency item is unknown", async () => {
    registry.options.mode = "500";
    try {
      const run = await cli(["scan", DEMO, "--format", "json", "--quiet"], registry.url);
      const report = JSON.parse(run.stdout) as ScanReport;
      expect(report.dependencies.advisorySource).toMatchObject({ status: "unavailable", error: "the registry answered 500" });
      expect(report.dependencies.vulnerabilities).toEqual([]);
      expect(item(report, "operations.dependencies-patched")).toMatchObject({ status: "unknown" });
      expect(item(report, "operations.dependencies-patched").reason).toContain("the registry answered 500");
      expect(report.checks.find((c) => c.id === "dependencies")).toMatchObject({ status: "unavailable" });
    } finally {
      registry.options.mode = "ok";
    }
  }, 60_000);

  it("refuses contradictory flags with a usage error", async () => {
    const run = await cli(["scan", DEMO, "--advisories", "npm", "--offline-advisories", dir], registry.url);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--offline-advisories goes with --advisories offline");
    const missing = await cli(["scan", DEMO, "--advisories", "offline"], registry.url);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--advisories offline needs --offline-advisories DIR");
  }, 60_000);
});
