// The caller's own credential as it travels through the code: whether a value IS the bearer token the caller sent
// (perhaps reshaped: a `Bearer ` prefix added or cut, trimmed, formatted), or the whole set of incoming request
// headers. Data flow (`Flow.origins`) answers "is this derived from the token", which is the right question for logs
// and the wrong one here: a grant looked up by the caller's token, or a token exchanged for it, is derived from it
// and is exactly what should be sent upstream. So values are followed through names, reshaping calls, helper returns
// and parameters only; the flow is asked only about the leaves (handler parameters, names bound nowhere).
import type { CallFact, FnId, FunctionFact, Value } from "@/lib/core/facts";
import type { CodeFacts } from "./code";
import { argumentFor, type Flow } from "./flow";
import { lastSegment } from "./tokens";

/** How far, and over how many values, the walks below follow a value. */
const MAX_DEPTH = 10;
const MAX_VISITS = 400;
/** Callers of a helper followed when a value is one of its parameters. */
const MAX_CALLERS = 10;

/** Names that hold the caller's token wherever they are written: MCP SDK `authInfo.token`, `req.headers.authorization`. */
const CALLER_TOKEN_NAME = /(?:^|\.)(?:authInfo|auth_info)\.token$|^(?:req|request)\.headers\.authorization$|(?:^|\.)access_token\.token$/i;
/** Calls that return the caller's token: FastMCP `get_access_token()`; `headers.get("authorization")` below. */
const CALLER_TOKEN_CALL = new Set(["get_access_token"]);
const HEADER_GETTER = /(?:^|\.)(?:headers\.get|header|getHeader|get_header)$/;
/** Calls that reshape a string without changing whose token it is. */
const RESHAPING = new Set([
  "replace",
  "replaceAll",
  "slice",
  "substring",
  "substr",
  "split",
  "trim",
  "trimStart",
  "trimEnd",
  "toString",
  "String",
  "str",
  "strip",
  "lstrip",
  "rstrip",
  "removeprefix",
  "format",
  "join",
  "concat",
  "at",
]);

/** The headers object of the request being served. */
const INCOMING_HEADERS = /^(?:req|request|ctx\.request|ctx\.req|c\.req|c\.req\.raw|event\.request)\.headers$/;
/** Calls that copy a headers object whole: `dict(request.headers)`, `new Headers(req.headers)`. */
const HEADER_COPIES = /^(?:dict|Headers|Object\.assign|structuredClone|copy\.copy|copy\.deepcopy)$/;

interface Walk {
  code: CodeFacts;
  flow: Flow;
  left: number;
}

/** Whether a value (read in `fn`) is the caller's own bearer token. */
export function carriesCallerToken(code: CodeFacts, flow: Flow, value: Value, fn: FnId): boolean {
  return isToken({ code, flow, left: MAX_VISITS }, value, fn, 0);
}

/** Whether a value is the incoming request's headers, whole (so the Authorization header goes along). */
export function isIncomingHeaders(code: CodeFacts, flow: Flow, value: Value, fn: FnId): boolean {
  return isHeaders({ code, flow, left: MAX_VISITS }, value, fn, 0);
}

function isToken(w: Walk, value: Value, fn: FnId, depth: number): boolean {
  if (depth > MAX_DEPTH || w.left-- <= 0) return false;
  const next = (v: Value, at = fn) => isToken(w, v, at, depth + 1);
  switch (value.kind) {
    case "template":
      return value.parts.some((v) => next(v));
    case "array":
      return value.items.some((v) => next(v));
    case "member":
      return next(value.object);
    case "unknown":
      return ["||", "??", "?:", "element", "+"].includes(value.op) && value.parts.some((v) => next(v));
    case "call": {
      const call = w.code.callOf(value)!;
      if (CALLER_TOKEN_CALL.has(lastSegment(call.resolved || call.callee))) return true;
      const header = call.args[0]?.kind === "string" ? call.args[0].value.toLowerCase() : null;
      if (header === "authorization" && HEADER_GETTER.test(call.callee)) return true;
      if (RESHAPING.has(lastSegment(call.callee))) return (call.receiver !== null && next(call.receiver)) || call.args.some((v) => next(v));
      // A helper of the repository: what it returns, its parameters read as this call's arguments.
      if (call.target !== null) return w.code.fn(call.target).returns.some((r) => returnIsToken(w, r, call, depth + 1));
      // Anything else (a lookup keyed by the token, an exchange, a hash) makes something else of it.
      return false;
    }
    case "ref":
      return refIsToken(w, value, fn, depth, next);
    default:
      return false;
  }
}

