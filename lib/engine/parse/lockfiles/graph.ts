// Turns a lockfile's package graph into LockedPackages: which packages are direct, dev-only or optional-only, and
// the few shortest dependency paths to each. Shared by every reader so all formats agree on these meanings.
import { LOCKFILE_LIMITS, type Ecosystem, type LockedPackage } from "./types";
import { compareText } from "@/lib/core/compare";

export type EdgeKind = "prod" | "optional" | "peer";
export type RootKind = "prod" | "dev" | "optional" | "peer";

export interface GraphNode {
  id: string;
  name: string;
  version: string;
  /** False for workspace members and links: walked through, never reported as packages. */
  audit: boolean;
  edges: Array<{ to: string; kind: EdgeKind }>;
  hasInstallScript?: boolean;
  /** Flags the lockfile itself records (npm): used instead of computing them. */
  flags?: { dev: boolean; optional: boolean };
}

export interface GraphRoot {
  to: string;
  kind: RootKind;
}

export interface Graph {
  ecosystem: Ecosystem;
  nodes: Map<string, GraphNode>;
  roots: GraphRoot[];
}

/**
 * The graph with nodes numbered and edges in flat arrays (compressed rows): the walks below touch every edge up to
 * MAX_PATHS times, and on a lockfile of tens of thousands of packages string-keyed maps made that the slow part.
 */
interface Indexed {
  nodes: GraphNode[];
  /** Edges of node i: positions edgeStart[i] .. edgeStart[i + 1] - 1 of edgeTo / edgeOptional. */
  edgeStart: Int32Array;
  edgeTo: Int32Array;
  edgeOptional: Uint8Array;
  roots: Array<{ to: number; kind: RootKind }>;
}

function indexGraph(graph: Graph): Indexed {
  const nodes = [...graph.nodes.values()];
  const position = new Map<string, number>();
  nodes.forEach((n, i) => position.set(n.id, i));
  const edgeStart = new Int32Array(nodes.length + 1);
  const to: number[] = [];
  const optional: number[] = [];
  nodes.forEach((n, i) => {
    edgeStart[i] = to.length;
    for (const e of n.edges) {
      const j = position.get(e.to);
      if (j === undefined) continue;
      to.push(j);
      optional.push(e.kind === "optional" ? 1 : 0);
    }
  });
  edgeStart[nodes.length] = to.length;
  const roots: Indexed["roots"] = [];
  for (const r of graph.roots) {
    const j = position.get(r.to);
    if (j !== undefined) roots.push({ to: j, kind: r.kind });
  }
  return { nodes, edgeStart, edgeTo: Int32Array.from(to), edgeOptional: Uint8Array.from(optional), roots };
}

/** Nodes reachable from `starts`, optionally not through optional edges. Iterative: deep graphs can't overflow. */
function reach(g: Indexed, starts: number[], skipOptional: boolean): Uint8Array {
  const seen = new Uint8Array(g.nodes.length);
  const stack = [...starts];
  while (stack.length > 0) {
    const i = stack.pop()!;
    if (seen[i]) continue;
    seen[i] = 1;
    for (let e = g.edgeStart[i]!; e < g.edgeStart[i + 1]!; e++) {
      if (skipOptional && g.edgeOptional[e]) continue;
      const j = g.edgeTo[e]!;
      if (!seen[j]) stack.push(j);
    }
  }
  return seen;
}

/** Steps of the path walk, in parallel arrays: the node reached, the step it came from (-1 at a root), the depth. */
interface Steps {
  node: number[];
  parent: number[];
  depth: number[];
}

function onPath(steps: Steps, step: number, node: number): boolean {
  for (let s = step; s !== -1; s = steps.parent[s]!) if (steps.node[s] === node) return true;
  return false;
}

function namesOf(steps: Steps, step: number, g: Indexed): string[] {
  const names: string[] = [];
  for (let s = step; s !== -1; s = steps.parent[s]!) names.push(g.nodes[steps.node[s]!]!.name);
  return names.reverse();
}

/**
 * The K shortest simple paths from the roots to every node: a breadth-first walk over paths in which each node
 * accepts at most K arrivals. Cycles are skipped and depth is bounded. Returns, per node, its arriving steps.
 */
