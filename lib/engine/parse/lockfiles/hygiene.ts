// Lockfile hygiene, as data for the dependency check to turn into findings: a package.json no lockfile covers, two
// package managers' lockfiles side by side, a lockfile out of sync with its package.json, and packages that run
// install scripts. Each issue points at a file (and a line when it is cheap to find).
import path from "node:path";
import semver from "semver";
import { lineAt, lineStarts } from "../../text";
import { declaredDependencies, sectionOf } from "./manifest";
import { JS_LOCKFILE_FORMATS, type LockfileFormat, type ParsedLockfile } from "./types";
import { folderOf, npmAlias } from "./values";
import { compareText } from "@/lib/core/compare";

interface HygieneBase {
  /** The file to point at: the package.json for manifest problems, the lockfile for lockfile ones. */
  path: string;
  line: number | null;
  /** Stable text that names what the issue is about, for fingerprints ("express", "core-js@3.38.1"). */
  subject: string;
  message: string;
  /** Another place that explains the issue: the .gitignore line that keeps the lockfile out. */
  related?: { path: string; line: number | null };
}

export type HygieneIssue =
  | (HygieneBase & { kind: "no-lockfile" })
  | (HygieneBase & { kind: "mixed-lockfiles"; lockfiles: string[] })
  | (HygieneBase & { kind: "out-of-sync"; lockfile: string; dependency: string; spec: string; locked: string | null })
  | (HygieneBase & { kind: "install-script"; package: string; version: string; dev: boolean; direct: boolean });

export interface FoundLockfile {
  path: string;
  format: LockfileFormat;
}

export interface HygieneInput {
  /** Every lockfile found (read or not). */
  found: FoundLockfile[];
  /** The lockfiles that were read. */
  lockfiles: ParsedLockfile[];
  /** package.json files outside tests, parsed (null when unreadable). */
  packageJsons: Map<string, Record<string, unknown> | null>;
  /** pyproject.toml files outside tests, parsed (null when unreadable). */
  pyprojects?: Map<string, Record<string, unknown> | null>;
  text: (filePath: string) => string | null;
}

const MANAGER: Record<LockfileFormat, string> = {
  npm: "npm",
  pnpm: "pnpm",
  yarn: "yarn",
  bun: "bun",
  uv: "uv",
  poetry: "poetry",
  pip: "pip",
};
const LOCAL_SPEC_PREFIXES = ["workspace:", "file:", "link:", "portal:", "catalog:"];

/** The input with line lookups: each file's line starts are computed once, however many issues point into it. */
interface LocatedInput extends HygieneInput {
  lineOf(filePath: string, index: number): number | null;
}

function located(input: HygieneInput): LocatedInput {
  const starts = new Map<string, number[] | null>();
  return {
    ...input,
    lineOf(filePath, index) {
      if (index < 0) return null;
      if (!starts.has(filePath)) {
        const text = input.text(filePath);
        starts.set(filePath, text === null ? null : lineStarts(text));
      }
      const lines = starts.get(filePath);
      return lines ? lineAt(lines, index) : null;
    },
  };
}

/** The line of `"name"` inside a package.json section, found by plain search (no parse positions needed). */
function lineOfDependency(input: LocatedInput, manifestPath: string, section: string, name: string): number | null {
  const text = input.text(manifestPath);
  if (text === null) return null;
  const sectionAt = text.indexOf(`"${section}"`);
  if (sectionAt === -1) return null;
  const at = text.indexOf(JSON.stringify(name), sectionAt + section.length + 2);
  return input.lineOf(manifestPath, at === -1 ? sectionAt : at);
}

function hasRegistryDependencies(manifest: Record<string, unknown>): boolean {
  return declaredDependencies(manifest).some((d) => !LOCAL_SPEC_PREFIXES.some((p) => d.spec.startsWith(p)));
}

