// OAuth as a connector serves it, in both languages: metadata documents (protected resource metadata, RFC 9728, and
// authorization server metadata, RFC 8414) written as object literals, dictionaries or files under .well-known;
// responses with a given status, through helpers too; and whether a scope test leads to a response. Derived from
// the code facts, the routes and the responses; no syntax tree is read here.
import type { CallFact, FnId, ObjectEntry, Value } from "@/lib/core/facts";
import type { CodeFacts } from "./code";
import type { Flow } from "./flow";
import { statusOf, type ResponseFact, type Route } from "./http";
import { isLogCall } from "./logs";
import { lastSegment } from "./tokens";

// ---- metadata documents ----

export interface MetadataDocument {
  /** Protected resource metadata, or authorization server metadata. */
  kind: "prm" | "as";
  path: string;
  line: number;
  keys: ReadonlySet<string>;
  /** A spread or `**`: keys we can't see may be present. */
  open: boolean;
  /** Lists of strings by key; null when a list holds something else. */
  lists: ReadonlyMap<string, string[] | null>;
  flags: ReadonlyMap<string, boolean>;
  /** For a file served as it is: its text. */
  staticText?: string;
  /** For a document written in code: the function it is written in and its entries' values. */
  code?: { fn: FnId; values: ReadonlyMap<string, Value> };
}

/** Keys one of which every metadata document has. */
const DOCUMENT_KEYS = ["authorization_servers", "authorization_endpoint", "resource", "token_endpoint", "issuer"];
const PRM_HINTS = ["scopes_supported", "bearer_methods_supported", "resource_documentation", "resource_name", "resource_signing_alg_values_supported"];
const AS_HINTS = ["issuer", "response_types_supported", "code_challenge_methods_supported", "grant_types_supported", "token_endpoint_auth_methods_supported"];
/** Calls that define a schema, whose arguments describe metadata rather than being it. */
const SCHEMA_CALL = /^(?:z|zod|Joi|yup|t|v|Type|s)\.|(?:^|\.)(?:object|looseObject|strictObject|extend|merge|shape)$/;
const SCHEMA_VALUE = /^(?:z|zod|Joi|yup|t|v|Type)\./;
/** The MCP SDK's `mcpAuthMetadataRouter({ oauthMetadata })` serves an authorization server's metadata as given. */
const AS_OPTION = "oauthMetadata";

const isSchemaCall = (callee: string): boolean => SCHEMA_CALL.test(callee);

/** Metadata documents in code (objects and dictionaries) and in files served under .well-known. */
export function metadataDocuments(code: CodeFacts, routes: readonly Route[]): MetadataDocument[] {
  const out: MetadataDocument[] = [];
  const routeByHandler = new Map<FnId, Route>();
  for (const r of routes) for (const h of r.handlers) routeByHandler.set(h, r);
  // Most code has no object with a metadata key: the indexes below are built only when one is found.
  const candidates = code.objects.filter(({ value }) => value.entries.some((e) => e.key !== null && DOCUMENT_KEYS.includes(e.key)));
  const schemaArguments = new Set<Value>();
  const optionOf = new Map<Value, string>();
  if (candidates.length > 0) {
    for (const call of code.callsWhere(isSchemaCall)) for (const a of call.args) schemaArguments.add(a);
    for (const { value } of code.objects) for (const e of value.entries) if (e.key !== null && e.value.kind === "object") optionOf.set(e.value, e.key);
  }

  for (const { fn, path, value } of candidates) {
    if (schemaArguments.has(value) || isSchemaShape(code, value.entries)) continue;
    const shape = shapeOf(value.entries);
    const route = routeAround(code, fn, routeByHandler);
    const kind = optionOf.get(value) === AS_OPTION && shape.keys.has("issuer") ? "as" : kindOf(shape.keys, route?.route ?? null);
    const values = new Map<string, Value>();
    for (const e of value.entries) if (e.key !== null) values.set(e.key, e.value);
    if (kind) out.push({ kind, path, line: value.line, ...shape, code: { fn, values } });
  }
  for (const r of routes) {
    if (r.staticText === undefined) continue;
    const document = parseJsonObject(r.staticText);
    if (!document) continue;
    const keys = new Set(Object.keys(document));
    const lists = new Map<string, string[] | null>();
    const flags = new Map<string, boolean>();
    for (const [k, v] of Object.entries(document)) {
      if (Array.isArray(v)) lists.set(k, v.every((x) => typeof x === "string") ? (v as string[]) : null);
      if (typeof v === "boolean") flags.set(k, v);
    }
    const kind = kindOf(keys, r.route);
    if (kind) out.push({ kind, path: r.path, line: 1, keys, open: false, lists, flags, staticText: r.staticText });
  }
  return out;
}

