// The synthetic npm lockfile the benchmarks use: deterministic, accepted by npm itself, read back whole.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseLockfile } from "@/lib/engine/parse/lockfiles";
import { generateNpmLockfile } from "../support/generated-lockfile";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "generated-lockfile-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("generateNpmLockfile", () => {
  it("is deterministic per seed", () => {
    expect(generateNpmLockfile(200, 3)).toEqual(generateNpmLockfile(200, 3));
    expect(generateNpmLockfile(200, 3).lockfile).not.toBe(generateNpmLockfile(200, 4).lockfile);
  });

  it("writes a lockfile npm accepts, every package reachable from the root", () => {
    const generated = generateNpmLockfile(400, 11);
    fs.writeFileSync(path.join(dir, "package.json"), generated.packageJson);
    fs.writeFileSync(path.join(dir, "package-lock.json"), generated.lockfile);
    // npm ls exits non-zero on any missing, invalid or extraneous package.
    const listed = JSON.parse(execFileSync("npm", ["ls", "--package-lock-only", "--all", "--json"], { cwd: dir, encoding: "utf8" })) as {
      dependencies?: Record<string, unknown>;
      problems?: string[];
    };
    expect(listed.problems ?? []).toEqual([]);

    const parsed = parseLockfile({ path: "package-lock.json", text: generated.lockfile, manifest: JSON.parse(generated.packageJson) });
    const expected = [...new Set(generated.packages.map((p) => `${p.name}@${p.version}`))].sort();
    expect(parsed.packages.map((p) => `${p.name}@${p.version}`).sort()).toEqual(expected);
    expect(parsed.packages.filter((p) => p.direct)).toHaveLength(30);
    expect(parsed.packages.every((p) => p.paths.length > 0)).toBe(true);
    // Duplicates at another major, scoped names, install scripts and dev-only packages all occur.
    expect(new Set(generated.packages.map((p) => p.name)).size).toBeLessThan(generated.packages.length);
    expect(parsed.packages.some((p) => p.name.startsWith("@"))).toBe(true);
    expect(parsed.packages.some((p) => p.hasInstallScript)).toBe(true);
    expect(parsed.packages.some((p) => p.dev)).toBe(true);
  });

  it("reads back 2,000 packages quickly", () => {
    const generated = generateNpmLockfile(2000, 1);
    const started = performance.now();
    const parsed = parseLockfile({ path: "package-lock.json", text: generated.lockfile, manifest: null });
    expect(parsed.packages).toHaveLength(new Set(generated.packages.map((p) => `${p.name}@${p.version}`)).size);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
