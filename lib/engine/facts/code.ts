// The code facts of a whole scan, linked: imports resolved to files, calls to the functions they call (across files,
// through imports, `this`/`self` methods and `new Class()` instances) and to module-qualified names. Checks read
// these through the small lookups below.
import type { CallFact, ClassFact, CodeFactsData, FnId, FunctionFact, ImportFact, SourceFileFact, Value } from "@/lib/core/facts";
import { resolveJsImport } from "./js";
import { resolvePythonImport } from "./py";

interface ImportBinding {
  module: string;
  imported: string;
  resolvedPath: string | null;
}

const MAX_FOLLOW = 8;

export class CodeFacts {
  readonly files: readonly SourceFileFact[];
  readonly functions: readonly FunctionFact[];
  readonly calls: readonly CallFact[];
  readonly assignments: CodeFactsData["assignments"];
  readonly comparisons: CodeFactsData["comparisons"];
  readonly accesses: CodeFactsData["accesses"];
  readonly imports: readonly ImportFact[];
  readonly classes: readonly ClassFact[];
  readonly jsxAttributes: CodeFactsData["jsxAttributes"];
  readonly objects: CodeFactsData["objects"];

  readonly #fileByPath = new Map<string, SourceFileFact>();
  readonly #importsByFile = new Map<string, Map<string, ImportBinding>>();
  readonly #callsByName = new Map<string, CallFact[]>();
  /** Calls by callee as written and as resolved (`callee\nresolved`): a scan has thousands of calls per distinct name. */
  readonly #callsByCallee = new Map<string, CallFact[]>();
  /** Each call's entry in #callsByCallee, by call id (its position among the entries). */
  #calleeEntryOf = new Uint32Array(0);
  readonly #callsWhere = new WeakMap<(callee: string, resolved: string) => boolean, readonly CallFact[]>();
  readonly #classByName = new Map<string, ClassFact[]>();
  readonly #callers = new Map<FnId, CallFact[]>();
  readonly #children = new Map<FnId, FnId[]>();
  readonly #functionsByPath = new Map<string, FunctionFact[]>();