function noLockfile(input: LocatedInput): HygieneIssue[] {
  const jsLockfiles = input.found.filter((f) => JS_LOCKFILE_FORMATS.has(f.format));
  const parsedByPath = new Map(input.lockfiles.map((l) => [l.path, l]));
  const out: HygieneIssue[] = [];
  for (const [manifestPath, manifest] of input.packageJsons) {
    if (!manifest || !hasRegistryDependencies(manifest)) continue;
    const dir = folderOf(manifestPath);
    if (jsLockfiles.some((l) => folderOf(l.path) === dir)) continue;
    // Above it, a lockfile covers it only as a workspace member (a lockfile that can't be read gets the benefit of
    // the doubt); a root lockfile for lint tooling doesn't lock a server folder's dependencies.
    const above = jsLockfiles.filter((l) => {
      const lockDir = folderOf(l.path);
      return lockDir === "" || dir.startsWith(`${lockDir}/`);
    });
    const covering = above.find((l) => {
      const parsed = parsedByPath.get(l.path);
      if (!parsed?.importers) return true;
      const relative = path.posix.relative(folderOf(l.path), dir);
      return parsed.importers.some((i) => i.path === relative);
    });
    if (covering) continue;
    const first = declaredDependencies(manifest)[0];
    const line = first ? lineOfDependency(input, manifestPath, sectionOf(first.kind), first.name) : null;
    const nearest = above.sort((a, b) => b.path.length - a.path.length)[0];
    const ignored = nearest ? null : ignoredLockfile(input, dir);
    out.push({
      kind: "no-lockfile",
      path: manifestPath,
      line,
      subject: manifestPath,
      message: nearest
        ? `${manifestPath} declares dependencies, but ${nearest.path} does not list ${dir} as a workspace, so nothing pins what an install of this folder gets.`
        : ignored
          ? `${manifestPath} declares dependencies but no lockfile pins them, and ${ignored.path} keeps ${ignored.name} out of the repository: every install may resolve different versions.`
          : `${manifestPath} declares dependencies but no lockfile pins them: every install may resolve different versions.`,
      ...(ignored ? { related: { path: ignored.path, line: ignored.line } } : {}),
    });
  }
  return out;
}

