import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GitHubAdvisorySource, githubRangeToSemver } from "@/lib/engine/advisories/github";
import { isVulnerable, matchAdvisories } from "@/lib/engine/advisories/match";
import { NpmBulkSource } from "@/lib/engine/advisories/npm-bulk";
import { loadOsvFolder, OfflineOsvSource, osvRange, parseOsvDocument } from "@/lib/engine/advisories/osv";
import { createAdvisoryService } from "@/lib/engine/advisories/service";
import { ghsaOf, type Advisory } from "@/lib/engine/advisories/types";
import type { LockedPackage } from "@/lib/engine/parse/lockfiles/types";
import { sqliteDependencyCache } from "@/db/queries/advisories";
import type { DependencyCache } from "@/lib/core/cache";
import { useTestDb } from "../support/db";
import { startFakeRegistry, type FakeRegistry } from "../support/fake-registry";

/** The app's SQLite cache, in each test's own database. */
let cache: DependencyCache;
import { fixtureAdvisories } from "../support/registry-fixture";

const signal = new AbortController().signal;
const locked = (name: string, version: string, extra: Partial<LockedPackage> = {}): LockedPackage => ({
  ecosystem: "npm",
  name,
  version,
  dev: false,
  optional: false,
  direct: true,
  paths: [[name]],
  hasInstallScript: false,
  ...extra,
});

describe("matching", () => {
  it("tests ranges as npm audit does: loose semver, prereleases included", () => {
    const a = { ecosystem: "npm" as const, vulnerableRange: "<1.20.3" };
    expect(isVulnerable(a, "1.20.1")).toBe(true);
    expect(isVulnerable(a, "1.20.3")).toBe(false);
    expect(isVulnerable(a, "1.20.3-beta.1")).toBe(true);
    expect(isVulnerable({ ecosystem: "npm", vulnerableRange: ">=19.0.0 <19.0.1" }, "19.0.0")).toBe(true);
    expect(isVulnerable({ ecosystem: "npm", vulnerableRange: "garbage range ((" }, "1.0.0")).toBe(false);
  });

  it("tests Python versions with PEP 440 specifiers", () => {
    const a = { ecosystem: "pypi" as const, vulnerableRange: ">=1.0, <1.9.4 || ==2.0.0" };
    expect(isVulnerable(a, "1.9.0")).toBe(true);
    expect(isVulnerable(a, "1.9.4")).toBe(false);
    expect(isVulnerable(a, "2.0.0")).toBe(true);
    expect(isVulnerable(a, "1.10.0rc1")).toBe(false);
  });

  it("pairs each locked version with the advisories that hit it", () => {
    const advisories: Advisory[] = [
      {
        id: "GHSA-a",
        source: "t",
        ecosystem: "npm",
        package: "express",
        severity: "high",
        title: "t",
        url: null,
        vulnerableRange: "<4.19.2",
        firstPatched: null,
      },
      {
        id: "GHSA-b",
        source: "t",
        ecosystem: "npm",
        package: "express",
        severity: "low",
        title: "t",
        url: null,
        vulnerableRange: ">=5.0.0 <5.0.1",
        firstPatched: null,
      },
    ];
    const matches = matchAdvisories([locked("express", "4.18.2"), locked("express", "5.3.0"), locked("zod", "3.23.8")], advisories);
    expect(matches.map((m) => `${m.pkg.name}@${m.pkg.version} ${m.advisory.id}`)).toEqual(["express@4.18.2 GHSA-a"]);
  });

  it("reads GHSA ids out of advisory URLs", () => {
    expect(ghsaOf("https://github.com/advisories/GHSA-4F9P-h8cq-2vwg")).toBe("GHSA-4f9p-h8cq-2vwg");
    expect(ghsaOf("https://npmjs.com/advisories/1234")).toBeNull();
  });
});

