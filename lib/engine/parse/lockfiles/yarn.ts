// Reads yarn.lock, classic (v1) and Berry (v2+, `__metadata`), through @yarnpkg/parsers. Entries are keyed by the
// descriptors that resolved to them ("ms@2.1.3, ms@^2.1.1"); a dependency is found by its descriptor. Neither format
// says which dependencies are dev: the manifests do (classic doesn't even list its workspaces).
import { parseSyml } from "@yarnpkg/parsers";
import semver from "semver";
import { GraphBuilder } from "./builder";
import { packagesOf, topsAsRoots, type RootKind } from "./graph";
import { declaredDependencies, type DeclaredDependency } from "./manifest";
import type { LockfileImporter, LockfileInput, ParsedLockfile, RootDependency } from "./types";
import { isRecord, npmAlias, own, ownRecord, ownString, splitNameAt, stringEntries, type JsonRecord, parserFailure } from "./values";
import { compareText } from "@/lib/core/compare";

const LOCAL_PROTOCOLS = ["workspace:", "link:", "portal:", "file:"];

function parseLock(b: GraphBuilder, text: string): JsonRecord {
  let doc: unknown;
  try {
    doc = parseSyml(text);
  } catch (error) {
    b.fail(`not a readable yarn.lock (${parserFailure(error)})`);
  }
  if (!isRecord(doc)) b.fail("the top level is not a mapping");
  return doc;
}

/** Berry writes "npm:^1.2.0" for a plain range; the manifest says "^1.2.0". Aliases ("npm:ms@2.0.0") stay. */
function manifestSpec(lockSpec: string): string {
  const rest = lockSpec.startsWith("npm:") ? lockSpec.slice(4) : null;
  return rest !== null && !rest.includes("@") ? rest : lockSpec;
}

interface Project {
  folder: string;
  id: string;
  manifest: JsonRecord | null;
}

class YarnLock {
  /** descriptor ("ms@^2.1.1", "ms@npm:^2.1.1") → entry key */
  readonly descriptors = new Map<string, string>();
  /** package name → entry keys, for a declared range the lockfile has no descriptor for */
  readonly byName = new Map<string, string[]>();
  /** workspace name → its node id (classic: from the manifests; berry: from the workspace entries) */
  readonly workspaces = new Map<string, string>();

  constructor(
    readonly b: GraphBuilder,
    readonly berry: boolean,
  ) {}

  find(name: string, range: string): string | null {
    const key = this.descriptors.get(`${name}@${range}`) ?? (this.berry ? this.descriptors.get(`${name}@npm:${range}`) : undefined);
    if (key !== undefined) return key;
    return this.workspaces.get(name) ?? null;
  }

  /**
   * The entry a declared dependency uses: its descriptor's. When the manifest's range has no descriptor (the
   * lockfile is out of date), the entry of that name that best matches it: one satisfying the range, else one of
   * the same major version, else the last listed.
   */
  findDeclared(name: string, spec: string): string | null {
    const exact = this.find(name, spec);
    if (exact !== null) return exact;
    const alias = npmAlias(spec);
    const candidates = this.byName.get(alias?.name ?? name) ?? [];
    const range = alias?.range ?? spec;
    const versionOf = (key: string) => this.b.nodes.get(key)?.version ?? "";
    const satisfying = candidates.find((key) => semver.valid(versionOf(key)) && semver.satisfies(versionOf(key), range, { loose: true }));
    if (satisfying) return satisfying;
    const floor = semver.validRange(range, { loose: true }) ? semver.minVersion(range, { loose: true }) : null;
    const sameMajor = floor
      ? candidates.find((key) => semver.valid(versionOf(key)) && semver.major(versionOf(key)) === floor.major)
      : undefined;
    return sameMajor ?? candidates.at(-1) ?? null;
  }
}

