// Reads pnpm-lock.yaml: v9 (`packages` metadata + `snapshots` graph keyed "name@version(peer@x)"), v6
// ("/name@version(peer@x)" keys) and v5 ("/name/version_peer@x" keys), with `importers` for workspaces (or, in single
// projects before v9, top-level dependency sections). YAML is read with the failsafe schema (every scalar a string)
// and a bound on aliases, so a billion-laughs document is refused instead of expanded.
import path from "node:path";
import { parse } from "yaml";
import { GraphBuilder } from "./builder";
import { packagesOf, topsAsRoots, type EdgeKind, type RootKind } from "./graph";
import { type LockfileImporter, type LockfileInput, type ParsedLockfile, type RootDependency } from "./types";
import { isRecord, own, ownRecord, ownString, stringEntries, type JsonRecord, parserFailure } from "./values";
import { compareText } from "@/lib/core/compare";

type Era = 5 | 6 | 9;

function parseYaml(b: GraphBuilder, text: string): JsonRecord {
  let doc: unknown;
  try {
    doc = parse(text, { schema: "failsafe", maxAliasCount: 100, uniqueKeys: false, logLevel: "error", prettyErrors: false });
  } catch (error) {
    b.fail(`not valid YAML (${parserFailure(error)})`);
  }
  if (!isRecord(doc)) b.fail("the top level is not a YAML mapping");
  return doc;
}

/** Cuts a dependency path's peer suffix: "(react@19.0.0)" in v6/v9, "_react@19.0.0" in v5. */
function withoutPeers(depPath: string, era: Era): string {
  const paren = depPath.indexOf("(");
  let out = paren === -1 ? depPath : depPath.slice(0, paren);
  if (era === 5) {
    const underscore = out.indexOf("_", out.lastIndexOf("/") + 1);
    if (underscore !== -1) out = out.slice(0, underscore);
  }
  return out;
}

/** Name and version from a dependency path ("/@scope/name@1.0.0(x@1)", "/name/1.0.0_x@1", "name@1.0.0"). */
function nameVersionOf(depPath: string, era: Era): { name: string; version: string } | null {
  let bare = withoutPeers(depPath, era);
  if (era !== 9) {
    if (!bare.startsWith("/")) return null;
    bare = bare.slice(1);
  }
  if (era === 5) {
    const slash = bare.lastIndexOf("/");
    return slash > 0 ? { name: bare.slice(0, slash), version: bare.slice(slash + 1) } : null;
  }
  const at = bare.indexOf("@", bare.startsWith("@") ? 1 : 0);
  return at > 0 ? { name: bare.slice(0, at), version: bare.slice(at + 1) } : null;
}

/** The dependency path a reference in a `dependencies` map points at (pnpm's refToRelative); null for links. */
function depPathOf(name: string, ref: string, era: Era): string | null {
  if (ref.startsWith("link:")) return null;
  if (era === 9) {
    if (ref.startsWith("@")) return ref;
    const at = ref.indexOf("@");
    if (at === -1) return `${name}@${ref}`;
    const colon = ref.indexOf(":");
    const paren = ref.indexOf("(");
    // "ms@2.0.0" (an alias) is already a path; "1.0.0(react@19.0.0)" and "file:../x" are not.
    if ((colon === -1 || at < colon) && (paren === -1 || at < paren)) return ref;
    return `${name}@${ref}`;
  }
  if (ref.startsWith("file:")) return ref;
  const bare = withoutPeers(ref, era);
  if (bare.includes("/")) return ref;
  return era === 6 ? `/${name}@${ref}` : `/${name}/${ref}`;
}

function isLocal(version: string): boolean {
  return version.startsWith("file:") || version.startsWith("link:") || version.startsWith("workspace:");
}

function eraOf(b: GraphBuilder, doc: JsonRecord): { era: Era; formatVersion: string } {
  const raw = own(doc, "lockfileVersion");
  const formatVersion = typeof raw === "string" ? raw : "";
  const major = Number.parseInt(formatVersion, 10);
  if (major === 5 || major === 6) return { era: major, formatVersion };
  if (major === 7 || major === 9) return { era: 9, formatVersion };
  b.fail(
    formatVersion
      ? `lockfileVersion ${formatVersion.slice(0, 20)} is not a pnpm lockfile version this reader knows (5, 6, 9)`
      : "no lockfileVersion",
  );
}

interface ImporterDep {
  name: string;
  spec: string;
  ref: string;
  kind: RootKind;
}

