// Turns a lockfile's package graph into LockedPackages: which packages are direct, dev-only or optional-only, and
// the few shortest dependency paths to each. Shared by every reader so all formats agree on these meanings.
import { LOCKFILE_LIMITS, type Ecosystem, type LockedPackage } from "./types";

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

/** Nodes reachable from `starts` following edges `follow` accepts. Iterative: deep graphs can't overflow the stack. */
function reach(graph: Graph, starts: string[], follow: (kind: EdgeKind) => boolean): Set<string> {
  const seen = new Set<string>();
  const stack = starts.filter((id) => graph.nodes.has(id));
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const e of graph.nodes.get(id)!.edges) if (follow(e.kind) && !seen.has(e.to) && graph.nodes.has(e.to)) stack.push(e.to);
  }
  return seen;
}

interface PathStep {
  id: string;
  parent: PathStep | null;
  depth: number;
}

function onPath(step: PathStep, id: string): boolean {
  for (let s: PathStep | null = step; s; s = s.parent) if (s.id === id) return true;
  return false;
}

function namesOf(step: PathStep, graph: Graph): string[] {
  const names: string[] = [];
  for (let s: PathStep | null = step; s; s = s.parent) names.push(graph.nodes.get(s.id)!.name);
  return names.reverse();
}

/**
 * The K shortest simple paths from the roots to every node: a breadth-first walk over paths in which each node
 * accepts at most K arrivals. Cycles are skipped and depth is bounded.
 */
function shortestPaths(graph: Graph, k: number): Map<string, PathStep[]> {
  const paths = new Map<string, PathStep[]>();
  const queue: PathStep[] = [];
  const accept = (step: PathStep): void => {
    const list = paths.get(step.id) ?? [];
    if (list.length >= k) return;
    list.push(step);
    paths.set(step.id, list);
    queue.push(step);
  };
  for (const root of graph.roots) if (graph.nodes.has(root.to)) accept({ id: root.to, parent: null, depth: 1 });
  for (let head = 0; head < queue.length; head++) {
    const step = queue[head]!;
    if (step.depth >= LOCKFILE_LIMITS.maxDepth) continue;
    for (const e of graph.nodes.get(step.id)!.edges) {
      if (!graph.nodes.has(e.to) || (paths.get(e.to)?.length ?? 0) >= k || onPath(step, e.to)) continue;
      accept({ id: e.to, parent: step, depth: step.depth + 1 });
    }
  }
  return paths;
}

/** One LockedPackage per (name, version): several copies of one version in the tree are one finding, not many. */
export function packagesOf(graph: Graph): LockedPackage[] {
  const rootIds = (kinds: RootKind[]) => graph.roots.filter((r) => kinds.includes(r.kind)).map((r) => r.to);
  const notDev = reach(graph, rootIds(["prod", "optional", "peer"]), () => true);
  const required = reach(graph, rootIds(["prod", "dev", "peer"]), (kind) => kind !== "optional");
  const direct = new Set(graph.roots.map((r) => r.to));
  const paths = shortestPaths(graph, LOCKFILE_LIMITS.maxPaths);

  const out = new Map<string, LockedPackage>();
  for (const node of graph.nodes.values()) {
    if (!node.audit) continue;
    const dev = node.flags?.dev ?? !notDev.has(node.id);
    const optional = node.flags?.optional ?? !required.has(node.id);
    const nodePaths = (paths.get(node.id) ?? []).map((s) => namesOf(s, graph));
    const key = `${node.name}@${node.version}`;
    const existing = out.get(key);
    if (!existing) {
      out.set(key, {
        ecosystem: graph.ecosystem,
        name: node.name,
        version: node.version,
        dev,
        optional,
        direct: direct.has(node.id),
        paths: nodePaths,
        hasInstallScript: node.hasInstallScript ?? false,
      });
      continue;
    }
    existing.dev &&= dev;
    existing.optional &&= optional;
    existing.direct ||= direct.has(node.id);
    existing.hasInstallScript ||= node.hasInstallScript ?? false;
    existing.paths = mergePaths(existing.paths, nodePaths);
  }
  return [...out.values()].sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
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
