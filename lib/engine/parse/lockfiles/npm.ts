// Reads npm's package-lock.json and npm-shrinkwrap.json: lockfile versions 2 and 3 (a flat `packages` map keyed by
// node_modules location) and version 1 (a nested `dependencies` tree, flattened here into the same locations).
// Dependencies resolve the way Node does: the nearest node_modules folder up the tree.
import path from "node:path";
import { GraphBuilder } from "./builder";
import { packagesOf, topsAsRoots, type EdgeKind } from "./graph";
import { declaredDependencies, isWorkspaceFolder, workspacePatterns, type DeclaredDependency } from "./manifest";
import { LOCKFILE_LIMITS, type LockfileImporter, type LockfileInput, type ParsedLockfile, type RootDependency } from "./types";
import { isRecord, npmAlias, own, ownRecord, ownString, stringEntries, type JsonRecord, parserFailure } from "./values";

const NODE_MODULES = "node_modules/";

function parseJson(b: GraphBuilder, text: string): JsonRecord {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    b.fail(`not valid JSON (${parserFailure(error)})`);
  }
  if (!isRecord(doc)) b.fail("the top level is not a JSON object");
  return doc;
}

/** True for a location inside some node_modules folder; false for the root and workspace or `file:` folders. */
function inNodeModules(loc: string): boolean {
  return loc.startsWith(NODE_MODULES) || loc.includes(`/${NODE_MODULES}`);
}

function nameFromLocation(loc: string): string {
  const i = loc.lastIndexOf(NODE_MODULES);
  return i === -1 ? path.posix.basename(loc) : loc.slice(i + NODE_MODULES.length);
}

/** Where a location's own dependencies are looked up after its own node_modules: the enclosing package, or the root. */
function parentOf(loc: string): string {
  const cut = loc.lastIndexOf(`/${NODE_MODULES}`);
  return cut === -1 ? "" : loc.slice(0, cut);
}

/** A flat view of the tree: location → entry, plus links (location → target folder). */
class Tree {
  readonly entries = new Map<string, JsonRecord>();
  readonly links = new Map<string, string>();

  /** Node's lookup: `from/node_modules/name`, then each enclosing package's node_modules, then the root's. */
  resolve(from: string, name: string): string | null {
    let base = from;
    for (let hops = 0; hops <= LOCKFILE_LIMITS.maxDepth + 1; hops++) {
      const candidate = base === "" ? `${NODE_MODULES}${name}` : `${base}/${NODE_MODULES}${name}`;
      const link = this.links.get(candidate);
      if (link !== undefined) return this.entries.has(link) ? link : null;
      if (this.entries.has(candidate)) return candidate;
      if (base === "") return null;
      base = parentOf(base);
    }
    return null;
  }
}

function addEdges(b: GraphBuilder, tree: Tree, loc: string, deps: unknown, kind: EdgeKind, skip?: Set<string>): void {
  for (const [name] of stringEntries(deps)) {
    if (skip?.has(name)) continue;
    const to = tree.resolve(loc, name);
    if (to !== null) b.addEdge(loc, to, kind);
  }
}

/** Adds a project's declared dependencies as roots and returns them with the versions they resolve to. */
function addImporter(b: GraphBuilder, tree: Tree, loc: string, declared: DeclaredDependency[]): RootDependency[] {
  return declared.map((d) => {
    const to = tree.resolve(loc, d.name);
    if (to !== null) b.addRoot(to, d.kind);
    const version = to === null ? null : (b.nodes.get(to)?.version ?? null);
    return { ...d, locked: version === "" ? null : version };
  });
}

function optionalPeers(entry: JsonRecord): Set<string> {
  const out = new Set<string>();
  const meta = ownRecord(entry, "peerDependenciesMeta");
  if (meta) for (const [name, m] of Object.entries(meta)) if (own(m, "optional") === true) out.add(name);
  return out;
}

/** Lockfile versions 2 and 3: `packages` keyed by location; "" is the root project, folders are workspaces. */
function readPackages(b: GraphBuilder, doc: JsonRecord, packages: JsonRecord, input: LockfileInput): ParsedLockfile {
  const all = Object.entries(packages);
  b.countEntries(all.length);
  const tree = new Tree();
  for (const [loc, entry] of all) {
    if (loc === "" || !isRecord(entry)) continue;
    if (own(entry, "link") === true) {
      const target = ownString(entry, "resolved");
      if (target !== undefined) tree.links.set(loc, path.posix.normalize(target));
      continue;
    }
    tree.entries.set(loc, entry);
    const version = ownString(entry, "version") ?? "";
    b.addNode({
      id: loc,
      name: ownString(entry, "name") ?? nameFromLocation(loc),
      version,
      audit: inNodeModules(loc) && version !== "",
      hasInstallScript: own(entry, "hasInstallScript") === true,
      flags: { dev: own(entry, "dev") === true, optional: own(entry, "optional") === true },
    });
  }
  for (const [loc, entry] of tree.entries) {
    addEdges(b, tree, loc, own(entry, "dependencies"), "prod");
    addEdges(b, tree, loc, own(entry, "optionalDependencies"), "optional");
    addEdges(b, tree, loc, own(entry, "peerDependencies"), "peer", optionalPeers(entry));
  }

  const root = ownRecord(packages, "") ?? {};
  const patterns = workspacePatterns(root).length > 0 ? workspacePatterns(root) : workspacePatterns(input.manifest);
  const importers: LockfileImporter[] = [{ path: "", dependencies: addImporter(b, tree, "", declaredDependencies(root, { peers: true })) }];
  for (const [loc, entry] of tree.entries) {
    if (inNodeModules(loc) || !isWorkspaceFolder(patterns, loc)) continue;
    importers.push({ path: loc, dependencies: addImporter(b, tree, loc, declaredDependencies(entry, { peers: true })) });
  }
  // A lockfile that records no root declarations: take the packages nothing depends on as direct.
  if (b.roots.length === 0) for (const root of topsAsRoots(b.build())) b.addRoot(root.to, root.kind);
  return {
    path: input.path,
    format: "npm",
    formatVersion: String(own(doc, "lockfileVersion")),
    packages: packagesOf(b.build()),
    rootDependencies: importers[0]!.dependencies,
    importers,
    skipped: [],
  };
}