describe("npm bulk advisory endpoint", () => {
  let registry: FakeRegistry;
  beforeEach(async () => {
    await useTestDb();
    cache = sqliteDependencyCache();
    registry = await startFakeRegistry({ advisories: fixtureAdvisories() });
  });
  afterEach(() => registry.close());

  it("sends one gzipped request of names and versions, and reads the answer", async () => {
    const source = new NpmBulkSource(registry.url);
    const { advisories, requests } = await source.fetch(
      [
        { ecosystem: "npm", name: "express", versions: ["4.18.2"] },
        { ecosystem: "npm", name: "body-parser", versions: ["1.20.1", "2.4.0"] },
        { ecosystem: "pypi", name: "mcp", versions: ["1.9.0"] },
      ],
      signal,
    );
    expect(requests).toBe(1);
    expect(registry.bulkRequests).toEqual([{ express: ["4.18.2"], "body-parser": ["1.20.1", "2.4.0"] }]);
    expect(advisories.map((a) => `${a.package} ${a.id} ${a.severity}`).sort()).toEqual([
      "body-parser GHSA-4f9p-h8cq-2vwg high",
      "express GHSA-x2m7-wq8f-q94c moderate",
    ]);
  });

  it("fails closed: the service says unavailable, with the reason, when the registry errs, is down or talks nonsense", async () => {
    const query = [{ ecosystem: "npm" as const, name: "express", versions: ["4.18.2"] }];
    registry.options.mode = "500";
    let result = await createAdvisoryService(new NpmBulkSource(registry.url), { cache, cacheTtlMs: 0 }).lookup(query, signal);
    expect(result).toMatchObject({ advisories: [], source: { status: "unavailable", error: "the registry answered 500" } });
    registry.options.mode = "garbage";
    result = await createAdvisoryService(new NpmBulkSource(registry.url), { cache, cacheTtlMs: 0 }).lookup(query, signal);
    expect(result.source).toMatchObject({
      status: "unavailable",
      error: expect.stringMatching(/not a valid advisory list|could not be reached/),
    });
    const url = registry.url;
    await registry.close();
    result = await createAdvisoryService(new NpmBulkSource(url, 2000), { cache, cacheTtlMs: 0 }).lookup(query, signal);
    expect(result.source).toMatchObject({ status: "unavailable", error: expect.stringContaining("could not be reached") });
    registry = await startFakeRegistry({});
  });

  it("packages of an ecosystem the source doesn't cover make it unavailable, keeping what it found", async () => {
    const result = await createAdvisoryService(new NpmBulkSource(registry.url), { cache, cacheTtlMs: 0 }).lookup(
      [
        { ecosystem: "npm", name: "express", versions: ["4.18.2"] },
        { ecosystem: "pypi", name: "mcp", versions: ["1.9.0"] },
      ],
      signal,
    );
    expect(result.advisories.map((a) => a.package)).toEqual(["express"]);
    expect(result.source).toMatchObject({ status: "unavailable", error: expect.stringContaining("no Python advisories") });
  });

  it("caches answers with their fetch time, and asks again once they are stale", async () => {
    let clock = new Date("2026-11-28T10:00:00Z");
    const service = createAdvisoryService(new NpmBulkSource(registry.url), { cache, cacheTtlMs: 60 * 60_000, now: () => clock });
    const query = [{ ecosystem: "npm" as const, name: "express", versions: ["4.18.2"] }];
    const first = await service.lookup(query, signal);
    expect(first).toMatchObject({ requests: 1, source: { status: "ok", fetchedAt: "2026-11-28T10:00:00.000Z" } });
    clock = new Date("2026-11-28T10:30:00Z");
    const second = await service.lookup(query, signal);
    expect(second).toMatchObject({ requests: 0, source: { fetchedAt: "2026-11-28T10:00:00.000Z" } });
    expect(second.advisories).toEqual(first.advisories);
    clock = new Date("2026-11-28T11:30:00Z");
    expect((await service.lookup(query, signal)).requests).toBe(1);
    expect(registry.bulkRequests).toHaveLength(2);
    // A refresh asks the source even while the cache is fresh, and caches what it got.
    const refresh = createAdvisoryService(new NpmBulkSource(registry.url), { cache, cacheTtlMs: 60 * 60_000, now: () => clock, fresh: true });
    expect(await refresh.lookup(query, signal)).toMatchObject({ requests: 1, source: { fetchedAt: "2026-11-28T11:30:00.000Z" } });
    expect(registry.bulkRequests).toHaveLength(3);
  });
});

