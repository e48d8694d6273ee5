// Reads the tools and widget resources a Python connector declares: FastMCP `@mcp.tool(...)` in every form (docstring
// description, `annotations={...}` or `ToolAnnotations(...)`, `meta=`), `mcp.tool(fn)`, `mcp.add_tool(fn, ...)` and
// `mcp.add_tool(Tool.from_function(fn, name=...))`, sub-servers mounted under a prefix (`mount(sub, namespace=...)`,
// `import_server(sub, prefix=...)`), low-level `types.Tool(...)` lists (read by following the list handler's
// statements over constant data: loops, branches, helpers, Enum and dataclass constants, imported modules), a FastMCP
// list handler replaced by hand (then the hand-built list is what is served), `@mcp.resource(...)` and
// `types.Resource(...)` / `TextResourceContents(...)`.
import path from "node:path";
import type { ParsedPython, PyNode } from "../python";
import { walkPython } from "../python";
import { effectsOf } from "./effects";
import { summarizeJsonSchema } from "./js-input-schema";
import type { ToolDecl, WidgetResource } from "./types";
import type { DeclarationStyle, InputField, InputSchemaSummary, StaticValue } from "@/lib/core/types";
import { canonicalJson, dynamic, dynamicPaths, isDynamic, isRecord, recordOrNull, securitySchemesOf, stringOrNull } from "./values";

