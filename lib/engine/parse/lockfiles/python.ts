// Reads Python lockfiles: uv.lock and poetry.lock (TOML `[[package]]` tables with their dependencies) and pinned
// requirements.txt files (one `name==version` a line; pip-compile's `# via` comments give the graph). Names are
// normalized per PEP 503 so advisories match whatever spelling the file used.
import { valid as validPep440 } from "@renovatebot/pep440";
import { parse as parseToml } from "smol-toml";
import { GraphBuilder } from "./builder";
import { packagesOf, topsAsRoots, type EdgeKind, type RootKind } from "./graph";
import {
  LOCKFILE_LIMITS,
  type LockfileImporter,
  type LockfileInput,
  type ParsedLockfile,
  type RootDependency,
  type SkippedEntry,
} from "./types";
import { clip, isRecord, own, ownRecord, ownString, type JsonRecord, parserFailure } from "./values";
import { compareText } from "@/lib/core/compare";

/** PEP 503: lowercase, runs of "-", "_" and "." become one "-". */
export function normalizePythonName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

const MAX_NAME_CHARS = 200;

function isNameChar(c: string): boolean {
  return (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c === "-" || c === "_" || c === ".";
}

/** Splits a PEP 508 requirement ("mcp[cli] (>=1.2) ; python_version>'3.9'") into name, extras and version spec. */
export function parseRequirementString(text: string): { name: string; extras: string[]; spec: string; url: boolean } | null {
  const s = text.trim();
  // A name starts with a letter or digit ("./vendor/pkg" and "-e" are not requirements).
  if (s.length === 0 || !isNameChar(s[0]!) || "-_.".includes(s[0]!)) return null;
  let i = 0;
  while (i < s.length && isNameChar(s[i]!)) i++;
  // No index serves names this long; a line built to look like one is not a requirement.
  if (i > MAX_NAME_CHARS) return null;
  const name = s.slice(0, i);
  let rest = s.slice(i).trimStart();
  let extras: string[] = [];
  if (rest.startsWith("[")) {
    const close = rest.indexOf("]");
    if (close === -1) return null;
    extras = rest
      .slice(1, close)
      .split(",")
      .map((e) => normalizePythonName(e.trim()))
      .filter((e) => e.length > 0);
    rest = rest.slice(close + 1).trimStart();
  }
  // What may follow a name: nothing, a version specifier, a URL ("@"), markers (";"), Poetry's "(>=1.0)".
  if (rest.length > 0 && !"<>=!~(@;".includes(rest[0]!)) return null;
  const semi = rest.indexOf(";");
  let spec = (semi === -1 ? rest : rest.slice(0, semi)).trim();
  if (spec.startsWith("@")) return { name, extras, spec: "", url: true };
  if (spec.startsWith("(") && spec.endsWith(")")) spec = spec.slice(1, -1).trim();
  return { name, extras, spec, url: false };
}

function parseTomlDoc(b: GraphBuilder, text: string): JsonRecord {
  try {
    return parseToml(text, { maxDepth: 32, unsafeKeyBehaviour: "drop" }) as JsonRecord;
  } catch (error) {
    b.fail(`not valid TOML (${parserFailure(error)})`);
  }
}

function tablesOf(value: unknown): JsonRecord[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

/** Python packages by normalized name, for dependencies that name a package without its version. */
class PythonIndex {
  readonly byName = new Map<string, string[]>();

  add(name: string, id: string): void {
    const list = this.byName.get(name);
    if (list) list.push(id);
    else this.byName.set(name, [id]);
  }

  find(name: string, version?: string): string[] {
    const ids = this.byName.get(normalizePythonName(name)) ?? [];
    if (version === undefined) return ids;
    const exact = ids.filter((id) => id.endsWith(`@${version}`));
    return exact.length > 0 ? exact : ids;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// uv.lock

const UV_LOCAL_SOURCES = ["editable", "virtual", "directory", "path"];
const UV_PROJECT_SOURCES = ["editable", "virtual"];

function uvSourceKind(pkg: JsonRecord): string | null {
  const source = ownRecord(pkg, "source");
  if (!source) return null;
  return Object.keys(source).find((k) => typeof source[k] === "string") ?? null;
}

export function parseUvLock(input: LockfileInput): ParsedLockfile {
  const b = new GraphBuilder("pypi", input.path);
  const doc = parseTomlDoc(b, input.text);
  const version = own(doc, "version");
  if (typeof version !== "number") b.fail("no numeric `version` at the top (is this a uv.lock?)");
  const pkgs = tablesOf(own(doc, "package"));
  b.countEntries(pkgs.length);
  const index = new PythonIndex();
  const ids: Array<string | null> = [];
  for (const pkg of pkgs) {
    const rawName = ownString(pkg, "name");
    if (!rawName) {
      ids.push(null);
      continue;
    }
    const name = normalizePythonName(rawName);
    const v = ownString(pkg, "version") ?? "";
    const source = uvSourceKind(pkg);
    const id = `${name}@${v}`;
    const local = source !== null && UV_LOCAL_SOURCES.includes(source);
    if (!b.nodes.has(id)) index.add(name, id);
    b.addNode({ id, name, version: v, audit: !local && v !== "" });
    ids.push(id);
  }

  /** What a dependency `{ name, version?, extra? }` points at: the package, and each extra of it that it asks for. */
  const targetsOf = (dep: JsonRecord): string[] => {
    const name = ownString(dep, "name");
    if (!name) return [];
    const out: string[] = [];
    const extras = own(dep, "extra");
    for (const to of index.find(name, ownString(dep, "version"))) {
      out.push(to);
      if (!Array.isArray(extras)) continue;
      for (const extra of extras) {
        const extraId = typeof extra === "string" ? `${to}[${normalizePythonName(extra)}]` : "";
        if (b.nodes.has(extraId)) out.push(extraId);
      }
    }
    return out;
  };
  const link = (from: string, dep: JsonRecord, kind: EdgeKind): void => {
    for (const to of targetsOf(dep)) b.addEdge(from, to, kind);
  };

  // Extras become nodes of their own ("mcp[cli]", named like the package and never reported), so a package that asks
  // for an extra requires its dependencies while everyone else only has them optionally.
  pkgs.forEach((pkg, i) => {
    const id = ids[i];
    const optional = ownRecord(pkg, "optional-dependencies");
    if (!id || !optional) return;
    for (const extra of Object.keys(optional)) {
      b.addNode({
        id: `${id}[${normalizePythonName(extra)}]`,
        name: b.nodes.get(id)!.name,
        version: b.nodes.get(id)!.version,
        audit: false,
      });
    }
  });
  const importers: LockfileImporter[] = [];
  pkgs.forEach((pkg, i) => {
    const id = ids[i];
    if (!id) return;
    for (const dep of tablesOf(own(pkg, "dependencies"))) link(id, dep, "prod");
    const optional = ownRecord(pkg, "optional-dependencies");
    for (const [extra, deps] of Object.entries(optional ?? {})) {
      for (const dep of tablesOf(deps)) {
        link(`${id}[${normalizePythonName(extra)}]`, dep, "prod");
        link(id, dep, "optional");
      }
    }
    const source = uvSourceKind(pkg);
    if (source === null || !UV_PROJECT_SOURCES.includes(source)) return;
    // A project of the workspace: its dependencies are the roots.
    const project = b.nodes.get(id)!;
    const rootLink = (dep: JsonRecord, kind: RootKind) => {
      for (const to of targetsOf(dep)) b.addRoot(to, kind);
    };
    for (const dep of tablesOf(own(pkg, "dependencies"))) rootLink(dep, "prod");
    for (const deps of Object.values(optional ?? {})) for (const dep of tablesOf(deps)) rootLink(dep, "optional");
    for (const deps of Object.values(ownRecord(pkg, "dev-dependencies") ?? {})) for (const dep of tablesOf(deps)) rootLink(dep, "dev");
    const folder = ownString(ownRecord(pkg, "source"), source) ?? ".";
    importers.push({ path: folder === "." ? "" : folder, dependencies: uvDeclared(pkg, index, b, project.id) });
  });
  if (b.roots.length === 0) for (const root of topsAsRoots(b.build())) b.addRoot(root.to, root.kind);
  importers.sort((x, y) => compareText(x.path, y.path));
  const revision = own(doc, "revision");
  return {
    path: input.path,
    format: "uv",
    formatVersion: typeof revision === "number" ? `${version} (revision ${revision})` : String(version),
    packages: packagesOf(b.build()),
    rootDependencies: importers.find((i) => i.path === "")?.dependencies ?? null,
    importers,
    skipped: [],
  };
}

/** What a uv project declared (`[package.metadata] requires-dist` and `requires-dev`), with the versions locked. */
function uvDeclared(pkg: JsonRecord, index: PythonIndex, b: GraphBuilder, selfId: string): RootDependency[] {
  const metadata = ownRecord(pkg, "metadata");
  const out: RootDependency[] = [];
  const push = (dep: JsonRecord, kind: RootKind) => {
    const raw = ownString(dep, "name");
    if (!raw) return;
    const marker = ownString(dep, "marker") ?? "";
    const target = index.find(raw).find((id) => id !== selfId);
    out.push({
      name: normalizePythonName(raw),
      spec: ownString(dep, "specifier") ?? "",
      kind: kind === "prod" && marker.includes("extra ==") ? "optional" : kind,
      locked: target ? (b.nodes.get(target)?.version ?? null) : null,
    });
  };
  for (const dep of tablesOf(own(metadata, "requires-dist"))) push(dep, "prod");
  for (const deps of Object.values(ownRecord(metadata, "requires-dev") ?? {})) for (const dep of tablesOf(deps)) push(dep, "dev");
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// poetry.lock

/** The dependencies a pyproject.toml declares: PEP 621, PEP 735 groups, Poetry's tables and uv's dev list. */
export function pyprojectDependencies(manifest: unknown): Array<{ name: string; spec: string; kind: RootKind }> {
  const out: Array<{ name: string; spec: string; kind: RootKind }> = [];
  const seen = new Set<string>();
  const add = (rawName: string, spec: string, kind: RootKind) => {
    const name = normalizePythonName(rawName);
    if (name === "python" || seen.has(name) || out.length >= 10_000) return;
    seen.add(name);
    out.push({ name, spec, kind });
  };
  const addStrings = (list: unknown, kind: RootKind) => {
    if (!Array.isArray(list)) return;
    for (const item of list) {
      if (typeof item !== "string") continue;
      const req = parseRequirementString(item);
      if (req) add(req.name, req.spec, kind);
    }
  };
  const addTable = (table: unknown, kind: RootKind) => {
    if (!isRecord(table)) return;
    for (const [name, value] of Object.entries(table)) {
      if (typeof value === "string") add(name, value, kind);
      else if (isRecord(value))
        add(name, ownString(value, "version") ?? "", own(value, "optional") === true && kind === "prod" ? "optional" : kind);
      else if (Array.isArray(value)) add(name, "", kind);
    }
  };
  const project = ownRecord(manifest, "project");
  addStrings(own(project, "dependencies"), "prod");
  for (const list of Object.values(ownRecord(project, "optional-dependencies") ?? {})) addStrings(list, "optional");
  const poetry = ownRecord(ownRecord(manifest, "tool"), "poetry");
  addTable(own(poetry, "dependencies"), "prod");
  for (const [group, table] of Object.entries(ownRecord(poetry, "group") ?? {}))
    addTable(own(table, "dependencies"), group === "main" ? "prod" : "dev");
  addTable(own(poetry, "dev-dependencies"), "dev");
  for (const list of Object.values(ownRecord(manifest, "dependency-groups") ?? {})) addStrings(list, "dev");
  addStrings(own(ownRecord(ownRecord(manifest, "tool"), "uv"), "dev-dependencies"), "dev");
  return out;
}

const POETRY_LOCAL_SOURCES = new Set(["directory", "file"]);

export function parsePoetryLock(input: LockfileInput): ParsedLockfile {
  const b = new GraphBuilder("pypi", input.path);
  const doc = parseTomlDoc(b, input.text);
  const metadata = ownRecord(doc, "metadata");
  const pkgs = tablesOf(own(doc, "package"));
  if (!metadata && pkgs.length === 0) b.fail("neither `[[package]]` tables nor `[metadata]` (is this a poetry.lock?)");
  b.countEntries(pkgs.length);
  const index = new PythonIndex();
  const entries: Array<{ id: string; pkg: JsonRecord }> = [];
  for (const pkg of pkgs) {
    const rawName = ownString(pkg, "name");
    const version = ownString(pkg, "version");
    if (!rawName || version === undefined) continue;
    const name = normalizePythonName(rawName);
    const id = `${name}@${version}`;
    const category = ownString(pkg, "category");
    const groups = own(pkg, "groups");
    // Poetry < 1.2 wrote `category`, Poetry 2 writes `groups`; 1.2–1.8 wrote neither (then the graph decides).
    const flags =
      category !== undefined
        ? { dev: category !== "main", optional: own(pkg, "optional") === true }
        : Array.isArray(groups)
          ? { dev: !groups.includes("main"), optional: own(pkg, "optional") === true }
          : undefined;
    const source = ownString(ownRecord(pkg, "source"), "type");
    if (!b.nodes.has(id)) index.add(name, id);
    b.addNode({ id, name, version, audit: !(source && POETRY_LOCAL_SOURCES.has(source)), flags });
    entries.push({ id, pkg });
  }
  for (const { id, pkg } of entries) {
    for (const [name, value] of Object.entries(ownRecord(pkg, "dependencies") ?? {})) {
      const optional = isRecord(value) && own(value, "optional") === true;
      for (const to of index.find(name)) b.addEdge(id, to, optional ? "optional" : "prod");
    }
  }
  const declared = pyprojectDependencies(input.manifest);
  const dependencies: RootDependency[] = declared.map((d) => {
    const targets = index.find(d.name);
    for (const to of targets) b.addRoot(to, d.kind);
    return { ...d, locked: targets.length > 0 ? (b.nodes.get(targets[0]!)?.version ?? null) : null };
  });
  if (b.roots.length === 0) for (const root of topsAsRoots(b.build())) b.addRoot(root.to, root.kind);
  return {
    path: input.path,
    format: "poetry",
    formatVersion: ownString(metadata, "lock-version") ?? "?",
    packages: packagesOf(b.build()),
    rootDependencies: null,
    importers: input.manifest ? [{ path: "", dependencies }] : [],
    skipped: [],
  };
}

// ---------------------------------------------------------------------------------------------------------------
// requirements.txt

const DEV_WORDS = new Set(["dev", "develop", "development", "test", "tests", "testing", "lint", "linting", "doc", "docs", "ci", "typing"]);

/** requirements-dev.txt, dev-requirements.txt, requirements/test.txt: files of development tools. */
export function isDevRequirementsFile(filePath: string): boolean {
  const words = filePath.toLowerCase().split(/[/._-]+/);
  return words.some((w) => DEV_WORDS.has(w));
}

/** Start of an inline comment: a "#" at the start or after whitespace (pip's rule; "#egg=" in a URL is not one). */
function commentStart(line: string): number {
  for (let i = 0; i < line.length; i++) if (line[i] === "#" && (i === 0 || line[i - 1] === " " || line[i - 1] === "\t")) return i;
  return -1;
}

const INCLUDE_OPTIONS = new Map([
  ["-r", "includes another requirements file, which is not followed"],
  ["--requirement", "includes another requirements file, which is not followed"],
  ["-c", "constraints file, not followed"],
  ["--constraint", "constraints file, not followed"],
]);
const EDITABLE_OPTIONS = new Set(["-e", "--editable"]);

/** Logical lines: continuation backslashes joined, with the number of the line each starts on. */
function logicalLines(text: string): Array<{ line: number; text: string }> {
  const out: Array<{ line: number; text: string }> = [];
  const physical = text.split("\n");
  let pending: { line: number; text: string } | null = null;
  for (let i = 0; i < physical.length; i++) {
    const raw = physical[i]!.replace(/\r$/, "");
    const continued = raw.endsWith("\\") && commentStart(raw) === -1;
    const part = continued ? raw.slice(0, -1) : raw;
    if (pending) pending.text += ` ${part}`;
    else pending = { line: i + 1, text: part };
    if (!continued) {
      out.push(pending);
      pending = null;
    }
  }
  if (pending) out.push(pending);
  return out;
}

export function parseRequirements(input: LockfileInput): ParsedLockfile {
  const b = new GraphBuilder("pypi", input.path);
  const skipped: SkippedEntry[] = [];
  const skip = (line: number, entry: string, reason: string) => {
    if (skipped.length < 1000) skipped.push({ line, entry: clip(entry, 80), reason });
  };
  const index = new PythonIndex();
  /** child id → what its `# via` annotations name */
  const via = new Map<string, string[]>();
  let current: string | null = null;
  let inViaList = false;
  const lines = logicalLines(input.text);
  // pip-compile writes a few lines per package ("# via" lists); ten per allowed package is far more than real files.
  if (lines.length > LOCKFILE_LIMITS.maxEntries * 10)
    b.fail(`more than ${(LOCKFILE_LIMITS.maxEntries * 10).toLocaleString("en-US")} lines`);

  for (const { line, text } of lines) {
    const trimmed = text.trim();
    if (trimmed === "") {
      inViaList = false;
      continue;
    }
    if (trimmed.startsWith("#")) {
      const body = trimmed.slice(1);
      const content = body.trim();
      if (current !== null && content === "via") inViaList = true;
      else if (current !== null && content.startsWith("via ")) {
        via.get(current)!.push(content.slice(4).trim());
        inViaList = false;
      } else if (current !== null && inViaList && body.startsWith("  ") && content !== "") via.get(current)!.push(content);
      else inViaList = false;
      continue;
    }
    inViaList = false;
    const cut = commentStart(text);
    const requirement = (cut === -1 ? text : text.slice(0, cut)).trim();
    if (requirement === "") continue;
    if (requirement.startsWith("-")) {
      const option = requirement.split(/[\s=]/, 1)[0]!;
      const include = INCLUDE_OPTIONS.get(option);
      if (include)
        skip(
          line,
          `${option} ${
            requirement
              .slice(option.length)
              .replace(/^[\s=]+/, "")
              .split(/\s/, 1)[0]
          }`,
          include,
        );
      else if (EDITABLE_OPTIONS.has(option)) skip(line, option, "editable install of a local folder or repository, not a pinned release");
      else skip(line, option, "pip option, not a requirement");
      current = null;
      continue;
    }
    // Per-requirement options ("--hash=sha256:…") follow the requirement itself.
    const optionAt = requirement.search(/\s--?[a-z]/);
    const req = parseRequirementString(optionAt === -1 ? requirement : requirement.slice(0, optionAt));
    if (!req || req.url) {
      skip(line, req ? `${req.name} @ (URL)` : "(URL or path)", "not a release from the package index: advisories can't be matched");
      current = null;
      continue;
    }
    const spec = req.spec.replace(/\s+/g, "");
    const pinned = (spec.startsWith("==") || spec.startsWith("===")) && !spec.includes(",") && !spec.includes("*");
    const version = spec.startsWith("===") ? spec.slice(3) : spec.slice(2);
    if (!pinned) {
      skip(line, `${req.name}${spec ? ` ${spec}` : ""}`, spec ? "not pinned to one version (use ==)" : "no version: not pinned");
      current = null;
      continue;
    }
    if (version.length === 0 || version.length > 100 || (!spec.startsWith("===") && validPep440(version) === null)) {
      skip(line, `${req.name} ${spec}`, "not a PEP 440 version");
      current = null;
      continue;
    }
    const name = normalizePythonName(req.name);
    const id = `${name}@${version}`;
    if (!b.nodes.has(id)) {
      index.add(name, id);
      b.addNode({ id, name, version, audit: true });
      via.set(id, []);
    }
    current = id;
  }

  const kind: RootKind = isDevRequirementsFile(input.path) ? "dev" : "prod";
  const dependencies: RootDependency[] = [];
  for (const [id, sources] of via) {
    // "-r requirements.in", "my-app (pyproject.toml)" or no annotation at all: the file asked for it directly.
    let direct = sources.length === 0;
    for (const source of sources) {
      const parents = source.startsWith("-") || source.includes("(") ? [] : index.find(source);
      if (parents.length === 0) direct = true;
      for (const parent of parents) b.addEdge(parent, id, "prod");
    }
    if (direct) {
      b.addRoot(id, kind);
      const node = b.nodes.get(id)!;
      dependencies.push({ name: node.name, spec: `==${node.version}`, kind, locked: node.version });
    }
  }
  return {
    path: input.path,
    format: "pip",
    formatVersion: "requirements",
    packages: packagesOf(b.build()),
    rootDependencies: null,
    importers: [{ path: "", dependencies }],
    skipped,
  };
}
