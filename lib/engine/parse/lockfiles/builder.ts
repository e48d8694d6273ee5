// Builds the shared Graph while counting what a lockfile costs: past LOCKFILE_LIMITS the lockfile is unparseable,
// so a file of a million entries (or a YAML alias that repeats one dependency map everywhere) can't hang a scan.
import type { EdgeKind, Graph, GraphNode, RootKind } from "./graph";
import { LOCKFILE_LIMITS, UnparseableLockfileError, type Ecosystem } from "./types";

export class GraphBuilder {
  readonly nodes = new Map<string, GraphNode>();
  readonly roots: Array<{ to: string; kind: RootKind }> = [];
  #edges = 0;
  #rootKeys = new Set<string>();

  constructor(
    readonly ecosystem: Ecosystem,
    readonly path: string,
  ) {}

  fail(reason: string): never {
    throw new UnparseableLockfileError(this.path, reason);
  }

  /** Counts one package entry of the lockfile against the entry limit. */
  countEntries(n: number): void {
    if (n > LOCKFILE_LIMITS.maxEntries) {
      this.fail(`${n.toLocaleString("en-US")} package entries, more than the ${LOCKFILE_LIMITS.maxEntries.toLocaleString("en-US")} read`);
    }
  }

  /** Adds a node; a second node with the same id keeps the first (lockfiles may repeat an entry). */
  addNode(node: Omit<GraphNode, "edges">): GraphNode {
    const existing = this.nodes.get(node.id);
    if (existing) return existing;
    this.countEntries(this.nodes.size + 1);
    const full: GraphNode = { ...node, edges: [] };
    this.nodes.set(node.id, full);
    return full;
  }

  addEdge(from: string, to: string, kind: EdgeKind): void {
    const node = this.nodes.get(from);
    if (!node || from === to) return;
    if (++this.#edges > LOCKFILE_LIMITS.maxEdges) {
      this.fail(`more than ${LOCKFILE_LIMITS.maxEdges.toLocaleString("en-US")} dependency edges`);
    }
    node.edges.push({ to, kind });
  }

  addRoot(to: string, kind: RootKind): void {
    const key = `${kind}\0${to}`;
    if (this.#rootKeys.has(key)) return;
    if (++this.#edges > LOCKFILE_LIMITS.maxEdges) {
      this.fail(`more than ${LOCKFILE_LIMITS.maxEdges.toLocaleString("en-US")} dependency edges`);
    }
    this.#rootKeys.add(key);
    this.roots.push({ to, kind });
  }

  build(): Graph {
    return { ecosystem: this.ecosystem, nodes: this.nodes, roots: this.roots };
  }
}