const INTERESTING = /\.tool\b|add_tool|\bTool\s*\(|\.resource\b|Resource\s*\(|ResourceContents|ui:\/\/|\.mount\s*\(|import_server/;
const TOOL_CALL = /\bTool\s*\(/;
const MAX_DEPTH = 60;
/** Evaluation steps per declaration (shared by every file it reaches), so one hostile declaration can't blind the rest. */
const STEP_BUDGET = 100_000;
const MAX_HANDLER_CODE = 100_000;
const MAX_ITERATIONS = 500;
const MAX_MOUNT_DEPTH = 5;
const MAX_STRING = 200_000;
/** Libraries with a `Tool` class of their own: their tools are an agent's, not an MCP server's. */
const OTHER_TOOL_LIBRARIES =
  /^(?:langchain|langchain_core|langchain_community|llama_index|crewai|smolagents|autogen|haystack|semantic_kernel|agents|openai|google\.adk|pydantic_ai)\b/;
const MAX_ARRAY = 2_000;
/** Classes whose instances are plain records of their fields: `Widget(identifier="x").identifier` is "x". */
const RECORD_DECORATOR = /^(?:dataclasses\.)?dataclass\b|^(?:attr\.)?(?:s|attrs|define|frozen)\b/;
const RECORD_BASES = /^(?:typing\.)?(?:NamedTuple|TypedDict)$|^(?:pydantic\.)?BaseModel$/;
const ENUM_BASES = /^(?:enum\.)?(?:Enum|StrEnum|IntEnum)$/;

export interface PyExtraction {
  tools: ToolDecl[];
  resources: WidgetResource[];
}

/** `pace` is the engine's yield point (ScanOptions.pace), called between files. */
export function extractPythonTools(
  files: Iterable<ParsedPython>,
  served: (path: string) => boolean = () => true,
  pace: () => void = () => {},
): PyExtraction {
  return new PyProject([...files]).extract(served, pace);
}

/** The Python modules each file imports at its top level (relative and absolute imports of files in the snapshot). */
export function pythonImports(files: Iterable<ParsedPython>): Map<string, string[]> {
  const project = new PyProject([...files]);
  const out = new Map<string, string[]>();
  for (const f of project.paths()) out.set(f, project.reader(f)?.importedFiles() ?? []);
  return out;
}

type Env = Map<string, StaticValue | undefined>;
type Flow = "normal" | "continue" | "break" | "return";

interface PyArguments {
  positional: PyNode[];
  keywords: Map<string, PyNode>;
}

/** A top-level name, followed through imports to where it is defined. */
type Resolved =
  | { kind: "value"; reader: PyFileReader; name: string; node: PyNode }
  | { kind: "def"; reader: PyFileReader; name: string; node: PyNode }
  | { kind: "class"; reader: PyFileReader; name: string; node: PyNode }
  | { kind: "module"; reader: PyFileReader };

/** Where a FastMCP server object is defined: "path#name", so registrations and mounts in other files meet. */
type ServerId = string;

interface FoundTool {
  decl: ToolDecl;
  /** The FastMCP server the tool is registered on, when it is a module-level object. */
  server: ServerId | null;
}

/** One evaluation of a `Tool(...)` call, with the field values it had there. */
interface ToolVisit {
  reader: PyFileReader;
  node: PyNode;
  fields: Map<string, StaticValue | undefined>;
  loop: string | null;
}

class PyProject {
  readonly #files = new Map<string, ParsedPython>();
  readonly #readers = new Map<string, PyFileReader>();
  /** Dotted module names by their last segment, for absolute imports (`from pkg.servers.jira import jira_mcp`). */
  readonly #modules = new Map<string, Array<{ dotted: string; path: string }>>();
  readonly visits = new Map<string, ToolVisit[]>();
  /** Records that stand for a class (its constant attributes), and whether it is an Enum. */
  readonly classRecords = new WeakMap<object, { node: PyNode; isEnum: boolean }>();
  steps = 0;

  constructor(files: ParsedPython[]) {
    for (const f of files) {
      this.#files.set(f.path, f);
      const segments = f.path.replace(/\.py$/, "").split("/");
      if (segments[segments.length - 1] === "__init__") segments.pop();
      const last = segments[segments.length - 1];
      if (!last) continue;
      const list = this.#modules.get(last) ?? [];
      list.push({ dotted: segments.join("."), path: f.path });
      this.#modules.set(last, list);
    }
  }

  resetBudget(): void {
    this.steps = 0;
  }

  paths(): string[] {
    return [...this.#files.keys()];
  }

  reader(p: string): PyFileReader | null {
    const existing = this.#readers.get(p);
    if (existing) return existing;
    const file = this.#files.get(p);
    if (!file) return null;
    const reader = new PyFileReader(file, this);
    this.#readers.set(p, reader);
    return reader;
  }

  /** The file an import names: relative (`.jira`, `..pkg.mod`) or absolute (`pkg.mod`, matched on whole segments). */
  resolveModule(fromPath: string, level: number, dotted: string): PyFileReader | null {
    if (level > 0) {
      let dir = path.posix.dirname(fromPath);
      for (let i = 1; i < level; i++) dir = path.posix.dirname(dir);
      const rel = dotted ? dotted.split(".").join("/") : "";
      const base = rel ? (dir === "." ? rel : `${dir}/${rel}`) : dir;
      return this.reader(`${base}.py`) ?? this.reader(`${base}/__init__.py`);
    }
    const last = dotted.split(".").pop() ?? "";
    const candidates = (this.#modules.get(last) ?? []).filter((m) => m.dotted === dotted || m.dotted.endsWith(`.${dotted}`));
    candidates.sort((a, b) => a.dotted.length - b.dotted.length);
    return candidates[0] ? this.reader(candidates[0].path) : null;
  }

  recordVisit(visit: ToolVisit): void {
    const key = visitKey(visit.reader, visit.node);
    const list = this.visits.get(key) ?? [];
    const name = visit.fields.get("name");
    if (typeof name === "string" && list.some((v) => v.fields.get("name") === name)) return;
    if (list.length < MAX_ITERATIONS) list.push(visit);
    this.visits.set(key, list);
  }

  extract(served: (path: string) => boolean, pace: () => void): PyExtraction {
    const readers = [...this.#files.values()]
      .filter((f) => served(f.path) && INTERESTING.test(f.text))
      .map((f) => this.reader(f.path)!)
      .filter(Boolean);
    // Low-level list handlers and helpers first: their statements decide the fields of each Tool(...) they build.
    for (const r of readers) {
      pace();
      r.interpretToolBuilders();
    }
    const found: FoundTool[] = [];
    const resources: WidgetResource[] = [];
    const mounts: Mount[] = [];
    const replaced = new Set<ServerId>();
    for (const r of readers) {
      pace();
      r.read();
      found.push(...r.tools);
      resources.push(...r.resources);
      mounts.push(...r.mounts);
      for (const s of r.replacedListHandlers) replaced.add(s);
    }
    const tools: ToolDecl[] = [];
    for (const t of found) {
      // A FastMCP server whose list handler was replaced by hand serves the hand-built list, not its decorators.
      if (t.server && replaced.has(t.server) && t.decl.style === "fastmcp") continue;
      for (const prefix of prefixesOf(t.server, mounts)) tools.push(prefix ? { ...t.decl, name: `${prefix}_${t.decl.name}` } : t.decl);
    }
    return { tools, resources };
  }
}

interface Mount {
  parent: ServerId | null;
  child: ServerId;
  prefix: string | null;
}

/** Every name prefix a server's tools get through the mounts above it ("" when it is served directly). */
function prefixesOf(server: ServerId | null, mounts: readonly Mount[], depth = 0): string[] {
  if (!server || depth > MAX_MOUNT_DEPTH) return [""];
  const above = mounts.filter((m) => m.child === server);
  if (above.length === 0) return [""];
  const out = new Set<string>();
  for (const m of above) {
    for (const outer of prefixesOf(m.parent, mounts, depth + 1)) {
      const parts = [outer, m.prefix ?? ""].filter(Boolean);
      out.add(parts.join("_"));
    }
  }
  return [...out];
}

function visitKey(reader: PyFileReader, node: PyNode): string {
  return `${reader.file.path}#${node.startIndex}:${node.endIndex}`;
}

class PyFileReader {
  readonly tools: FoundTool[] = [];
  readonly resources: WidgetResource[] = [];
  readonly mounts: Mount[] = [];
  readonly replacedListHandlers = new Set<ServerId>();
  readonly #assignments = new Map<string, PyNode>();
  readonly #functions = new Map<string, PyNode>();
  readonly #classes = new Map<string, PyNode>();
  readonly #imports = new Map<string, { level: number; module: string; name: string | null }>();
  readonly #cache = new Map<string, StaticValue | undefined>();
  readonly #inProgress = new Set<string>();
  readonly #calling = new Set<number>();
  /** Loops over data not known statically, innermost last, while statements are followed. */
  readonly #dynamicLoops: string[] = [];

  constructor(
    readonly file: ParsedPython,
    readonly project: PyProject,
  ) {
    for (const child of file.tree.rootNode.namedChildren) {
      if (!child) continue;
      const def = child.type === "decorated_definition" ? child.childForFieldName("definition") : child;
      if (def?.type === "function_definition" || def?.type === "class_definition") {
        const name = def.childForFieldName("name")?.text;
        const map = def.type === "function_definition" ? this.#functions : this.#classes;
        if (name && !map.has(name)) map.set(name, def);
      }
      if (child.type === "expression_statement") {
        const a = child.namedChildren[0];
        if (a?.type === "assignment") {
          const left = a.childForFieldName("left");
          const right = a.childForFieldName("right");
          if (left?.type === "identifier" && right) this.#assignments.set(left.text, right);
        }
      }
      if (child.type === "import_from_statement") this.#readImportFrom(child);
      else if (child.type === "import_statement") this.#readImport(child);
    }
  }

  #readImportFrom(st: PyNode): void {
    const moduleNode = st.childForFieldName("module_name");
    if (!moduleNode) return;
    let level = 0;
    let dotted = moduleNode.text;
    if (moduleNode.type === "relative_import") {
      const prefix = moduleNode.namedChildren.find((c) => c?.type === "import_prefix");
      level = prefix?.text.length ?? 0;
      dotted = moduleNode.namedChildren.find((c) => c?.type === "dotted_name")?.text ?? "";
    }
    for (const n of st.childrenForFieldName("name")) {
      if (!n) continue;
      const name = n.type === "aliased_import" ? n.childForFieldName("name")?.text : n.text;
      const alias = n.type === "aliased_import" ? n.childForFieldName("alias")?.text : n.text;
      if (name && alias && !this.#imports.has(alias)) this.#imports.set(alias, { level, module: dotted, name });
    }
  }

  #readImport(st: PyNode): void {
    for (const n of st.childrenForFieldName("name")) {
      if (n?.type !== "aliased_import") continue;
      const dotted = n.childForFieldName("name")?.text;
      const alias = n.childForFieldName("alias")?.text;
      if (dotted && alias) this.#imports.set(alias, { level: 0, module: dotted, name: null });
    }
  }

  importedFiles(): string[] {
    const out = new Set<string>();
    for (const imp of this.#imports.values()) {
      const m = this.project.resolveModule(this.file.path, imp.level, imp.module);
      if (m) out.add(m.file.path);
      if (imp.name !== null) {
        const sub = this.project.resolveModule(this.file.path, imp.level, imp.module ? `${imp.module}.${imp.name}` : imp.name);
        if (sub) out.add(sub.file.path);
      }
    }
    out.delete(this.file.path);
    return [...out];
  }

  /** A top-level name of this module, followed through its imports. */
  resolve(name: string, depth = 0): Resolved | null {
    if (depth > 8) return null;
    const assigned = this.#assignments.get(name);
    if (assigned) return { kind: "value", reader: this, name, node: assigned };
    const fn = this.#functions.get(name);
    if (fn) return { kind: "def", reader: this, name, node: fn };
    const cls = this.#classes.get(name);
    if (cls) return { kind: "class", reader: this, name, node: cls };
    const imp = this.#imports.get(name);
    if (!imp) return null;
    if (imp.name === null) {
      const m = this.project.resolveModule(this.file.path, imp.level, imp.module);
      return m ? { kind: "module", reader: m } : null;
    }
    const m = this.project.resolveModule(this.file.path, imp.level, imp.module);
    if (m) {
      if (m === this) return null;
      const inner = m.resolve(imp.name, depth + 1);
      if (inner) return inner;
    }
    // `from pkg import module`: the name is a module of the package.
    const sub = this.project.resolveModule(this.file.path, imp.level, imp.module ? `${imp.module}.${imp.name}` : imp.name);
    return sub ? { kind: "module", reader: sub } : null;
  }

  /** The FastMCP server object an expression names (`mcp`, an imported `jira_mcp`), as "path#name". */
  serverId(node: PyNode | null | undefined): ServerId | null {
    if (node?.type === "attribute") {
      // module.server_object
      const owner = node.childForFieldName("object");
      const attr = node.childForFieldName("attribute")?.text;
      const m = owner?.type === "identifier" ? this.resolve(owner.text) : null;
      if (m?.kind !== "module" || !attr) return null;
      const r = m.reader.resolve(attr);
      return r?.kind === "value" ? `${r.reader.file.path}#${r.name}` : null;
    }
    if (node?.type !== "identifier") return null;
    const r = this.resolve(node.text);
    return r?.kind === "value" ? `${r.reader.file.path}#${r.name}` : null;
  }

  /** Follows every function that builds `Tool(...)` objects, so each one is read with the values it really gets. */
  interpretToolBuilders(): void {
    if (!TOOL_CALL.test(this.file.text)) return;
    walkPython(this.file.tree.rootNode, (n) => {
      if (n.type !== "function_definition" || !TOOL_CALL.test(n.text)) return undefined;
      this.project.resetBudget();
      const params = new Map<string, StaticValue | undefined>();
      for (const p of n.childForFieldName("parameters")?.namedChildren ?? []) {
        const pname = p ? paramName(p) : null;
        if (pname) params.set(pname, dynamic(pname));
      }
      const body = n.childForFieldName("body");
      if (body) this.#execBlock(body, params, [], 0);
      return undefined;
    });
  }

  read(): void {
    const root = this.file.tree.rootNode;
    walkPython(root, (n) => {
      if (n.type === "decorated_definition") this.#readDecorated(n);
      else if (n.type === "call") this.#readCall(n);
      else if (n.type === "assignment") this.#readHandlerAssignment(n);
      return undefined;
    });
  }

  #readDecorated(node: PyNode): void {
    const def = node.childForFieldName("definition");
    if (def?.type !== "function_definition") return;
    for (const decorator of node.namedChildren) {
      if (decorator?.type !== "decorator") continue;
      const expr = decorator.namedChildren[0];
      if (!expr) continue;
      const target = expr.type === "call" ? expr.childForFieldName("function") : expr;
      if (target?.type !== "attribute") continue;
      const attr = target.childForFieldName("attribute")?.text;
      const receiver = target.childForFieldName("object");
      this.project.resetBudget();
      const args = expr.type === "call" ? this.#arguments(expr) : { positional: [], keywords: new Map<string, PyNode>() };
      if (attr === "tool") this.#pushTool(this.#fastmcpTool(decorator, def, args), this.serverId(receiver));
      else if (attr === "resource") this.#fastmcpResource(decorator, def, args);
      else if (attr === "list_tools") {
        // `@mcp._mcp_server.list_tools()`: the FastMCP server's own listing is replaced by this function's.
        const owner = receiver?.type === "attribute" ? receiver.childForFieldName("object") : null;
        const id = this.serverId(owner);
        if (id && receiver?.childForFieldName("attribute")?.text === "_mcp_server") this.replacedListHandlers.add(id);
      }
    }
  }

  /** `mcp._mcp_server.request_handlers[types.ListToolsRequest] = handler` replaces the listing too. */
  #readHandlerAssignment(node: PyNode): void {
    const left = node.childForFieldName("left");
    if (left?.type !== "subscript" || !/ListToolsRequest\b/.test(left.childForFieldName("subscript")?.text ?? "")) return;
    const handlers = left.childForFieldName("value");
    const server = handlers?.type === "attribute" ? handlers.childForFieldName("object") : null;
    if (server?.type === "attribute" && server.childForFieldName("attribute")?.text === "_mcp_server") {
      const id = this.serverId(server.childForFieldName("object"));
      if (id) this.replacedListHandlers.add(id);
    }
  }

  #pushTool(decl: ToolDecl | null, server: ServerId | null): void {
    if (decl) this.tools.push({ decl, server });
  }

  #readCall(call: PyNode): void {
    const fn = call.childForFieldName("function");
    if (!fn) return;
    const name = fn.type === "attribute" ? fn.childForFieldName("attribute")?.text : fn.type === "identifier" ? fn.text : undefined;
    this.project.resetBudget();
    if (fn.type === "attribute" && (name === "add_tool" || name === "tool")) {
      const args = this.#arguments(call);
      const server = this.serverId(fn.childForFieldName("object"));
      const first = args.positional[0];
      if (name === "tool" && !first) return;
      const built = first ? this.#fromFunctionCall(first) : null;
      if (built) {
        // add_tool(Tool.from_function(fn, name=..., description=...))
        for (const def of this.#functionChoices(built.positional[0]))
          this.#pushTool(this.#fastmcpTool(call, def.node, { positional: [], keywords: built.keywords }, def.reader, def.env), server);
        return;
      }
      // add_tool(fn, name=...) and tool(fn, name=...), also in a loop over a constant list of functions
      for (const def of this.#functionChoices(first))
        this.#pushTool(this.#fastmcpTool(call, def.node, { positional: [], keywords: args.keywords }, def.reader, def.env), server);
    } else if (fn.type === "call") {
      // mcp.tool(name="x")(fn)
      const inner = fn.childForFieldName("function");
      if (inner?.type !== "attribute" || inner.childForFieldName("attribute")?.text !== "tool") return;
      const innerArgs = this.#arguments(fn);
      if (innerArgs.positional.length > 0) return;
      for (const def of this.#functionChoices(this.#arguments(call).positional[0]))
        this.#pushTool(this.#fastmcpTool(call, def.node, innerArgs, def.reader, def.env), this.serverId(inner.childForFieldName("object")));
    } else if (name === "Tool" && this.#isMcpTool(fn)) this.#lowLevelTools(call);
    else if (name === "Resource" || name === "TextResourceContents" || name === "ResourceContents") this.#lowLevelResource(call);
    else if (fn.type === "attribute" && (name === "mount" || name === "import_server")) this.#readMount(call, fn);
  }

  /** `Tool` here is MCP's, not an agent framework's (LangChain, LlamaIndex, CrewAI, …) of the same name. */
  #isMcpTool(fn: PyNode): boolean {
    const owner = fn.type === "attribute" ? fn.childForFieldName("object") : fn;
    const local = owner?.type === "identifier" ? owner.text : null;
    const imp = local ? this.#imports.get(local) : undefined;
    if (!imp) return true;
    return !OTHER_TOOL_LIBRARIES.test(imp.module);
  }

  /** `Tool.from_function(fn, ...)` / `FunctionTool.from_function(fn, ...)`: its arguments. */
  #fromFunctionCall(node: PyNode): PyArguments | null {
    if (node.type === "identifier") {
      const r = this.resolve(node.text);
      return r?.kind === "value" && r.reader === this ? this.#fromFunctionCall(r.node) : null;
    }
    if (node.type !== "call") return null;
    const fn = node.childForFieldName("function");
    if (fn?.type !== "attribute" || fn.childForFieldName("attribute")?.text !== "from_function") return null;
    return this.#arguments(node);
  }

  /**
   * The functions an argument names: one defined or imported under that name, or each function of the constant list
   * a loop around the call walks (`for fn in [a, b]:`, `for name, fn in TOOLS.items():`), with the loop's other names.
   */
  #functionChoices(node: PyNode | undefined): Array<{ node: PyNode; reader: PyFileReader; env: Env }> {
    const direct = this.#functionNode(node);
    if (direct) return [{ ...direct, env: new Map() }];
    if (node?.type !== "identifier") return [];
    for (let n = node.parent; n; n = n.parent) {
      if (n.type === "function_definition") break;
      if (n.type !== "for_statement") continue;
      const left = n.childForFieldName("left");
      const right = n.childForFieldName("right");
      if (!left || !right || !boundNames(left).includes(node.text)) continue;
      const elements = this.#iterableNodes(right, 0);
      if (!elements) return [];
      const out: Array<{ node: PyNode; reader: PyFileReader; env: Env }> = [];
      for (const el of elements.slice(0, MAX_ITERATIONS)) {
        const nodes = new Map<string, PyNode>();
        bindNodes(left, el, nodes);
        const def = this.#functionNode(nodes.get(node.text));
        if (!def) continue;
        const env: Env = new Map();
        for (const [k, v] of nodes) if (k !== node.text) env.set(k, this.evaluate(v));
        out.push({ ...def, env });
      }
      return out;
    }
    return [];
  }

  /** The element nodes of a constant list, tuple or set (or a dict's `.items()` pairs, or its keys), followed through names. */
  #iterableNodes(node: PyNode, depth: number): PyNode[] | null {
    if (depth > 4) return null;
    if (node.type === "list" || node.type === "tuple" || node.type === "set")
      return node.namedChildren.filter((c): c is PyNode => !!c && c.type !== "comment" && c.type !== "list_splat");
    if (node.type === "dictionary")
      return node.namedChildren.filter((c): c is PyNode => c?.type === "pair").map((p) => p.childForFieldName("key")!);
    if (node.type === "identifier") {
      const r = this.resolve(node.text);
      return r?.kind === "value" ? r.reader.#iterableNodes(r.node, depth + 1) : null;
    }
    if (node.type === "call") {
      const fn = node.childForFieldName("function");
      const owner = fn?.type === "attribute" ? fn.childForFieldName("object") : null;
      const method = fn?.type === "attribute" ? fn.childForFieldName("attribute")?.text : null;
      if (owner && (method === "items" || method === "values" || method === "keys")) {
        const r = owner.type === "identifier" ? this.resolve(owner.text) : null;
        // A dict of another module can't be read here: its nodes would be that module's.
        const dict = owner.type === "dictionary" ? owner : r?.kind === "value" && r.reader === this ? r.node : null;
        if (dict?.type !== "dictionary") return null;
        const pairs = dict.namedChildren.filter((c): c is PyNode => c?.type === "pair");
        if (method === "items") return pairs;
        return pairs.map((p) => p.childForFieldName(method === "keys" ? "key" : "value")!);
      }
    }
    return null;
  }

  /** A function named by an expression: defined in this module or imported from another one. */
  #functionNode(node: PyNode | undefined): { node: PyNode; reader: PyFileReader } | null {
    if (node?.type !== "identifier") return null;
    const r = this.resolve(node.text);
    return r?.kind === "def" ? { node: r.node, reader: r.reader } : null;
  }

  /** FastMCP `parent.mount(child, namespace="x")` / `mount(child, prefix="x")` / `mount("x", child)`; `import_server` alike. */
  #readMount(call: PyNode, fn: PyNode): void {
    const args = this.#arguments(call);
    const [a, b] = args.positional;
    let childNode: PyNode | undefined;
    let prefixNode: PyNode | undefined = args.keywords.get("namespace") ?? args.keywords.get("prefix");
    const objectLike = (n: PyNode | undefined) => n?.type === "identifier" || n?.type === "attribute";
    if (objectLike(a)) {
      childNode = a;
      prefixNode ??= b;
    } else if (objectLike(b)) {
      childNode = b;
      prefixNode ??= a;
    }
    childNode ??= args.keywords.get("server");
    const child = this.serverId(childNode);
    if (!child) return;
    const prefix = prefixNode ? this.evaluate(prefixNode) : null;
    if (prefix !== null && prefix !== undefined && typeof prefix !== "string") return;
    this.mounts.push({ parent: this.serverId(fn.childForFieldName("object")), child, prefix: prefix ?? null });
  }

  #fastmcpTool(at: PyNode, def: PyNode, args: PyArguments, defReader: PyFileReader = this, env: Env = new Map()): ToolDecl {
    const kw = (k: string) => {
      const n = args.keywords.get(k);
      return n ? this.evaluate(n, env) : undefined;
    };
    const fnName = def.childForFieldName("name")?.text ?? "tool";
    const name = kw("name") ?? (args.positional[0] ? this.evaluate(args.positional[0], env) : fnName);
    const description = kw("description") ?? docstring(def, defReader);
    const describedAt = args.keywords.get("description") ?? docstringNode(def);
    const annotations = kw("annotations");
    const meta = kw("meta") ?? kw("_meta");
    const inputSchema = pythonSignatureSchema(def);
    return this.#tool({
      at,
      name,
      title: kw("title") ?? (isRecord(annotations) ? annotations.title : undefined),
      description,
      annotations,
      meta,
      securitySchemes: kw("security_schemes") ?? kw("securitySchemes"),
      inputSchema,
      style: "fastmcp",
      handler: defReader.handlerCode(def),
      handlerAt: { path: defReader.file.path, node: def },
      params: inputSchema.fields.map((f) => f.name),
      loop: null,
      describedAt: describedAt ? { path: args.keywords.has("description") ? this.file.path : defReader.file.path, node: describedAt } : null,
    });
  }

  /** A `Tool(...)` call: one tool per name it is built with (a loop over constant data builds several). */
  #lowLevelTools(call: PyNode): void {
    const key = visitKey(this, call);
    if (!this.project.visits.has(key)) {
      // Not reached by any function we followed (module level, or code we could not follow): read it as written.
      this.#toolFields(call, new Map(), 0);
    }
    const visits = this.project.visits.get(key) ?? [];
    const known = visits.filter((v) => typeof v.fields.get("name") === "string");
    const chosen = known.length > 0 ? known : visits.filter((v) => v.fields.get("name") !== undefined).slice(0, 1);
    for (const v of chosen) this.#lowLevelTool(call, v);
  }

  #lowLevelTool(call: PyNode, visit: ToolVisit): void {
    const kw = (k: string) => visit.fields.get(k);
    const name = kw("name");
    const schema = kw("inputSchema") ?? kw("input_schema");
    const inputSchema: InputSchemaSummary = isRecord(schema)
      ? summarizeJsonSchema(schema)
      : schema === undefined
        ? { kind: "none", fields: [], open: false }
        : { kind: "dynamic", fields: [], open: false };
    const dispatched = typeof name === "string" ? this.#dispatchBranch(name) : null;
    const branch = dispatched
      ? { node: dispatched, reader: this as PyFileReader }
      : typeof name === "string"
        ? this.#registryHandler(name)
        : null;
    const annotations = kw("annotations");
    this.#pushTool(
      this.#tool({
        at: call,
        name,
        title: kw("title") ?? (isRecord(annotations) ? annotations.title : undefined),
        description: kw("description"),
        annotations,
        meta: kw("_meta") ?? kw("meta"),
        securitySchemes: kw("securitySchemes"),
        inputSchema,
        style: "python-lowlevel",
        handler: branch ? branch.reader.handlerCode(branch.node) : null,
        handlerAt: branch ? { path: branch.reader.file.path, node: branch.node } : null,
        params: inputSchema.fields.map((f) => f.name),
        loop: visit.loop,
      }),
      null,
    );
  }

  #tool(o: {
    at: PyNode;
    /** Where the description text is written (a `description=` keyword or the docstring), when known. */
    describedAt?: { path: string; node: PyNode } | null;
    name: StaticValue | undefined;
    title: StaticValue | undefined;
    description: StaticValue | undefined;
    annotations: StaticValue | undefined;
    meta: StaticValue | undefined;
    securitySchemes: StaticValue | undefined;
    inputSchema: InputSchemaSummary;
    style: DeclarationStyle;
    handler: string | null;
    handlerAt: { path: string; node: PyNode } | null;
    params: string[];
    loop: string | null;
  }): ToolDecl {
    const dyn: string[] = [];
    if (typeof o.name !== "string") dyn.push("name");
    dynamicPaths(o.title, "title", dyn);
    dynamicPaths(o.description, "description", dyn);
    dynamicPaths(o.annotations, "annotations", dyn);
    dynamicPaths(o.meta, "_meta", dyn);
    dynamicPaths(o.securitySchemes, "securitySchemes", dyn);
    if (o.inputSchema.kind === "dynamic") dyn.push("inputSchema");
    const meta = recordOrNull(o.meta);
    return {
      name: typeof o.name === "string" ? o.name : `{${isDynamic(o.name) ? o.name.$dynamic : "name"}}`,
      title: stringOrNull(o.title),
      description: stringOrNull(o.description),
      annotations: recordOrNull(o.annotations),
      securitySchemes: securitySchemesOf(o.securitySchemes, meta),
      meta,
      inputSchema: o.inputSchema,
      location: { path: this.file.path, line: o.at.startPosition.row + 1 },
      ...describedAtOf(o.describedAt, { path: this.file.path, line: o.at.startPosition.row + 1 }),
      ...annotatedAtOf(o.annotations, { path: this.file.path, line: o.at.startPosition.row + 1 }),
      dynamic: [...new Set(dyn)],
      style: o.style,
      loop: o.loop,
      effects: o.handler === null ? null : effectsOf(o.handler, o.params),
      handler: o.handlerAt ? { path: o.handlerAt.path, line: o.handlerAt.node.startPosition.row + 1 } : null,
    };
  }

  #fastmcpResource(at: PyNode, def: PyNode, args: PyArguments): void {
    const kw = (k: string) => {
      const n = args.keywords.get(k);
      return n ? this.evaluate(n) : undefined;
    };
    const uri = args.positional[0] ? this.evaluate(args.positional[0]) : kw("uri");
    const mime = kw("mime_type") ?? kw("mimeType");
    const meta = kw("meta") ?? kw("_meta");
    const body = def.childForFieldName("body");
    let html: string | null = null;
    if (body) {
      walkPython(body, (n) => {
        if (n.type === "return_statement" && html === null) {
          const v = n.namedChildren[0] ? this.evaluate(n.namedChildren[0]) : undefined;
          if (typeof v === "string") html = v;
        }
        return n.type !== "function_definition" || n === def;
      });
    }
    this.#addResource(at, uri, {
      mimeType: mime,
      _meta: meta,
      text: html ?? undefined,
      name: kw("name") ?? def.childForFieldName("name")?.text,
    });
  }

  #lowLevelResource(call: PyNode): void {
    const args = this.#arguments(call);
    const kw = (k: string) => {
      const n = args.keywords.get(k);
      return n ? this.evaluate(n) : undefined;
    };
    const uri = kw("uri");
    if (typeof uri !== "string" || !uri.startsWith("ui://")) return;
    this.#addResource(call, uri, {
      mimeType: kw("mimeType") ?? kw("mime_type"),
      _meta: kw("_meta") ?? kw("meta"),
      text: kw("text"),
      name: kw("name"),
    });
  }

  #addResource(at: PyNode, uri: StaticValue | undefined, v: Record<string, StaticValue | undefined>): void {
    const dyn: string[] = [];
    if (typeof uri !== "string") dyn.push("uri");
    dynamicPaths(v._meta, "_meta", dyn);
    this.resources.push({
      uri: typeof uri === "string" ? uri : `{${isDynamic(uri) ? uri.$dynamic : "uri"}}`,
      name: stringOrNull(v.name),
      mimeType: stringOrNull(v.mimeType),
      meta: recordOrNull(v._meta),
      html: stringOrNull(v.text),
      location: { path: this.file.path, line: at.startPosition.row + 1 },
      dynamic: dyn,
    });
  }

  /** `if name == "x":` / `case "x":` / `case Tools.X:` in a call_tool dispatcher. */
  #dispatchBranch(name: string): PyNode | null {
    let found: PyNode | null = null;
    const names = (n: PyNode) => {
      if (n.type === "string" || n.type === "identifier" || n.type === "attribute" || n.type === "dotted_name") {
        const v = n.type === "dotted_name" ? this.#evaluateDotted(n.text) : this.evaluate(n);
        return v === name;
      }
      return false;
    };
    walkPython(this.file.tree.rootNode, (n) => {
      if (found) return false;
      // The listing's own `if name == ...` branches choose fields, not handlers.
      if (n.type === "function_definition" && TOOL_CALL.test(n.text)) return false;
      if (n.type === "if_statement" || n.type === "elif_clause") {
        const cond = n.childForFieldName("condition");
        if (cond?.type === "comparison_operator" && cond.namedChildren.some((c) => c && names(c)))
          found = n.childForFieldName("consequence");
      } else if (n.type === "case_clause") {
        const pattern = n.namedChildren.find((c) => c?.type === "case_pattern");
        const alternatives =
          pattern?.namedChildren[0]?.type === "union_pattern" ? pattern.namedChildren[0].namedChildren : pattern?.namedChildren;
        if (alternatives?.some((c) => c && names(c))) found = n.childForFieldName("consequence") ?? n;
      }
      return undefined;
    });
    return found;
  }

  /** `HANDLERS = {"name": handler_fn, ...}`: a module-level registry that maps the tool's name to its function. */
  #registryHandler(name: string): { node: PyNode; reader: PyFileReader } | null {
    for (const value of this.#assignments.values()) {
      if (value.type !== "dictionary") continue;
      for (const pair of value.namedChildren) {
        if (pair?.type !== "pair") continue;
        const k = pair.childForFieldName("key");
        const v = pair.childForFieldName("value");
        if (k?.type === "string" && pythonString(k) === name) {
          const fn = this.#functionNode(v ?? undefined);
          if (fn) return fn;
        }
      }
    }
    return null;
  }

  #evaluateDotted(text: string): StaticValue | undefined {
    const [head, ...rest] = text.split(".");
    if (!head) return undefined;
    let v = this.#lookup(head, new Map(), 0);
    let prev: StaticValue | undefined;
    for (const part of rest) {
      if (isRecord(v) && Object.hasOwn(v, part)) {
        prev = v;
        v = v[part];
      } else if (part === "value" && prev !== undefined && this.project.classRecords.get(prev as object)?.isEnum) return v;
      else return dynamic(text);
    }
    return v;
  }

  /** The handler's code plus same-module helpers it calls (one level). */
  handlerCode(node: PyNode): string {
    const parts = [node.text];
    let size = node.text.length;
    const seen = new Set<string>();
    walkPython(node, (n) => {
      if (size > MAX_HANDLER_CODE) return false;
      if (n.type === "call") {
        const fn = n.childForFieldName("function");
        const helper = fn?.type === "identifier" ? this.#functions.get(fn.text) : undefined;
        if (helper && !seen.has(fn!.text) && helper.id !== node.id) {
          seen.add(fn!.text);
          parts.push(helper.text);
          size += helper.text.length;
        }
      }
      return undefined;
    });
    return parts.join("\n");
  }

  #arguments(call: PyNode): PyArguments {
    const positional: PyNode[] = [];
    const keywords = new Map<string, PyNode>();
    const list = call.childForFieldName("arguments");
    for (const a of list?.namedChildren ?? []) {
      if (!a || a.type === "comment") continue;
      if (a.type === "keyword_argument") {
        const k = a.childForFieldName("name")?.text;
        const v = a.childForFieldName("value");
        if (k && v) keywords.set(k, v);
      } else positional.push(a);
    }
    return { positional, keywords };
  }

  // ---- statements: followed over constant data, both ways when a condition isn't known ----

  /** Runs a block's statements; `returns` collects returned values. */
  #execBlock(block: PyNode, env: Env, returns: Array<StaticValue | undefined>, depth: number): Flow {
    for (const st of block.namedChildren) {
      if (!st) continue;
      if (this.project.steps > STEP_BUDGET || depth > MAX_DEPTH) return "normal";
      const flow = this.#execStatement(st, env, returns, depth);
      if (flow !== "normal") return flow;
    }
    return "normal";
  }

  #execStatement(st: PyNode, env: Env, returns: Array<StaticValue | undefined>, depth: number): Flow {
    if (++this.project.steps > STEP_BUDGET) return "normal";
    const next = depth + 1;
    switch (st.type) {
      case "expression_statement": {
        const e = st.namedChildren[0];
        if (!e) return "normal";
        if (e.type === "assignment") this.#assign(e, env, next);
        else if (e.type === "augmented_assignment") this.#augment(e, env, next);
        else this.evaluate(e, env, next);
        return "normal";
      }
      case "return_statement": {
        const v = st.namedChildren[0];
        returns.push(v ? this.evaluate(v, env, next) : null);
        return "return";
      }
      case "continue_statement":
        return "continue";
      case "break_statement":
        return "break";
      case "if_statement":
        return this.#execIf(st, env, returns, next);
      case "for_statement":
        return this.#execFor(st, env, returns, next);
      case "while_statement": {
        const body = st.childForFieldName("body");
        return body ? this.#branches([body], false, env, returns, next, true) : "normal";
      }
      case "try_statement": {
        const body = st.childForFieldName("body");
        const flow = body ? this.#execBlock(body, env, returns, next) : "normal";
        const others: PyNode[] = [];
        for (const c of st.namedChildren) {
          if (c?.type === "except_clause" || c?.type === "except_group_clause") {
            const b = c.namedChildren.find((x) => x?.type === "block");
            if (b) others.push(b);
          } else if (c?.type === "else_clause") {
            const b = c.childForFieldName("body");
            if (b) others.push(b);
          }
        }
        if (others.length > 0) this.#branches(others, false, env, returns, next);
        const fin = st.namedChildren.find((c) => c?.type === "finally_clause")?.namedChildren.find((x) => x?.type === "block");
        if (fin) this.#execBlock(fin, env, returns, next);
        return flow;
      }
      case "with_statement": {
        for (const item of st.descendantsOfType("as_pattern_target"))
          for (const id of item?.descendantsOfType("identifier") ?? []) if (id) env.set(id.text, dynamic(id.text));
        const body = st.childForFieldName("body");
        return body ? this.#execBlock(body, env, returns, next) : "normal";
      }
      case "function_definition":
      case "class_definition":
      case "decorated_definition": {
        const def = st.type === "decorated_definition" ? st.childForFieldName("definition") : st;
        const name = def?.childForFieldName("name")?.text;
        if (name) env.set(name, dynamic(name));
        return "normal";
      }
    }
    return "normal";
  }

  #assign(a: PyNode, env: Env, depth: number): void {
    const left = a.childForFieldName("left");
    const right = a.childForFieldName("right");
    if (!left || !right) return;
    const value = this.evaluate(right, env, depth);
    if (left.type === "identifier") env.set(left.text, value);
    else if (left.type === "pattern_list" || left.type === "tuple_pattern" || left.type === "list_pattern") bindTargets(left, value, env);
    else if (left.type === "subscript") {
      // d["k"] = v on a dict we follow.
      const target = left.childForFieldName("value");
      const key = left.childForFieldName("subscript");
      if (target?.type !== "identifier" || !key) return;
      const obj = env.get(target.text);
      const k = this.evaluate(key, env, depth);
      if (isRecord(obj) && (typeof k === "string" || typeof k === "number")) env.set(target.text, { ...obj, [String(k)]: value ?? null });
      else if (env.has(target.text)) env.set(target.text, dynamic(target.text));
    }
  }

  #augment(a: PyNode, env: Env, depth: number): void {
    const left = a.childForFieldName("left");
    const right = a.childForFieldName("right");
    if (left?.type !== "identifier" || !right) return;
    const op = a.childForFieldName("operator")?.text;
    const l = this.#lookup(left.text, env, depth);
    const r = this.evaluate(right, env, depth);
    if (op === "+=" && Array.isArray(l) && Array.isArray(r)) env.set(left.text, bounded([...l, ...r], a));
    else if (op === "+=" && typeof l === "string" && typeof r === "string") env.set(left.text, bounded(l + r, a));
    else if (op === "+=" && typeof l === "number" && typeof r === "number") env.set(left.text, l + r);
    else env.set(left.text, dynamic(left.text));
  }

  #execIf(st: PyNode, env: Env, returns: Array<StaticValue | undefined>, depth: number): Flow {
    const arms: Array<{ cond: PyNode | null; body: PyNode }> = [];
    const cons = st.childForFieldName("consequence");
    if (cons) arms.push({ cond: st.childForFieldName("condition"), body: cons });
    for (const alt of st.childrenForFieldName("alternative")) {
      if (alt?.type === "elif_clause") {
        const b = alt.childForFieldName("consequence");
        if (b) arms.push({ cond: alt.childForFieldName("condition"), body: b });
      } else if (alt?.type === "else_clause") {
        const b = alt.childForFieldName("body");
        if (b) arms.push({ cond: null, body: b });
      }
    }
    // Arms whose condition is known false drop out; the first known-true arm ends the chain.
    const possible: PyNode[] = [];
    let exhaustive = false;
    for (const arm of arms) {
      const c = arm.cond ? truthy(this.evaluate(arm.cond, env, depth)) : true;
      if (c === false) continue;
      possible.push(arm.body);
      if (c === true) {
        exhaustive = true;
        break;
      }
    }
    if (possible.length === 1 && exhaustive) return this.#execBlock(possible[0]!, env, returns, depth);
    if (possible.length === 0) return "normal";
    return this.#branches(possible, exhaustive, env, returns, depth);
  }

  /**
   * Runs blocks that may or may not run (a condition that isn't known, a loop over unknown data): each on its own copy
   * of the names, which then merge (a name that ends up different in two ways is unknown). A `continue`, `break` or
   * `return` inside them doesn't stop what follows unless every way ends with it.
   */
  #branches(blocks: PyNode[], exhaustive: boolean, env: Env, returns: Array<StaticValue | undefined>, depth: number, loop = false): Flow {
    const outcomes: Array<{ env: Env; flow: Flow }> = [];
    for (const b of blocks) {
      const copy = new Map(env);
      const flow = this.#execBlock(b, copy, returns, depth);
      outcomes.push({ env: copy, flow: loop && (flow === "continue" || flow === "break") ? "normal" : flow });
    }
    if (!exhaustive) outcomes.push({ env: new Map(env), flow: "normal" });
    const falling = outcomes.filter((o) => o.flow === "normal");
    const flows = new Set(outcomes.map((o) => o.flow));
    const merged = mergeEnvs((falling.length > 0 ? falling : outcomes).map((o) => o.env));
    env.clear();
    for (const [k, v] of merged) env.set(k, v);
    return falling.length === 0 && flows.size === 1 ? outcomes[0]!.flow : "normal";
  }

  #execFor(st: PyNode, env: Env, returns: Array<StaticValue | undefined>, depth: number): Flow {
    const left = st.childForFieldName("left");
    const right = st.childForFieldName("right");
    const body = st.childForFieldName("body");
    if (!left || !right || !body) return "normal";
    const items = iterableItems(this.evaluate(right, env, depth));
    if (items && items.length <= MAX_ITERATIONS) {
      for (const item of items) {
        bindTargets(left, item, env);
        const flow = this.#execBlock(body, env, returns, depth);
        if (flow === "break") break;
        if (flow === "return") return "return";
      }
      return "normal";
    }
    bindTargets(left, dynamic(left.text), env);
    this.#dynamicLoops.push(right.text.slice(0, 120));
    try {
      return this.#branches([body], false, env, returns, depth, true);
    } finally {
      this.#dynamicLoops.pop();
    }
  }

  // ---- expressions ----

  evaluate(node: PyNode, env: Env = new Map(), depth = 0): StaticValue | undefined {
    if (depth > MAX_DEPTH || ++this.project.steps > STEP_BUDGET) return dynamic(node.text);
    const next = depth + 1;
    switch (node.type) {
      case "string":
        return this.#string(node, env, next);
      case "concatenated_string": {
        let out = "";
        for (const c of node.namedChildren) {
          const v = c ? this.evaluate(c, env, next) : undefined;
          if (typeof v !== "string") return dynamic(node.text);
          out += v;
        }
        return out;
      }
      case "integer":
      case "float": {
        const n = Number(node.text.replace(/_/g, ""));
        return Number.isFinite(n) ? n : dynamic(node.text);
      }
      case "true":
        return true;
      case "false":
        return false;
      case "none":
        return null;
      case "parenthesized_expression":
        return node.namedChildren[0] ? this.evaluate(node.namedChildren[0], env, next) : undefined;
      case "list":
      case "tuple":
      case "set":
      case "expression_list": {
        const out: StaticValue[] = [];
        for (const c of node.namedChildren) {
          if (!c || c.type === "comment") continue;
          if (c.type === "list_splat") {
            const v = c.namedChildren[0] ? this.evaluate(c.namedChildren[0], env, next) : undefined;
            if (Array.isArray(v)) out.push(...v);
            else out.push(dynamic(c.text));
            continue;
          }
          const v = this.evaluate(c, env, next);
          out.push(v === undefined ? null : v);
        }
        return out;
      }
      case "list_comprehension":
      case "set_comprehension":
      case "generator_expression":
        return this.#comprehension(node, env, next);
      case "dictionary": {
        const out: Record<string, StaticValue> = {};
        DICT_PLACES.set(out, { path: this.file.path, line: node.startPosition.row + 1 });
        for (const c of node.namedChildren) {
          if (!c || c.type === "comment") continue;
          if (c.type === "pair") {
            const k = c.childForFieldName("key");
            const v = c.childForFieldName("value");
            const key = k ? this.evaluate(k, env, next) : undefined;
            if (typeof key !== "string" && typeof key !== "number") {
              out.$spread = dynamic(c.text);
              continue;
            }
            const value = v ? this.evaluate(v, env, next) : undefined;
            if (value !== undefined) out[String(key)] = value;
          } else if (c.type === "dictionary_splat") {
            const v = c.namedChildren[0] ? this.evaluate(c.namedChildren[0], env, next) : undefined;
            if (isRecord(v)) Object.assign(out, v);
            else out.$spread = dynamic(c.text);
          }
        }
        return out;
      }
      case "identifier":
        return this.#lookup(node.text, env, next);
      case "attribute":
        return this.#attribute(node, env, next);
      case "subscript": {
        const obj = node.childForFieldName("value");
        const idx = node.childForFieldName("subscript");
        const v = obj ? this.evaluate(obj, env, next) : undefined;
        const k = idx ? this.evaluate(idx, env, next) : undefined;
        if (isRecord(v) && typeof k === "string" && Object.hasOwn(v, k)) return v[k];
        if (Array.isArray(v) && typeof k === "number") return v[k < 0 ? v.length + k : k];
        return dynamic(node.text);
      }
      case "binary_operator": {
        const l = node.childForFieldName("left");
        const r = node.childForFieldName("right");
        const op = node.childForFieldName("operator")?.text;
        const lv = l ? this.evaluate(l, env, next) : undefined;
        const rv = r ? this.evaluate(r, env, next) : undefined;
        if (op === "+" && typeof lv === "number" && typeof rv === "number") return lv + rv;
        if (op === "+" && typeof lv === "string" && typeof rv === "string") return bounded(lv + rv, node);
        if (op === "+" && Array.isArray(lv) && Array.isArray(rv)) return bounded([...lv, ...rv], node);
        if (op === "|" && isRecord(lv) && isRecord(rv)) return { ...lv, ...rv };
        return dynamic(node.text);
      }
      case "comparison_operator":
        return this.#compare(node, env, next);
      case "not_operator": {
        const v = node.childForFieldName("argument");
        const t = v ? truthy(this.evaluate(v, env, next)) : null;
        return t === null ? dynamic(node.text) : !t;
      }
      case "boolean_operator": {
        const l = node.childForFieldName("left");
        const r = node.childForFieldName("right");
        const op = node.childForFieldName("operator")?.text;
        const lv = l ? this.evaluate(l, env, next) : undefined;
        const t = truthy(lv);
        if (t === null) return dynamic(node.text);
        if (op === "and") return t ? (r ? this.evaluate(r, env, next) : undefined) : lv;
        return t ? lv : r ? this.evaluate(r, env, next) : undefined;
      }
      case "conditional_expression": {
        const [a, cond, b] = node.namedChildren;
        const t = cond ? truthy(this.evaluate(cond, env, next)) : null;
        if (t === null || !a || !b) return dynamic(node.text);
        return this.evaluate(t ? a : b, env, next);
      }
      case "call":
        return this.#call(node, env, next);
    }
    return dynamic(node.text);
  }

  /** String literals, f-strings with statically known parts included. */
  #string(node: PyNode, env: Env, depth: number): StaticValue {
    if (!node.namedChildren.some((c) => c?.type === "interpolation")) return pythonString(node);
    const prefix = /^[rRbBuUfF]{0,3}/.exec(node.text)![0];
    const raw = /r/i.test(prefix);
    let out = "";
    for (const c of node.namedChildren) {
      if (!c) continue;
      if (c.type === "string_content") out += raw ? c.text : decodePythonEscapes(c.text);
      else if (c.type === "interpolation") {
        if (c.childForFieldName("format_specifier") || c.childForFieldName("type_conversion")) return dynamic(node.text);
        const e = c.childForFieldName("expression");
        const v = e ? this.evaluate(e, env, depth) : undefined;
        if (typeof v === "string" || typeof v === "number") out += String(v);
        else if (typeof v === "boolean") out += v ? "True" : "False";
        else return dynamic(node.text);
        if (out.length > MAX_STRING) return dynamic(node.text);
      } else if (c.type === "escape_sequence") out += decodePythonEscapes(c.text);
    }
    return out;
  }

  #comprehension(node: PyNode, env: Env, depth: number): StaticValue {
    const body = node.childForFieldName("body");
    const clauses = node.namedChildren.filter((c): c is PyNode => !!c && (c.type === "for_in_clause" || c.type === "if_clause"));
    if (!body) return dynamic(node.text);
    const out: StaticValue[] = [];
    const run = (i: number, scope: Env): boolean => {
      if (out.length > MAX_ITERATIONS) return false;
      const clause = clauses[i];
      if (!clause) {
        const v = this.evaluate(body, scope, depth);
        out.push(v === undefined ? null : v);
        return true;
      }
      if (clause.type === "if_clause") {
        const cond = clause.namedChildren[0];
        const t = cond ? truthy(this.evaluate(cond, scope, depth)) : null;
        if (t === null) return false;
        return t ? run(i + 1, scope) : true;
      }
      const left = clause.childForFieldName("left");
      const right = clause.childForFieldName("right");
      const items = right ? iterableItems(this.evaluate(right, scope, depth)) : null;
      if (!left || !items) return false;
      for (const item of items) {
        const inner = new Map(scope);
        bindTargets(left, item, inner);
        if (!run(i + 1, inner)) return false;
      }
      return true;
    };
    if (run(0, new Map(env))) return out;
    // Unknown data: still follow the body once, so a Tool(...) built inside is seen (marked with its loop).
    const inner = new Map(env);
    for (const c of clauses) {
      const left = c.type === "for_in_clause" ? c.childForFieldName("left") : null;
      if (left) bindTargets(left, dynamic(left.text), inner);
    }
    const source = clauses.find((c) => c.type === "for_in_clause")?.childForFieldName("right")?.text ?? node.text;
    this.#dynamicLoops.push(source.slice(0, 120));
    try {
      this.evaluate(body, inner, depth);
    } finally {
      this.#dynamicLoops.pop();
    }
    return dynamic(node.text);
  }

  #compare(node: PyNode, env: Env, depth: number): StaticValue {
    const operands = node.namedChildren.filter((c): c is PyNode => !!c && c.type !== "comment");
    const ops = node.childrenForFieldName("operators").map((o) => o?.text.replace(/\s+/g, " "));
    if (operands.length !== 2 || ops.length !== 1) return dynamic(node.text);
    const l = this.evaluate(operands[0]!, env, depth);
    const r = this.evaluate(operands[1]!, env, depth);
    const op = ops[0];
    const primitive = (v: unknown) => v === null || (typeof v !== "object" && v !== undefined);
    if (op === "in" || op === "not in") {
      if (!primitive(l)) return dynamic(node.text);
      let has: boolean | null = null;
      if (Array.isArray(r) && r.every(primitive)) has = r.includes(l as StaticValue);
      else if (isRecord(r) && !r.$spread && (typeof l === "string" || typeof l === "number")) has = Object.hasOwn(r, String(l));
      else if (typeof r === "string" && typeof l === "string") has = r.includes(l);
      if (has === null) return dynamic(node.text);
      return op === "in" ? has : !has;
    }
    if (!primitive(l) || !primitive(r)) return dynamic(node.text);
    switch (op) {
      case "==":
      case "is":
        return l === r;
      case "!=":
      case "is not":
        return l !== r;
    }
    if (typeof l === "number" && typeof r === "number") {
      if (op === "<") return l < r;
      if (op === "<=") return l <= r;
      if (op === ">") return l > r;
      if (op === ">=") return l >= r;
    }
    return dynamic(node.text);
  }

  #attribute(node: PyNode, env: Env, depth: number): StaticValue | undefined {
    const obj = node.childForFieldName("object");
    const attr = node.childForFieldName("attribute")?.text ?? "";
    if (!obj) return dynamic(node.text);
    // An imported module's attribute: `constants.TOOL_NAME`.
    if (obj.type === "identifier" && !env.has(obj.text)) {
      const r = this.resolve(obj.text);
      if (r?.kind === "module") return r.reader.exported(attr, depth);
    }
    // Enum members: `Tools.SEARCH.value` is the member's value, `.name` its name.
    if ((attr === "value" || attr === "name") && obj.type === "attribute") {
      const owner = obj.childForFieldName("object");
      const member = obj.childForFieldName("attribute")?.text ?? "";
      const cls = owner ? this.evaluate(owner, env, depth) : undefined;
      if (isRecord(cls) && this.project.classRecords.get(cls)?.isEnum && Object.hasOwn(cls, member))
        return attr === "value" ? cls[member] : member;
    }
    const v = this.evaluate(obj, env, depth);
    if (isRecord(v) && Object.hasOwn(v, attr)) return v[attr];
    return dynamic(node.text);
  }

  /** A top-level value of this module, for another module that imports it. */
  exported(name: string, depth: number): StaticValue | undefined {
    return this.#lookup(name, new Map(), depth + 1);
  }

  #lookup(name: string, env: Env, depth: number): StaticValue | undefined {
    if (env.has(name)) return env.get(name);
    if (name === "True") return true;
    if (name === "False") return false;
    if (name === "None") return null;
    if (this.#cache.has(name)) return this.#cache.get(name);
    const r = this.resolve(name);
    if (!r || r.kind === "def" || r.kind === "module") return dynamic(name);
    if (r.reader !== this) return r.reader.exported(r.name, depth);
    if (this.#inProgress.has(name)) return dynamic(name);
    this.#inProgress.add(name);
    try {
      const v = r.kind === "class" ? this.#classValue(r.node, depth) : this.evaluate(r.node, new Map(), depth);
      this.#cache.set(name, v);
      return v;
    } finally {
      this.#inProgress.delete(name);
    }
  }

  /** A class as a record of its constant attributes (Enum members, class constants). */
  #classValue(cls: PyNode, depth: number): StaticValue {
    const out: Record<string, StaticValue> = {};
    const scope: Env = new Map();
    for (const st of cls.childForFieldName("body")?.namedChildren ?? []) {
      const a = st?.type === "expression_statement" ? st.namedChildren[0] : null;
      if (a?.type !== "assignment") continue;
      const left = a.childForFieldName("left");
      const right = a.childForFieldName("right");
      if (left?.type !== "identifier" || !right) continue;
      const v = this.evaluate(right, scope, depth);
      scope.set(left.text, v);
      if (v !== undefined) out[left.text] = v;
    }
    this.project.classRecords.set(out, { node: cls, isEnum: classBases(cls).some((b) => ENUM_BASES.test(b)) });
    return out;
  }

  #call(node: PyNode, env: Env, depth: number): StaticValue | undefined {
    const fn = node.childForFieldName("function");
    if (!fn) return dynamic(node.text);
    const args = this.#arguments(node);
    const name = fn.type === "attribute" ? (fn.childForFieldName("attribute")?.text ?? "") : fn.text;
    if (name === "Tool" && this.#isMcpTool(fn)) return this.#toolFields(node, env, depth);
    if (name === "dict" || name === "ToolAnnotations" || name === "ToolAnnotationsDict") {
      const out: Record<string, StaticValue> = {};
      if (args.positional[0]) {
        const base = this.evaluate(args.positional[0], env, depth);
        if (isRecord(base)) Object.assign(out, base);
      }
      for (const [k, v] of args.keywords) {
        const value = this.evaluate(v, env, depth);
        if (value !== undefined) out[k] = value;
      }
      return out;
    }
    if (fn.type === "identifier" && !env.has(fn.text)) {
      const arg0 = args.positional[0] ? this.evaluate(args.positional[0], env, depth) : undefined;
      switch (name) {
        case "AnyUrl":
        case "str":
          return arg0 ?? dynamic(node.text);
        case "list":
        case "tuple":
        case "set":
        case "frozenset":
        case "sorted": {
          const items = iterableItems(arg0);
          if (!items) return dynamic(node.text);
          if (name !== "sorted") return items;
          return items.every((x) => typeof x === "string") ? [...(items as string[])].sort() : dynamic(node.text);
        }
        case "len": {
          const items = iterableItems(arg0);
          return items ? items.length : dynamic(node.text);
        }
        case "enumerate": {
          const items = iterableItems(arg0);
          return items ? items.map((x, i) => [i, x]) : dynamic(node.text);
        }
      }
    }
    if (fn.type === "attribute" && (name === "model_json_schema" || name === "schema")) {
      // A pydantic model's JSON Schema, from its annotated fields.
      const owner = fn.childForFieldName("object");
      const r = owner?.type === "identifier" && !env.has(owner.text) ? this.resolve(owner.text) : null;
      if (r?.kind === "class") return r.reader.modelSchema(r.node, 0) ?? dynamic(node.text);
    }
    if (fn.type === "attribute") {
      const receiverNode = fn.childForFieldName("object");
      // list.append / list.extend on a list we follow: the list grows.
      if ((name === "append" || name === "extend") && receiverNode?.type === "identifier" && env.has(receiverNode.text)) {
        const list = env.get(receiverNode.text);
        const v = args.positional[0] ? this.evaluate(args.positional[0], env, depth) : undefined;
        if (Array.isArray(list)) {
          if (name === "append") env.set(receiverNode.text, bounded([...list, v === undefined ? null : v], receiverNode));
          else env.set(receiverNode.text, Array.isArray(v) ? bounded([...list, ...v], receiverNode) : dynamic(receiverNode.text));
        }
        return null;
      }
      const rv = receiverNode ? this.evaluate(receiverNode, env, depth) : undefined;
      if (typeof rv === "string") {
        if (name === "join" && args.positional[0]) {
          const list = iterableItems(this.evaluate(args.positional[0], env, depth));
          if (list?.every((x) => typeof x === "string")) return list.join(rv);
        }
        if (name === "strip") return rv.trim();
        if (name === "lower") return rv.toLowerCase();
        if (name === "upper") return rv.toUpperCase();
        if (name === "format" && args.positional.length === 0 && args.keywords.size === 0) return rv;
      }
      if (isRecord(rv) && !rv.$spread) {
        if (name === "keys") return Object.keys(rv);
        if (name === "values") return Object.values(rv);
        if (name === "items") return Object.entries(rv).map(([k, v]) => [k, v]);
        if (name === "get" && args.positional[0]) {
          const k = this.evaluate(args.positional[0], env, depth);
          if (typeof k === "string")
            return Object.hasOwn(rv, k) ? rv[k] : args.positional[1] ? this.evaluate(args.positional[1], env, depth) : null;
        }
      }
      if (name === "dedent" && args.positional[0]) {
        const v = this.evaluate(args.positional[0], env, depth);
        if (typeof v === "string") return dedentPython(v);
      }
    }
    if (fn.type === "identifier" && !env.has(fn.text)) {
      const r = this.resolve(fn.text);
      if (r?.kind === "def") return r.reader.callFunction(r.node, this.#argumentValues(args, env, depth), depth);
      if (r?.kind === "class") return r.reader.instantiate(r.node, this.#argumentValues(args, env, depth), depth);
    }
    return dynamic(node.text);
  }

  /** A `Tool(...)` call's fields, recorded as one visit of that call. */
  #toolFields(node: PyNode, env: Env, depth: number): StaticValue {
    const args = this.#arguments(node);
    const fields = new Map<string, StaticValue | undefined>();
    // Tool(**spec): the keys of a constant dict.
    for (const a of node.childForFieldName("arguments")?.namedChildren ?? []) {
      if (a?.type !== "dictionary_splat" || !a.namedChildren[0]) continue;
      const spread = this.evaluate(a.namedChildren[0], env, depth);
      if (isRecord(spread)) for (const [k, v] of Object.entries(spread)) if (k !== "$spread") fields.set(k, v);
    }
    for (const [k, v] of args.keywords) fields.set(k, this.evaluate(v, env, depth));
    this.project.recordVisit({ reader: this, node, fields, loop: this.#dynamicLoops[this.#dynamicLoops.length - 1] ?? null });
    const out: Record<string, StaticValue> = {};
    for (const [k, v] of fields) if (v !== undefined) out[k] = v;
    return out;
  }

  #argumentValues(
    args: PyArguments,
    env: Env,
    depth: number,
  ): { positional: Array<StaticValue | undefined>; keywords: Map<string, StaticValue | undefined> } {
    return {
      positional: args.positional.map((a) =>
        a.type === "list_splat" || a.type === "dictionary_splat" ? dynamic(a.text) : this.evaluate(a, env, depth),
      ),
      keywords: new Map([...args.keywords].map(([k, v]) => [k, this.evaluate(v, env, depth)])),
    };
  }

  /** A helper function called with known arguments: its statements followed, the value it returns. */
  callFunction(
    def: PyNode,
    args: { positional: Array<StaticValue | undefined>; keywords: Map<string, StaticValue | undefined> },
    depth: number,
  ): StaticValue | undefined {
    const fname = def.childForFieldName("name")?.text ?? "function";
    if (this.#calling.has(def.id) || depth > MAX_DEPTH) return dynamic(`${fname}(…)`);
    this.#calling.add(def.id);
    try {
      const local: Env = new Map();
      let i = 0;
      for (const p of def.childForFieldName("parameters")?.namedChildren ?? []) {
        const pname = p ? paramName(p) : null;
        if (!p || !pname) continue;
        if (p.type === "list_splat_pattern" || p.type === "dictionary_splat_pattern") {
          local.set(pname, dynamic(pname));
          continue;
        }
        const dflt = p.childForFieldName("value");
        const value = args.keywords.has(pname) ? args.keywords.get(pname) : i < args.positional.length ? args.positional[i] : undefined;
        i++;
        local.set(pname, value !== undefined ? value : dflt ? this.evaluate(dflt, new Map(), depth) : dynamic(pname));
      }
      const body = def.childForFieldName("body");
      if (!body) return undefined;
      const returns: Array<StaticValue | undefined> = [];
      const flow = this.#execBlock(body, local, returns, depth + 1);
      if (returns.length === 0) return flow === "return" ? null : undefined;
      const first = returns[0];
      return returns.every((r) => canonicalJson(r) === canonicalJson(first)) ? first : dynamic(`${fname}(…)`);
    } finally {
      this.#calling.delete(def.id);
    }
  }

  /** The JSON Schema pydantic derives from a model class's annotated fields (base models in the project included). */
  modelSchema(cls: PyNode, depth: number): Record<string, StaticValue> | null {
    if (depth > 8) return null;
    const properties: Record<string, StaticValue> = {};
    const required: string[] = [];
    let isModel = false;
    for (const base of classBases(cls)) {
      if (/^(?:pydantic\.)?BaseModel$/.test(base)) isModel = true;
      const r = /^\w+$/.test(base) ? this.resolve(base) : null;
      const inherited = r?.kind === "class" ? r.reader.modelSchema(r.node, depth + 1) : null;
      if (!inherited) continue;
      isModel = true;
      Object.assign(properties, inherited.properties);
      if (Array.isArray(inherited.required)) required.push(...(inherited.required as string[]));
    }
    if (!isModel) return null;
    for (const st of cls.childForFieldName("body")?.namedChildren ?? []) {
      const a = st?.type === "expression_statement" ? st.namedChildren[0] : null;
      const typeNode = a?.type === "assignment" ? a.childForFieldName("type") : null;
      const field = a?.childForFieldName("left");
      if (!a || !typeNode || field?.type !== "identifier" || field.text === "model_config") continue;
      const { type, optional } = pythonType(typeNode.text);
      properties[field.text] = JSON_TYPES[type] ?? { type: "object", properties: {} };
      const dflt = a.childForFieldName("right");
      const requiredByField =
        dflt?.type === "call" && /(?:^|\.)Field$/.test(dflt.childForFieldName("function")?.text ?? "")
          ? dflt.childForFieldName("arguments")?.namedChildren[0]?.type === "ellipsis"
          : false;
      if ((!dflt && !optional) || requiredByField) required.push(field.text);
    }
    return { type: "object", properties, required: [...new Set(required)] };
  }

  /** A dataclass, NamedTuple or model built with known arguments: a record of its fields. */
  instantiate(
    cls: PyNode,
    args: { positional: Array<StaticValue | undefined>; keywords: Map<string, StaticValue | undefined> },
    depth: number,
  ): StaticValue {
    const name = cls.childForFieldName("name")?.text ?? "object";
    const decorated = cls.parent?.type === "decorated_definition" ? cls.parent.namedChildren.filter((d) => d?.type === "decorator") : [];
    const isRecordClass =
      decorated.some((d) => RECORD_DECORATOR.test(d!.text.replace(/^@\s*/, ""))) || classBases(cls).some((b) => RECORD_BASES.test(b));
    if (!isRecordClass) return dynamic(`${name}(…)`);
    const out: Record<string, StaticValue> = {};
    let i = 0;
    for (const st of cls.childForFieldName("body")?.namedChildren ?? []) {
      const a = st?.type === "expression_statement" ? st.namedChildren[0] : null;
      if (a?.type !== "assignment" || !a.childForFieldName("type")) continue;
      const field = a.childForFieldName("left");
      if (field?.type !== "identifier") continue;
      const dflt = a.childForFieldName("right");
      const given = args.keywords.has(field.text)
        ? args.keywords.get(field.text)
        : i < args.positional.length
          ? args.positional[i]
          : undefined;
      i++;
      const v = given !== undefined ? given : dflt ? this.evaluate(dflt, new Map(), depth) : undefined;
      if (v !== undefined) out[field.text] = v;
    }
    return out;
  }
}

/** A built string or list, or a dynamic marker when it grew past what a declaration plausibly holds. */
function bounded<T extends string | StaticValue[]>(value: T, node: PyNode): T | ReturnType<typeof dynamic> {
  return value.length > (typeof value === "string" ? MAX_STRING : MAX_ARRAY) ? dynamic(node.text) : value;
}

/** JSON Schema for the field types `pythonType` names. */
const JSON_TYPES: Record<string, Record<string, StaticValue>> = {
  string: { type: "string" },
  number: { type: "number" },
  boolean: { type: "boolean" },
  array: { type: "array" },
  "object(open)": { type: "object", additionalProperties: true },
  enum: { enum: [] },
  any: {},
};

function paramName(p: PyNode): string | null {
  if (p.type === "identifier") return p.text;
  if (p.type === "list_splat_pattern" || p.type === "dictionary_splat_pattern") return p.namedChildren[0]?.text ?? null;
  const named = p.childForFieldName("name");
  if (named) return named.text;
  const first = p.namedChildren[0];
  if (first?.type === "identifier") return first.text;
  if (first?.type === "list_splat_pattern" || first?.type === "dictionary_splat_pattern") return first.namedChildren[0]?.text ?? null;
  return null;
}

function classBases(cls: PyNode): string[] {
  return (cls.childForFieldName("superclasses")?.namedChildren ?? [])
    .filter((c): c is PyNode => !!c && c.type !== "keyword_argument")
    .map((c) => c.text);
}

/** Names a loop target binds (`fn`, `name, fn`). */
function boundNames(target: PyNode): string[] {
  if (target.type === "identifier") return [target.text];
  return target.namedChildren.filter((c): c is PyNode => !!c).flatMap(boundNames);
}

/** Binds a loop target to the nodes of one element (`name, fn` to a dict pair or a 2-tuple). */
function bindNodes(target: PyNode, element: PyNode, out: Map<string, PyNode>): void {
  if (target.type === "identifier") {
    out.set(target.text, element);
    return;
  }
  const parts = target.namedChildren.filter((c): c is PyNode => !!c && c.type !== "comment");
  let inner = element;
  while (inner.type === "parenthesized_expression" && inner.namedChildren[0]) inner = inner.namedChildren[0];
  const values =
    inner.type === "pair"
      ? [inner.childForFieldName("key"), inner.childForFieldName("value")]
      : inner.type === "tuple" || inner.type === "list"
        ? inner.namedChildren.filter((c) => c?.type !== "comment")
        : [];
  if (values.length !== parts.length) return;
  parts.forEach((p, i) => {
    const v = values[i];
    if (v) bindNodes(p, v, out);
  });
}

/** Binds a loop or assignment target (`x`, `k, v`, `(a, b)`) to a value. */
function bindTargets(target: PyNode, value: StaticValue | undefined, env: Env): void {
  if (target.type === "identifier") {
    env.set(target.text, value);
    return;
  }
  if (
    target.type === "pattern_list" ||
    target.type === "tuple_pattern" ||
    target.type === "list_pattern" ||
    target.type === "tuple" ||
    target.type === "list"
  ) {
    const parts = target.namedChildren.filter((c): c is PyNode => !!c && c.type !== "comment");
    parts.forEach((p, i) => bindTargets(p, Array.isArray(value) && value.length === parts.length ? value[i] : dynamic(p.text), env));
  }
}

/** The items a `for` loop visits: list, tuple and set items, dict keys. Null when not known. */
function iterableItems(v: StaticValue | undefined): StaticValue[] | null {
  if (Array.isArray(v)) return v;
  if (isRecord(v) && !v.$spread) return Object.keys(v);
  return null;
}

/** Python truthiness of a known value; null when the value isn't known. */
function truthy(v: StaticValue | undefined): boolean | null {
  if (v === undefined || isDynamic(v)) return null;
  if (v === null) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isRecord(v)) return v.$spread ? null : Object.keys(v).length > 0;
  return Boolean(v);
}

function mergeEnvs(envs: Env[]): Env {
  const out: Env = new Map();
  if (envs.length === 0) return out;
  const keys = new Set(envs.flatMap((e) => [...e.keys()]));
  for (const k of keys) {
    const values = envs.map((e) => e.get(k));
    const first = values[0];
    const same = values.every((v) =>
      v === undefined ? first === undefined : first !== undefined && canonicalJson(v) === canonicalJson(first),
    );
    out.set(k, same ? first : dynamic(k));
  }
  return out;
}

/** A Python string literal's value; f-strings with interpolations are dynamic. */
function pythonString(node: PyNode): StaticValue {
  if (node.namedChildren.some((c) => c?.type === "interpolation")) return dynamic(node.text);
  const text = node.text;
  const prefix = /^[rRbBuUfF]{0,2}/.exec(text)![0];
  const rest = text.slice(prefix.length);
  const quote = rest.startsWith('"""') || rest.startsWith("'''") ? rest.slice(0, 3) : rest.slice(0, 1);
  if (!quote || !rest.endsWith(quote) || rest.length < quote.length * 2) return dynamic(text);
  const body = rest.slice(quote.length, rest.length - quote.length);
  return /r/i.test(prefix) ? body : decodePythonEscapes(body);
}

const SIMPLE_ESCAPES: Record<string, string> = {
  n: "\n",
  t: "\t",
  r: "\r",
  "\\": "\\",
  "'": "'",
  '"': '"',
  a: "\x07",
  b: "\b",
  f: "\f",
  v: "\v",
  "0": "\0",
  "\n": "",
};

export function decodePythonEscapes(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== "\\" || i === s.length - 1) {
      out += c;
      continue;
    }
    const n = s[i + 1]!;
    const hexLen = n === "x" ? 2 : n === "u" ? 4 : n === "U" ? 8 : 0;
    if (hexLen > 0) {
      const hex = s.slice(i + 2, i + 2 + hexLen);
      if (/^[0-9a-fA-F]+$/.test(hex) && hex.length === hexLen) {
        const cp = parseInt(hex, 16);
        out += cp <= 0x10ffff ? String.fromCodePoint(cp) : "";
        i += 1 + hexLen;
        continue;
      }
    }
    if (n in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[n];
      i += 1;
      continue;
    }
    out += c;
  }
  return out;
}

