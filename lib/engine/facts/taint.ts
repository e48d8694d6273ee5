// Follows a value back to the inputs it comes from, keeping the way it went: the tool input or request part it
// enters as, the calls that carry it into helpers (and back out of them), and the names it has on the way, so a check
// can say "the `url` input of read_pdf reaches this fetch through readPdfRange()" and look for the checks made on it.
// Context-sensitive where it is cheap: a value computed by a helper maps the helper's parameters back to the
// arguments of that very call. Only data-preserving operations carry data (string and path functions, URL and
// schema parsing, constructors); a database or SDK call given an id returns a record, not the id. Bounded throughout.
import type { CallFact, FnId, Origin, Value } from "@/lib/core/facts";
import type { CodeFacts } from "./code";
import { argumentFor, OPAQUE_CALL, refine, sourceCall, type Flow } from "./flow";

export type TaintOrigin = Extract<Origin, { kind: "tool-input" | "request" }>;

export interface TaintStep {
  path: string;
  line: number;
  /** The helper the value is handed to (or computed by) at this call. */
  callee: string;
}

export interface TaintPath {
  origin: TaintOrigin;
  /** Where it enters: the handler function (tool and route inputs) or the call that reads the request. */
  entry: { fn: FnId; path: string; line: number };
  /** Calls that carry it toward the sink, from the entry on. */
  steps: TaintStep[];
  /** The names it has in each function on the way (for finding the checks made on it), from the entry on. */
  names: Array<{ fn: FnId; name: string }>;
}

/** Calls whose result makes a value harmless for one use: `encodeURIComponent` for a URL path, `shlex.quote` for a shell. */
export type Sanitizer = (callee: string) => boolean;

interface CallContext {
  call: CallFact;
  callee: FnId;
  parent: CallContext | null;
}

const MAX_DEPTH = 20;
const MAX_PATHS = 32;
const MAX_CALLERS = 30;
const MAX_BINDINGS = 12;
const BUDGET = 300_000;

// Functions whose result is (a form of) their arguments.
const PASS_ARGS =
  /^(?:path\.(?:join|resolve|normalize|posix\.join|win32\.join)|os\.path\.(?:join|abspath|normpath|realpath|expanduser|expandvars)|posixpath\.join|ntpath\.join|(?:pathlib\.)?(?:Path|PurePath|PosixPath|WindowsPath)|anyio\.Path|URL|url\.URL|urljoin|\w+\.urljoin|(?:urllib\.parse\.)?(?:urlparse|urlsplit|urlunparse|urlunsplit)|url\.parse|String|str|Buffer\.from|decodeURIComponent|decodeURI|unquote|\w+\.unquote|fileURLToPath|url\.fileURLToPath|Array\.from|Object\.assign|structuredClone|JSON\.parse|json\.loads|dict|list|tuple)$/;
// Methods whose result is (a form of) the object they are called on.
const PASS_RECEIVER =
  /\.(?:replace|replaceAll|trim|trimStart|trimEnd|toLowerCase|toUpperCase|toLocaleLowerCase|slice|substring|substr|split|concat|strip|lstrip|rstrip|lower|upper|casefold|removeprefix|removesuffix|encode|decode|normalize|resolve|absolute|expanduser|joinpath|with_name|with_suffix|as_posix|toString|valueOf|get|pop|at|copy|values|items|keys|flat|join|format|model_dump|dict|to_dict)$/;
// Methods whose result is (a form of) their argument: joining and formatting (`"/".join(parts)`), schema parsing
// (`Schema.parse(args)`, `Model.model_validate(data)`).
const PASS_METHOD_ARGS = /\.(?:join|format|concat|parse|safeParse|parseAsync|safeParseAsync|model_validate|validate|parse_obj|from_dict|validate_python|cast)$/;

export class TaintTracer {
  readonly #code: CodeFacts;
  readonly #flow: Flow;
  readonly #outbound: ReadonlySet<number>;
  readonly #memo = new Map<string, TaintPath[]>();
  readonly #inProgress = new Set<string>();
  readonly #valueIds = new WeakMap<Value, number>();
  #nextId = 0;
  #budget = BUDGET;

