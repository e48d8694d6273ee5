// Finds and reads every lockfile in a snapshot (monorepos have several; a connector often keeps its server in a
// subfolder), once per scan: the dependency checks share the result through `readLockfiles(facts)`.
import path from "node:path";
import { parse as parseToml } from "smol-toml";
import { parse as parseYaml } from "yaml";
import type { Facts } from "../../facts/container";
import type { Snapshot } from "../../snapshot";
import { formatBytes } from "../../snapshot";
import { isTestOrFixturePath } from "../../facts/roles";
import { parseBunLockfile } from "./bun";
import { hygieneIssues, type FoundLockfile, type HygieneIssue } from "./hygiene";
import { isWorkspaceFolder, workspacePatterns } from "./manifest";
import { parseNpmLockfile } from "./npm";
import { parsePnpmLockfile } from "./pnpm";
import { parsePoetryLock, parseRequirements, parseUvLock } from "./python";
import {
  JS_LOCKFILE_FORMATS,
  LOCKFILE_LIMITS,
  UnparseableLockfileError,
  type LockfileFormat,
  type LockfileInput,
  type ParsedLockfile,
} from "./types";
import { folderOf, isRecord, own, parserFailure, type JsonRecord } from "./values";
import { parseYarnLockfile } from "./yarn";

export type { FoundLockfile, HygieneIssue } from "./hygiene";

const FORMAT_BY_NAME: Record<string, LockfileFormat> = {
  "package-lock.json": "npm",
  "npm-shrinkwrap.json": "npm",
  "pnpm-lock.yaml": "pnpm",
  "yarn.lock": "yarn",
  "bun.lock": "bun",
  "bun.lockb": "bun",
  "uv.lock": "uv",
  "poetry.lock": "poetry",
};

const READERS: Record<LockfileFormat, (input: LockfileInput) => ParsedLockfile> = {
  npm: parseNpmLockfile,
  pnpm: parsePnpmLockfile,
  yarn: parseYarnLockfile,
  bun: parseBunLockfile,
  uv: parseUvLock,
  poetry: parsePoetryLock,
  pip: parseRequirements,
};

/** requirements.txt, requirements-dev.txt, dev-requirements.txt, requirements/prod.txt. */
export function isRequirementsFile(filePath: string): boolean {
  const base = path.posix.basename(filePath).toLowerCase();
  if (!base.endsWith(".txt") || base.length > 100) return false;
  if (base.startsWith("requirements") || base.endsWith("-requirements.txt") || base.endsWith("_requirements.txt")) return true;
  return path.posix.basename(path.posix.dirname(filePath)).toLowerCase() === "requirements";
}

/** The lockfile format a file name means, or null. */
export function lockfileFormatOf(filePath: string): LockfileFormat | null {
  const base = path.posix.basename(filePath);
  if (Object.hasOwn(FORMAT_BY_NAME, base)) return FORMAT_BY_NAME[base]!;
  return isRequirementsFile(filePath) ? "pip" : null;
}

/** Every lockfile outside test folders and fixtures (test data, not what ships), sorted by path. */
export function findLockfiles(snapshot: Snapshot): FoundLockfile[] {
  const out: FoundLockfile[] = [];
  for (const p of snapshot.paths()) {
    const format = lockfileFormatOf(p);
    if (format !== null && !isTestOrFixturePath(p)) out.push({ path: p, format });
  }
  return out;
}

/**
 * Reads one lockfile. Throws UnparseableLockfileError, with a reason a reviewer can act on, for anything it can't
 * read: too large, malformed, the wrong shape, past the limits, nested too deep for the parsers.
 */
export function parseLockfile(input: LockfileInput): ParsedLockfile {
  if (input.text.length > LOCKFILE_LIMITS.maxChars) {
    throw new UnparseableLockfileError(input.path, `larger than the ${formatBytes(LOCKFILE_LIMITS.maxChars)} read`);
  }
  const format = lockfileFormatOf(input.path);
  if (format === null) throw new UnparseableLockfileError(input.path, "not a lockfile name this reader knows");
  if (path.posix.basename(input.path) === "bun.lockb") {
    throw new UnparseableLockfileError(
      input.path,
      "Bun's binary lockfile is not read: commit the text bun.lock (Bun 1.2 and later) instead",
    );
  }
  try {
    return READERS[format](input);
  } catch (error) {
    if (error instanceof UnparseableLockfileError) throw error;
    const reason = parserFailure(error);
    throw new UnparseableLockfileError(input.path, reason === "nested too deeply to read" ? reason : `could not be read (${reason})`);
  }
}

export interface LockfileFacts {
  lockfiles: ParsedLockfile[];
  unparseable: Array<{ path: string; format: LockfileFormat; reason: string }>;
  hygiene: HygieneIssue[];
}

