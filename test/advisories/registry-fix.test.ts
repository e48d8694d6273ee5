import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FixFinder } from "@/lib/engine/advisories/fix";
import type { Advisory } from "@/lib/engine/advisories/types";
import type { LockedPackage } from "@/lib/engine/parse/lockfiles/types";
import { createRegistryService, patchStatus } from "@/lib/engine/registry";
import { sqliteDependencyCache } from "@/db/queries/advisories";
import type { DependencyCache } from "@/lib/core/cache";
import { useTestDb } from "../support/db";
import { startFakeRegistry, type FakeRegistry } from "../support/fake-registry";

/** The app's SQLite cache, in each test's own database. */
let cache: DependencyCache;
import { demoRegistry } from "../support/registry-fixture";

const signal = new AbortController().signal;
const pkg = (name: string, version: string, direct: boolean, paths: string[][]): LockedPackage => ({
  ecosystem: "npm",
  name,
  version,
  dev: false,
  optional: false,
  direct,
  paths,
  hasInstallScript: false,
});
const advisory = (name: string, range: string, firstPatched: string | null = null): Advisory => ({
  id: `GHSA-${name}`,
  source: "t",
  ecosystem: "npm",
  package: name,
  severity: "high",
  title: "t",
  url: null,
  vulnerableRange: range,
  firstPatched,
});

describe("registry", () => {
  let registry: FakeRegistry;
  beforeEach(async () => {
    await useTestDb();
    cache = sqliteDependencyCache();
    registry = await startFakeRegistry(demoRegistry());
  });
  afterEach(() => registry.close());

  it("fetches packuments once, revalidates them with their ETag, and counts requests", async () => {
    let clock = new Date("2026-11-28T10:00:00Z");
    const service = createRegistryService({ cache, npmRegistry: registry.url, pypiUrl: registry.url, now: () => clock });
    const react = await service.packument("npm", "react");
    expect(react).toMatchObject({ name: "react", latest: "19.2.1" });
    expect(await service.packument("npm", "react")).toEqual(react);
    expect(service.requests).toBe(1);
    clock = new Date("2026-11-28T11:00:00Z");
    expect(await service.packument("npm", "react")).toEqual(react);
    expect(service.requests).toBe(2);
    expect(registry.packumentRequests.filter((n) => n === "react")).toHaveLength(2);
    expect(await service.packument("npm", "no-such-package-x")).toBeNull();
    expect(await service.packument("npm", "@modelcontextprotocol/sdk")).toMatchObject({ latest: "1.25.2" });
  });

  it("once the registry can't be reached, the scan's other questions fail at once with the same reason", async () => {
    await registry.close();
    const service = createRegistryService({ cache, npmRegistry: registry.url, pypiUrl: registry.url, timeoutMs: 2_000 });
    await expect(service.packument("npm", "react")).rejects.toThrow(/could not be reached/);
    expect(service.requests).toBe(1);
    await expect(service.packument("npm", "zod")).rejects.toThrow(/could not be reached/);
    await expect(service.packument("npm", "express")).rejects.toThrow(/could not be reached/);
    expect(service.requests).toBe(1);
    await expect(service.packument("pypi", "mcp")).rejects.toThrow(/PyPI could not be reached/);
  });

  it("revalidates PyPI projects with their ETag too, and a 304 makes the stored one fresh again", async () => {
    let clock = new Date("2026-11-28T10:00:00Z");
    const service = createRegistryService({ cache, npmRegistry: registry.url, pypiUrl: registry.url.replace(/\/$/, ""), now: () => clock });
    const mcp = await service.packument("pypi", "mcp");
    clock = new Date("2026-11-28T11:00:00Z");
    expect(await service.packument("pypi", "mcp")).toEqual(mcp);
    expect(service.requests).toBe(2);
    expect(await service.packument("pypi", "mcp")).toEqual(mcp);
    expect(service.requests).toBe(2);
  });

  it("reads Python projects from PyPI's JSON API", async () => {
    const service = createRegistryService({ cache, npmRegistry: registry.url, pypiUrl: registry.url.replace(/\/$/, "") });
    expect(await service.packument("pypi", "mcp")).toMatchObject({ latest: "1.22.0", versions: { "1.9.0": {}, "1.22.0": {} } });
  });

  it("says how far a locked version lags, and for how long it has been superseded", async () => {
    const service = createRegistryService({ cache, npmRegistry: registry.url, pypiUrl: registry.url });
    const react = (await service.packument("npm", "react"))!;
    expect(patchStatus(react, "19.0.0", new Date("2025-12-13T00:00:00Z"))).toEqual({
      latest: "19.2.1",
      latestInMajor: "19.2.1",
      behind: "minor",
      deprecated: false,
      daysSinceSuperseded: 10,
    });
    expect(patchStatus(react, "19.2.1", new Date())).toMatchObject({ behind: null, daysSinceSuperseded: null });
    const zod = (await service.packument("npm", "zod"))!;
    expect(patchStatus(zod, "3.23.8", new Date())).toMatchObject({ latest: "4.1.0", behind: "major", latestInMajor: "3.25.76" });
  });
});

describe("fixes", () => {
  let registry: FakeRegistry;
  beforeEach(async () => {
    await useTestDb();
    cache = sqliteDependencyCache();
    registry = await startFakeRegistry(demoRegistry());
  });
  afterEach(() => registry.close());

  const finder = () => new FixFinder(createRegistryService({ cache, npmRegistry: registry.url, pypiUrl: registry.url }), signal);
  const directs = new Map([
    ["express", "4.18.2"],
    ["jsonwebtoken", "9.0.0"],
  ]);

  it("upgrades a vulnerable direct dependency to its first fixed version", async () => {
    const fix = await finder().directFix(
      pkg("jsonwebtoken", "9.0.0", true, [["jsonwebtoken"]]),
      advisory("jsonwebtoken", "<9.0.1"),
      directs,
    );
    expect(fix).toEqual({ package: "jsonwebtoken", version: "9.0.2" });
  });

  it("finds the smallest upgrade of the direct dependency that pulls in a fixed transitive version", async () => {
    const f = finder();
    const bodyParser = pkg("body-parser", "1.20.1", false, [["express", "body-parser"]]);
    // express 4.19.2 still pins a vulnerable body-parser; 4.21.2 is the first that fixes it.
    expect(await f.directFix(bodyParser, advisory("body-parser", "<1.20.3"), directs)).toEqual({ package: "express", version: "4.21.2" });
    expect(await f.firstFixed(bodyParser, advisory("body-parser", "<1.20.3"))).toBe("1.20.3");
    const send = pkg("send", "0.18.0", false, [["express", "serve-static", "send"]]);
    expect(await f.directFix(send, advisory("send", "<0.19.0"), directs)).toEqual({ package: "express", version: "4.21.2" });
  });

  it("says there is no fix when no upgrade resolves to a safe version", async () => {
    const all = pkg("body-parser", "1.20.1", false, [["express", "body-parser"]]);
    expect(await finder().directFix(all, advisory("body-parser", "<99"), directs)).toBeNull();
  });
});