  constructor(code: CodeFacts, flow: Flow, outboundCalls: ReadonlySet<number>) {
    this.#code = code;
    this.#flow = flow;
    this.#outbound = outboundCalls;
  }

  /** The ways data from tool inputs and requests reaches `value`, read in function `fn`. */
  trace(value: Value, fn: FnId, sanitizer: Sanitizer, sanitizerKey: string): TaintPath[] {
    const found = this.#walk(value, fn, null, { sanitizer, key: sanitizerKey }, 0);
    const name = value.kind === "ref" ? value.path : null;
    return name ? found.map((p) => ({ ...p, names: [...p.names, { fn, name }] })) : found;
  }

  #walk(v: Value, fn: FnId, ctx: CallContext | null, s: { sanitizer: Sanitizer; key: string }, depth: number): TaintPath[] {
    if (depth > MAX_DEPTH || this.#budget <= 0) return [];
    if (v.kind === "string" || v.kind === "number" || v.kind === "boolean" || v.kind === "null" || v.kind === "function") return [];
    this.#budget--;
    let id = this.#valueIds.get(v);
    if (id === undefined) this.#valueIds.set(v, (id = this.#nextId++));
    const key = `${id}:${fn}:${contextKey(ctx)}:${s.key}`;
    const memo = this.#memo.get(key);
    if (memo) return memo;
    if (this.#inProgress.has(key)) return [];
    this.#inProgress.add(key);
    let out: TaintPath[];
    try {
      out = dedupe(this.#compute(v, fn, ctx, s, depth + 1));
    } finally {
      this.#inProgress.delete(key);
    }
    this.#memo.set(key, out);
    return out;
  }

  #union(values: readonly Value[], fn: FnId, ctx: CallContext | null, s: { sanitizer: Sanitizer; key: string }, depth: number): TaintPath[] {
    const out: TaintPath[] = [];
    for (const v of values.slice(0, 40)) {
      out.push(...this.#walk(v, fn, ctx, s, depth));
      if (out.length > MAX_PATHS * 2) break;
    }
    return out;
  }

  #compute(v: Value, fn: FnId, ctx: CallContext | null, s: { sanitizer: Sanitizer; key: string }, depth: number): TaintPath[] {
    switch (v.kind) {
      case "template":
        return this.#union(v.parts, fn, ctx, s, depth);
      case "array":
        return this.#union(v.items, fn, ctx, s, depth);
      case "object":
        return this.#union(
          v.entries.map((e) => e.value),
          fn,
          ctx,
          s,
          depth,
        );
      case "unknown":
        if (/^(?:!|compare|regex|jsx|typeof|instanceof|in|delete|void)$/.test(v.op)) return [];
        return this.#union(v.op === "element" ? v.parts.slice(0, 1) : v.parts, fn, ctx, s, depth);
      case "member":
        return this.#walk(v.object, fn, ctx, s, depth).map((p) => refined(p, v.property));
      case "call":
        return this.#call(this.#code.calls[v.call]!, ctx, s, depth);
      case "ref":
        return this.#ref(v.path, fn, ctx, s, depth);
      default:
        return [];
    }
  }