/** What Python's `inspect.cleandoc` does to a docstring: FastMCP and Python 3.13 use the cleaned text. */
export function cleandoc(doc: string): string {
  const lines = doc.replace(/\t/g, "        ").split("\n");
  let indent = Infinity;
  for (const line of lines.slice(1)) if (line.trim()) indent = Math.min(indent, line.length - line.trimStart().length);
  const cleaned = [lines[0]!.trimStart(), ...lines.slice(1).map((l) => (Number.isFinite(indent) ? l.slice(indent) : l))];
  while (cleaned.length > 0 && !cleaned[0]!.trim()) cleaned.shift();
  while (cleaned.length > 0 && !cleaned[cleaned.length - 1]!.trim()) cleaned.pop();
  return cleaned.map((l) => l.trimEnd()).join("\n");
}

function dedentPython(s: string): string {
  const lines = s.split("\n");
  let indent = Infinity;
  for (const line of lines) if (line.trim()) indent = Math.min(indent, line.length - line.trimStart().length);
  return Number.isFinite(indent) ? lines.map((l) => l.slice(indent)).join("\n") : s;
}

function docstring(def: PyNode, reader: PyFileReader): StaticValue | undefined {
  const expr = docstringNode(def);
  if (!expr) return undefined;
  const v = reader.evaluate(expr);
  return typeof v === "string" ? cleandoc(v) : v;
}