function shapeOf(entries: readonly ObjectEntry[]): Pick<MetadataDocument, "keys" | "open" | "lists" | "flags"> {
  const keys = new Set<string>();
  const lists = new Map<string, string[] | null>();
  const flags = new Map<string, boolean>();
  for (const e of entries) {
    if (e.key === null) continue;
    keys.add(e.key);
    if (e.value.kind === "array") lists.set(e.key, e.value.items.every((i) => i.kind === "string") ? e.value.items.map((i) => (i.kind === "string" ? i.value : "")) : null);
    if (e.value.kind === "boolean") flags.set(e.key, e.value.value);
  }
  return { keys, open: entries.some((e) => e.spread), lists, flags };
}

/** `{ issuer: z.string(), token_endpoint: z.string().url() }`: a schema's shape, mostly validator calls. */
function isSchemaShape(code: CodeFacts, entries: readonly ObjectEntry[]): boolean {
  const values = entries.filter((e) => e.key !== null).map((e) => e.value);
  const validators = values.filter((v) => {
    const call = code.callOf(v);
    return call !== null && SCHEMA_VALUE.test(call.callee);
  });
  return values.length > 0 && validators.length * 2 >= values.length;
}

/** The route whose handler an object is written in (or in a function inside the handler). */
function routeAround(code: CodeFacts, fn: FnId, routeByHandler: ReadonlyMap<FnId, Route>): Route | undefined {
  for (let id: FnId | null = fn, hops = 0; id !== null && hops < 50; hops++) {
    const route = routeByHandler.get(id);
    if (route) return route;
    id = code.fn(id).parent;
  }
  return undefined;
}

function kindOf(keys: ReadonlySet<string>, route: string | null): "prm" | "as" | null {
  if (keys.has("authorization_servers")) return "prm";
  if (keys.has("authorization_endpoint") && AS_HINTS.some((k) => keys.has(k))) return "as";
  if (route?.includes("oauth-protected-resource") && (keys.has("resource") || PRM_HINTS.some((k) => keys.has(k)))) return "prm";
  if (keys.has("resource") && PRM_HINTS.some((k) => keys.has(k)) && !keys.has("authorization_endpoint")) return "prm";
  if ((route?.includes("oauth-authorization-server") || route?.includes("openid-configuration")) && (keys.has("issuer") || keys.has("token_endpoint"))) return "as";
  return null;
}

function parseJsonObject(text: string): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

// ---- responses with a status ----

export interface StatusSite {
  path: string;
  line: number;
  fn: FnId;
  /** Headers sent with the response, as far as the call shows them. */
  headers: ReadonlyArray<readonly [string, Value]>;
  /** The helper that sends it, when the status is handed to one (`sendError(res, 401)`). */
  helper: FnId | null;
}

/** Error helpers of web frameworks the response facts don't model: h3 `createError`, SvelteKit `error`, Flask `make_response`. */
const ERROR_HELPERS = /^(?:createError|error|make_response|\w+\.createError|flask\.make_response)$/;
/** Names of helpers that answer a request: `sendError`, `_send_json_error_response`, `respond_unauthorized`. */
const SENDING_HELPER = /^_*(?:send|respond|reply|write|return)_?\w*(?:error|response|status|unauthori[sz]ed|json)\w*$/i;
/** Methods that send a body, given a status among their arguments on any receiver: `res.send(401)`, `this.res.json(b, 401)`. */
const SENDING_METHODS = new Set(["json", "text", "send", "body", "newResponse", "sendStatus"]);
/** A status written on a response or context object: Koa `ctx.status = 401`, `this.res.statusCode = 401` (not `err.status`). */
const STATUS_FIELD = /(?:^|\.)(?:res|response|reply|resp|ctx|context)\.(?:status|statusCode|status_code)$/;

/**
 * Responses sent with `status`: directly, through a helper the status is handed to (its own constant-status
 * responses are sites where they are written), through framework error helpers, and as a status given to a sending
 * method or written on a response object the response facts don't recognize.
 */
/** The callees statusSites reads: error helpers, sending methods and helpers named for answering. */
function maySend(callee: string): boolean {
  const last = lastSegment(callee);
  return ERROR_HELPERS.test(callee) || (SENDING_METHODS.has(last) && callee.includes(".")) || SENDING_HELPER.test(last);
}

export function statusSites(code: CodeFacts, responses: readonly ResponseFact[], status: number): StatusSite[] {
  const out: StatusSite[] = [];
  for (const r of responses) {
    if (r.status !== status) continue;
    // Python's `return body, 401` is placed at its function; its body, when a literal, says where the return is.
    const line = r.call === null && r.body?.kind === "object" ? r.body.line : r.line;
    if (r.via === null) out.push({ path: r.path, line, fn: r.fn, headers: r.headers, helper: null });
    else if (r.call && r.statusValue && passes(r.call, r.statusValue)) out.push({ path: r.path, line: r.line, fn: r.fn, headers: r.headers, helper: r.call.target });
  }
  const known = new Set(out.map((s) => `${s.path}:${s.line}`));
  const add = (s: { path: string; line: number; fn: FnId }) => {
    if (!known.has(`${s.path}:${s.line}`)) out.push({ path: s.path, line: s.line, fn: s.fn, headers: [], helper: null });
  };
  for (const call of code.callsWhere(maySend)) {
    const sender = ERROR_HELPERS.test(call.callee) || (SENDING_METHODS.has(lastSegment(call.callee)) && call.callee.includes(".") && !isLogCall(code, call));
    // A repository helper named for answering (`_send_json_error_response(send, 401, msg)`), whatever it writes to.
    const helper = call.target !== null && SENDING_HELPER.test(lastSegment(call.callee));
    if (!sender && !helper) continue;
    if ([...call.args, ...call.kwargs.map(([, v]) => v)].some((a) => statusOf(a) === status)) add(call);
  }
  for (const a of code.assignments) if (STATUS_FIELD.test(a.target) && statusOf(a.value) === status) add(a);
  return out;
}