export function parseYarnLockfile(input: LockfileInput): ParsedLockfile {
  const b = new GraphBuilder("npm", input.path);
  const doc = parseLock(b, input.text);
  const metadata = ownRecord(doc, "__metadata");
  const berry = metadata !== undefined;
  const lock = new YarnLock(b, berry);
  const entries = Object.entries(doc).filter((e): e is [string, JsonRecord] => e[0] !== "__metadata" && isRecord(e[1]));
  b.countEntries(entries.length);

  const projects: Project[] = [];
  for (const [key, entry] of entries) {
    const descriptors = key.split(",").map((d) => d.trim());
    for (const d of descriptors) lock.descriptors.set(d, key);
    const first = splitNameAt(descriptors[0] ?? "");
    const resolution = berry ? splitNameAt(ownString(entry, "resolution") ?? "") : null;
    const alias = !berry && first ? npmAlias(first.rest) : null;
    const name = resolution?.name ?? alias?.name ?? first?.name;
    const version = ownString(entry, "version");
    if (!name || version === undefined) continue;
    const source = resolution?.rest ?? first?.rest ?? "";
    const local = LOCAL_PROTOCOLS.some((p) => source.startsWith(p)) || own(entry, "linkType") === "soft";
    b.addNode({ id: key, name, version, audit: !local });
    const sameName = lock.byName.get(name);
    if (sameName) sameName.push(key);
    else lock.byName.set(name, [key]);
    if (berry && source.startsWith("workspace:")) {
      const folder = source.slice("workspace:".length);
      projects.push({ folder: folder === "." ? "" : folder, id: key, manifest: null });
      lock.workspaces.set(name, key);
    }
  }

  for (const [key, entry] of entries) {
    if (!b.nodes.has(key)) continue;
    const meta = ownRecord(entry, "dependenciesMeta");
    for (const [name, range] of stringEntries(own(entry, "dependencies"))) {
      const to = lock.find(name, range);
      if (to !== null)
        b.addEdge(key, to, own(own(meta, name), "optional") === true || own(own(meta, name), "optional") === "true" ? "optional" : "prod");
    }
    for (const [name, range] of stringEntries(own(entry, "optionalDependencies"))) {
      const to = lock.find(name, range);
      if (to !== null) b.addEdge(key, to, "optional");
    }
  }

  // A Berry patch entry ("typescript@patch:typescript@npm%3A5.6.3#…") is the same package as the entry it patches,
  // and a workspace's descriptor can reach either: link the two both ways so they share reachability.
  if (berry) {
    for (const [key] of entries) {
      const patched = patchedDescriptor(key);
      const original = patched === null ? undefined : lock.descriptors.get(patched);
      if (original === undefined || !b.nodes.has(key) || !b.nodes.has(original)) continue;
      b.addEdge(original, key, "prod");
      b.addEdge(key, original, "prod");
    }
  }

  const manifests = new Map<string, JsonRecord>((input.workspaceManifests ?? []).map((w) => [w.path, w.manifest]));
  if (input.manifest) manifests.set("", input.manifest);
  if (berry) {
    for (const project of projects) project.manifest = manifests.get(project.folder) ?? null;
  } else {
    // Classic lockfiles leave workspaces out: each manifest is a project node that other workspaces can depend on.
    for (const [folder, manifest] of [...manifests].sort((x, y) => compareText(x[0], y[0]))) {
      const id = `workspace:${folder}`;
      const name = ownString(manifest, "name") ?? (folder || ".");
      b.addNode({ id, name, version: ownString(manifest, "version") ?? "", audit: false });
      if (folder !== "") lock.workspaces.set(name, id);
      projects.push({ folder, id, manifest });
    }
  }

  const importers: LockfileImporter[] = [];
  for (const project of projects.sort((x, y) => compareText(x.folder, y.folder))) {
    const declared: Array<DeclaredDependency & { lockSpec?: string }> = berry
      ? berryDeclared(doc, project)
      : declaredDependencies(project.manifest);
    const dependencies: RootDependency[] = [];
    for (const d of declared) {
      const to = berry ? lock.find(d.name, d.lockSpec ?? d.spec) : lock.findDeclared(d.name, d.spec);
      const node = to === null ? undefined : b.nodes.get(to);
      if (node) {
        b.addRoot(node.id, d.kind);
        if (d.kind !== "dev") b.addEdge(project.id, node.id, d.kind === "optional" ? "optional" : "prod");
      }
      dependencies.push({ name: d.name, spec: d.spec, kind: d.kind, locked: node?.version || null });
    }
    importers.push({ path: project.folder, dependencies });
  }
  if (b.roots.length === 0) for (const root of topsAsRoots(b.build())) b.addRoot(root.to, root.kind);

  return {
    path: input.path,
    format: "yarn",
    formatVersion: berry ? `berry ${String(own(metadata, "version") ?? "?")}` : "v1",
    packages: packagesOf(b.build()),
    rootDependencies: berry ? (importers.find((i) => i.path === "")?.dependencies ?? null) : null,
    importers,
    skipped: [],
  };
}

/** The descriptor a patch descriptor applies to: "ts@patch:ts@npm%3A5.6.3#…" → "ts@npm:5.6.3". */
function patchedDescriptor(key: string): string | null {
  const first = key.split(",")[0]!.trim();
  const split = splitNameAt(first);
  if (!split || !split.rest.startsWith("patch:")) return null;
  const hash = split.rest.indexOf("#");
  const inner = split.rest.slice("patch:".length, hash === -1 ? undefined : hash);
  try {
    return decodeURIComponent(inner);
  } catch {
    return null;
  }
}

/**
 * A Berry workspace entry lists its dependencies (dev ones included) with lockfile specs; the manifest, when known,
 * says which are dev or optional.
 */
function berryDeclared(doc: JsonRecord, project: Project): Array<DeclaredDependency & { lockSpec?: string }> {
  const entry = own(doc, project.id);
  const kinds = new Map<string, RootKind>(declaredDependencies(project.manifest).map((d) => [d.name, d.kind]));
  const meta = ownRecord(entry, "dependenciesMeta");
  return stringEntries(own(entry, "dependencies")).map(([name, lockSpec]) => {
    const optional = own(own(meta, name), "optional");
    const kind: RootKind = kinds.get(name) ?? (optional === true || optional === "true" ? "optional" : "prod");
    return { name, spec: manifestSpec(lockSpec), kind, lockSpec };
  });
}
