// Every JavaScript lockfile format, written by the real tools for one dependency set, reads to the same packages
// with the same flags as npm's own lockfile: that agreement is what makes advisory results agree across formats.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { LOCKFILE_FIXTURES, findPackage, packageSummary, parseFixture } from "../support/lockfile-fixtures";

const FORMATS: Array<[dir: string, format: string, formatVersion: string, recordsRoot: boolean]> = [
  ["npm/v1", "npm", "1", false],
  ["npm/v2", "npm", "2", true],
  ["npm/v3", "npm", "3", true],
  ["pnpm/v6", "pnpm", "6.0", true],
  ["pnpm/v9", "pnpm", "9.0", true],
  ["yarn/classic", "yarn", "v1", false],
  ["yarn/berry", "yarn", "berry 10", true],
  ["bun/v1", "bun", "1", true],
  ["bun/v2", "bun", "2", true],
];

/** What npm itself says the lockfile holds: `npm ls --package-lock-only --all --json`, as name@version. */
function npmLs(dir: string): string[] {
  const out = execFileSync("npm", ["ls", "--package-lock-only", "--all", "--json"], {
    cwd: path.join(LOCKFILE_FIXTURES, dir),
    encoding: "utf8",
    env: { ...process.env, npm_config_update_notifier: "false" },
  });
  const seen = new Set<string>();
  const stack: unknown[] = [JSON.parse(out)];
  while (stack.length > 0) {
    const node = stack.pop() as { dependencies?: Record<string, { version?: string }> };
    for (const [name, child] of Object.entries(node.dependencies ?? {})) {
      if (child.version) seen.add(`${name}@${child.version}`);
      stack.push(child);
    }
  }
  return [...seen].sort();
}

const names = (packages: Array<{ name: string; version: string }>) => [...new Set(packages.map((p) => `${p.name}@${p.version}`))].sort();

describe("the reference: npm's v3 lockfile", () => {
  const reference = parseFixture("npm/v3");

  it("holds exactly the packages npm ls lists for it", () => {
    expect(names(reference.packages)).toEqual(npmLs("npm/v3"));
    expect(reference.packages).toHaveLength(123);
    expect(reference.packages.filter((p) => p.dev).map((p) => p.name)).toEqual(["typescript"]);
  });
});

describe.each(FORMATS)("%s", (dir, format, formatVersion, recordsRoot) => {
  const reference = parseFixture("npm/v3");
  const parsed = parseFixture(dir);

  it("locks the same packages as npm's v3 lockfile, with the same dev, optional and direct flags", () => {
    expect(packageSummary(parsed.packages)).toEqual(packageSummary(reference.packages));
  });

  it("names its format and version", () => {
    expect(parsed.format).toBe(format);
    expect(parsed.formatVersion).toBe(formatVersion);
    expect(parsed.packages.every((p) => p.ecosystem === "npm")).toBe(true);
  });

  it("marks the manifest's dependencies direct and typescript dev-only", () => {
    const direct = parsed.packages.filter((p) => p.direct).map((p) => `${p.name}@${p.version}`);
    expect(direct.sort()).toEqual(["@modelcontextprotocol/sdk@1.12.0", "express@4.18.2", "typescript@5.6.3", "zod@3.23.8"]);
    expect(findPackage(parsed, "typescript", "5.6.3").dev).toBe(true);
    expect(findPackage(parsed, "express", "4.18.2").dev).toBe(false);
    // express 5 comes in through the SDK only: transitive, production.
    expect(findPackage(parsed, "express", "5.3.0")).toMatchObject({ direct: false, dev: false });
  });

  it("finds the shortest dependency paths to a transitive package", () => {
    const ms = findPackage(parsed, "ms", "2.0.0");
    expect(ms.paths[0]).toEqual(["express", "debug", "ms"]);
    expect(ms.paths).toEqual(
      expect.arrayContaining([
        ["express", "debug", "ms"],
        ["express", "body-parser", "debug", "ms"],
        ["express", "finalhandler", "debug", "ms"],
        ["express", "send", "debug", "ms"],
      ]),
    );
    expect(ms.paths).toHaveLength(5);
    for (const p of ms.paths) expect(p.at(-1)).toBe("ms");
    expect(findPackage(parsed, "path-to-regexp", "0.1.7").paths[0]).toEqual(["express", "path-to-regexp"]);
    for (const p of parsed.packages) expect(p.paths.length, `${p.name}@${p.version} has a path`).toBeGreaterThan(0);
  });

  it("reports what the root declares and the versions it is locked at", () => {
    const root = parsed.importers?.find((i) => i.path === "");
    expect(root?.dependencies.map((d) => [d.name, d.kind, d.locked]).sort()).toEqual([
      ["@modelcontextprotocol/sdk", "prod", "1.12.0"],
      ["express", "prod", "4.18.2"],
      ["typescript", "dev", "5.6.3"],
      ["zod", "prod", "3.23.8"],
    ]);
    if (recordsRoot) expect(parsed.rootDependencies?.find((d) => d.name === "express")).toMatchObject({ spec: "4.18.2", locked: "4.18.2" });
    else expect(parsed.rootDependencies).toBeNull();
  });
});

describe("npm 6's own v1 lockfile", () => {
  it("holds exactly the packages npm ls lists for it (npm 6 resolved some ranges differently)", () => {
    const parsed = parseFixture("npm/v1-npm6");
    expect(names(parsed.packages)).toEqual(npmLs("npm/v1-npm6"));
    expect(findPackage(parsed, "on-finished", "2.4.2").dev).toBe(false);
    expect(findPackage(parsed, "typescript", "5.6.3")).toMatchObject({ dev: true, direct: true });
  });
});
