// Data flow, in the lightweight form a reviewer does it: where a value comes from (tool inputs, request data, the
// caller's token, configured secrets, other services' responses) and where data goes (outbound URLs, logs,
// redirects, file paths, shell commands, SQL, HTML, CORS headers), through local names, parameters and the functions
// in between. Helpers are summarized once ("this function logs its second parameter") and their call sites become
// sinks too, so a wrapper never hides a problem.
import type { CallFact, FnId, FunctionFact, Origin, RequestPart, SinkFact, SinkKind, Value } from "@/lib/core/facts";
import { methodOf } from "./call-method";
import type { CodeFacts } from "./code";
import { entry, kwarg, type OutboundCall, type ResponseFact, type Route } from "./http";
import { isLogCall, mayLog } from "./logs";
import { isCredentialName, isSecretEnvName } from "./names";

/** A parameter a value comes from: how helpers are summarized. */
export interface ParamOrigin {
  kind: "param";
  fn: FnId;
  index: number;
  /** The member path below the parameter: "url" for `args.url`. */
  path: string;
}

export type FlowOrigin = Origin | ParamOrigin;

/** Functions whose parameters are known inputs: tool handlers and HTTP route handlers. */
export interface EntryPoints {
  toolHandlers: ReadonlyMap<FnId, string | null>;
  routes: readonly Route[];
  /** Low-level `call_tool(name, arguments)` dispatchers: the parameter holding every call's arguments. */
  toolArguments?: ReadonlyMap<FnId, number>;
}

const MAX_DEPTH = 24;
const MAX_ORIGINS = 24;
const MAX_SINKS = 20_000;

// Calls whose result carries no data of their arguments.
export const OPAQUE_CALL = /^(?:Number|parseInt|parseFloat|Boolean|isNaN|Math\.\w+|Date\.now|crypto\.randomUUID|randomUUID|uuid\w*|len|int|float|bool|isinstance|hasattr|callable|time\.time|datetime\.\w+|hash\w*|bcrypt\.\w+|\w+\.(?:length|size|count|test|includes|startsWith|endsWith|has|hasOwnProperty|isValid|every|some|indexOf|findIndex))$/;
const REQUEST_ROOT = /^(?:req|request|incomingRequest|httpRequest)$/;
/** Methods that hand their callback what the receiver holds (a promise's value, an array's elements). */
const CALLBACK_METHODS = /\.(?:then|map|flatMap|forEach|filter|find|findLast|some|every|reduce|sort)$/;
const REQUEST_PARTS: Record<string, RequestPart> = {
  body: "body",
  json: "body",
  data: "body",
  form: "form",
  files: "form",
  query: "query",
  args: "query",
  query_params: "query",
  searchParams: "query",
  GET: "query",
  POST: "form",
  params: "params",
  path_params: "params",
  headers: "headers",
  cookies: "cookies",
  url: "url",
  originalUrl: "url",
  path: "url",
  nextUrl: "url",
  hostname: "host",
  host: "host",
  base_url: "host",
  ip: "any",
};

export class Flow {
  readonly #code: CodeFacts;
  readonly #entries: EntryPoints;
  readonly #memo = new Map<string, FlowOrigin[]>();
  readonly #inProgress = new Set<string>();
  readonly #routeHandlers = new Set<FnId>();
  readonly #flaskRequest = new Set<string>();
  #sinks: SinkFact[] | null = null;
  readonly #summaries = new Map<FnId, Array<{ index: number; path: string; sink: SinkFact }>>();
  readonly #valueIds = new WeakMap<Value, number>();
  #nextValueId = 0;

  readonly #pace: () => void;

  /** `pace` is the engine's yield point (ScanOptions.pace): following sinks through helpers calls it between sinks. */
  constructor(code: CodeFacts, entries: EntryPoints, { pace = () => {} }: { pace?: () => void } = {}) {
    this.#code = code;
    this.#pace = pace;
    this.#entries = entries;
    for (const r of entries.routes) for (const h of r.handlers) this.#routeHandlers.add(h);
    for (const imp of code.imports) {
      if (imp.module === "flask" || imp.module === "quart") for (const n of imp.names) if (n.imported === "request") this.#flaskRequest.add(imp.path);
    }
  }

