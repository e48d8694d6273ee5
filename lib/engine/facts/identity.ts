// Who the caller is, as the code decides it: an identity read from the caller's token or its claims (`sub`,
// `userId`, `email`) with a constant in its place when the token has none (`claims.sub ?? "default-user"`,
// `payload.get("sub", "anonymous")`, `user.id || 'anonymous'`). Every caller without that claim then becomes the same
// user. Derived from the values in the code facts and the data flow; no syntax tree is read here.
import type { CallFact, FnId, FunctionFact, Value } from "@/lib/core/facts";
import type { CodeFacts } from "./code";
import type { Flow } from "./flow";
import { isLogCall } from "./logs";
import { lastSegment } from "./tokens";

/** Claims and fields that name a user, compared without case, `_` or `-`. */
const IDENTITY_FIELD = /^(?:sub|subject|userid|uid|user|username|email|login|oid|accountid|principal|preferredusername)$/;
/** Values searched below a place (an object inside a call inside a binding). */
const MAX_DEPTH = 6;

export interface FallbackIdentity {
  path: string;
  /** A line at or before the expression (bindings carry no line): the checks find the expression's own from here. */
  line: number;
  fn: FnId;
  /** The expression, as written on one line. */
  text: string;
  /** The claim read, as written: `payload.sub`. */
  claim: string;
  /** The constant used when it is missing. */
  fallback: string;
}

/** Identities read from the caller's token with a constant fallback, once per function and claim. */
export function fallbackIdentities(code: CodeFacts, flow: Flow): FallbackIdentity[] {
  const out = new Map<string, FallbackIdentity>();
  const visit = (v: Value, fn: FnId, line: number, depth = 0): void => {
    if (depth > MAX_DEPTH) return;
    const found = fallbackOf(code, flow, v, fn);
    if (found) {
      const key = `${fn}:${found.claim}`;
      const known = out.get(key);
      if (!known || known.line > line) out.set(key, { path: code.fn(fn).path, line, fn, text: v.text, ...found });
      return;
    }
    for (const child of children(v)) visit(child, fn, lineOf(code, child, line), depth + 1);
  };
  for (const f of code.functions) {
    for (const values of Object.values(f.bindings)) for (const v of values) visit(v, f.id, lineOf(code, v, f.line));
    for (const r of f.returns) visit(r, f.id, lineOf(code, r, f.line));
  }
  for (const c of code.calls) {
    const get = isGet(c.callee);
    // Most calls have nothing to visit (`z.string()`): they are passed over before the log-call lookup.
    if (!get && c.args.length === 0 && c.kwargs.length === 0) continue;
    if (isLogCall(code, c)) continue;
    // A call itself is only ever a `.get(claim, default)` read: other calls need no value built to be turned down.
    if (get) visit({ kind: "call", call: c.id, text: c.text }, c.fn, c.line);
    for (const a of c.args) visit(a, c.fn, lineOf(code, a, c.line));
    for (const [, a] of c.kwargs) visit(a, c.fn, lineOf(code, a, c.line));
  }
  return [...out.values()];
}

function fallbackOf(code: CodeFacts, flow: Flow, v: Value, fn: FnId): { claim: string; fallback: string } | null {
  if (v.kind === "call") {
    const call = code.callOf(v);
    return call ? getWithDefault(code, flow, call) : null;
  }
  if (v.kind !== "unknown" || (v.op !== "||" && v.op !== "??") || v.parts.length < 2) return null;
  const last = v.parts[v.parts.length - 1]!;
  if (last.kind !== "string" || last.value.trim() === "") return null;
  const claim = v.parts.slice(0, -1).find((p) => isIdentityRead(code, p) && fromCallerToken(flow, p, fn));
  return claim ? { claim: claim.text, fallback: last.value } : null;
}

/** `claims.get("sub", "anonymous")`: a dictionary read with a constant default. */
function getWithDefault(code: CodeFacts, flow: Flow, call: CallFact): { claim: string; fallback: string } | null {
  if (!isGet(call.callee) || !call.receiver) return null;
  const [key, fallback] = call.args;
  if (key?.kind !== "string" || fallback?.kind !== "string" || fallback.value.trim() === "" || !isIdentityName(key.value)) return null;
  if (!fromCallerToken(flow, call.receiver, call.fn)) return null;
  return { claim: `${call.receiver.text}.get("${key.value}")`, fallback: fallback.value };
}