/** Lockfile version 1: a nested tree. Flattened iteratively into node_modules locations, depth and size bounded. */
function flattenV1(b: GraphBuilder, dependencies: JsonRecord): Tree {
  const tree = new Tree();
  const stack: Array<{ parent: string; deps: JsonRecord; depth: number }> = [{ parent: "", deps: dependencies, depth: 1 }];
  let count = 0;
  while (stack.length > 0) {
    const { parent, deps, depth } = stack.pop()!;
    if (depth > LOCKFILE_LIMITS.maxDepth) b.fail(`dependencies nested deeper than ${LOCKFILE_LIMITS.maxDepth} levels`);
    for (const [name, entry] of Object.entries(deps)) {
      b.countEntries(++count);
      if (!isRecord(entry)) continue;
      const loc = parent === "" ? `${NODE_MODULES}${name}` : `${parent}/${NODE_MODULES}${name}`;
      tree.entries.set(loc, entry);
      const nested = ownRecord(entry, "dependencies");
      if (nested) stack.push({ parent: loc, deps: nested, depth: depth + 1 });
    }
  }
  return tree;
}

function readV1(b: GraphBuilder, doc: JsonRecord, dependencies: JsonRecord, input: LockfileInput): ParsedLockfile {
  const tree = flattenV1(b, dependencies);
  const patterns = workspacePatterns(input.manifest);
  const memberManifests = new Map((input.workspaceManifests ?? []).map((w) => [w.path, w.manifest]));
  const members: Array<{ loc: string; folder: string }> = [];
  for (const [loc, entry] of tree.entries) {
    const raw = ownString(entry, "version") ?? "";
    const alias = npmAlias(raw);
    if (raw.startsWith("file:")) {
      // A local folder: a workspace member when the root's globs say so, otherwise a `file:` dependency.
      const folder = path.posix.normalize(raw.slice(5));
      if (!loc.includes(`/${NODE_MODULES}`) && (memberManifests.has(folder) || isWorkspaceFolder(patterns, folder))) {
        members.push({ loc, folder });
      }
      b.addNode({ id: loc, name: nameFromLocation(loc), version: raw, audit: false });
      continue;
    }
    b.addNode({
      id: loc,
      name: alias?.name ?? nameFromLocation(loc),
      version: alias?.range ?? raw,
      audit: raw !== "",
      flags: { dev: own(entry, "dev") === true, optional: own(entry, "optional") === true },
    });
  }
  for (const [loc, entry] of tree.entries) addEdges(b, tree, loc, own(entry, "requires"), "prod");

  const importers: LockfileImporter[] = [];
  if (input.manifest) {
    importers.push({ path: "", dependencies: addImporter(b, tree, "", declaredDependencies(input.manifest, { peers: true })) });
  }
  for (const { loc, folder } of members) {
    // Version 1 doesn't say which of a member's dependencies are dev or optional; its package.json does.
    const manifest = memberManifests.get(folder);
    const declared: DeclaredDependency[] = manifest
      ? declaredDependencies(manifest, { peers: true })
      : stringEntries(own(tree.entries.get(loc), "requires")).map(([name, spec]) => ({ name, spec, kind: "prod" }));
    importers.push({ path: folder, dependencies: addImporter(b, tree, loc, declared) });
  }
  if (b.roots.length === 0) for (const root of topsAsRoots(b.build())) b.addRoot(root.to, root.kind);
  return {
    path: input.path,
    format: "npm",
    formatVersion: String(own(doc, "lockfileVersion") ?? 1),
    packages: packagesOf(b.build()),
    rootDependencies: null,
    importers,
    skipped: [],
  };
}

export function parseNpmLockfile(input: LockfileInput): ParsedLockfile {
  const b = new GraphBuilder("npm", input.path);
  const doc = parseJson(b, input.text);
  const raw = own(doc, "lockfileVersion");
  if (raw !== undefined && (typeof raw !== "number" || !Number.isInteger(raw) || raw < 1)) {
    b.fail(`lockfileVersion ${String(JSON.stringify(raw)).slice(0, 40)} is not a lockfile version`);
  }
  const version = raw as number | undefined;
  const packages = ownRecord(doc, "packages");
  if (packages && (version === undefined || version >= 2)) return readPackages(b, doc, packages, input);
  const dependencies = ownRecord(doc, "dependencies");
  if ((version === undefined || version === 1) && dependencies) return readV1(b, doc, dependencies, input);
  if (version === 1 && own(doc, "dependencies") === undefined) return readV1(b, doc, {}, input);
  return b.fail(
    version === undefined
      ? "neither `packages` nor `dependencies` is an object"
      : `lockfileVersion ${version} without a \`packages\` object`,
  );
}