/** A function's docstring: the string its body starts with. */
function docstringNode(def: PyNode): PyNode | null {
  const first = def.childForFieldName("body")?.namedChildren.find((c) => c && c.type !== "comment");
  const expr = first?.type === "expression_statement" ? first.namedChildren[0] : null;
  return expr && (expr.type === "string" || expr.type === "concatenated_string") ? expr : null;
}

/** The description's own place, when it is not the declaration's line. */
function describedAtOf(
  described: { path: string; node: PyNode } | null | undefined,
  declared: { path: string; line: number },
): { descriptionAt?: { path: string; line: number } } {
  if (!described) return {};
  const at = { path: described.path, line: described.node.startPosition.row + 1 };
  return at.path === declared.path && at.line === declared.line ? {} : { descriptionAt: at };
}

/** Where each dictionary literal the evaluator read is written: a tool's `annotations` set up before the tool. */
const DICT_PLACES = new WeakMap<object, { path: string; line: number }>();

/** The annotations' own place, when they are written apart from the declaration (a dict built before a loop's tool). */
function annotatedAtOf(annotations: StaticValue | undefined, declared: { path: string; line: number }): { annotationsAt?: { path: string; line: number } } {
  const at = isRecord(annotations) ? DICT_PLACES.get(annotations) : undefined;
  return !at || (at.path === declared.path && at.line === declared.line) ? {} : { annotationsAt: at };
}

