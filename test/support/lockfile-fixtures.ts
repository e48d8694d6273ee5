// Reads the lockfile fixtures in test/fixtures/lockfiles: a folder's lockfile with the manifests a scan would pass.
import fs from "node:fs";
import path from "node:path";
import { parse as parseToml } from "smol-toml";
import { parseLockfile } from "@/lib/engine/parse/lockfiles";
import type { LockedPackage, LockfileInput, ParsedLockfile } from "@/lib/engine/parse/lockfiles/types";

export const LOCKFILE_FIXTURES = path.resolve(import.meta.dirname, "../fixtures/lockfiles");

const LOCKFILE_NAMES = ["package-lock.json", "npm-shrinkwrap.json", "pnpm-lock.yaml", "yarn.lock", "bun.lock", "uv.lock", "poetry.lock"];

/** Every file of a fixture folder, by path relative to it. */
export function fixtureFiles(dir: string): Record<string, string> {
  const root = path.join(LOCKFILE_FIXTURES, dir);
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    out[path.relative(root, full).split(path.sep).join("/")] = fs.readFileSync(full, "utf8");
  }
  return out;
}

/** The input a scan would give the reader for this fixture folder (lockfile, manifest, workspace members). */
export function fixtureInput(dir: string, lockfileName?: string): LockfileInput {
  const files = fixtureFiles(dir);
  const name = lockfileName ?? LOCKFILE_NAMES.find((n) => files[n] !== undefined);
  if (!name) throw new Error(`no lockfile in ${dir}`);
  const manifest = files["package.json"]
    ? JSON.parse(files["package.json"])
    : files["pyproject.toml"]
      ? parseToml(files["pyproject.toml"])
      : null;
  const workspaceManifests = Object.entries(files)
    .filter(([p]) => p.startsWith("packages/") && p.endsWith("/package.json"))
    .map(([p, text]) => ({ path: path.posix.dirname(p), manifest: JSON.parse(text) as Record<string, unknown> }));
  return { path: `${dir}/${name}`, text: files[name]!, manifest, workspaceManifests };
}

export function parseFixture(dir: string, lockfileName?: string): ParsedLockfile {
  return parseLockfile(fixtureInput(dir, lockfileName));
}

/** One line per package with its flags, sorted: two lockfiles that lock the same things give equal lists. */
export function packageSummary(packages: LockedPackage[]): string[] {
  return packages
    .map((p) => `${p.name}@${p.version}${p.dev ? " dev" : ""}${p.optional ? " optional" : ""}${p.direct ? " direct" : ""}`)
    .sort();
}

export function findPackage(lockfile: ParsedLockfile, name: string, version: string): LockedPackage {
  const found = lockfile.packages.find((p) => p.name === name && p.version === version);
  if (!found) throw new Error(`${name}@${version} is not in ${lockfile.path}`);
  return found;
}
