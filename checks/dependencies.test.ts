import { CHECKS } from "@/checks";
import { checksByItem } from "@/lib/engine/checklist/derive";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deriveChecklist } from "@/lib/engine/checklist/derive";
import { CHECKLIST_V1 } from "@/lib/engine/checklist/template";
import { useTestDb } from "@/test/support/db";
import { runDependencyCheck, stubDependencyServices, vulnerabilityPairs } from "@/test/support/dependency-services";
import { startFakeRegistry, type FakeRegistry } from "@/test/support/fake-registry";
import { demoRegistry } from "@/test/support/registry-fixture";
import { snapshotOf } from "@/test/support/rules";
import type { Finding } from "@/lib/core/types";
import type { DependencyAudit } from "@/lib/engine/advisories/scan-audit";
import { dependenciesCheck, packageLineFinder, rules } from "./dependencies";
import type { CheckContext } from "./types";

const demoDir = path.resolve(import.meta.dirname, "../examples/demo-connector");
const demoFiles = (): Record<string, string> => ({
  "package.json": fs.readFileSync(path.join(demoDir, "package.json"), "utf8"),
  "package-lock.json": fs.readFileSync(path.join(demoDir, "package-lock.json"), "utf8"),
});

describe("dependencies check", () => {
  let registry: FakeRegistry;
  beforeEach(async () => {
    await useTestDb();
    registry = await startFakeRegistry(demoRegistry());
  });
  afterEach(() => registry.close());

  it("reports one finding per vulnerable package and advisory, at the advisory's severity, on the lockfile line", async () => {
    const files = demoFiles();
    const { outcome, deps, counters } = await runDependencyCheck(snapshotOf(files), stubDependencyServices(registry.url));
    expect(outcome.status).toBe("ok");
    expect(vulnerabilityPairs(deps)).toEqual([
      "@modelcontextprotocol/sdk GHSA-3q8m-xw6j-9vp2",
      "body-parser GHSA-4f9p-h8cq-2vwg",
      "cookie GHSA-c7qv-q95q-8v27",
      "express GHSA-x2m7-wq8f-q94c",
      "jsonwebtoken GHSA-w5p7-h5w8-2hfq",
      "path-to-regexp GHSA-9m6j-fcg5-2442",
      "react-dom GHSA-7cj2-h5rp-8m3v",
      "send GHSA-gx7q-9p6g-fwvh",
    ]);
    expect(outcome.findings).toHaveLength(8);
    expect(outcome.findings.every((f) => f.ruleId === rules.vulnerable.id && f.checklistItem === "operations.dependencies-patched")).toBe(
      true,
    );

    const bodyParser = outcome.findings.find((f) => f.evidence?.startsWith("body-parser@"))!;
    expect(bodyParser.severity).toBe("high");
    expect(bodyParser.message).toContain("body-parser@1.20.1 (transitive through express › body-parser)");
    expect(bodyParser.message).toContain("Upgrade express to 4.21.2");
    const lockLines = files["package-lock.json"]!.split("\n");
    expect(lockLines[bodyParser.location!.line! - 1]).toContain('"node_modules/body-parser"');
    expect(outcome.findings.find((f) => f.evidence?.startsWith("cookie@"))!.severity).toBe("low");
    expect(outcome.findings.find((f) => f.evidence?.startsWith("react-dom@"))!.message).toContain("(direct, dev only)");

    // Patch status of the watched packages comes along, and the requests are counted.
    expect(deps!.watched.find((w) => w.package === "@modelcontextprotocol/sdk")).toMatchObject({
      version: "1.12.0",
      latest: "1.25.2",
      behind: "minor",
    });
    expect(deps!.advisorySource).toMatchObject({ name: "npm", status: "ok" });
    expect(counters.advisoryRequests).toBe(1);
    expect(counters.registryRequests).toBeGreaterThan(0);
    expect(registry.bulkRequests).toHaveLength(1);
  });

  it("keeps fingerprints stable when the lockfile's lines move", async () => {
    const files = demoFiles();
    const first = await runDependencyCheck(snapshotOf(files), stubDependencyServices(registry.url));
    const moved = { ...files, "package-lock.json": files["package-lock.json"]!.replace("{\n", '{\n  "_padding": 1,\n\n\n') };
    const second = await runDependencyCheck(snapshotOf(moved), stubDependencyServices(registry.url));
    expect(second.outcome.findings.map((f) => f.fingerprint).sort()).toEqual(first.outcome.findings.map((f) => f.fingerprint).sort());
    expect(second.outcome.findings[0]!.location!.line).not.toBe(first.outcome.findings[0]!.location!.line);
  });

  it.each([
    ["down", async (r: FakeRegistry) => r.close()],
    ["500", async (r: FakeRegistry) => void (r.options.mode = "500")],
    ["garbage", async (r: FakeRegistry) => void (r.options.mode = "garbage")],
  ])("fails closed when the advisory source is %s: unavailable, no finding, the item unknown", async (_name, breakIt) => {
    await breakIt(registry);
    const { outcome, deps } = await runDependencyCheck(snapshotOf(demoFiles()), stubDependencyServices(registry.url));
    expect(outcome.status).toBe("unavailable");
    expect(outcome.error).toMatch(/advisories unavailable from npm/);
    expect(outcome.findings.filter((f) => f.ruleId === rules.vulnerable.id)).toEqual([]);
    expect(deps!.advisorySource.status).toBe("unavailable");
    const item = deriveChecklist(
      CHECKLIST_V1,
      CHECKS,
      new Map([["dependencies", { status: "unavailable", error: outcome.error! }]]),
      outcome.findings,
    ).find((i) => i.id === "operations.dependencies-patched")!;
    expect(item.status).toBe("unknown");
  });

  it("an unreadable lockfile beside a readable one: the readable one is audited, the check can't pass", async () => {
    const files = {
      ...demoFiles(),
      "server/package.json": '{"dependencies":{"express":"4.18.2"}}',
      "server/package-lock.json": "{ not json",
    };
    const { outcome, deps } = await runDependencyCheck(snapshotOf(files), stubDependencyServices(registry.url));
    expect(outcome.status).toBe("unavailable");
    expect(outcome.error).toContain("server/package-lock.json could not be read");
    expect(outcome.findings.length).toBe(8);
    expect(deps!.unreadable).toEqual([{ path: "server/package-lock.json", reason: expect.any(String) }]);
  });

  it("a package.json with dependencies and no lockfile can't be audited: unavailable, naming it", async () => {
    const { outcome } = await runDependencyCheck(
      snapshotOf({ "package.json": '{"dependencies":{"express":"^4.18.2"}}' }),
      stubDependencyServices(registry.url),
    );
    expect(outcome.status).toBe("unavailable");
    expect(outcome.error).toContain("no lockfile pins package.json");
  });

  it("nothing to audit (no manifests) is a pass with no request sent", async () => {
    const { outcome, deps } = await runDependencyCheck(snapshotOf({ "server.py": "print(1)\n" }), stubDependencyServices(registry.url));
    expect(outcome).toMatchObject({ status: "ok", findings: [] });
    expect(deps!.lockfiles).toEqual([]);
    expect(registry.bulkRequests).toEqual([]);
  });

  it("without an advisory service the check is unavailable, still listing the lockfiles", async () => {
    const { outcome, deps } = await runDependencyCheck(snapshotOf(demoFiles()), undefined);
    expect(outcome.status).toBe("unavailable");
    expect(deps!.lockfiles).toEqual([{ path: "package-lock.json", format: "npm", packages: expect.any(Number) }]);
    expect(deps!.advisorySource.status).toBe("unavailable");
  });

  it("a watched package locked at a deprecated release is a low finding", async () => {
    registry.options.packuments!["zod"]!.versions["3.23.8"]!.deprecated = "3.23.8 mis-parses unions; upgrade";
    const { outcome } = await runDependencyCheck(snapshotOf(demoFiles()), stubDependencyServices(registry.url));
    const deprecated = outcome.findings.filter((f) => f.ruleId === rules.deprecated.id);
    expect(deprecated).toHaveLength(1);
    expect(deprecated[0]).toMatchObject({ severity: "low", location: { path: "package-lock.json" } });
    expect(deprecated[0]!.message).toContain("zod@3.23.8 is deprecated: 3.23.8 mis-parses unions");
  });

  it("is registered under the dependencies checklist item", () => {
    expect(checksByItem(CHECKS).get("operations.dependencies-patched")).toContain(dependenciesCheck.id);
  });
});

