// What a package.json declares: its dependencies by kind and its workspace globs. Read defensively (the manifest
// is as hostile as the lockfile) and matched without regular expressions.
import type { RootDependency } from "./types";
import { isRecord, own, stringEntries } from "./values";

export type DeclaredDependency = Omit<RootDependency, "locked">;

const MAX_DECLARED = 10_000;
const MAX_PATTERNS = 1_000;
const MAX_GLOB_CHARS = 512;

/**
 * The dependencies a package.json declares. A name in several sections counts once, where npm installs it:
 * optionalDependencies over dependencies over devDependencies; peers only when asked for.
 */
export function declaredDependencies(manifest: unknown, options: { peers?: boolean } = {}): DeclaredDependency[] {
  if (!isRecord(manifest)) return [];
  const sections: Array<[string, DeclaredDependency["kind"]]> = [
    ["optionalDependencies", "optional"],
    ["dependencies", "prod"],
    ["devDependencies", "dev"],
  ];
  if (options.peers) sections.push(["peerDependencies", "peer"]);
  const seen = new Set<string>();
  const out: DeclaredDependency[] = [];
  for (const [section, kind] of sections) {
    for (const [name, spec] of stringEntries(own(manifest, section))) {
      if (seen.has(name) || out.length >= MAX_DECLARED) continue;
      seen.add(name);
      out.push({ name, spec, kind });
    }
  }
  return out;
}

/** The section a declared dependency came from, for pointing at it in the manifest. */
export function sectionOf(kind: DeclaredDependency["kind"]): string {
  return { prod: "dependencies", dev: "devDependencies", optional: "optionalDependencies", peer: "peerDependencies" }[kind];
}

/** The manifest's `workspaces` globs (npm and yarn: an array, or `{ packages: [...] }`). */
export function workspacePatterns(manifest: unknown): string[] {
  let list = own(manifest, "workspaces");
  if (isRecord(list)) list = own(list, "packages");
  if (!Array.isArray(list)) return [];
  return list.filter((p): p is string => typeof p === "string" && p.length > 0 && p.length <= MAX_GLOB_CHARS).slice(0, MAX_PATTERNS);
}

function cleanFolder(p: string): string {
  let s = p.trim();
  while (s.startsWith("./")) s = s.slice(2);
  while (s.endsWith("/")) s = s.slice(0, -1);
  return s === "." ? "" : s;
}

/** `*` and `?` inside one path segment; iterative with a single backtrack point, so linear-ish on any input. */
function matchSegment(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === "?" || pattern[p] === text[t])) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === "*") {
      star = p++;
      mark = t;
    } else if (star !== -1) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === "*") p++;
  return p === pattern.length;
}

/** Segment-wise glob match with `**` for any number of folders. Dynamic programming: no exponential blow-up. */
function matchGlob(pattern: string, folder: string): boolean {
  const ps = cleanFolder(pattern)
    .split("/")
    .filter((s) => s.length > 0);
  const fs = folder === "" ? [] : folder.split("/");
  // reachable[j]: the pattern prefix consumed so far can match the first j folder segments.
  let reachable = new Array<boolean>(fs.length + 1).fill(false);
  reachable[0] = true;
  for (const seg of ps) {
    const next = new Array<boolean>(fs.length + 1).fill(false);
    if (seg === "**") {
      let any = false;
      for (let j = 0; j <= fs.length; j++) {
        any ||= reachable[j]!;
        next[j] = any;
      }
    } else {
      for (let j = 0; j < fs.length; j++) if (reachable[j] && matchSegment(seg, fs[j]!)) next[j + 1] = true;
    }
    reachable = next;
  }
  return reachable[fs.length]!;
}

/** Whether a folder (relative to the manifest) is a workspace member under these globs; "!" globs exclude. */
export function isWorkspaceFolder(patterns: string[], folder: string): boolean {
  const target = cleanFolder(folder);
  if (target === "" || target.length > 4096) return false;
  let member = false;
  for (const pattern of patterns) {
    if (pattern.startsWith("!")) {
      if (matchGlob(pattern.slice(1), target)) return false;
    } else if (!member && matchGlob(pattern, target)) {
      member = true;
    }
  }
  return member;
}
