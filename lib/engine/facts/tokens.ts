// Bearer tokens as the code handles them, in both languages: calls that decode or verify JWTs (with the options that
// tune verification), functions that stand as token verifiers, and reads of query-string parameters. Derived from
// the code facts; no syntax tree is read here. Library names differ per language (`jwt.decode` never verifies in
// jsonwebtoken and verifies by default in PyJWT), so the vocabulary is kept per language and the shapes are shared.
import type { CallFact, FnId, FunctionFact, Language, Value } from "@/lib/core/facts";
import type { CodeFacts } from "./code";
import { kwarg, objectArg } from "./http";
import { isOff } from "./settings";

// ---- token decode and verify calls ----

interface TokenLibrary {
  /** Calls that only read the claims: the signature is never checked. */
  decodeOnly: ReadonlySet<string>;
  /** Calls that check the signature unless an option switches it off. */
  verify: ReadonlySet<string>;
  /** Last name segments that verify wherever they come from (jose's `jwtVerify`). */
  verifyLast: ReadonlySet<string>;
  /** Where the options that tune verification are: an options argument (its index), or keyword arguments. */
  options: { argument: number } | "keywords";
}

const LIBRARIES: Record<Language, TokenLibrary> = {
  js: {
    decodeOnly: new Set(["jwt.decode", "jsonwebtoken.decode", "jwtDecode", "jwt-decode", "jwt-decode.jwtDecode", "decodeJwt", "jose.decodeJwt", "jwt_decode"]),
    verify: new Set(["jwt.verify", "jsonwebtoken.verify"]),
    verifyLast: new Set(["jwtVerify"]),
    options: { argument: 2 },
  },
  py: {
    decodeOnly: new Set(["jwt.get_unverified_claims", "jose.jwt.get_unverified_claims"]),
    verify: new Set(["jwt.decode", "jose.jwt.decode"]),
    verifyLast: new Set(),
    options: "keywords",
  },
};

/** Calls named like a verification (a signature check, a verifier, token introspection), in any library. */
const VERIFYING_CALL = /(?:^|\.)(?:verify|jwtVerify|compactVerify|verifyToken|verifyAccessToken|verifyJwt|verifyJWT|introspect\w*)$/;

export interface TokenCall {
  call: CallFact;
  /** The name as written: `jwt.decode`, `jwtVerify`. */
  name: string;
  /** Whether the call checks the token's signature. */
  verifiesSignature: boolean;
  /** The option that switched the signature check off (`verify_signature`, `verify`), if one did. */
  signatureSwitchedOff: string | null;
  /**
   * The options that tune verification, merged: an options object's entries (JS), keyword arguments and the
   * entries of the `options` dictionary (Python). Null when they are not visible (an options variable we can't see).
   */
  options: ReadonlyMap<string, Value> | null;
  /** Options we can't see may be given too: a spread, `**kwargs`. */
  open: boolean;
}

/** Every call that decodes or verifies a JWT. */
/** Several checks ask; the answer depends only on the code facts, so it is worked out once per scan. */
const tokenCallsOf = new WeakMap<CodeFacts, readonly TokenCall[]>();

export function tokenCalls(code: CodeFacts): readonly TokenCall[] {
  const known = tokenCallsOf.get(code);
  if (known) return known;
  const out = findTokenCalls(code);
  tokenCallsOf.set(code, out);
  return out;
}

/** What findTokenCalls asks of a name before the file's language: a token library's call in either language. */
function mayBeTokenCall(callee: string, resolved: string): boolean {
  return Object.values(LIBRARIES).some(
    (library) => [callee, resolved].some((n) => library.decodeOnly.has(n) || library.verify.has(n)) || library.verifyLast.has(lastSegment(callee)),
  );
}