const CONTEXT_TYPES = /\b(?:Context|RequestContext|ServerSession)\b/;

/** FastMCP builds the input schema from the signature: read it the same way. */
function pythonSignatureSchema(def: PyNode): InputSchemaSummary {
  const fields: InputField[] = [];
  let open = false;
  for (const p of def.childForFieldName("parameters")?.namedChildren ?? []) {
    if (!p || p.type === "comment") continue;
    if (
      p.type === "dictionary_splat_pattern" ||
      (p.type === "typed_parameter" && p.namedChildren[0]?.type === "dictionary_splat_pattern")
    ) {
      open = true;
      continue;
    }
    if (p.type === "list_splat_pattern" || p.type === "keyword_separator" || p.type === "positional_separator") continue;
    const name = p.type === "identifier" ? p.text : (p.childForFieldName("name")?.text ?? p.namedChildren[0]?.text);
    if (!name || name === "self" || name === "cls") continue;
    const typeText = p.childForFieldName("type")?.text ?? null;
    if (typeText && CONTEXT_TYPES.test(typeText)) continue;
    const hasDefault = p.type === "default_parameter" || p.type === "typed_default_parameter";
    const { type, optional } = pythonType(typeText);
    fields.push({ name, type, optional: optional || hasDefault });
  }
  return { kind: "python", fields, open };
}

function pythonType(text: string | null): { type: string; optional: boolean } {
  if (!text) return { type: "any", optional: false };
  let t = text.replace(/\s+/g, "");
  let optional = false;
  const annotated = /^(?:typing\.)?Annotated\[(.{1,500}?),/.exec(t);
  if (annotated) t = annotated[1]!;
  const opt = /^(?:typing\.)?Optional\[(.{1,500})\]$/.exec(t);
  if (opt) {
    t = opt[1]!;
    optional = true;
  }
  if (/\|None$|^None\|/.test(t)) {
    t = t.replace(/\|None$|^None\|/, "");
    optional = true;
  }
  const base = t.replace(/\[.*$/, "").replace(/^typing\./, "");
  const map: Record<string, string> = {
    str: "string",
    int: "number",
    float: "number",
    bool: "boolean",
    list: "array",
    List: "array",
    Sequence: "array",
    tuple: "array",
    set: "array",
    dict: "object(open)",
    Dict: "object(open)",
    Mapping: "object(open)",
    Any: "any",
    object: "any",
    Literal: "enum",
  };
  return { type: map[base] ?? (/^[A-Z]/.test(base) ? "object" : base || "any"), optional };
}
