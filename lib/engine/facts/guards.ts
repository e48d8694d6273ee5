// The checks code makes on a value before it uses it, as a reviewer looks for them: the host of a URL compared with
// an allow-list, a path resolved and tested against a root, a command matched against known ones, a value matched by
// an anchored pattern, or handed to a function that does one of these (its body is read, and its name trusted when
// the body can't be). Some checks look like guards and are not: a URL prefix without a path boundary, a host suffix
// without a dot, a substring test, a character-wise common prefix, a root that is only checked when configured.
import type { CallFact, ComparisonFact, FnId, Value } from "@/lib/core/facts";
import type { CodeFacts } from "./code";
import type { DangerRole } from "./danger-sinks";
import type { Flow } from "./flow";
import { carried, refsOf, touches } from "./value-refs";

export interface Guard {
  /** "weak": it can be passed (a prefix match, a suffix without a dot); "conditional": it only runs when configured. */
  strength: "strong" | "weak" | "conditional";
  path: string;
  line: number;
  /** The check as written. */
  text: string;
  /** For weak and conditional guards: why they don't hold. */
  why: string | null;
}

const MAX_DERIVED = 24;
const MAX_INNER = 40;
const FILE_FROM_URL = /file_?ur[il]_?to_?path|url2pathname/i;
const MAX_HELPER_DEPTH = 3;

const NOT_HOST = /\.(?:protocol|scheme|port|pathname|path|search|query|hash|fragment|username|password|length|size|type|suffix|extension|ext)$/;
const HOST_WORDS = /host|origin|domain|netloc|url|uri|endpoint|base|server|site|link|href|authority/i;
const SSRF_GUARD = /(?:is_?private|is_?loopback|is_?link_?local|is_?reserved|is_?global|is_?public|is_?internal|is_?multicast|is_?unspecified|ip_?address|ipaddr|\bisIP|getaddrinfo|gethostbyname|dns\.(?:lookup|resolve)|ssrf|blocklist|blocked_?ip|deny_?list)/i;
const GUARD_NAMES: Record<"host" | "file" | "command" | "sql" | "value", RegExp> = {
  host: /(?:valid|check|verify|assert|ensure|guard|safe|allow|permit|whitelist|trusted|restrict)\w*(?:url|uri|host|domain|origin|link|endpoint|redirect|ssrf)|(?:url|uri|host|domain|origin|redirect)\w*(?:valid|check|allow|safe|trusted|permitted)/i,
  file: /(?:valid|check|verify|assert|ensure|guard|safe|allow|restrict|sanitiz|confine|within|inside|under|contain)\w*(?:path|file|dir|folder|root)|(?:path|file|dir)\w*(?:valid|check|allow|safe|within|inside|under|contain)/i,
  command: /(?:valid|check|verify|assert|ensure|allow|safe|sanitiz|whitelist)\w*(?:command|cmd|arg|program|binary|exec|script)/i,
  sql: /(?:valid|check|verify|assert|ensure|allow|safe|sanitiz|escape|quote)\w*(?:identifier|ident|table|column|name|sql|field|query|schema)/i,
  value: /^(?:_*(?:is_?)?valid\w*|_*validate\w*|_*check\w*|_*assert\w*|_*ensure\w*|_*verify\w*|_*sanitiz\w*|_*is_?safe\w*|_*is_?allowed\w*)$/i,
};

type Family = "host" | "file" | "command" | "arguments" | "sql" | "value";

function familyOf(role: DangerRole): Family {
  if (role === "host") return "host";
  if (role === "file" || role === "cwd") return "file";
  if (role === "command" || role === "program") return "command";
  if (role === "arguments") return "arguments";
  if (role === "sql") return "sql";
  return "value";
}

export class Guards {
  readonly #code: CodeFacts;
  readonly #flow: Flow;
  readonly #comparisons = new Map<FnId, ComparisonFact[]>();
  readonly #memo = new Map<string, Guard[]>();
  readonly #helperMemo = new Map<string, Guard[]>();