const JS_LOCKFILE_NAMES = ["package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "bun.lock", "bun.lockb"];

/** A .gitignore in the folder or above it with a line that names a JavaScript lockfile (`package-lock.json`, `*.lock`). */
function ignoredLockfile(input: LocatedInput, dir: string): { path: string; line: number | null; name: string } | null {
  const parts = dir === "" ? [] : dir.split("/");
  for (let depth = parts.length; depth >= 0; depth--) {
    const ignorePath = [...parts.slice(0, depth), ".gitignore"].join("/");
    const text = input.text(ignorePath);
    if (text === null) continue;
    let offset = 0;
    for (const raw of text.slice(0, 100_000).split("\n")) {
      const line = raw.trim().replace(/^\//, "");
      const name = JS_LOCKFILE_NAMES.find((n) => line === n || line === `**/${n}` || (line === "*.lock" && n.endsWith(".lock")));
      if (name && !line.startsWith("#")) return { path: ignorePath, line: input.lineOf(ignorePath, offset), name };
      offset += raw.length + 1;
    }
  }
  return null;
}

function mixedLockfiles(input: HygieneInput): HygieneIssue[] {
  const byDir = new Map<string, FoundLockfile[]>();
  for (const f of input.found) {
    const list = byDir.get(folderOf(f.path));
    if (list) list.push(f);
    else byDir.set(folderOf(f.path), [f]);
  }
  const out: HygieneIssue[] = [];
  for (const files of byDir.values()) {
    for (const family of [
      (f: FoundLockfile) => JS_LOCKFILE_FORMATS.has(f.format),
      (f: FoundLockfile) => f.format === "uv" || f.format === "poetry",
    ]) {
      const members = files.filter(family).sort((a, b) => compareText(a.path, b.path));
      const managers = [...new Set(members.map((f) => MANAGER[f.format]))];
      if (managers.length < 2) continue;
      const names = members.map((f) => path.posix.basename(f.path));
      out.push({
        kind: "mixed-lockfiles",
        path: members[0]!.path,
        line: null,
        subject: members.map((f) => f.path).join(" + "),
        lockfiles: members.map((f) => f.path),
        message: `${names.join(" and ")} side by side (${managers.join(", ")}): what gets installed depends on which tool runs, and one of them is stale. Keep one.`,
      });
    }
  }
  return out;
}

function outOfSync(input: LocatedInput): HygieneIssue[] {
  const out: HygieneIssue[] = [];
  for (const lockfile of input.lockfiles) {
    if (!JS_LOCKFILE_FORMATS.has(lockfile.format)) continue;
    for (const importer of lockfile.importers ?? []) {
      const manifestPath = path.posix.join(folderOf(lockfile.path), importer.path, "package.json");
      const manifest = input.packageJsons.get(manifestPath);
      if (!manifest) continue;
      const locked = new Map(importer.dependencies.map((d) => [d.name, d]));
      for (const declared of declaredDependencies(manifest)) {
        if (LOCAL_SPEC_PREFIXES.some((p) => declared.spec.startsWith(p))) continue;
        const entry = locked.get(declared.name);
        const line = () => lineOfDependency(input, manifestPath, sectionOf(declared.kind), declared.name);
        const base = {
          path: manifestPath,
          subject: declared.name,
          lockfile: lockfile.path,
          dependency: declared.name,
          spec: declared.spec,
        };
        if (!entry || entry.locked === null) {
          out.push({
            kind: "out-of-sync",
            ...base,
            line: line(),
            locked: null,
            message: `${manifestPath} declares ${declared.name} ${declared.spec}, but ${lockfile.path} doesn't lock it: the lockfile is out of date.`,
          });
          continue;
        }
        const range = npmAlias(declared.spec)?.range ?? declared.spec;
        if (semver.validRange(range, { loose: true }) === null || semver.valid(entry.locked, { loose: true }) === null) continue;
        if (semver.satisfies(entry.locked, range, { loose: true })) continue;
        out.push({
          kind: "out-of-sync",
          ...base,
          line: line(),
          locked: entry.locked,
          message: `${manifestPath} declares ${declared.name} ${declared.spec}, but ${lockfile.path} locks ${entry.locked}, outside that range: the lockfile is out of date.`,
        });
      }
    }
  }
  return out;
}

function installScripts(input: LocatedInput): HygieneIssue[] {
  const out: HygieneIssue[] = [];
  for (const lockfile of input.lockfiles) {
    const withScripts = lockfile.packages.filter((p) => p.hasInstallScript);
    if (withScripts.length === 0) continue;
    const text = input.text(lockfile.path);
    for (const p of withScripts) {
      const needle = lockfile.format === "npm" ? `node_modules/${p.name}"` : `"${p.name}@${p.version}"`;
      const at = text?.indexOf(needle) ?? -1;
      out.push({
        kind: "install-script",
        path: lockfile.path,
        line: input.lineOf(lockfile.path, at),
        subject: `${p.name}@${p.version}`,
        package: p.name,
        version: p.version,
        dev: p.dev,
        direct: p.direct,
        message: `${p.name}@${p.version} runs an install script: code from the registry executes on every machine that installs it${p.dev ? " (a dev dependency: developer machines and CI)" : ""}.`,
      });
    }
  }
  return out;
}

/** Does a pyproject.toml declare packages to install (PEP 621 `dependencies`, or Poetry's beyond `python`)? */
function declaresPythonDependencies(pyproject: Record<string, unknown>): boolean {
  const project = pyproject.project as Record<string, unknown> | undefined;
  if (Array.isArray(project?.dependencies) && project.dependencies.length > 0) return true;
  const poetry = (pyproject.tool as Record<string, unknown> | undefined)?.poetry as Record<string, unknown> | undefined;
  const deps = poetry?.dependencies;
  return deps !== null && typeof deps === "object" && Object.keys(deps).some((k) => k !== "python");
}

/** A pyproject.toml with dependencies and no uv.lock, poetry.lock or requirements file beside or above it. */
function pythonNoLockfile(input: LocatedInput): HygieneIssue[] {
  const pyLockDirs = input.found.filter((f) => !JS_LOCKFILE_FORMATS.has(f.format)).map((f) => folderOf(f.path));
  const out: HygieneIssue[] = [];
  for (const [manifestPath, manifest] of input.pyprojects ?? []) {
    if (!manifest || !declaresPythonDependencies(manifest)) continue;
    const dir = folderOf(manifestPath);
    if (pyLockDirs.some((d) => d === dir || d === "" || dir.startsWith(`${d}/`))) continue;
    const text = input.text(manifestPath);
    const at = text === null ? -1 : text.search(/^\s*dependencies\s*=|^\[tool\.poetry\.dependencies\]/m);
    out.push({
      kind: "no-lockfile",
      path: manifestPath,
      line: input.lineOf(manifestPath, at),
      subject: manifestPath,
      message: `${manifestPath} declares dependencies but no uv.lock, poetry.lock or pinned requirements file pins them: every install may resolve different versions, and none can be audited.`,
    });
  }
  return out;
}

export function hygieneIssues(raw: HygieneInput): HygieneIssue[] {
  const input = located(raw);
  return [...noLockfile(input), ...pythonNoLockfile(input), ...mixedLockfiles(input), ...outOfSync(input), ...installScripts(input)];
}