function readManifest(snapshot: Snapshot, filePath: string, kind: "json" | "toml" | "yaml"): JsonRecord | null {
  const text = snapshot.text(filePath);
  if (text === null || text.length > LOCKFILE_LIMITS.maxManifestChars) return null;
  try {
    const value: unknown =
      kind === "json"
        ? JSON.parse(text)
        : kind === "toml"
          ? parseToml(text, { maxDepth: 32, unsafeKeyBehaviour: "drop" })
          : parseYaml(text, { schema: "failsafe", maxAliasCount: 10, logLevel: "error" });
    return isRecord(value) ? value : null;
  } catch {
    return null;
  }
}

/** The workspace members' manifests of a JS project rooted at `dir`: npm/yarn/bun `workspaces`, pnpm-workspace.yaml. */
function workspaceManifests(
  snapshot: Snapshot,
  dir: string,
  manifest: JsonRecord | null,
  packageJsons: Map<string, JsonRecord | null>,
): Array<{ path: string; manifest: JsonRecord }> {
  let patterns = workspacePatterns(manifest);
  if (patterns.length === 0) {
    // pnpm keeps its workspace globs in pnpm-workspace.yaml.
    const pnpmWorkspace = readManifest(snapshot, path.posix.join(dir, "pnpm-workspace.yaml"), "yaml");
    patterns = workspacePatterns({ workspaces: own(pnpmWorkspace, "packages") });
  }
  if (patterns.length === 0) return [];
  const out: Array<{ path: string; manifest: JsonRecord }> = [];
  for (const [p, m] of packageJsons) {
    const folder = folderOf(p);
    if (!m || folder === dir || (dir !== "" && !folder.startsWith(`${dir}/`))) continue;
    const relative = dir === "" ? folder : folder.slice(dir.length + 1);
    if (isWorkspaceFolder(patterns, relative)) out.push({ path: relative, manifest: m });
    if (out.length >= 2000) break;
  }
  return out;
}

function omittedReason(snapshot: Snapshot, filePath: string): string {
  const file = snapshot.get(filePath);
  if (path.posix.basename(filePath) === "bun.lockb")
    return "Bun's binary lockfile is not read: commit the text bun.lock (Bun 1.2 and later) instead";
  if (file?.omitted === "too-large") return `larger (${formatBytes(file.size)}) than the snapshot keeps for one file`;
  if (file?.omitted === "binary") return "not a text file";
  return "not available in the snapshot";
}

function computeLockfiles(snapshot: Snapshot): LockfileFacts {
  const found = findLockfiles(snapshot);
  const packageJsons = new Map<string, JsonRecord | null>();
  for (const p of snapshot.findByName("package.json")) packageJsons.set(p, readManifest(snapshot, p, "json"));

  const lockfiles: ParsedLockfile[] = [];
  const unparseable: LockfileFacts["unparseable"] = [];
  for (const { path: lockPath, format } of found) {
    const text = snapshot.text(lockPath);
    if (text === null) {
      unparseable.push({ path: lockPath, format, reason: omittedReason(snapshot, lockPath) });
      continue;
    }
    const dir = folderOf(lockPath);
    let manifest: JsonRecord | null = null;
    let members: LockfileInput["workspaceManifests"] = [];
    if (JS_LOCKFILE_FORMATS.has(format)) {
      manifest = packageJsons.get(path.posix.join(dir, "package.json")) ?? null;
      members = workspaceManifests(snapshot, dir, manifest, packageJsons);
    } else if (format === "uv" || format === "poetry") {
      manifest = readManifest(snapshot, path.posix.join(dir, "pyproject.toml"), "toml");
    }
    try {
      lockfiles.push(parseLockfile({ path: lockPath, text, manifest, workspaceManifests: members }));
    } catch (error) {
      if (!(error instanceof UnparseableLockfileError)) throw error;
      unparseable.push({ path: lockPath, format, reason: error.reason });
    }
  }
  const testFree = new Map([...packageJsons].filter(([p]) => !isTestOrFixturePath(p)));
  const pyprojects = new Map(
    snapshot
      .findByName("pyproject.toml")
      .filter((p) => !isTestOrFixturePath(p))
      .map((p) => [p, readManifest(snapshot, p, "toml")] as const),
  );
  const hygiene = hygieneIssues({
    found,
    lockfiles,
    packageJsons: testFree,
    pyprojects,
    text: (p) => snapshot.text(p),
  });
  return { lockfiles, unparseable, hygiene };
}

/** Every lockfile in the scan, read once and shared: the parsed ones, those that couldn't be read (and why), hygiene. */
export function readLockfiles(facts: Facts): LockfileFacts {
  return facts.memo("lockfiles", computeLockfiles);
}