  constructor(code: CodeFacts, flow: Flow) {
    this.#code = code;
    this.#flow = flow;
    for (const c of code.comparisons) (this.#comparisons.get(c.fn) ?? this.#comparisons.set(c.fn, []).get(c.fn)!).push(c);
  }

  /**
   * Checks made in function `fn` (and the functions written inside it) on the value named `name`, for its use as
   * `role`. With `branches`, a test that only chooses a branch counts too: a header set only when the test passes.
   */
  on(fn: FnId, name: string, role: DangerRole, depth = 0, branches = false): Guard[] {
    const key = `${fn}:${name}:${familyOf(role)}:${depth}:${branches}`;
    const memo = this.#memo.get(key);
    if (memo) return memo;
    this.#memo.set(key, []);
    const derived = this.#derived(fn, name, familyOf(role));
    const family = familyOf(role);
    const out: Guard[] = [];
    const outerRejects = branches || this.#canReject(fn);
    for (const f of this.#inner(fn)) {
      // A test whose failure can't stop anything (`isArxiv ? a : b`) is a branch, not a check.
      const inline = outerRejects || this.#canReject(f);
      for (const c of inline ? (this.#comparisons.get(f) ?? []) : []) {
        const g = this.#comparison(c, derived, family);
        if (g) out.push(g);
      }
      for (const id of this.#code.fn(f).calls) {
        const g = this.#call(this.#code.calls[id]!, derived, family, role, depth, inline);
        if (g) out.push(g);
      }
    }
    this.#memo.set(key, out);
    return out;
  }

  /** Whether a function can refuse: it throws (raises), or returns in more than one place. */
  #canReject(fn: FnId): boolean {
    const f = this.#code.fn(fn);
    return f.shape.throws > 0 || f.returns.length >= 2;
  }

  /** The function and the functions written inside it (callbacks, closures), bounded. */
  #inner(fn: FnId): FnId[] {
    const out = [fn];
    for (let i = 0; i < out.length && out.length < MAX_INNER; i++) out.push(...this.#code.childrenOf(out[i]!));
    return out.slice(0, MAX_INNER);
  }

  /** The name and the local names computed from it (`u = new URL(url)`, `host = u.hostname`), as member paths. */
  #derived(fn: FnId, name: string, family: Family): Set<string> {
    const out = new Set([name]);
    const bindings = Object.entries(this.#code.fn(fn).bindings);
    for (let round = 0; round < 3 && out.size < MAX_DERIVED; round++) {
      for (const [local, values] of bindings) {
        if (out.has(local)) continue;
        for (const v of values.slice(0, 6)) {
          // A file path made from a `file:` URL is checked as a file, which says nothing of the hosts a URL may name.
          if (family === "host" && FILE_FROM_URL.test(v.text)) continue;
          const via = refsOf(this.#code, v).map((r) => carried(r, out)).find((x) => x !== null);
          if (via === undefined) continue;
          out.add(via === "" ? local : `${local}.${via}`);
          break;
        }
      }
    }
    return out;
  }

  #comparison(c: ComparisonFact, derived: Set<string>, family: Family): Guard | null {
    const left = touches(this.#code, c.left, derived);
    const right = touches(this.#code, c.right, derived);
    if (left === right) return null;
    const ours = left ? c.left : c.right;
    const other = left ? c.right : c.left;
    if (family === "host" && !hostOperand(ours, derived)) return null;
    if (c.op === "in" || c.op === "not in") {
      if (left) return guard(c, `${c.left.text} ${c.op} ${c.right.text}`);
      return family === "host" ? weak(c, `${c.left.text} ${c.op} ${c.right.text}`, "it only tests whether the URL contains some text, which any URL can do") : null;
    }
    if (c.op === "is" || c.op === "is not" || trivial(other)) return null;
    return guard(c, `${c.left.text} ${c.op} ${c.right.text}`);
  }

  #call(call: CallFact, derived: Set<string>, family: Family, role: DangerRole, depth: number, inline: boolean): Guard | null {
    const callee = call.resolved || call.callee;
    const method = call.callee.slice(call.callee.lastIndexOf(".") + 1);
    const onReceiver = call.receiver !== null && touches(this.#code, call.receiver, derived);
    const argIndex = call.args.findIndex((a) => touches(this.#code, a, derived));
    const kwargAt = call.kwargs.find(([, v]) => touches(this.#code, v, derived));
    if (!onReceiver && argIndex === -1 && !kwargAt) return null;
    const text = call.text.slice(0, 120);
    if (!inline) return this.#helper(call, argIndex, family, role, depth, text);
    if (onReceiver && /^(?:startsWith|startswith)$/.test(method)) return this.#prefix(call, family, text);
    if (onReceiver && /^(?:endsWith|endswith)$/.test(method)) return family === "host" ? this.#suffix(call, text) : null;
    if (/^(?:includes|has|contains|indexOf|__contains__|count|some|find)$/.test(method)) {
      if (argIndex !== -1 && !onReceiver) return family === "host" && !hostOperand(call.args[argIndex]!, derived) ? null : guard(call, text);
      if (onReceiver && family === "host") return weak(call, text, "it only tests whether the URL contains some text, which any URL can do");
      if (onReceiver && (family === "file" || family === "command" || family === "arguments")) return guard(call, text);
      return null;
    }
    if (/^(?:test|match|fullmatch|search)$/.test(method) || /^re\.(?:match|fullmatch|search)$/.test(callee)) return this.#pattern(call, family, text);
    if (family === "file" && /^(?:is_relative_to|relative_to|relative|commonpath)$/.test(method)) return guard(call, text);
    if (family === "file" && method === "commonprefix") return weak(call, text, "os.path.commonprefix compares characters, not path segments, so /srv/data2 passes a check for /srv/data");
    if (family === "arguments" && onReceiver && /^(?:startsWith|startswith)$/.test(method)) return guard(call, text);
    if (family === "host" && SSRF_GUARD.test(callee)) return guard(call, text);
    return this.#helper(call, argIndex, family, role, depth, text);
  }

  /**
   * A function the value is handed to. A repository function is judged by its body (a robots.txt check named
   * `check_…_url` is no host allow-list); a library function, whose body isn't here, by its name.
   */
  #helper(call: CallFact, argIndex: number, family: Family, role: DangerRole, depth: number, text: string): Guard | null {
    const name = call.callee.slice(call.callee.lastIndexOf(".") + 1);
    const named = (family === "arguments" ? GUARD_NAMES.command : GUARD_NAMES[family]).test(name) || (family !== "host" && GUARD_NAMES.value.test(name));
    if (call.target === null) return named && argIndex !== -1 ? guard(call, text) : null;
    // A predicate named for something else (`isArxivUrl(url) ? …`) chooses a branch; a guard says so, or throws.
    const target = this.#code.fn(call.target);
    if (!named && target.shape.throws === 0) return null;
    if (argIndex === -1) return null;
    if (depth >= MAX_HELPER_DEPTH) return named ? guard(call, text) : null;
    const offset = target.receiverParam && call.callee.includes(".") ? 1 : 0;
    const param = target.params[argIndex + offset];
    if (!param) return null;
    const best = strongest(this.#inHelper(target.id, param.name, role, depth + 1));
    return best ? { ...best, path: call.path, line: call.line, text: `${text} (${best.text})` } : null;
  }

  #inHelper(fn: FnId, param: string, role: DangerRole, depth: number): Guard[] {
    const key = `${fn}:${param}:${familyOf(role)}`;
    const memo = this.#helperMemo.get(key);
    if (memo) return memo;
    this.#helperMemo.set(key, []);
    let found = this.on(fn, param, role, depth);
    const optional = this.#optionalRoot(fn, param);
    if (optional && found.some((g) => g.strength === "strong")) {
      found = found.map((g) => (g.strength === "strong" ? { ...g, strength: "conditional" as const, why: `it returns early when \`${optional}\` is not set, so nothing is checked unless it is configured` } : g));
    }
    this.#helperMemo.set(key, found);
    return found;
  }

  /** Another parameter of a guard that may be absent and is tested for it (`if allowed_root is None: return`). */
  #optionalRoot(fn: FnId, guarded: string): string | null {
    const f = this.#code.fn(fn);
    for (const c of this.#comparisons.get(fn) ?? []) {
      if (!/^(?:is|==|===)$/.test(c.op)) continue;
      const [ref, other] = c.left.kind === "ref" ? [c.left, c.right] : [c.right, c.left];
      if (ref.kind !== "ref" || !(other.kind === "null" || /^(?:None|undefined|null)$/.test(other.text))) continue;
      const p = f.params.find((x) => x.name === ref.path);
      if (p && p.name !== guarded && (/None|Optional|undefined|\?/.test(p.type ?? "") || p.default?.kind === "null")) return p.name;
    }
    return null;
  }

  #prefix(call: CallFact, family: Family, text: string): Guard | null {
    if (family === "file" || family === "arguments") return guard(call, text);
    if (family !== "host" && family !== "value") return null;
    const prefixes = this.#constants(call.args[0], call.fn);
    if (prefixes === null) return guard(call, text);
    // A prefix that names no host (`"#"`, `"data:"`) tests something else about the value.
    if (family === "host" && !prefixes.some((p) => p === "/" || /:\/\/|^[\w-]+\.[\w.-]+/.test(p))) return null;
    if (prefixes.length > 0 && prefixes.every((p) => /^[a-z][\w+.-]*:\/{0,2}$/i.test(p))) return null;
    if (prefixes.every((p) => p === "/" || /^[a-z][\w+.-]*:\/\/[^/]+\//i.test(p))) return guard(call, text);
    return weak(call, text, `it is a prefix match against an origin with no trailing slash, so \`${prefixes[0]}.attacker.example\` passes`);
  }

  #suffix(call: CallFact, text: string): Guard | null {
    const suffixes = this.#constants(call.args[0], call.fn);
    if (suffixes === null || suffixes.every((s) => s.startsWith("."))) return guard(call, text);
    return weak(call, text, `it is a suffix match without a leading dot, so \`attacker${suffixes[0]}\` passes`);
  }

  #pattern(call: CallFact, family: Family, text: string): Guard | null {
    const pattern = call.receiver?.kind === "unknown" && call.receiver.op === "regex" ? call.receiver.text : call.args[0]?.kind === "string" ? call.args[0].value : null;
    const method = call.callee.slice(call.callee.lastIndexOf(".") + 1);
    const anchored = pattern === null || method === "fullmatch" || /^\/?\^/.test(pattern) || (method === "match" && call.callee.startsWith("re."));
    if (family === "host" && !anchored) return weak(call, text, "the pattern is not anchored, so it matches inside any URL");
    return guard(call, text);
  }

  /** The constant strings a value can be: a string, a list or set of strings, a name bound to one. Null when unknown. */
  #constants(v: Value | undefined, fn: FnId, depth = 0): string[] | null {
    if (!v || depth > 8) return null;
    switch (v.kind) {
      case "string":
        return [v.value];
      case "array": {
        const all = v.items.map((i) => this.#constants(i, fn, depth + 1));
        return all.some((x) => x === null) ? null : all.flat() as string[];
      }
      case "unknown":
        return v.parts.length === 1 ? this.#constants(v.parts[0], fn, depth + 1) : null;
      case "call": {
        const call = this.#code.calls[v.call]!;
        return /^(?:Set|set|frozenset|tuple|list|Object\.freeze|Array\.from)$/.test(call.callee) ? this.#constants(call.args[0], fn, depth + 1) : null;
      }
      case "ref": {
        const owner = this.#code.paramOwner(fn, v.path);
        const handed = owner ? this.#flow.callbackOf(owner.fn.id) : undefined;
        if (handed?.receiver) return this.#constants(handed.receiver, handed.fn, depth + 1);
        const bound = this.#code.lookup(fn, v.path);
        if (bound.length === 0) return null;
        const all = bound.map((b) => this.#constants(b, fn, depth + 1));
        return all.some((x) => x === null) ? null : all.flat() as string[];
      }
      default:
        return null;
    }
  }
}

/** The strongest of several guards: any strong one holds; else the first weak or conditional one, to say why. */
export function strongest(guards: readonly Guard[]): Guard | null {
  return guards.find((g) => g.strength === "strong") ?? guards[0] ?? null;
}

function guard(at: { path: string; line: number }, text: string): Guard {
  return { strength: "strong", path: at.path, line: at.line, text, why: null };
}

function weak(at: { path: string; line: number }, text: string, why: string): Guard {
  return { strength: "weak", path: at.path, line: at.line, text, why };
}

/** For URLs, what a host check tests: the host, the origin or the whole URL, not its scheme, port or path. */
function hostOperand(v: Value, derived: Set<string>): boolean {
  if (NOT_HOST.test(v.text)) return false;
  return HOST_WORDS.test(v.text) || (v.kind === "ref" && derived.has(v.path));
}

function trivial(v: Value): boolean {
  if (v.kind === "null" || v.kind === "boolean" || v.kind === "number") return true;
  if (v.kind === "string") return v.value === "" || /^(?:string|number|object|undefined|boolean)$/.test(v.value);
  return v.kind === "ref" && /^(?:undefined|None|null|NaN)$/.test(v.path);
}