  /** Where a value (read inside function `fn`) comes from; parameters of helpers are left out. */
  origins(value: Value, fn: FnId): Origin[] {
    return this.flowOrigins(value, fn).filter((o): o is Origin => o.kind !== "param");
  }

  /** Like `origins`, with the parameters the value comes from (for summaries). */
  flowOrigins(value: Value, fn: FnId): FlowOrigin[] {
    return this.#origins(value, fn, 0);
  }

  /** Whether data from any of `kinds` reaches the value. */
  reaches(value: Value, fn: FnId, kinds: ReadonlyArray<Origin["kind"]>): boolean {
    return this.origins(value, fn).some((o) => kinds.includes(o.kind));
  }

  #key(value: Value, fn: FnId): string {
    let id = this.#valueIds.get(value);
    if (id === undefined) this.#valueIds.set(value, (id = this.#nextValueId++));
    return `${id}:${fn}`;
  }

  #origins(value: Value, fn: FnId, depth: number): FlowOrigin[] {
    if (depth > MAX_DEPTH) return [];
    switch (value.kind) {
      case "string":
      case "number":
      case "boolean":
      case "null":
      case "function":
        return [];
    }
    const key = this.#key(value, fn);
    const memo = this.#memo.get(key);
    if (memo) return memo;
    if (this.#inProgress.has(key)) return [];
    this.#inProgress.add(key);
    let result: FlowOrigin[];
    try {
      result = dedupe(this.#compute(value, fn, depth + 1));
    } finally {
      this.#inProgress.delete(key);
    }
    this.#memo.set(key, result);
    return result;
  }

  #union(values: readonly Value[], fn: FnId, depth: number): FlowOrigin[] {
    const out: FlowOrigin[] = [];
    for (const v of values) {
      out.push(...this.#origins(v, fn, depth));
      if (out.length > MAX_ORIGINS * 4) break;
    }
    return out;
  }

  #compute(value: Value, fn: FnId, depth: number): FlowOrigin[] {
    switch (value.kind) {
      case "template":
        return this.#union(value.parts, fn, depth);
      case "object":
        return this.#union(
          value.entries.map((e) => e.value),
          fn,
          depth,
        );
      case "array":
        return this.#union(value.items, fn, depth);
      case "unknown":
        if (value.op === "!" || value.op === "compare" || value.op === "regex" || value.op === "jsx") return [];
        return this.#union(value.parts, fn, depth);
      case "member":
        return this.#origins(value.object, fn, depth).map((o) => refine(o, value.property));
      case "call":
        return this.#callOrigins(this.#code.calls[value.call]!, depth);
      case "ref":
        return this.#refOrigins(value.path, fn, depth);
      default:
        return [];
    }
  }

  #refOrigins(path: string, fn: FnId, depth: number): FlowOrigin[] {
    const env = envName(path);
    if (env !== null) return [isSecretEnvName(env) ? { kind: "secret", name: env } : { kind: "env", name: env }];
    const segments = path.split(".");
    const root = segments[0]!;
    const rest = segments.slice(1);
    // The module-level `request` of Flask and Quart.
    if (root === "request" && this.#flaskRequest.has(this.#code.fn(fn).path) && this.#code.paramOwner(fn, "request") === null && this.#code.lookup(fn, "request").length === 0)
      return [requestOrigin(rest)];
    const owner = this.#code.paramOwner(fn, root);
    if (owner) return this.#paramOrigins(owner.fn, owner.index, rest, depth);
    // A name bound in this function or an enclosing one: what was assigned to it, with the rest of the path below.
    for (const { values, fn: ownerFn } of this.#bindingsOf(fn, root)) {
      const out: FlowOrigin[] = [];
      for (const v of values) out.push(...this.#origins(v, ownerFn, depth).map((o) => rest.reduce(refine, o)));
      return out;
    }
    // `this.token` / `self.token` set elsewhere in the class.
    if ((root === "this" || root === "self") && rest.length > 0) {
      const cls = this.#code.fn(fn).className;
      if (cls) {
        const field = `${root}.${rest[0]}`;
        const out: FlowOrigin[] = [];
        for (const a of this.#code.assignments) {
          if (a.target !== field) continue;
          const at = this.#code.fn(a.fn);
          if (at.className === cls) out.push(...this.#origins(a.value, a.fn, depth));
        }
        return out;
      }
    }
    return credentialByName(path);
  }

  #bindingsOf(fn: FnId, name: string): Array<{ values: readonly Value[]; fn: FnId }> {
    let f: FunctionFact | undefined = this.#code.fn(fn);
    for (let hops = 0; f && hops < 50; hops++) {
      const bound = f.bindings[name];
      if (bound && bound.length > 0) return [{ values: bound, fn: f.id }];
      f = f.parent === null ? undefined : this.#code.fn(f.parent);
    }
    return [];
  }

  /** What a parameter carries: a tool input, request data, the caller's token, or (for helpers) the parameter itself. */
  #paramOrigins(fn: FunctionFact, index: number, rest: string[], depth: number): FlowOrigin[] {
    const path = rest.join(".");
    const out: FlowOrigin[] = [{ kind: "param", fn: fn.id, index, path }];
    const source = this.#paramSource(fn, index, rest);
    if (source) return [...out, ...source];
    return [...out, ...this.#passedIn(fn, index, rest, depth)];
  }

  /**
   * What a parameter is by where it is declared, callers aside: a tool handler's input, a dispatcher's arguments,
   * request data of a route handler (or of a parameter that looks like a request), the caller's token. Null when
   * it is a helper's parameter, whose value its callers decide.
   */
  paramSource(fn: FnId, index: number, path: string): Origin[] | null {
    const f = this.#code.fn(fn);
    if (!f.params[index]) return null;
    return this.#paramSource(f, index, path === "" ? [] : path.split(".")) as Origin[] | null;
  }

  /** Whether a function's parameters are inputs from outside: a tool handler, a dispatcher or a route handler. */
  isEntry(fn: FnId): boolean {
    return this.#entries.toolHandlers.has(fn) || this.#routeHandlers.has(fn) || (this.#entries.toolArguments?.has(fn) ?? false);
  }

  #paramSource(fn: FunctionFact, index: number, rest: string[]): Origin[] | null {
    const param = fn.params[index]!;
    const path = rest.join(".");
    const out: Origin[] = [];
    if (this.#entries.toolArguments?.get(fn.id) === index) return [{ kind: "tool-input", tool: null, field: rest[0] ?? null }];
    const toolName = this.#entries.toolHandlers.get(fn.id);
    if (toolName !== undefined) {
      const first = fn.receiverParam ? 1 : 0;
      const isContext = /^(?:ctx|context|extra|_?meta)$/i.test(param.name) || /\b(?:Context|RequestHandlerExtra)\b/.test(param.type ?? "");
      if (isContext) {
        if (/authInfo\.token|access_token|token$/.test(path)) out.push({ kind: "credential", what: "token" });
        else if (/authInfo|claims|auth/.test(path)) out.push({ kind: "credential", what: "claims" });
      } else if (this.#language(fn) === "py") out.push({ kind: "tool-input", tool: toolName, field: param.name });
      // A later parameter of a JavaScript handler (`({ gmail }, args)` of a registry entry) holds the arguments object.
      else if (index > first) out.push({ kind: "tool-input", tool: toolName, field: rest[0] ?? param.name });
      else if (rest[0] === "params" && (rest[1] === "arguments" || rest[1] === "name" || rest[1] === "_meta")) {
        // A low-level CallTool dispatcher serving this tool: the arguments are `request.params.arguments`; the tool's
        // name and `_meta` are the protocol's, not the user's.
        if (rest[1] === "arguments") out.push({ kind: "tool-input", tool: toolName, field: rest[2] ?? null });
      } else out.push({ kind: "tool-input", tool: toolName, field: rest[0] ?? null });
      return out;
    }
    // The CallTool dispatcher of a low-level server: request.params.arguments.
    if (rest[0] === "params" && rest[1] === "arguments") {
      out.push({ kind: "tool-input", tool: null, field: rest[2] ?? null });
      return out;
    }
    const isRoute = this.#routeHandlers.has(fn.id);
    const looksLikeRequest = REQUEST_ROOT.test(param.name) || /\b(?:Request|NextRequest|IncomingMessage|FastifyRequest)\b/.test(param.type ?? "");
    if (looksLikeRequest && (isRoute || (rest.length > 0 && REQUEST_PARTS[rest[0]!] !== undefined))) {
      out.push(requestOrigin(rest));
      return out;
    }
    // Hono `c.req.*`.
    if (isRoute && /^(?:c|ctx)$/.test(param.name) && rest[0] === "req") {
      out.push(requestOrigin(rest.slice(1)));
      return out;
    }
    // FastAPI: every non-Request parameter of a route handler is request data (path, query or body).
    if (isRoute && this.#language(fn) === "py" && !looksLikeRequest && !/\b(?:Depends|Session|BackgroundTasks)\b/.test(param.type ?? "") && param.default?.kind !== "call") {
      out.push({ kind: "request", part: "any", name: param.name });
      return out;
    }
    if (/^(?:authInfo|auth_info)$/.test(param.name) || (rest[0] === "authInfo" && /^(?:extra|ctx|context)$/.test(param.name))) {
      out.push({ kind: "credential", what: path.endsWith("token") ? "token" : "claims" });
      return out;
    }
    return null;
  }

  /** A helper's parameter: what the call it is passed to hands it (callbacks), or what its callers pass in. */
  #passedIn(fn: FunctionFact, index: number, rest: string[], depth: number): FlowOrigin[] {
    const out: FlowOrigin[] = [];
    // A callback's parameter is what the call it is passed to hands it: `p.then((r) => …)` gets what p resolves to,
    // `items.map((x) => …)` an element of items.
    const passedTo = this.#callbackCall(fn.id);
    if (passedTo?.receiver && handsOverItems(passedTo)) {
      const handed = this.#origins(passedTo.receiver, passedTo.fn, depth + 1).filter((o) => o.kind !== "param");
      out.push(...handed.map((o) => rest.reduce(refine, o)));
      return out;
    }
    // Helpers: what callers pass in, for values used here directly (summaries keep the parameter itself too).
    if (depth < MAX_DEPTH - 4) {
      const callers = this.#code.callersOf(fn.id);
      for (const c of callers.slice(0, 30)) {
        const arg = argumentFor(c, fn, index);
        if (arg) out.push(...this.#origins(arg, c.fn, depth + 2).filter((o) => o.kind !== "param").map((o) => rest.reduce(refine, o)));
      }
    }
    return out;
  }

  /** For a callback handed what its call's receiver holds (`items.map((x) => …)`, `p.then((r) => …)`): that call. */
  callbackOf(fn: FnId): CallFact | undefined {
    const call = this.#callbackCall(fn);
    return call?.receiver && handsOverItems(call) ? call : undefined;
  }

  #callbacks: Map<FnId, CallFact> | null = null;
  /** The call a function is passed to as an argument, if it is a callback. */
  #callbackCall(fn: FnId): CallFact | undefined {
    if (!this.#callbacks) {
      this.#callbacks = new Map();
      for (const call of this.#code.calls) for (const a of call.args) if (a.kind === "function") this.#callbacks.set(a.fn, call);
    }
    return this.#callbacks.get(fn);
  }

  #language(fn: FunctionFact): "js" | "py" {
    return this.#code.fileOf(fn)?.language ?? "js";
  }

  #callOrigins(call: CallFact, depth: number): FlowOrigin[] {
    const name = call.resolved || call.callee;
    const source = sourceCall(call, name);
    if (source) return [source];
    if (OPAQUE_CALL.test(name)) return [];
    const out: FlowOrigin[] = [];
    // A response from another service, and what is read from it.
    if (this.#isOutbound(call)) return [{ kind: "upstream" }];
    if (call.receiver && /\.(?:json|text|data|read|content|body|arrayBuffer)$/.test(call.callee)) {
      const from = this.#origins(call.receiver, call.fn, depth);
      if (from.some((o) => o.kind === "upstream")) return [{ kind: "upstream" }];
    }
    // Decoding a token yields its claims.
    if (/(?:^|\.)(?:decode|decodeJwt|jwtDecode|jwt_decode|get_unverified_claims|verify|jwtVerify|verifyToken|verify_token|verifyAccessToken)$/.test(name) || name === "jwt-decode") {
      const from = this.#union(call.args.slice(0, 1), call.fn, depth);
      if (from.some((o) => (o.kind === "credential" && o.what === "token") || o.kind === "request")) out.push({ kind: "credential", what: "claims" });
    }
    if (call.target !== null) {
      const target = this.#code.fn(call.target);
      for (const r of target.returns.slice(0, 20)) {
        for (const o of this.#origins(r, target.id, depth)) {
          if (o.kind !== "param") out.push(o);
          else if (o.fn === target.id) {
            const arg = argumentFor(call, target, o.index);
            if (arg) out.push(...this.#origins(arg, call.fn, depth).map((x) => (o.path ? o.path.split(".").reduce(refine, x) : x)));
          } else out.push(o);
        }
      }
      return out;
    }
    // Anything else passes its data through: String(x), new URL(x), path.join(a, b), x.trim(), schema.parse(x).
    if (call.receiver) out.push(...this.#origins(call.receiver, call.fn, depth));
    out.push(...this.#union(call.args, call.fn, depth));
    for (const [, v] of call.kwargs) out.push(...this.#origins(v, call.fn, depth));
    return out;
  }

  #outboundCalls: Set<number> | null = null;
  #isOutbound(call: CallFact): boolean {
    return this.#outboundCalls?.has(call.id) ?? false;
  }

  // ---- sinks ----

  /** Every place data reaches a sink: directly, or through a helper that passes a parameter on to one. */
  sinks(inputs: { outbound: readonly OutboundCall[]; responses: readonly ResponseFact[] }): SinkFact[] {
    if (this.#sinks) return this.#sinks;
    this.#outboundCalls = new Set(inputs.outbound.filter((o) => o.kind === "request").map((o) => o.call.id));
    const direct = this.#directSinks(inputs);
    const all: SinkFact[] = [...direct];
    let frontier = direct;
    for (let round = 0; round < 5 && frontier.length > 0 && all.length < MAX_SINKS; round++) {
      const next: SinkFact[] = [];
      for (const s of frontier) {
        this.#pace();
        const fn = this.#code.fn(s.fn);
        if (fn.isModule) continue;
        const params = this.flowOrigins(s.value, fn.id).filter((o): o is ParamOrigin => o.kind === "param" && o.fn === fn.id);
        for (const p of params) {
          const list = this.#summaries.get(fn.id) ?? [];
          if (list.some((x) => x.index === p.index && x.sink.kind === s.kind)) continue;
          list.push({ index: p.index, path: p.path, sink: s });
          this.#summaries.set(fn.id, list);
          for (const c of this.#code.callersOf(fn.id)) {
            const arg = argumentFor(c, fn, p.index);
            if (!arg) continue;
            next.push({
              kind: s.kind,
              fn: c.fn,
              path: c.path,
              line: c.line,
              value: arg,
              what: `${fn.name ?? "a helper"}() → ${s.what}`,
              call: c.id,
              via: s.via ?? { name: fn.name ?? "(anonymous)", path: s.path, line: s.line },
            });
          }
        }
      }
      all.push(...next);
      frontier = next;
    }
    this.#sinks = all.slice(0, MAX_SINKS);
    return this.#sinks;
  }

  /** What a helper does with its parameters: "parameter 1 reaches a log". */
  summary(fn: FnId): ReadonlyArray<{ index: number; kind: SinkKind }> {
    return (this.#summaries.get(fn) ?? []).map((s) => ({ index: s.index, kind: s.sink.kind }));
  }

  #directSinks(inputs: { outbound: readonly OutboundCall[]; responses: readonly ResponseFact[] }): SinkFact[] {
    const out: SinkFact[] = [];
    const add = (kind: SinkKind, call: CallFact | null, fn: FnId, path: string, line: number, value: Value | null | undefined, what: string) => {
      if (value) out.push({ kind, fn, path, line, value, what, call: call?.id ?? null, via: null });
    };
    for (const o of inputs.outbound) {
      if (o.kind !== "request") continue;
      add("outbound-url", o.call, o.fn, o.path, o.line, o.url, `${o.library} URL`);
      add("outbound-auth", o.call, o.fn, o.path, o.line, o.authorization, `${o.library} Authorization header`);
      if (o.headersValue) add("outbound-auth", o.call, o.fn, o.path, o.line, o.headersValue, `${o.library} headers`);
    }
    for (const r of inputs.responses) {
      if (r.via) continue;
      add("redirect", r.call, r.fn, r.path, r.line, r.redirect, "redirect");
      for (const [name, v] of r.headers) {
        if (name === "access-control-allow-origin") add("cors-origin", r.call, r.fn, r.path, r.line, v, "Access-Control-Allow-Origin");
        if (name === "location") add("redirect", r.call, r.fn, r.path, r.line, v, "Location header");
      }
    }
    for (const call of this.#code.callsWhere(mayLogOrSink)) {
      const name = call.resolved || call.callee;
      if (isLogCall(this.#code, call)) {
        for (const a of call.args) add("log", call, call.fn, call.path, call.line, a, call.callee);
        for (const [, v] of call.kwargs) add("log", call, call.fn, call.path, call.line, v, call.callee);
        continue;
      }
      const kind = sinkKindOf(call, name);
      if (!kind) continue;
      if (kind === "shell") add("shell", call, call.fn, call.path, call.line, call.args[0] ?? kwarg(call, "args"), name);
      else if (kind === "file-path") add("file-path", call, call.fn, call.path, call.line, call.args[0] ?? kwarg(call, "file") ?? kwarg(call, "path"), name);
      else if (kind === "sql") {
        const sql = call.args[0] ?? kwarg(call, "query") ?? kwarg(call, "sql");
        if (sql && isBuiltText(sql, this.#code, call.fn)) add("sql", call, call.fn, call.path, call.line, sql, name);
      } else if (kind === "html") add("html", call, call.fn, call.path, call.line, name.endsWith("insertAdjacentHTML") ? call.args[1] : call.args[0], name);
    }
    for (const a of this.#code.assignments) {
      if (/\.(?:innerHTML|outerHTML)$/.test(a.target)) add("html", null, a.fn, a.path, a.line, a.value, a.target.slice(a.target.lastIndexOf(".") + 1));
    }
    for (const j of this.#code.jsxAttributes) {
      if (j.name === "dangerouslySetInnerHTML") add("html", null, j.fn, j.path, j.line, entry(j.value, "__html") ?? j.value, "dangerouslySetInnerHTML");
    }
    return out;
  }
}

// ---- vocabulary ----

const SHELL = /^(?:child_process\.(?:exec|execSync|spawn|spawnSync|execFile|execFileSync)|execa(?:\.command)?|execa|shelljs\.exec|os\.system|os\.popen|subprocess\.(?:run|call|Popen|check_output|check_call|getoutput|getstatusoutput)|asyncio\.create_subprocess_shell|commands\.getoutput)$/;
const FILE = /^(?:fs(?:\.promises)?\.(?:readFile|readFileSync|writeFile|writeFileSync|appendFile|appendFileSync|createReadStream|createWriteStream|readdir|readdirSync|unlink|unlinkSync|rm|rmSync|stat|statSync|open|openSync)|fs\/promises\.(?:readFile|writeFile|appendFile|readdir|unlink|rm|stat|open)|fs-extra\.\w+|open|io\.open|pathlib\.Path|Path|os\.remove|os\.unlink|os\.listdir|shutil\.(?:rmtree|copy|copyfile|move)|send_file|flask\.send_file|FileResponse|aiofiles\.open)$/;
const SQL = /\.(?:query|execute|executemany|executescript|raw|unsafe|\$queryRawUnsafe|\$executeRawUnsafe|queryRaw|run|all|get|prepare)$/;
const SQL_WORDS = /\b(?:select|insert|update|delete|drop|where|from|into|values|alter|create)\b/i;

/** The callees the sinks pass reads: log calls, and the names sinkKindOf tests. */
function mayLogOrSink(callee: string, resolved: string): boolean {
  const name = resolved || callee;
  return (
    mayLog(callee, resolved) ||
    SHELL.test(name) ||
    FILE.test(name) ||
    /(?:^|\.)sendFile$/.test(callee) ||
    /(?:^|\.)(?:insertAdjacentHTML|document\.write|document\.writeln)$/.test(callee) ||
    (SQL.test(callee) && !/^(?:res|response|app|router|this\.app|server|stmt|statement)\./.test(callee))
  );
}

function sinkKindOf(call: CallFact, name: string): SinkKind | null {
  if (SHELL.test(name)) {
    // subprocess without shell=True and with a list of arguments doesn't go through a shell.
    if (name.startsWith("subprocess.") && kwarg(call, "shell")?.kind !== "boolean" && call.args[0]?.kind === "array") return null;
    if (/\.(?:spawn|spawnSync|execFile|execFileSync)$/.test(name) && call.args[1]?.kind === "array" && !hasShellOption(call)) return "shell";
    return "shell";
  }
  if (FILE.test(name)) return "file-path";
  if (/(?:^|\.)sendFile$/.test(call.callee)) return "file-path";
  if (/(?:^|\.)(?:insertAdjacentHTML|document\.write|document\.writeln)$/.test(call.callee)) return "html";
  if (SQL.test(call.callee) && !/^(?:res|response|app|router|this\.app|server|stmt|statement)\./.test(call.callee)) return "sql";
  return null;
}

function hasShellOption(call: CallFact): boolean {
  return call.args.some((a) => a.kind === "object" && a.entries.some((e) => e.key === "shell" && !(e.value.kind === "boolean" && !e.value.value)));
}

/** SQL text built from pieces (a template or concatenation with holes), not a constant with separate parameters. */
function isBuiltText(v: Value, code: CodeFacts, fn: FnId): boolean {
  if (v.kind === "template") return v.parts.some((p) => p.kind !== "string") && v.parts.some((p) => p.kind === "string" && SQL_WORDS.test(p.value));
  if (v.kind === "ref" && !v.path.includes(".")) return code.lookup(fn, v.path).some((b) => b.kind === "template" && isBuiltText(b, code, fn));
  if (v.kind === "call") {
    // "… {} …".format(x), "…" + x via str.join
    const call = code.calls[v.call]!;
    return call.callee.endsWith(".format") && call.receiver?.kind === "string" && SQL_WORDS.test(call.receiver.value);
  }
  return false;
}

/** Whether a call hands its callback what its receiver holds (read from its text when the receiver is no name). */
function handsOverItems(call: CallFact): boolean {
  return CALLBACK_METHODS.test(call.callee || `.${methodOf(call)}`);
}

/** Calls that produce request data or the caller's credential directly. */
export function sourceCall(call: CallFact, name: string): Origin | null {
  const callee = call.callee;
  const arg = call.args[0]?.kind === "string" ? call.args[0].value : null;
  // os.getenv("X"), os.environ.get("X"), Deno.env.get("X")
  if (/^(?:os\.getenv|os\.environ\.get|Deno\.env\.get|env\.get|process\.env\.get)$/.test(name) && arg !== null)
    return isSecretEnvName(arg) ? { kind: "secret", name: arg } : { kind: "env", name: arg };
  if (/^(?:get_access_token|fastmcp\.server\.dependencies\.get_access_token)$/.test(name)) return { kind: "credential", what: "token" };
  // headers.get("authorization"), req.header("Authorization"), request.headers.get("x"), Express's req.get("Origin")
  if ((/(?:^|\.)(?:headers\.get|header|get_header|getHeader)$/.test(callee) || /^(?:req|request)\.get$/.test(callee)) && arg !== null) {
    const lower = arg.toLowerCase();
    if (lower === "authorization" || lower === "x-api-key" || lower === "cookie") return { kind: "credential", what: "token" };
    if (/^(?:req|request|c\.req|ctx\.request|event\.request|request\.raw)\.|^(?:req|request)\.headers\./.test(callee) || callee.startsWith("headers."))
      return { kind: "request", part: lower === "host" || lower === "x-forwarded-host" ? "host" : "headers", name: lower };
  }
  if (/^(?:c\.req|ctx\.req)\.(?:query|param|json|parseBody|formData|header|queries)$/.test(callee)) {
    const part = callee.endsWith("query") || callee.endsWith("queries") ? "query" : callee.endsWith("param") ? "params" : callee.endsWith("header") ? "headers" : "body";
    return { kind: "request", part, name: arg };
  }
  if (/(?:^|\.)searchParams\.(?:get|getAll)$/.test(callee) || /(?:^|\.)(?:args|query_params|GET|query)\.get$/.test(callee))
    return { kind: "request", part: "query", name: arg };
  if (/^(?:req|request)\.(?:json|formData|text|body|get_json|form\.get|cookies\.get)$/.test(callee))
    return { kind: "request", part: callee.includes("cookies") ? "cookies" : callee.includes("form") ? "form" : "body", name: arg };
  return null;
}

/** `process.env.X`, `os.environ.X`, `env.X` of a Workers handler: the variable's name. */
function envName(path: string): string | null {
  const m = /^(?:process\.env|os\.environ|import\.meta\.env|Deno\.env)\.([\w-]+)$/.exec(path);
  if (m) return m[1]!;
  const w = /^(?:this\.)?env\.([A-Z][A-Z0-9_]*)$/.exec(path);
  return w ? w[1]! : null;
}

function requestOrigin(rest: string[]): Origin {
  const [first, second] = rest;
  const part = first ? REQUEST_PARTS[first] : undefined;
  if (part === "headers" && second) {
    const name = second.toLowerCase();
    if (name === "authorization" || name === "x-api-key" || name === "cookie") return { kind: "credential", what: "token" };
    if (name === "host" || name === "x-forwarded-host") return { kind: "request", part: "host", name };
  }
  return { kind: "request", part: part ?? "any", name: part ? (second ?? null) : (first ?? null) };
}

/** Refines an origin by a member read below it: request "any" + "query" is request query. */
export function refine(o: FlowOrigin, property: string): FlowOrigin {
  if (o.kind === "request") {
    if (o.part === "any" && o.name === null && REQUEST_PARTS[property]) return { ...o, part: REQUEST_PARTS[property]!, name: null };
    if (o.part === "headers" && o.name === null) {
      const lower = property.toLowerCase();
      if (lower === "authorization" || lower === "cookie" || lower === "x-api-key") return { kind: "credential", what: "token" };
      return { ...o, name: lower };
    }
    if (o.name === null) return { ...o, name: property };
  }
  if (o.kind === "param") return { ...o, path: o.path ? `${o.path}.${property}` : property };
  if (o.kind === "tool-input" && o.field === null) return { ...o, field: property };
  return o;
}

/** A name that is the caller's credential whatever we can trace: `authInfo.token`, `req.auth.token`. */
function credentialByName(path: string): Origin[] {
  if (/(?:^|\.)authInfo\.token$|^auth_info\.token$/.test(path)) return [{ kind: "credential", what: "token" }];
  const last = path.slice(path.lastIndexOf(".") + 1);
  if (/^(?:req|request)\.(?:auth|user)(?:\.|$)/.test(path)) return [{ kind: "credential", what: isCredentialName(last) ? "token" : "claims" }];
  return [];
}

/** The argument a call passes for a parameter: positional, by keyword (Python), past the receiver of a method. */
export function argumentFor(call: CallFact, target: FunctionFact, index: number): Value | undefined {
  const param = target.params[index];
  if (!param) return undefined;
  const byName = kwarg(call, param.name);
  if (byName) return byName;
  const offset = target.receiverParam && (call.callee.includes(".") || call.callee === "") ? 1 : 0;
  return call.args[index - offset];
}

function dedupe(list: FlowOrigin[]): FlowOrigin[] {
  const seen = new Set<string>();
  const out: FlowOrigin[] = [];
  for (const o of list) {
    const k = JSON.stringify(o);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(o);
    if (out.length >= MAX_ORIGINS) break;
  }
  return out;
}