function isIdentityRead(code: CodeFacts, v: Value): boolean {
  if (v.kind === "ref") return v.path.includes(".") && isIdentityName(lastSegment(v.path));
  if (v.kind === "member") return isIdentityName(v.property);
  const call = code.callOf(v);
  if (call && isGet(call.callee) && call.args[0]?.kind === "string") return isIdentityName(call.args[0].value);
  if (v.kind === "unknown" && (v.op === "||" || v.op === "??")) return v.parts.some((p) => isIdentityRead(code, p));
  return false;
}

function isIdentityName(name: string): boolean {
  return IDENTITY_FIELD.test(name.toLowerCase().replace(/[_-]/g, ""));
}

function fromCallerToken(flow: Flow, v: Value, fn: FnId): boolean {
  return flow.origins(v, fn).some((o) => o.kind === "credential");
}

function children(v: Value): Value[] {
  switch (v.kind) {
    case "object":
      return v.entries.map((e) => e.value);
    case "array":
      return v.items;
    case "template":
    case "unknown":
      return v.parts;
    case "member":
      return [v.object];
    default:
      return [];
  }
}

/** `get` or `x.get`, without cutting the name apart: asked of every call in the code. */
function isGet(callee: string): boolean {
  return callee === "get" || callee.endsWith(".get");
}

function lineOf(code: CodeFacts, v: Value, fallback: number): number {
  if (v.kind === "object") return v.line;
  return code.callOf(v)?.line ?? fallback;
}

// ---- one process-wide "current user" ----

/** Names of process-wide variables that hold whose credentials or identity is in use. */
const GLOBAL_AUTH_NAME = /auth|token|credential|session|user|account|identity|principal|grant/i;
/** Parameters that say a function serves one of many sessions or users. */
const PER_CALLER_PARAM = /^(?:session|sessionid|session_id|userid|user_id|user|accountid|account_id|clientid|client_id|transportid)$/i;

export interface GlobalIdentity {
  path: string;
  line: number;
  /** The function that overwrites it. */
  fn: FnId;
  /** The module-level variable. */
  name: string;
  /** The assignment as it is written, to find its line. */
  text: string;
}

/**
 * A module-level variable that a function serving one session or caller overwrites with that caller's credentials
 * (`currentAuthInfo = authInfo` in `setAuth(sessionId, authInfo)`, or a value from the caller's token), and that
 * other functions read: whoever came last is the user for everyone.
 */
export function globalIdentities(code: CodeFacts, flow: Flow): GlobalIdentity[] {
  const out: GlobalIdentity[] = [];
  const readersOf = new Map<string, FnId[]>();
  for (const f of code.functions) {
    if (f.isModule || f.parent === null) continue;
    const top = code.fn(f.parent);
    if (!top.isModule) continue;
    for (const [name, values] of Object.entries(f.bindings)) {
      if (!GLOBAL_AUTH_NAME.test(name) || !(top.bindings[name]?.length) || f.params.some((p) => p.name === name)) continue;
      if (!values.some((v) => perCaller(code, flow, f, v))) continue;
      // Functions of the file that name it, once per file and name (a file may hold thousands of functions).
      const key = `${f.path}\0${name}`;
      let readers = readersOf.get(key);
      if (!readers) {
        const word = ` ${name.toLowerCase()} `;
        readersOf.set(key, (readers = code.functionsIn(f.path).filter((g) => !g.isModule && ` ${g.words} `.includes(word)).map((g) => g.id)));
      }
      if (!readers.some((id) => id !== f.id)) continue;
      out.push({ path: f.path, line: f.line, fn: f.id, name, text: `${name} =` });
    }
  }
  return out;
}

function perCaller(code: CodeFacts, flow: Flow, f: FunctionFact, v: Value): boolean {
  if (v.kind === "null") return false;
  if (flow.origins(v, f.id).some((o) => o.kind === "credential")) return true;
  // A parameter of a function that is told which session or user it serves.
  const param = v.kind === "ref" ? f.params.find((p) => p.name === v.path.split(".")[0]) : undefined;
  return param !== undefined && f.params.some((p) => p !== param && PER_CALLER_PARAM.test(p.name.replace(/-/g, "")));
}
