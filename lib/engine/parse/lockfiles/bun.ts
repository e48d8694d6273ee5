// Reads bun.lock, Bun's text lockfile (JSONC with trailing commas): `workspaces` by folder with what each declares,
// and `packages` keyed like node_modules paths ("express", "express/debug", "@scope/a/b") whose values are tuples
// `[ "name@version", registry, { dependencies, … }, integrity ]` (workspace, git and local packages carry fewer fields).
import { parse, printParseErrorCode, type ParseError } from "jsonc-parser";
import { GraphBuilder } from "./builder";
import { packagesOf, topsAsRoots, type EdgeKind } from "./graph";
import { declaredDependencies } from "./manifest";
import { LOCKFILE_LIMITS, type LockfileImporter, type LockfileInput, type ParsedLockfile, type RootDependency } from "./types";
import { isRecord, own, ownRecord, splitNameAt, stringEntries, type JsonRecord } from "./values";
import { compareText } from "@/lib/core/compare";

const LOCAL_PROTOCOLS = ["workspace:", "link:", "file:", "root:"];

function parseJsonc(b: GraphBuilder, text: string): JsonRecord {
  const errors: ParseError[] = [];
  const doc: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0) {
    const first = errors[0]!;
    b.fail(`not valid JSONC (${printParseErrorCode(first.error)} at offset ${first.offset})`);
  }
  if (!isRecord(doc)) b.fail("the top level is not an object");
  return doc;
}

/** "@scope/a/b" → ["@scope/a", "b"]: the chain of packages a key nests through. */
function keyPath(key: string): string[] {
  const parts = key.split("/");
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part.startsWith("@") && i + 1 < parts.length) out.push(`${part}/${parts[++i]}`);
    else out.push(part);
  }
  return out;
}

export function parseBunLockfile(input: LockfileInput): ParsedLockfile {
  const b = new GraphBuilder("npm", input.path);
  const doc = parseJsonc(b, input.text);
  const version = own(doc, "lockfileVersion");
  if (typeof version !== "number") b.fail("no numeric lockfileVersion");
  const workspaces = ownRecord(doc, "workspaces") ?? {};
  const packages = ownRecord(doc, "packages") ?? {};
  const all = Object.entries(packages);
  b.countEntries(all.length + Object.keys(workspaces).length);

  const infoOf = new Map<string, JsonRecord>();
  const memberKey = new Map<string, string>();
  for (const [key, tuple] of all) {
    if (!Array.isArray(tuple) || typeof tuple[0] !== "string") continue;
    const ident = splitNameAt(tuple[0]);
    if (!ident) continue;
    const local = LOCAL_PROTOCOLS.some((p) => ident.rest.startsWith(p));
    const info = tuple.slice(1, 4).find(isRecord) ?? {};
    infoOf.set(key, info);
    if (ident.rest.startsWith("workspace:")) memberKey.set(ident.rest.slice("workspace:".length), key);
    b.addNode({ id: key, name: ident.name, version: ident.rest, audit: !local, hasInstallScript: own(info, "hasInstallScript") === true });
  }

  /** Node's lookup over bun's keys: "a/b/dep", then "a/dep", then "dep". */
  const resolve = (from: string[], name: string): string | null => {
    for (let i = Math.min(from.length, LOCKFILE_LIMITS.maxDepth); i >= 0; i--) {
      const candidate = [...from.slice(0, i), name].join("/");
      if (b.nodes.has(candidate)) return candidate;
    }
    return null;
  };
  const addEdges = (from: string, path: string[], deps: unknown, kind: EdgeKind, skip: Set<string> = new Set()) => {
    for (const [name] of stringEntries(deps)) {
      if (skip.has(name)) continue;
      const to = resolve(path, name);
      if (to !== null) b.addEdge(from, to, kind);
    }
  };
  for (const [key, info] of infoOf) {
    const path = keyPath(key);
    const peersList = own(info, "optionalPeers");
    const optionalPeers = new Set(Array.isArray(peersList) ? peersList.filter((p): p is string => typeof p === "string") : []);
    addEdges(key, path, own(info, "dependencies"), "prod");
    addEdges(key, path, own(info, "optionalDependencies"), "optional");
    addEdges(key, path, own(info, "peerDependencies"), "peer", optionalPeers);
  }

  const importers: LockfileImporter[] = [];
  for (const [folder, workspace] of Object.entries(workspaces)) {
    if (!isRecord(workspace)) continue;
    // A member's own nested packages live under its package key ("@fx/shared/is-number"); the root's at the top.
    const key = folder === "" ? null : (memberKey.get(folder) ?? null);
    const from = key === null ? [] : keyPath(key);
    if (key !== null) {
      addEdges(key, from, own(workspace, "dependencies"), "prod");
      addEdges(key, from, own(workspace, "optionalDependencies"), "optional");
    }
    const dependencies: RootDependency[] = declaredDependencies(workspace, { peers: true }).map((d) => {
      const to = resolve(from, d.name);
      const node = to === null ? undefined : b.nodes.get(to);
      if (node) b.addRoot(node.id, d.kind);
      return { ...d, locked: node ? node.version : null };
    });
    importers.push({ path: folder, dependencies });
  }
  // A lockfile that records no root declarations: take the packages nothing depends on as direct.
  if (b.roots.length === 0) for (const root of topsAsRoots(b.build())) b.addRoot(root.to, root.kind);
  importers.sort((x, y) => compareText(x.path, y.path));
  return {
    path: input.path,
    format: "bun",
    formatVersion: String(version),
    packages: packagesOf(b.build()),
    rootDependencies: importers.find((i) => i.path === "")?.dependencies ?? null,
    importers,
    skipped: [],
  };
}