  #ref(path: string, fn: FnId, ctx: CallContext | null, s: { sanitizer: Sanitizer; key: string }, depth: number): TaintPath[] {
    // Environment variables, and a Worker's `env.API_KEY` (unless `env` here is a value taken from an input).
    if (/^(?:process\.env|os\.environ|import\.meta\.env|Deno\.env)(?:\.|$)/.test(path)) return [];
    if (/^(?:this\.)?env\.[A-Z][A-Z0-9_]*$/.test(path) && (path.startsWith("this.") || this.#code.lookup(fn, "env").length === 0)) return [];
    const [root, ...rest] = path.split(".");
    if (!root) return [];
    const owner = this.#code.paramOwner(fn, root);
    if (owner) return this.#param(owner.fn.id, owner.index, rest, path, ctx, s, depth);
    // A name bound here or in an enclosing function: what was assigned to it.
    for (let f: number | null = fn, hops = 0; f !== null && hops < 50; hops++) {
      const fact = this.#code.fn(f);
      const bound = fact.bindings[root];
      if (bound && bound.length > 0) {
        const found = this.#union(bound.slice(0, MAX_BINDINGS), f, ctx, s, depth);
        const at = f;
        return found.map((p) => ({ ...rest.reduce(refined, p), names: [...p.names, { fn: at, name: path }] }));
      }
      f = fact.parent;
    }
    // The module-level `request` of Flask and Quart: the data flow knows it.
    if (root === "request") return this.#flow.origins({ kind: "ref", path, text: path }, fn).filter(isTainted).map((origin) => leaf(origin, this.#code, fn, null));
    // `this.url` / `self.url` assigned elsewhere in the class.
    if ((root === "this" || root === "self") && rest.length > 0) {
      const cls = this.#code.fn(fn).className;
      if (!cls) return [];
      const field = `${root}.${rest[0]}`;
      const out: TaintPath[] = [];
      for (const a of this.#fieldAssignments().get(field) ?? []) {
        if (this.#code.fn(a.fn).className !== cls) continue;
        out.push(...this.#walk(a.value, a.fn, null, s, depth).map((p) => rest.slice(1).reduce(refined, p)));
        if (out.length > MAX_PATHS) break;
      }
      return out;
    }
    return [];
  }

  #fields: Map<string, CodeFacts["assignments"][number][]> | null = null;
  /** Assignments to `this.x` / `self.x`, by target, indexed once. */
  #fieldAssignments(): Map<string, CodeFacts["assignments"][number][]> {
    if (this.#fields) return this.#fields;
    this.#fields = new Map();
    for (const a of this.#code.assignments) {
      if (!/^(?:this|self)\.[\w$]+$/.test(a.target)) continue;
      (this.#fields.get(a.target) ?? this.#fields.set(a.target, []).get(a.target)!).push(a);
    }
    return this.#fields;
  }

  /** A parameter: an input where it is declared as one, else what this call (or every caller) passes in. */
  #param(fnId: FnId, index: number, rest: string[], written: string, ctx: CallContext | null, s: { sanitizer: Sanitizer; key: string }, depth: number): TaintPath[] {
    const fn = this.#code.fn(fnId);
    const named = (p: TaintPath): TaintPath => ({ ...p, names: [...p.names, { fn: fnId, name: written }] });
    const source = this.#flow.paramSource(fnId, index, rest.join("."));
    if (source !== null) return source.filter(isTainted).map((origin) => ({ ...leaf(origin, this.#code, fnId, null), names: [{ fn: fnId, name: written }] }));
    if (ctx && ctx.callee === fnId) {
      const arg = argumentFor(ctx.call, fn, index);
      return arg ? this.#walkField(arg, rest, ctx.call.fn, ctx.parent, s, depth).map(named) : [];
    }
    const passedTo = this.#flow.callbackOf(fnId);
    if (passedTo?.receiver) return this.#walk(passedTo.receiver, passedTo.fn, null, s, depth).map((p) => named(rest.reduce(refined, p)));
    const out: TaintPath[] = [];
    for (const c of this.#code.callersOf(fnId).slice(0, MAX_CALLERS)) {
      const arg = argumentFor(c, fn, index);
      if (!arg) continue;
      const step = { path: c.path, line: c.line, callee: fn.name ?? c.callee };
      out.push(...this.#walkField(arg, rest, c.fn, null, s, depth).map((p) => named({ ...p, steps: [...p.steps, step] })));
      if (out.length > MAX_PATHS * 2) break;
    }
    return out;
  }

  /**
   * A field of an argument: `{ code, upstream_url: URL }` passed to a function that reads `upstream_url` gives that
   * entry alone, not every value of the object. Anything but an object literal is followed whole.
   */
  #walkField(arg: Value, rest: readonly string[], fn: FnId, ctx: CallContext | null, s: { sanitizer: Sanitizer; key: string }, depth: number): TaintPath[] {
    let v = arg;
    let used = 0;
    for (const key of rest) {
      if (v.kind !== "object") break;
      const found = [...v.entries].reverse().find((e) => e.key === key);
      if (found) v = found.value;
      else if (v.entries.some((e) => e.spread)) break;
      else return [];
      used++;
    }
    return this.#walk(v, fn, ctx, s, depth).map((p) => rest.slice(used).reduce(refined, p));
  }

  #call(call: CallFact, ctx: CallContext | null, s: { sanitizer: Sanitizer; key: string }, depth: number): TaintPath[] {
    const name = call.resolved || call.callee;
    const source = sourceCall(call, name);
    if (source) return isTainted(source) ? [leaf(source, this.#code, call.fn, call)] : [];
    if (OPAQUE_CALL.test(name) || s.sanitizer(name) || s.sanitizer(call.callee) || this.#outbound.has(call.id)) return [];
    if (call.target !== null) {
      const target = this.#code.fn(call.target);
      const inner: CallContext = { call, callee: target.id, parent: ctx };
      const step = { path: call.path, line: call.line, callee: target.name ?? call.callee };
      return this.#union(target.returns.slice(0, 20), target.id, inner, s, depth).map((p) => ({ ...p, steps: [...p.steps, step] }));
    }
    const out: TaintPath[] = [];
    if (call.receiver && carriesReceiver(call)) {
      const key = /\.(?:get|pop)$/.test(call.callee) && call.args[0]?.kind === "string" ? call.args[0].value : null;
      out.push(...this.#walk(call.receiver, call.fn, ctx, s, depth).map((p) => (key ? refined(p, key) : p)));
    }
    if (carriesArguments(call)) {
      out.push(...this.#union(call.args, call.fn, ctx, s, depth));
      out.push(...this.#union(
        call.kwargs.map(([, v]) => v),
        call.fn,
        ctx,
        s,
        depth,
      ));
    }
    return out;
  }
}

/** Whether a library call's result is (a form of) its arguments: path and URL functions, parsing, constructors. */
export function carriesArguments(call: CallFact): boolean {
  const name = call.resolved || call.callee;
  return PASS_ARGS.test(name) || PASS_ARGS.test(call.callee) || PASS_METHOD_ARGS.test(call.callee) || isConstructor(call);
}

/** Whether a method call's result is (a form of) the object it is called on: string, path and collection methods. */
export function carriesReceiver(call: CallFact): boolean {
  return call.receiver !== null && PASS_RECEIVER.test(call.callee);
}

/** `new Thing(x)`, `Thing(**args)` (a class, by its name): the object carries what it was made from. */
function isConstructor(call: CallFact): boolean {
  const last = call.callee.slice(call.callee.lastIndexOf(".") + 1);
  return call.isNew || /^[A-Z][A-Za-z0-9]*$/.test(last);
}

function isTainted(o: Origin): o is TaintOrigin {
  return o.kind === "tool-input" || o.kind === "request";
}

function leaf(origin: TaintOrigin, code: CodeFacts, fn: FnId, call: CallFact | null): TaintPath {
  const at = call ?? code.fn(fn);
  return { origin, entry: { fn, path: at.path, line: at.line }, steps: [], names: [] };
}

function refined(p: TaintPath, property: string): TaintPath {
  const origin = refine(p.origin, property);
  return origin === p.origin ? p : { ...p, origin: origin as TaintOrigin };
}

function contextKey(ctx: CallContext | null): string {
  let key = "";
  for (let c = ctx, n = 0; c && n < 6; c = c.parent, n++) key += `${c.call.id},`;
  return key;
}

function dedupe(paths: TaintPath[]): TaintPath[] {
  const seen = new Set<string>();
  const out: TaintPath[] = [];
  for (const p of paths) {
    const key = `${JSON.stringify(p.origin)}|${p.entry.path}:${p.entry.line}|${p.steps.map((s) => s.line).join(",")}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(p);
    if (out.length >= MAX_PATHS) break;
  }
  return out;
}