  /** `pace` is the engine's yield point (ScanOptions.pace): linking calls it between files. */
  constructor(data: CodeFactsData, { pace = () => {} }: { pace?: () => void } = {}) {
    this.files = data.files;
    this.functions = data.functions;
    this.calls = data.calls;
    this.assignments = data.assignments;
    this.comparisons = data.comparisons;
    this.accesses = data.accesses;
    this.imports = data.imports;
    this.classes = data.classes;
    this.jsxAttributes = data.jsxAttributes;
    this.objects = data.objects;
    for (const f of data.files) this.#fileByPath.set(f.path, f);
    for (const f of data.functions) {
      if (f.parent !== null) (this.#children.get(f.parent) ?? this.#children.set(f.parent, []).get(f.parent)!).push(f.id);
      (this.#functionsByPath.get(f.path) ?? this.#functionsByPath.set(f.path, []).get(f.path)!).push(f);
    }
    for (const c of data.classes) {
      const list = this.#classByName.get(c.name) ?? [];
      list.push(c);
      this.#classByName.set(c.name, list);
    }
    this.#resolveImports(pace);
    this.#linkCalls(pace);
  }

  // ---- lookups ----

  fn(id: FnId): FunctionFact {
    return this.functions[id]!;
  }

  file(path: string): SourceFileFact | undefined {
    return this.#fileByPath.get(path);
  }

  /** The file a function is in. */
  fileOf(fn: FnId | FunctionFact): SourceFileFact | undefined {
    return this.#fileByPath.get(typeof fn === "number" ? this.fn(fn).path : fn.path);
  }

  callOf(value: Value): CallFact | null {
    return value.kind === "call" ? (this.calls[value.call] ?? null) : null;
  }

  /** Calls whose written or resolved callee ends with `.name` or is `name`. */
  callsNamed(name: string): readonly CallFact[] {
    return this.#callsByName.get(name) ?? [];
  }

  /**
   * The calls whose callee may matter to a rule, in call order: `may` is asked once per distinct callee (as written
   * and as resolved) instead of once per call, and its answer is kept for the scan, so pass a function defined once
   * (module level), never a new closure. `may` must depend on nothing but the two names.
   */
  callsWhere(may: (callee: string, resolved: string) => boolean): readonly CallFact[] {
    const known = this.#callsWhere.get(may);
    if (known) return known;
    const lists: CallFact[][] = [];
    const passed = new Uint8Array(this.#callsByCallee.size);
    let entry = 0;
    for (const list of this.#callsByCallee.values()) {
      if (may(list[0]!.callee, list[0]!.resolved)) {
        lists.push(list);
        passed[entry] = 1;
      }
      entry++;
    }
    // Several names: one pass over the calls keeps call order (sorting merged lists cost more on large scans).
    const out = lists.length <= 1 ? (lists[0] ?? []) : this.calls.filter((_, i) => passed[this.#calleeEntryOf[i]!] === 1);
    this.#callsWhere.set(may, out);
    return out;
  }

  /** The calls that reach a function (linked by the call graph). */
  callersOf(fn: FnId): readonly CallFact[] {
    return this.#callers.get(fn) ?? [];
  }

  /** The functions of one file, module function first. */
  functionsIn(path: string): readonly FunctionFact[] {
    return this.#functionsByPath.get(path) ?? [];
  }

  /** Functions written directly inside a function (callbacks, closures, methods of an object it builds). */
  childrenOf(fn: FnId): readonly FnId[] {
    return this.#children.get(fn) ?? [];
  }

  /** What a name means at a place in a function: its bound values, looked up through the enclosing functions. */
  lookup(fn: FnId, name: string): readonly Value[] {
    let f: FunctionFact | undefined = this.functions[fn];
    for (let hops = 0; f && hops < 50; hops++) {
      const bound = f.bindings[name];
      if (bound && bound.length > 0) return bound;
      f = f.parent === null ? undefined : this.functions[f.parent];
    }
    return [];
  }

  /** The function that declares a name as a parameter, seen from `fn` (closures see their parents' parameters). */
  paramOwner(fn: FnId, name: string): { fn: FunctionFact; index: number } | null {
    let f: FunctionFact | undefined = this.functions[fn];
    for (let hops = 0; f && hops < 50; hops++) {
      if (f.bindings[name]?.length) return null;
      const index = f.params.findIndex((p) => p.name === name);
      if (index !== -1) return { fn: f, index };
      f = f.parent === null ? undefined : this.functions[f.parent];
    }
    return null;
  }

  importOf(path: string, local: string): ImportBinding | undefined {
    return this.#importsByFile.get(path)?.get(local);
  }

  /** The functions a value may be, following names, imports and re-exports (bounded). */
  functionsOf(value: Value, fn: FnId, depth = 0): FunctionFact[] {
    if (depth > MAX_FOLLOW) return [];
    if (value.kind === "function") return [this.fn(value.fn)];
    if (value.kind === "unknown" && (value.op === "||" || value.op === "??" || value.op === "?:")) return value.parts.flatMap((p) => this.functionsOf(p, fn, depth + 1));
    if (value.kind === "call") {
      // `handler.bind(this)`, `wrap(handler)`: the function passed in.
      const call = this.calls[value.call]!;
      if (call.callee.endsWith(".bind") && call.receiver) return this.functionsOf(call.receiver, fn, depth + 1);
      return [];
    }
    // `const { read } = makeCache()`: the entry of the object the factory returns.
    if (value.kind === "member") return this.#returnedEntry(value.object, value.property, fn, depth);
    if (value.kind !== "ref") return [];
    return this.#functionsAtPath(this.fn(fn), value.path, depth);
  }

  /** The functions under `property` of the object literals a repository function returns when called as `made`. */
  #returnedEntry(made: Value, property: string, fn: FnId, depth: number): FunctionFact[] {
    const call = this.callOf(made);
    if (!call || call.target === null) return [];
    const factory = this.fn(call.target);
    const out: FunctionFact[] = [];
    for (const r of factory.returns.slice(0, 8)) {
      const entry = r.kind === "object" ? [...r.entries].reverse().find((e) => e.key === property) : undefined;
      if (entry) out.push(...this.functionsOf(entry.value, factory.id, depth + 1));
    }
    return out;
  }

  #functionsAtPath(from: FunctionFact, path: string, depth: number): FunctionFact[] {
    const [root, ...rest] = path.split(".");
    if (!root) return [];
    if ((root === "this" || root === "self" || root === "cls") && rest.length === 1 && from.className) {
      const method = this.#method(from.className, rest[0]!, from.path);
      if (method) return [method];
      const field = this.lookup(from.id, `${root}.${rest[0]}`);
      return field.flatMap((v) => this.functionsOf(v, from.id, depth + 1));
    }
    const bound = this.lookup(from.id, root);
    if (bound.length > 0) {
      if (rest.length === 0) return bound.flatMap((v) => this.functionsOf(v, from.id, depth + 1));
      // obj.method(): an object literal's entry, or a method of the class obj was made from.
      const out: FunctionFact[] = [];
      for (const v of bound) {
        if (v.kind === "object" && rest.length === 1) {
          const entry = v.entries.find((e) => e.key === rest[0]);
          if (entry) out.push(...this.functionsOf(entry.value, from.id, depth + 1));
        }
        const made = this.callOf(v);
        if (made && rest.length === 1) {
          const cls = made.callee.split(".").pop() ?? "";
          const method = this.#method(cls, rest[0]!, from.path);
          if (method) out.push(method);
          else out.push(...this.#returnedEntry(v, rest[0]!, from.id, depth));
        }
      }
      return out;
    }
    // `client.getBatch()` on a parameter declared as `client: BrewfatherClient`: that class's method.
    if (rest.length === 1) {
      const typed = this.#typedParamMethod(from, root, rest[0]!);
      if (typed) return [typed];
    }
    const imported = this.importOf(from.path, root) ?? this.#dottedImport(from.path, path);
    if (imported?.resolvedPath) {
      const names = imported.imported === "*" || imported.imported === "default" ? rest : [imported.imported, ...rest];
      if (imported.imported === "default" && rest.length === 0) return this.#exported(imported.resolvedPath, "default", depth);
      if (names.length === 0) return [];
      return this.#exported(imported.resolvedPath, names.join("."), depth);
    }
    // A class called directly: its constructor.
    if (rest.length === 0) {
      const cls = (this.#classByName.get(root) ?? []).find((c) => c.path === from.path);
      const init = cls ? this.#method(cls.name, "__init__", cls.path) ?? this.#method(cls.name, "constructor", cls.path) : null;
      if (init) return [init];
    }
    return [];
  }

  #dottedImport(path: string, dotted: string): ImportBinding | undefined {
    // Python `import pkg.mod` binds the dotted name; `pkg.mod.fn()` starts with it.
    const table = this.#importsByFile.get(path);
    if (!table) return undefined;
    for (const [local, binding] of table) if (local.includes(".") && dotted.startsWith(`${local}.`)) return { ...binding, imported: "*" };
    return undefined;
  }

  /** Functions exported by a file under a (possibly dotted) name, following re-exports. */
  #exported(path: string, name: string, depth: number): FunctionFact[] {
    if (depth > MAX_FOLLOW) return [];
    const file = this.#fileByPath.get(path);
    if (!file || file.module === null) return [];
    const [first, ...rest] = name.split(".");
    const value = file.exports[first!];
    if (value) {
      if (rest.length === 0) return this.functionsOf(value, file.module, depth + 1);
      if (value.kind === "ref") return this.#functionsAtPath(this.fn(file.module), [value.path, ...rest].join("."), depth + 1);
      if (value.kind === "object") {
        const entry = value.entries.find((e) => e.key === rest[0]);
        return entry ? this.functionsOf(entry.value, file.module, depth + 1) : [];
      }
      return [];
    }
    // Python modules export every top-level name; JS re-exports (`export … from`) were recorded as imports.
    const reexport = this.importOf(path, `export:${first}`) ?? this.importOf(path, "export:*");
    if (reexport?.resolvedPath) return this.#exported(reexport.resolvedPath, reexport.imported === "*" ? name : [reexport.imported, ...rest].join("."), depth + 1);
    return this.#functionsAtPath(this.fn(file.module), name, depth + 1);
  }

  /** The method of the class a parameter is declared as (`client: Client`, `client?: Client | null`, `api: "Client"`). */
  #typedParamMethod(from: FunctionFact, name: string, method: string): FunctionFact | null {
    const owner = this.paramOwner(from.id, name);
    const type = owner?.fn.params[owner.index]?.type;
    const cls = type ? /^\s*["']?([A-Za-z_$][\w$]*)["']?\s*(?:\|\s*(?:null|undefined|None)\s*)?$/.exec(type.replace(/^Optional\[(.*)\]$/, "$1"))?.[1] : undefined;
    return cls ? this.#method(cls, method, from.path) : null;
  }

  #method(className: string, name: string, preferPath: string): FunctionFact | null {
    const classes = this.#classByName.get(className) ?? [];
    const ordered = [...classes.filter((c) => c.path === preferPath), ...classes.filter((c) => c.path !== preferPath)];
    for (const c of ordered) {
      for (const id of c.methods) {
        const m = this.fn(id);
        if (m.name === name) return m;
      }
    }
    return null;
  }

  // ---- linking ----

  #resolveImports(pace: () => void): void {
    const exists = (p: string) => this.#fileByPath.has(p);
    const pyPaths = this.files.filter((f) => f.language === "py").map((f) => f.path);
    const findPy = (candidates: string[]): string | null => {
      for (const c of candidates) if (exists(c)) return c;
      // Absolute imports in a src/ layout or a subfolder: match by suffix, shortest path first.
      for (const c of candidates) {
        const hit = pyPaths.filter((p) => p.endsWith(`/${c}`)).sort((a, b) => a.length - b.length)[0];
        if (hit) return hit;
      }
      return null;
    };
    let path: string | null = null;
    for (const imp of this.imports) {
      if (imp.path !== path) {
        path = imp.path;
        pace();
      }
      const file = this.#fileByPath.get(imp.path);
      if (!file) continue;
      (imp as { resolvedPath: string | null }).resolvedPath =
        file.language === "js" ? resolveJsImport(imp.path, imp.module, exists) : resolvePythonImport(imp.path, imp.module, findPy);
      let table = this.#importsByFile.get(imp.path);
      if (!table) this.#importsByFile.set(imp.path, (table = new Map()));
      for (const n of imp.names) {
        // `from pkg import mod` where pkg/mod.py exists: the name is a module.
        let resolvedPath = imp.resolvedPath;
        let imported = n.imported;
        if (file.language === "py" && n.imported !== "*" && resolvedPath?.endsWith("__init__.py")) {
          const sub = findPy([`${resolvedPath.slice(0, -"__init__.py".length)}${n.imported}.py`]);
          if (sub && !this.#fileByPath.get(resolvedPath)?.exports[n.imported]) {
            resolvedPath = sub;
            imported = "*";
          }
        } else if (file.language === "py" && n.imported !== "*" && imp.resolvedPath === null && !imp.module.startsWith(".")) {
          const sub = findPy([`${imp.module.replace(/\./g, "/")}/${n.imported}.py`]);
          if (sub) {
            resolvedPath = sub;
            imported = "*";
          }
        }
        table.set(n.local, { module: imp.module, imported, resolvedPath });
      }
    }
  }

  /** The entry of #callsByCallee for a (callee, resolved) pair; entries are numbered in the order they appear. */
  #calleeEntry(
    entries: Map<string, Map<string, CalleeEntry>>,
    callee: string,
    resolved: string,
  ): CalleeEntry {
    let byResolved = entries.get(callee);
    if (!byResolved) entries.set(callee, (byResolved = new Map()));
    let entry = byResolved.get(resolved);
    if (!entry) {
      byResolved.set(resolved, (entry = { index: this.#callsByCallee.size, calls: [] }));
      this.#callsByCallee.set(`${callee}\n${resolved}`, entry.calls);
    }
    return entry;
  }

  #linkCalls(pace: () => void): void {
    // A file calls the same few names many times (`z.string()` on every line of a schema): each name is resolved once
    // per file, and looked up once per calling function. Both answers depend only on those keys, kept in nested maps
    // (file, then callee; function, then callee); calls come file by file, so the current file's and function's maps
    // are kept at hand, and a call costs a lookup or two and no new strings.
    const resolvedIn = new Map<string, Map<string, LinkedCallee>>();
    const targetsIn = new Map<FnId, Map<string, FunctionFact[]>>();
    const entries = new Map<string, Map<string, CalleeEntry>>();
    this.#calleeEntryOf = new Uint32Array(this.calls.length);
    let path: string | null = null;
    let file: SourceFileFact | undefined;
    let byCallee = new Map<string, LinkedCallee>();
    let fnId: FnId | null = null;
    let byName = new Map<string, FunctionFact[]>();
    for (const [i, call] of this.calls.entries()) {
      if (call.path !== path) {
        pace();
        path = call.path;
        file = this.#fileByPath.get(path);
        byCallee = resolvedIn.get(path) ?? new Map();
        resolvedIn.set(path, byCallee);
      }
      const from = this.functions[call.fn];
      if (!file || !from) {
        const entry = this.#calleeEntry(entries, call.callee, call.resolved);
        entry.calls.push(call);
        this.#calleeEntryOf[i] = entry.index;
        continue;
      }
      let linked = byCallee.get(call.callee);
      if (!linked) {
        const resolved = this.#canonical(call, file);
        const names = [...new Set([lastSegment(call.callee), lastSegment(resolved)])].filter(Boolean);
        const lists = names.map((name) => this.#callsByName.get(name) ?? this.#callsByName.set(name, []).get(name)!);
        const entry = this.#calleeEntry(entries, call.callee, resolved);
        byCallee.set(call.callee, (linked = { resolved, lists, entry, linkable: call.callee !== "" && !call.callee.includes("()") }));
      }
      call.resolved = linked.resolved;
      linked.entry.calls.push(call);
      this.#calleeEntryOf[i] = linked.entry.index;
      if (linked.linkable) {
        if (from.id !== fnId) {
          fnId = from.id;
          byName = targetsIn.get(fnId) ?? new Map();
          targetsIn.set(fnId, byName);
        }
        let targets = byName.get(call.callee);
        if (!targets) byName.set(call.callee, (targets = this.#functionsAtPath(from, call.callee, 0)));
        const target = targets.find((t) => t.id !== call.fn) ?? null;
        if (target) {
          call.target = target.id;
          const list = this.#callers.get(target.id);
          if (list) list.push(call);
          else this.#callers.set(target.id, [call]);
        }
      }
      for (const list of linked.lists) list.push(call);
    }
  }

  /** The callee through imports: `jwt.decode` after `import jwt from "jsonwebtoken"` is `jsonwebtoken.decode`. */
  #canonical(call: CallFact, file: SourceFileFact): string {
    const callee = call.callee;
    if (callee === "") return "";
    const dot = callee.indexOf(".");
    const root = dot === -1 ? callee : callee.slice(0, dot);
    const rest = dot === -1 ? "" : callee.slice(dot);
    const imported = this.importOf(file.path, root) ?? this.#dottedImport(file.path, callee);
    if (!imported || imported.resolvedPath) return callee;
    const moduleName = imported.module.replace(/^node:/, "");
    // `import requests` / `import * as jwt from "jsonwebtoken"`: the local name stands for the module.
    if (imported.imported === "*" && this.importOf(file.path, root)) return `${moduleName}${rest}`;
    // Python `import a.b` binds the dotted name itself: `a.b.c()` is `a.b` + `.c`.
    if (imported.imported === "*") return `${moduleName}${callee.slice(moduleName.length)}`;
    if (imported.imported === "default") return `${moduleName}${rest}`;
    return `${moduleName}.${imported.imported}${rest}`;
  }
}

/** The calls of one (callee, resolved) pair, and the pair's position among the entries. */
interface CalleeEntry {
  index: number;
  calls: CallFact[];
}

/** A callee as one file names it: what it resolves to through imports, and the names it is found by. */
interface LinkedCallee {
  resolved: string;
  /** The lists of #callsByName it belongs to (by its last name as written and as resolved). */
  lists: CallFact[][];
  /** Its entry of #callsByCallee. */
  entry: CalleeEntry;
  /** A plain name chain, which may name a function of the repository. */
  linkable: boolean;
}

function lastSegment(name: string): string {
  const i = name.lastIndexOf(".");
  return i === -1 ? name : name.slice(i + 1);
}