function findTokenCalls(code: CodeFacts): TokenCall[] {
  const out: TokenCall[] = [];
  for (const call of code.callsWhere(mayBeTokenCall)) {
    const language = code.fileOf(call.fn)?.language;
    if (!language) continue;
    const library = LIBRARIES[language];
    const names = [call.callee, call.resolved];
    const last = lastSegment(call.callee);
    if (names.some((n) => library.decodeOnly.has(n))) {
      out.push({ call, name: call.callee, verifiesSignature: false, signatureSwitchedOff: null, options: null, open: false });
    } else if (names.some((n) => library.verify.has(n)) || library.verifyLast.has(last)) {
      const { options, open } = library.options === "keywords" ? keywordOptions(code, call) : argumentOptions(code, call, library.options.argument);
      const switchedOff = options ? (["verify_signature", "verify"].find((k) => isOffValue(options.get(k))) ?? null) : null;
      out.push({ call, name: call.callee, verifiesSignature: switchedOff === null, signatureSwitchedOff: switchedOff, options, open });
    }
  }
  return out;
}

/** Whether anything in a file verifies a token: a verifying JWT call, or a call named like a verification. */
export function fileVerifiesTokens(code: CodeFacts, calls: readonly TokenCall[], path: string): boolean {
  if (calls.some((t) => t.call.path === path && t.verifiesSignature)) return true;
  return code.calls.some((c) => c.path === path && (VERIFYING_CALL.test(c.callee) || VERIFYING_CALL.test(c.resolved)));
}

function argumentOptions(code: CodeFacts, call: CallFact, index: number): { options: Map<string, Value> | null; open: boolean } {
  const arg = call.args[index];
  // No options, or a callback where the options would be: nothing is required of the token.
  if (arg === undefined || arg.kind === "function") return { options: new Map(), open: call.spread };
  const object = objectArg(code, call, arg);
  if (!object) return { options: null, open: true };
  return { options: entriesOf(object), open: object.entries.some((e) => e.spread) };
}

function keywordOptions(code: CodeFacts, call: CallFact): { options: Map<string, Value>; open: boolean } {
  const options = new Map<string, Value>(call.kwargs);
  let open = call.spread;
  const dict = kwarg(call, "options");
  const object = dict ? objectArg(code, call, dict) : null;
  if (object) {
    for (const [k, v] of entriesOf(object)) options.set(k, v);
    open ||= object.entries.some((e) => e.spread);
  }
  return { options, open };
}

function entriesOf(object: Extract<Value, { kind: "object" }>): Map<string, Value> {
  const out = new Map<string, Value>();
  for (const e of object.entries) if (e.key !== null) out.set(e.key, e.value);
  return out;
}

function isOffValue(v: Value | undefined): boolean {
  return v !== undefined && v.kind === "boolean" && isOff(v);
}

/** `algorithms: ["none"]`, `algorithm="none"`: a setting value that admits unsigned tokens. */
export function admitsAlgNone(v: Value): boolean {
  if (v.kind === "string") return v.value.toLowerCase() === "none";
  if (v.kind === "array") return v.items.some((i) => i.kind === "string" && i.value.toLowerCase() === "none");
  return false;
}

// ---- token verifiers ----

/** Names of functions that verify tokens, compared without case, `_` or `-`: verifyToken, verify_access_token, load_access_token. */
const VERIFIER_NAME = /^(?:verify|validate|check)(?:access|bearer|auth)?token$|^loadaccesstoken$/;
/** Calls that take a verifier function (mcp-handler's `withMcpAuth`, also as `experimental_withMcpAuth`), and the argument it is. */
const VERIFIER_SLOTS: ReadonlyArray<{ name: RegExp; index: number }> = [{ name: /(?:^|_)withMcpAuth$/, index: 1 }];
const takesVerifier = (callee: string): boolean => VERIFIER_SLOTS.some((s) => s.name.test(lastSegment(callee)));

export interface TokenVerifier {
  fn: FunctionFact;
  /** How it was recognized: by its name, or as the verifier given to a call (`withMcpAuth`). */
  givenTo: string | null;
}

/** Functions that stand as a token verifier: named like one, or passed as the verifier of an auth wrapper. */
export function tokenVerifiers(code: CodeFacts): TokenVerifier[] {
  const out = new Map<FnId, TokenVerifier>();
  for (const fn of code.functions) {
    if (fn.name && VERIFIER_NAME.test(fn.name.toLowerCase().replace(/[_-]/g, ""))) out.set(fn.id, { fn, givenTo: null });
  }
  for (const call of code.callsWhere(takesVerifier)) {
    const last = lastSegment(call.callee);
    const slot = VERIFIER_SLOTS.find((s) => s.name.test(last));
    const arg = slot ? call.args[slot.index] : undefined;
    if (!arg) continue;
    for (const fn of code.functionsOf(arg, call.fn)) if (!out.has(fn.id)) out.set(fn.id, { fn, givenTo: last });
  }
  return [...out.values()];
}