describe("GitHub advisory database", () => {
  let server: http.Server;
  let apiUrl: string;
  const asked: URLSearchParams[] = [];
  beforeEach(async () => {
    asked.length = 0;
    server = http.createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://gh");
      asked.push(url.searchParams);
      res.setHeader("content-type", "application/json");
      if (url.searchParams.get("ecosystem") === "pip") {
        res.end(
          JSON.stringify([
            {
              ghsa_id: "GHSA-p8pp-j7fw-4m2c",
              summary: "Session fixation",
              severity: "medium",
              html_url: "https://github.com/advisories/GHSA-p8pp-j7fw-4m2c",
              vulnerabilities: [
                { package: { ecosystem: "pip", name: "mcp" }, vulnerable_version_range: "< 1.10.0", first_patched_version: "1.10.0" },
              ],
            },
          ]),
        );
        return;
      }
      res.end(
        JSON.stringify([
          {
            ghsa_id: "GHSA-x2m7-wq8f-q94c",
            summary: "Open redirect",
            severity: "medium",
            html_url: "https://github.com/advisories/GHSA-x2m7-wq8f-q94c",
            vulnerabilities: [
              {
                package: { ecosystem: "npm", name: "express" },
                vulnerable_version_range: ">= 4.0.0, < 4.19.2",
                first_patched_version: "4.19.2",
              },
            ],
          },
        ]),
      );
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(() => new Promise<void>((r) => server.close(() => r())));

  it("asks per ecosystem with affected packages, and converts GitHub's ranges", async () => {
    const source = new GitHubAdvisorySource({ baseUrl: apiUrl, retries: 0 });
    const { advisories } = await source.fetch(
      [
        { ecosystem: "npm", name: "express", versions: ["4.18.2"] },
        { ecosystem: "pypi", name: "mcp", versions: ["1.9.0"] },
      ],
      signal,
    );
    expect(asked.map((p) => [p.get("ecosystem"), p.get("affects")])).toEqual([
      ["npm", "express@4.18.2"],
      ["pip", "mcp@1.9.0"],
    ]);
    expect(advisories).toEqual([
      expect.objectContaining({
        id: "GHSA-x2m7-wq8f-q94c",
        package: "express",
        severity: "moderate",
        vulnerableRange: ">=4.0.0 <4.19.2",
        firstPatched: "4.19.2",
      }),
      expect.objectContaining({ id: "GHSA-p8pp-j7fw-4m2c", ecosystem: "pypi", package: "mcp", vulnerableRange: "< 1.10.0" }),
    ]);
    expect(isVulnerable(advisories[1]!, "1.9.0")).toBe(true);
    expect(githubRangeToSemver("= 1.2.3")).toBe("1.2.3");
  });
});

describe("offline OSV advisories", () => {
  const record = {
    id: "GHSA-9m6j-fcg5-2442",
    summary: "Backtracking regular expressions",
    database_specific: { severity: "HIGH" },
    affected: [
      {
        package: { ecosystem: "npm", name: "path-to-regexp" },
        ranges: [{ type: "SEMVER", events: [{ introduced: "0" }, { fixed: "0.1.10" }, { introduced: "1.0.0" }, { fixed: "1.9.0" }] }],
      },
    ],
  };

  it("turns OSV events into ranges and matches them", async () => {
    expect(osvRange("npm", record.affected[0]!.ranges)).toBe("<0.1.10 || >=1.0.0 <1.9.0");
    expect(osvRange("pypi", [{ type: "ECOSYSTEM", events: [{ introduced: "1.0" }, { last_affected: "1.4" }] }])).toBe(">=1.0, <=1.4");
    const source = new OfflineOsvSource(parseOsvDocument(record));
    const { advisories } = await source.fetch([{ ecosystem: "npm", name: "path-to-regexp", versions: ["0.1.7"] }]);
    expect(
      matchAdvisories([locked("path-to-regexp", "0.1.7"), locked("path-to-regexp", "8.4.2")], advisories).map((m) => m.pkg.version),
    ).toEqual(["0.1.7"]);
    expect(advisories[0]).toMatchObject({ severity: "high", firstPatched: "0.1.10" });
  });

  it("reads a folder, skipping files that aren't OSV", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lr-osv-"));
    fs.mkdirSync(path.join(dir, "npm"));
    fs.writeFileSync(path.join(dir, "npm", "GHSA-9m6j-fcg5-2442.json"), JSON.stringify(record));
    fs.writeFileSync(path.join(dir, "broken.json"), "{ not json");
    fs.writeFileSync(path.join(dir, "other.json"), JSON.stringify({ hello: "world" }));
    expect(loadOsvFolder(dir)).toMatchObject({ records: [expect.objectContaining({ id: "GHSA-9m6j-fcg5-2442" })], skipped: 2 });
    expect(() => loadOsvFolder(path.join(dir, "missing"))).toThrow(/No folder of OSV advisories/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