function refIsToken(w: Walk, value: Extract<Value, { kind: "ref" }>, fn: FnId, depth: number, next: (v: Value, at?: FnId) => boolean): boolean {
  if (CALLER_TOKEN_NAME.test(value.path)) return true;
  const [root, ...rest] = value.path.split(".");
  const below = rest.length > 0 ? `.${rest.join(".")}` : "";
  // `this.token` / `self.token`: what the class assigns to it.
  if ((root === "this" || root === "self") && rest.length > 0) {
    const cls = w.code.fn(fn).className;
    const field = `${root}.${rest[0]}`;
    return w.code.assignments.some((a) => a.target === field && w.code.fn(a.fn).className === cls && cls !== null && next(a.value, a.fn));
  }
  const bound = w.code.lookup(fn, root!);
  if (bound.length > 0) return bound.some((v) => next(v.kind === "ref" && below ? { ...v, path: `${v.path}${below}` } : v));
  // `function parse({ authToken })`: a field of a destructured parameter is that member of the argument.
  const owner = w.code.paramOwner(fn, root!) ?? fieldOwner(w.code, fn, root!);
  if (owner && w.code.callersOf(owner.fn.id).length > 0) {
    const path = owner.fn.params[owner.index]!.name === root ? below : `.${root}${below}`;
    // A helper's parameter: what its callers pass.
    return w.code.callersOf(owner.fn.id).slice(0, MAX_CALLERS).some((c) => {
      const arg = argumentFor(c, owner.fn, owner.index);
      return arg !== undefined && isToken(w, memberOf(arg, path), c.fn, depth + 1);
    });
  }
  // A handler's parameter or a name bound nowhere: the flow knows tool contexts, route requests and Flask's `request`.
  return w.flow.origins(value, fn).some((o) => o.kind === "credential" && o.what === "token");
}

/** The destructured parameter (`{ authToken }`) of `fn` or an enclosing function that binds `name` as a field. */
function fieldOwner(code: CodeFacts, fn: FnId, name: string): { fn: FunctionFact; index: number } | null {
  for (let f: FunctionFact | undefined = code.fn(fn), hops = 0; f && hops < 50; hops++) {
    const param = f.params.find((p) => p.name.startsWith("$arg") && p.fields.includes(name));
    if (param) return { fn: f, index: param.index };
    f = f.parent === null ? undefined : code.fn(f.parent);
  }
  return null;
}

/** A member path (".a.b") below a value: an object literal's entry, or a longer name. */
function memberOf(v: Value, path: string): Value {
  if (!path) return v;
  if (v.kind === "ref") return { ...v, path: `${v.path}${path}` };
  const [first, ...rest] = path.slice(1).split(".");
  if (v.kind === "object") {
    const entry = v.entries.find((e) => e.key === first);
    if (entry) return memberOf(entry.value, rest.length > 0 ? `.${rest.join(".")}` : "");
  }
  return v.kind === "object" ? { kind: "null", text: "" } : v;
}

/** A helper's return value, read from a call: its parameters stand for the call's arguments. */
function returnIsToken(w: Walk, value: Value, call: CallFact, depth: number): boolean {
  const target = w.code.fn(call.target!);
  if (value.kind === "ref") {
    const [root, ...rest] = value.path.split(".");
    const index = target.params.findIndex((p) => p.name === root);
    if (index !== -1 && w.code.lookup(target.id, root!).length === 0) {
      const arg = argumentFor(call, target, index);
      if (!arg) return false;
      return isToken(w, arg.kind === "ref" && rest.length > 0 ? { ...arg, path: `${arg.path}.${rest.join(".")}` } : arg, call.fn, depth + 1);
    }
  }
  return isToken(w, value, target.id, depth + 1);
}

function isHeaders(w: Walk, value: Value, fn: FnId, depth: number): boolean {
  if (depth > MAX_DEPTH || w.left-- <= 0) return false;
  const next = (v: Value) => isHeaders(w, v, fn, depth + 1);
  switch (value.kind) {
    case "ref": {
      if (INCOMING_HEADERS.test(value.path)) return true;
      const bound = value.path.includes(".") ? [] : w.code.lookup(fn, value.path);
      if (bound.length > 0) return bound.some(next);
      return w.flow.origins(value, fn).some((o) => o.kind === "request" && o.part === "headers" && o.name === null);
    }
    case "call": {
      const call = w.code.callOf(value)!;
      if (HEADER_COPIES.test(call.resolved || call.callee) || HEADER_COPIES.test(call.callee)) return call.args.some(next);
      if (lastSegment(call.callee) === "copy" && call.receiver) return next(call.receiver);
      return false;
    }
    case "object":
      // An Authorization entry overrides what is copied in; the Authorization rule judges that entry.
      if (value.entries.some((e) => e.key !== null && e.key.toLowerCase() === "authorization")) return false;
      return value.entries.some((e) => e.spread === true && next(e.value));
    case "unknown":
      return (value.op === "||" || value.op === "??" || value.op === "?:") && value.parts.some(next);
    default:
      return false;
  }
}