function passes(call: CallFact, v: Value): boolean {
  return call.args.includes(v) || call.kwargs.some(([, x]) => x === v);
}

// ---- scope tests ----

/** Calls that test membership: `scopes.includes("x")`, `required.issubset(granted)`. */
const MEMBERSHIP_TESTS = new Set(["includes", "has", "some", "every", "indexOf", "contains", "issubset", "issuperset", "startsWith", "find"]);
/** A token's scopes as code names them (`auth.scopes`, `claims["scope"]`, `scp`), not an ASGI `scope` dictionary. */
const OAUTH_SCOPE = /scopes|\bscp\b|claims\W{1,3}scope\b|\.scope\b(?!_)|\bscope\s*(?:===?|!==?)/i;
/** Helpers named for what they test: `hasScope(…)`, `checkScopes(…)`, `require_scope(…)`. */
const SCOPE_HELPER = /^(?:has|check|require|verify|validate|ensure|missing|lacks?)_?\w*scope/i;

/**
 * Whether a scope test leads to a response: a comparison or membership test that mentions a scope, in the response's
 * function, on the lines after the previous response there and up to this one. The facts keep no `if` conditions,
 * so "the condition of the `if` the response is in" is read as "the tests written just before it".
 */
export function followsScopeTest(code: CodeFacts, site: { fn: FnId; line: number }, responseLines: readonly number[]): boolean {
  const fn = code.fn(site.fn);
  const previous = Math.max(fn.isModule ? 0 : fn.line - 1, ...responseLines.filter((l) => l < site.line));
  const inWindow = (line: number) => line > previous && line <= site.line;
  for (const id of fn.calls) {
    const call = code.calls[id]!;
    if (!inWindow(call.line)) continue;
    const last = lastSegment(call.callee);
    if ((MEMBERSHIP_TESTS.has(last) && OAUTH_SCOPE.test(call.text)) || SCOPE_HELPER.test(last)) return true;
  }
  return code.comparisons.some((c) => c.fn === site.fn && inWindow(c.line) && (OAUTH_SCOPE.test(c.left.text) || OAUTH_SCOPE.test(c.right.text)));
}

// ---- URLs built from the request's Host ----

/** Headers that say which host or scheme a request was for, and that any client (or proxy in front) can set. */
const HOST_HEADERS = new Set(["host", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-server", "forwarded", "cf-visitor", "x-original-host"]);
const HEADER_READ = /(?:^|\.)(?:get|header|getHeader|get_header|headers\.get)$/;

/**
 * Whether a value is built from the Host (or X-Forwarded-*) header of the request: `${proto}://${req.get("host")}`,
 * `request.headers["host"]`, `request.base_url`. The request's own URL (`new URL(req.url).origin`) is not: it is
 * the origin the client reached.
 */
export function fromHostHeader(code: CodeFacts, flow: Flow, value: Value, fn: FnId, depth = 0): boolean {
  if (depth > 8) return false;
  const next = (v: Value) => fromHostHeader(code, flow, v, fn, depth + 1);
  switch (value.kind) {
    case "template":
    case "array":
      return (value.kind === "template" ? value.parts : value.items).some(next);
    case "unknown":
      // `process.env.BASE_URL ?? `https://${host}``: the configured URL is what is used when it is set.
      if (value.op === "||" || value.op === "??") return value.parts[0] !== undefined && next(value.parts[0]);
      return value.parts.some(next);
    case "call": {
      const call = code.callOf(value);
      if (!call) return false;
      const name = call.args[0]?.kind === "string" ? call.args[0].value.toLowerCase() : null;
      if (name !== null && HOST_HEADERS.has(name) && HEADER_READ.test(call.callee)) return true;
      // A helper of the repository (`baseUrlOf(req)`): what it returns.
      if (call.target !== null) return code.fn(call.target).returns.some((r) => fromHostHeader(code, flow, r, call.target!, depth + 1));
      return call.args.some(next) || (call.receiver !== null && next(call.receiver));
    }
    case "ref":
    case "member": {
      if (value.kind === "ref" && !value.path.includes(".")) {
        const bound = code.lookup(fn, value.path);
        if (bound.length > 0) return bound.some(next);
      }
      return flow.origins(value, fn).some((o) => o.kind === "request" && (o.part === "host" || (o.part === "headers" && o.name !== null && HOST_HEADERS.has(o.name))));
    }
    default:
      return false;
  }
}