function shortestPaths(g: Indexed, k: number): { steps: Steps; arrivals: Int32Array; count: Uint8Array } {
  const steps: Steps = { node: [], parent: [], depth: [] };
  const arrivals = new Int32Array(g.nodes.length * k).fill(-1);
  const count = new Uint8Array(g.nodes.length);
  const accept = (node: number, parent: number, depth: number): void => {
    if (count[node]! >= k) return;
    arrivals[node * k + count[node]!] = steps.node.length;
    count[node]!++;
    steps.node.push(node);
    steps.parent.push(parent);
    steps.depth.push(depth);
  };
  for (const root of g.roots) accept(root.to, -1, 1);
  for (let head = 0; head < steps.node.length; head++) {
    if (steps.depth[head]! >= LOCKFILE_LIMITS.maxDepth) continue;
    const from = steps.node[head]!;
    for (let e = g.edgeStart[from]!; e < g.edgeStart[from + 1]!; e++) {
      const to = g.edgeTo[e]!;
      if (count[to]! >= k || onPath(steps, head, to)) continue;
      accept(to, head, steps.depth[head]! + 1);
    }
  }
  return { steps, arrivals, count };
}

/**
 * Roots for a lockfile whose direct dependencies are unknown (no manifest beside a format that doesn't record them):
 * the packages nothing else depends on. A guess, but a better one than "nothing is direct".
 */
export function topsAsRoots(graph: Graph): GraphRoot[] {
  const depended = new Set<string>();
  for (const node of graph.nodes.values()) for (const e of node.edges) depended.add(e.to);
  const roots: GraphRoot[] = [];
  for (const node of graph.nodes.values()) if (node.audit && !depended.has(node.id)) roots.push({ to: node.id, kind: "prod" });
  return roots;
}

/** One LockedPackage per (name, version): several copies of one version in the tree are one finding, not many. */
export function packagesOf(graph: Graph): LockedPackage[] {
  const g = indexGraph(graph);
  const rootIds = (kinds: RootKind[]) => g.roots.filter((r) => kinds.includes(r.kind)).map((r) => r.to);
  const notDev = reach(g, rootIds(["prod", "optional", "peer"]), false);
  const required = reach(g, rootIds(["prod", "dev", "peer"]), true);
  // A package no root reaches (a stale entry, a root the reader couldn't see) is not known to be dev-only or
  // optional: calling it so would let an advisory on it look less urgent than it may be.
  const reachable = reach(g, rootIds(["prod", "dev", "optional", "peer"]), false);
  const direct = new Uint8Array(g.nodes.length);
  for (const r of g.roots) direct[r.to] = 1;
  const k = LOCKFILE_LIMITS.maxPaths;
  const { steps, arrivals, count } = shortestPaths(g, k);

  const out = new Map<string, LockedPackage>();
  /** Packages whose flags so far come only from unreachable copies: a reachable copy's flags replace them. */
  const unknownFlags = new Set<string>();
  g.nodes.forEach((node, i) => {
    if (!node.audit) return;
    const known = node.flags !== undefined || reachable[i] === 1;
    const dev = node.flags?.dev ?? (known && !notDev[i]);
    const optional = node.flags?.optional ?? (known && !required[i]);
    const nodePaths: string[][] = [];
    for (let a = 0; a < count[i]!; a++) nodePaths.push(namesOf(steps, arrivals[i * k + a]!, g));
    const key = `${node.name}@${node.version}`;
    const existing = out.get(key);
    if (!existing) {
      if (!known) unknownFlags.add(key);
      out.set(key, {
        ecosystem: graph.ecosystem,
        name: node.name,
        version: node.version,
        dev,
        optional,
        direct: direct[i] === 1,
        // Two nodes of one package (a Python package and its extras) can give the same chain of names.
        paths: mergePaths([], nodePaths),
        hasInstallScript: node.hasInstallScript ?? false,
      });
      return;
    }
    if (unknownFlags.has(key) && known) {
      unknownFlags.delete(key);
      existing.dev = dev;
      existing.optional = optional;
    } else if (known) {
      existing.dev &&= dev;
      existing.optional &&= optional;
    }
    existing.direct ||= direct[i] === 1;
    existing.hasInstallScript ||= node.hasInstallScript ?? false;
    existing.paths = mergePaths(existing.paths, nodePaths);
  });
  return [...out.values()].sort((a, b) => compareText(a.name, b.name) || compareText(a.version, b.version));
}

function mergePaths(a: string[][], b: string[][]): string[][] {
  const seen = new Set<string>();
  return [...a, ...b]
    .sort((x, y) => x.length - y.length)
    .filter((p) => {
      const key = p.join("\0");
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .slice(0, LOCKFILE_LIMITS.maxPaths);
}
