// Parity with npm audit: on the same lockfile and the same registry stub, the (package, advisory) pairs we report
// are exactly those the real `npm audit --json` reports. The pnpm, Yarn and Bun lockfiles of the same dependency set
// give the same pairs as npm's.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDb } from "../support/db";
import { runDependencyCheck, stubDependencyServices, vulnerabilityPairs } from "../support/dependency-services";
import { startFakeRegistry, type FakeRegistry } from "../support/fake-registry";
import { fixtureFiles, LOCKFILE_FIXTURES } from "../support/lockfile-fixtures";
import { npmAuditPairs } from "../support/npm-audit";
import { demoRegistry } from "../support/registry-fixture";
import { snapshotOf } from "../support/rules";

describe("parity with npm audit", () => {
  let registry: FakeRegistry;

  /** Our pairs for a project folder: its package.json files and lockfile, as a scan would see them. */
  async function ourPairs(dir: string): Promise<string[]> {
    const files = Object.fromEntries(
      fs
        .readdirSync(dir, { recursive: true, encoding: "utf8" })
        .filter((p) => (p.endsWith("package.json") || p.endsWith("package-lock.json")) && !p.includes("node_modules"))
        .map((p) => [p.split(path.sep).join("/"), fs.readFileSync(path.join(dir, p), "utf8")]),
    );
    const { deps } = await runDependencyCheck(snapshotOf(files), stubDependencyServices(registry.url));
    expect(deps!.advisorySource.status).toBe("ok");
    return vulnerabilityPairs(deps);
  }
  beforeAll(async () => {
    await useTestDb();
    registry = await startFakeRegistry(demoRegistry());
  });
  afterAll(() => registry.close());

  it.each([
    ["the demo connector", path.resolve(import.meta.dirname, "../../examples/demo-connector")],
    ["npm lockfile v3", path.join(LOCKFILE_FIXTURES, "npm/v3")],
    ["npm lockfile v2", path.join(LOCKFILE_FIXTURES, "npm/v2")],
    ["npm lockfile v1", path.join(LOCKFILE_FIXTURES, "npm/v1")],
    ["npm 6's lockfile v1", path.join(LOCKFILE_FIXTURES, "npm/v1-npm6")],
  ])(
    "%s: the same (package, advisory) pairs as npm audit on the same stub",
    async (_name, dir) => {
      const expected = await npmAuditPairs(dir, registry.url);
      expect(await ourPairs(dir)).toEqual(expected);
    },
    90_000,
  );

  it("an npm workspace with an aliased and a nested copy of a vulnerable package", async () => {
    const dir = path.join(LOCKFILE_FIXTURES, "npm/workspace-v3");
    registry.options.advisories!.ms = [
      {
        id: 910099,
        url: "https://github.com/advisories/GHSA-m5m5-q2x4-7rr3",
        title: "Test advisory",
        severity: "moderate",
        vulnerable_versions: "<2.1.3",
      },
    ];
    try {
      const expected = await npmAuditPairs(dir, registry.url);
      expect(expected).toContain("ms GHSA-m5m5-q2x4-7rr3");
      expect(await ourPairs(dir)).toEqual(expected);
    } finally {
      delete registry.options.advisories!.ms;
    }
  }, 90_000);

  it("finds something to agree on: the fixtures carry known-vulnerable versions", async () => {
    const expected = await npmAuditPairs(path.join(LOCKFILE_FIXTURES, "npm/v3"), registry.url);
    expect(expected).toContain("@modelcontextprotocol/sdk GHSA-3q8m-xw6j-9vp2");
    expect(expected).toContain("body-parser GHSA-4f9p-h8cq-2vwg");
    expect(expected.length).toBeGreaterThanOrEqual(5);
  }, 90_000);

  it.each(["pnpm/v6", "pnpm/v9", "yarn/classic", "yarn/berry", "bun/v1", "bun/v2"])(
    "%s gives the same pairs as npm's lockfile of the same dependencies",
    async (fixture) => {
      const { deps: npm } = await runDependencyCheck(snapshotOf(fixtureFiles("npm/v3")), stubDependencyServices(registry.url));
      const { outcome, deps } = await runDependencyCheck(snapshotOf(fixtureFiles(fixture)), stubDependencyServices(registry.url));
      expect(outcome.status).toBe("ok");
      expect(deps!.lockfiles[0]!.format).toBe(fixture.split("/")[0]);
      expect(vulnerabilityPairs(deps)).toEqual(vulnerabilityPairs(npm));
      expect(vulnerabilityPairs(deps).length).toBeGreaterThanOrEqual(5);
    },
  );
});