/** A function and every function written inside it. */
export function functionAndInner(code: CodeFacts, fn: FunctionFact): FunctionFact[] {
  const ids = new Set([fn.id]);
  // Functions are numbered in the order they are written, so inner functions come after their parent.
  for (let id = fn.id + 1; id < code.functions.length; id++) {
    const f = code.fn(id);
    if (f.path !== fn.path || f.line > fn.endLine) break;
    if (f.parent !== null && ids.has(f.parent)) ids.add(id);
  }
  return [...ids].map((id) => code.fn(id));
}

// ---- query-string parameters ----

export interface QueryRead {
  path: string;
  line: number;
  fn: FnId;
  /** The parameter's name. */
  name: string;
  /** How it is read, as written: `req.query.token`, `url.searchParams.get`, `Query`. */
  how: string;
  kind: "member" | "call" | "parameter";
}

/** Objects that hold a request's query parameters, by the member name they are read through. */
const QUERY_HOLDERS = new Set(["query", "query_params", "searchParams", "args", "GET"]);
const QUERY_GETTERS = new Set(["get", "getAll", "getlist"]);

/** The callees queryReads keeps (a getter on a query holder, Hono's `req.query`), whatever the arguments. */
function readsQuery(callee: string): boolean {
  const parts = callee.split(".");
  const method = parts[parts.length - 1]!;
  const holder = parts[parts.length - 2] ?? "";
  return (QUERY_GETTERS.has(method) && QUERY_HOLDERS.has(holder) && (holder !== "args" || parts.length >= 3)) || (method === "query" && holder === "req");
}

/**
 * Reads of named query-string parameters: `req.query.token`, `request.args["token"]`, `url.searchParams.get("token")`,
 * `request.query_params.get("token")`, Hono `c.req.query("token")`, and FastAPI parameters declared `= Query(...)`.
 * A bare `args` is a tool's arguments far more often than Flask's `request.args`, so `args` counts only below a name.
 */
export function queryReads(code: CodeFacts): QueryRead[] {
  const out: QueryRead[] = [];
  for (const a of code.accesses) {
    const parts = a.target.split(".");
    if (parts.length < 3 || !QUERY_HOLDERS.has(parts[parts.length - 2]!)) continue;
    out.push({ path: a.path, line: a.line, fn: a.fn, name: parts[parts.length - 1]!, how: a.target, kind: "member" });
  }
  for (const call of code.callsWhere(readsQuery)) {
    const name = call.args[0]?.kind === "string" ? call.args[0].value : null;
    if (name === null) continue;
    const parts = call.callee.split(".");
    const method = parts[parts.length - 1]!;
    const holder = parts[parts.length - 2] ?? "";
    const below = parts.length >= 3;
    const getter = QUERY_GETTERS.has(method) && QUERY_HOLDERS.has(holder) && (holder !== "args" || below);
    const hono = method === "query" && holder === "req";
    if (getter || hono) out.push({ path: call.path, line: call.line, fn: call.fn, name, how: call.callee, kind: "call" });
  }
  for (const fn of code.functions) {
    for (const p of fn.params) {
      const declared = p.default ? code.callOf(p.default) : null;
      if (!declared || lastSegment(declared.callee) !== "Query") continue;
      // `Query(alias="access_token")` reads the aliased name from the URL.
      const alias = kwarg(declared, "alias");
      const name = alias?.kind === "string" ? alias.value : p.name;
      out.push({ path: declared.path, line: declared.line, fn: fn.id, name, how: "Query", kind: "parameter" });
    }
  }
  return out;
}

export function lastSegment(name: string): string {
  const i = name.lastIndexOf(".");
  return i === -1 ? name : name.slice(i + 1);
}
