// Workspaces, aliases, optional and nested duplicates, as each tool wrote them for one small monorepo: every format
// reads to the same packages, flags, paths and per-workspace declarations.
import { describe, expect, it } from "vitest";
import { findPackage, fixtureInput, packageSummary, parseFixture } from "../support/lockfile-fixtures";
import { parseLockfile } from "@/lib/engine/parse/lockfiles";

const WORKSPACE_FIXTURES = [
  "npm/workspace-v1",
  "npm/workspace-v3",
  "pnpm/workspace-v6",
  "pnpm/workspace-v9",
  "yarn/workspace-classic",
  "yarn/workspace-berry",
  "bun/workspace",
];

// Worked out from the fixture's manifests: root (ms, dev is-number 7), packages/server (@fx/shared, core-js, debug,
// old-ms = npm:ms@2.0.0, optional is-odd → is-number 6), packages/shared (ms ^2.1.1, dev is-number ^6).
const EXPECTED = [
  "core-js@3.38.1 direct",
  "debug@4.3.4 direct",
  // dev through packages/shared, optional through is-odd: needed in production only if is-odd installs, so neither flag.
  "is-number@6.0.0 direct",
  "is-number@7.0.0 dev direct",
  "is-odd@3.0.1 optional direct",
  "ms@2.0.0 direct",
  "ms@2.1.2",
  "ms@2.1.3 direct",
];

describe.each(WORKSPACE_FIXTURES)("%s", (dir) => {
  const parsed = parseFixture(dir);

  it("reads every workspace's packages with the npm flags", () => {
    expect(packageSummary(parsed.packages)).toEqual(EXPECTED);
    // Workspace members are the project's own code: walked through, never reported.
    expect(parsed.packages.some((p) => p.name.startsWith("@fx/"))).toBe(false);
  });

  it("resolves the alias old-ms to the real package ms@2.0.0", () => {
    expect(findPackage(parsed, "ms", "2.0.0").paths[0]).toEqual(["ms"]);
  });

  it("finds the nested duplicate through its parent and the optional path", () => {
    expect(findPackage(parsed, "ms", "2.1.2").paths).toEqual([["debug", "ms"]]);
    expect(findPackage(parsed, "is-number", "6.0.0").paths).toEqual(expect.arrayContaining([["is-number"], ["is-odd", "is-number"]]));
  });

  it("lists every workspace with the versions its declared dependencies are locked at", () => {
    const byFolder = Object.fromEntries(
      (parsed.importers ?? []).map((i) => [
        i.path,
        i.dependencies
          .filter((d) => !d.name.startsWith("@fx/"))
          .map((d) => `${d.name} ${d.kind} ${d.locked}`)
          .sort(),
      ]),
    );
    expect(byFolder).toEqual({
      "": ["is-number dev 7.0.0", "ms prod 2.1.3"],
      "packages/server": ["core-js prod 3.38.1", "debug prod 4.3.4", "is-odd optional 3.0.1", "old-ms prod 2.0.0"],
      "packages/shared": ["is-number dev 6.0.0", "ms prod 2.1.3"],
    });
    const sibling = parsed.importers?.find((i) => i.path === "packages/server")?.dependencies.find((d) => d.name === "@fx/shared");
    expect(sibling?.locked).not.toBeNull();
  });
});

describe("install scripts", () => {
  it.each(["npm/workspace-v3", "bun/workspace"])("%s records that core-js runs one", (dir) => {
    const parsed = parseFixture(dir);
    expect(parsed.packages.filter((p) => p.hasInstallScript).map((p) => p.name)).toEqual(["core-js"]);
  });
});

describe("yarn classic without the workspace manifests", () => {
  it("still reads every package, taking the ones nothing depends on as direct", () => {
    const input = fixtureInput("yarn/workspace-classic");
    const parsed = parseLockfile({ ...input, manifest: null, workspaceManifests: [] });
    expect(parsed.packages.map((p) => `${p.name}@${p.version}`).sort()).toEqual(EXPECTED.map((e) => e.split(" ")[0]).sort());
    expect(findPackage(parsed, "debug", "4.3.4").direct).toBe(true);
    expect(findPackage(parsed, "ms", "2.1.2").direct).toBe(false);
    // Nothing says which were dev: unknown is not dev.
    expect(parsed.packages.some((p) => p.dev)).toBe(false);
  });
});