describe("packageLineFinder", () => {
  const text = [
    "{",
    '  "node_modules/react-dom": { "version": "19.0.0" },',
    '  "node_modules/react": {',
    '    "version": "19.0.0"',
    "  }",
    "}",
  ].join("\n");
  // One finder answers every question about its lockfile, asked in any order and more than once.
  const find = packageLineFinder(text);
  it("finds the entry of the package itself, not a longer name that contains it", () => {
    expect(find("react", "19.0.0")).toBe(3);
    expect(find("react-dom", "19.0.0")).toBe(2);
    expect(find("react", "19.0.0")).toBe(3);
  });
  it("needs the version close after the name", () => {
    expect(find("react", "18.3.1")).toBeNull();
    expect(packageLineFinder("httpx==0.27.0\n")("httpx", "0.27.0")).toBe(1);
  });
});

describe("dependencies check: one finding per vulnerable package", () => {
  type Vuln = DependencyAudit["dependencies"]["vulnerabilities"][number];
  const vuln = (o: Partial<Vuln> & Pick<Vuln, "package" | "version" | "advisory" | "lockfile">): Vuln => ({
    severity: "high",
    title: `Problem ${o.advisory}`,
    vulnerableRange: "<9",
    fixedIn: null,
    direct: true,
    dev: false,
    paths: [[o.package]],
    fix: null,
    url: null,
    ...o,
  });
  const run = (vulnerabilities: Vuln[], hygiene: DependencyAudit["lockfiles"]["hygiene"] = []) =>
    dependenciesCheck.run({
      audit: {
        dependencies: { lockfiles: [], vulnerabilities, watched: [] } as unknown as DependencyAudit["dependencies"],
        lockfiles: { lockfiles: [], unparseable: [], hygiene },
        status: "ok",
        gaps: [],
        registryRequests: 0,
        advisoryRequests: 0,
      },
      snapshot: snapshotOf({}),
    } as unknown as CheckContext) as { findings: Finding[] };

  it("lists every advisory of a package once, at the highest severity, with one upgrade that fixes them all", () => {
    const { findings } = run([
      vuln({ package: "next", version: "14.0.0", advisory: "GHSA-aaaa-bbbb-cccc", severity: "moderate", lockfile: "package-lock.json", fix: { package: "next", version: "14.1.1" } }),
      vuln({ package: "next", version: "14.0.0", advisory: "GHSA-dddd-eeee-ffff", severity: "critical", lockfile: "package-lock.json", fix: { package: "next", version: "14.2.25" } }),
      vuln({ package: "next", version: "14.0.0", advisory: "GHSA-gggg-hhhh-jjjj", severity: "high", lockfile: "package-lock.json", fix: { package: "next", version: "14.0.9" } }),
    ]);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.severity).toBe("critical");
    expect(findings[0]!.message).toContain("3 advisories: GHSA-aaaa-bbbb-cccc (moderate");
    expect(findings[0]!.message.match(/Upgrade /g)).toHaveLength(1);
    expect(findings[0]!.message).toContain("Upgrade next to 14.2.25 (fixes all of them).");
  });

  it("names every lockfile that locks it, as related places of one finding", () => {
    const { findings } = run([
      vuln({ package: "ws", version: "8.0.0", advisory: "GHSA-aaaa-bbbb-cccc", lockfile: "package-lock.json" }),
      vuln({ package: "ws", version: "8.0.0", advisory: "GHSA-aaaa-bbbb-cccc", lockfile: "web/package-lock.json" }),
      vuln({ package: "ws", version: "7.0.0", advisory: "GHSA-aaaa-bbbb-cccc", lockfile: "worker/pnpm-lock.yaml" }),
    ]);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.location?.path).toBe("package-lock.json");
    expect(findings[0]!.related?.map((l) => l.path)).toEqual(["web/package-lock.json", "worker/pnpm-lock.yaml"]);
    expect(findings[0]!.message).toMatch(/^ws@8\.0\.0, 7\.0\.0 .*Locked in 3 lockfiles\./);
  });

  it("ranks dev-only packages one step lower, and a package only a stale lockfile locks as low", () => {
    const dev = run([vuln({ package: "vite", version: "5.0.0", advisory: "GHSA-aaaa-bbbb-cccc", severity: "high", dev: true, lockfile: "package-lock.json" })]);
    expect(dev.findings[0]!.severity).toBe("moderate");
    expect(dev.findings[0]!.message).toContain("dev only");
    const hygiene: DependencyAudit["lockfiles"]["hygiene"] = [
      { kind: "mixed-lockfiles", path: "package-lock.json", line: null, subject: "x", message: "m", lockfiles: ["package-lock.json", "pnpm-lock.yaml"] },
      { kind: "out-of-sync", path: "package.json", line: 3, subject: "y", message: "m", lockfile: "package-lock.json", dependency: "next", spec: "^15", locked: "14.0.0" },
    ];
    const stale = run([vuln({ package: "next", version: "14.0.0", advisory: "GHSA-aaaa-bbbb-cccc", severity: "critical", lockfile: "package-lock.json" })], hygiene);
    expect(stale.findings[0]!.severity).toBe("low");
    expect(stale.findings[0]!.message).toContain("only in a stale lockfile");
    const both = run(
      [
        vuln({ package: "next", version: "14.0.0", advisory: "GHSA-aaaa-bbbb-cccc", severity: "critical", lockfile: "package-lock.json" }),
        vuln({ package: "next", version: "14.0.0", advisory: "GHSA-aaaa-bbbb-cccc", severity: "critical", lockfile: "pnpm-lock.yaml" }),
      ],
      hygiene,
    );
    expect(both.findings[0]!.severity).toBe("critical");
  });
});