/** An importer's declared dependencies: `{ name: { specifier, version } }` (v6, v9) or `{ name: ref }` + `specifiers` (v5). */
function importerDeps(importer: JsonRecord): ImporterDep[] {
  const specifiers = ownRecord(importer, "specifiers");
  const out: ImporterDep[] = [];
  const sections: Array<[string, RootKind]> = [
    ["dependencies", "prod"],
    ["optionalDependencies", "optional"],
    ["devDependencies", "dev"],
  ];
  for (const [section, kind] of sections) {
    const deps = ownRecord(importer, section);
    if (!deps) continue;
    for (const [name, value] of Object.entries(deps)) {
      if (typeof value === "string") out.push({ name, spec: ownString(specifiers, name) ?? value, ref: value, kind });
      else if (isRecord(value)) {
        const ref = ownString(value, "version");
        if (ref !== undefined) out.push({ name, spec: ownString(value, "specifier") ?? ref, ref, kind });
      }
    }
  }
  return out;
}

export function parsePnpmLockfile(input: LockfileInput): ParsedLockfile {
  const b = new GraphBuilder("npm", input.path);
  const doc = parseYaml(b, input.text);
  const { era, formatVersion } = eraOf(b, doc);
  const packages = ownRecord(doc, "packages") ?? {};
  const graphEntries = era === 9 ? (ownRecord(doc, "snapshots") ?? {}) : packages;
  const all = Object.entries(graphEntries);
  b.countEntries(all.length);

  for (const [depPath, entry] of all) {
    const meta = era === 9 ? ownRecord(packages, withoutPeers(depPath, era)) : isRecord(entry) ? entry : undefined;
    const parsed = nameVersionOf(depPath, era);
    // Git and tarball dependencies carry their name and version in the entry; registry ones in the key.
    const name = ownString(meta, "name") ?? parsed?.name;
    const version = ownString(meta, "version") ?? parsed?.version;
    if (!name || version === undefined) continue;
    const local = isLocal(version) || depPath.startsWith("file:") || depPath.includes("@file:") || depPath.includes("@link:");
    b.addNode({ id: depPath, name, version, audit: !local });
  }
  for (const [depPath, entry] of all) {
    if (!b.nodes.has(depPath)) continue;
    const sections: Array<[string, EdgeKind]> = [
      ["dependencies", "prod"],
      ["optionalDependencies", "optional"],
    ];
    for (const [section, kind] of sections) {
      for (const [name, ref] of stringEntries(own(entry, section))) {
        const to = depPathOf(name, ref, era);
        if (to !== null && b.nodes.has(to)) b.addEdge(depPath, to, kind);
      }
    }
  }

  // Workspaces: `importers` by folder; single projects before v9 keep their sections at the top level.
  const importerMap = ownRecord(doc, "importers") ?? { ".": doc };
  const importerEntries = Object.entries(importerMap).filter((e): e is [string, JsonRecord] => isRecord(e[1]));
  b.countEntries(importerEntries.length + all.length);
  const folderOf = (p: string) => (path.posix.normalize(p) === "." ? "" : path.posix.normalize(p));
  const memberNames = new Map((input.workspaceManifests ?? []).map((w) => [w.path, ownString(w.manifest, "name")]));
  const rootName = ownString(input.manifest, "name");
  for (const [p] of importerEntries) {
    const folder = folderOf(p);
    const name = (folder === "" ? rootName : memberNames.get(folder)) ?? (folder || ".");
    b.addNode({ id: `importer:${folder}`, name, version: "", audit: false });
  }
  const importers: LockfileImporter[] = [];
  for (const [p, importer] of importerEntries) {
    const folder = folderOf(p);
    const id = `importer:${folder}`;
    const dependencies: RootDependency[] = [];
    for (const dep of importerDeps(importer)) {
      const to = dep.ref.startsWith("link:")
        ? `importer:${folderOf(path.posix.join(folder, dep.ref.slice(5)))}`
        : depPathOf(dep.name, dep.ref, era);
      const node = to === null ? undefined : b.nodes.get(to);
      if (node) {
        b.addRoot(node.id, dep.kind);
        if (dep.kind !== "dev") b.addEdge(id, node.id, dep.kind === "optional" ? "optional" : "prod");
      }
      const locked = node && node.audit ? node.version : node ? dep.ref : null;
      dependencies.push({ name: dep.name, spec: dep.spec, kind: dep.kind, locked });
    }
    importers.push({ path: folder, dependencies });
  }
  // A lockfile that records no root declarations: take the packages nothing depends on as direct.
  if (b.roots.length === 0) for (const root of topsAsRoots(b.build())) b.addRoot(root.to, root.kind);
  importers.sort((x, y) => (x.path === "" ? -1 : y.path === "" ? 1 : compareText(x.path, y.path)));
  return {
    path: input.path,
    format: "pnpm",
    formatVersion,
    packages: packagesOf(b.build()),
    rootDependencies: importers.find((i) => i.path === "")?.dependencies ?? null,
    importers,
    skipped: [],
  };
}
