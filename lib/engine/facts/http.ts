// HTTP as the code speaks it, in both languages: the routes a connector serves (and their handler functions), the
// responses it sends (status, headers, redirects), and the requests it makes to other services (library, method,
// URL, headers, timeout). Derived from the code facts; no syntax tree is read here.
import type { CallFact, FnId, FunctionFact, ObjectEntry, Value } from "@/lib/core/facts";
import type { CodeFacts } from "./code";
import type { Snapshot } from "../snapshot";

// ---- routes ----

export interface Route {
  path: string;
  line: number;
  /** As written: `/.well-known/oauth-protected-resource`, `/mcp`, `/users/:id`. */
  route: string;
  /** Upper-case methods; "*" for any. */
  methods: string[];
  /** Handler functions (middleware included), in order. */
  handlers: FnId[];
  /** A file served as it is (`public/.well-known/…`): its text. */
  staticText?: string;
}

const ROUTER_METHODS = new Set(["get", "post", "put", "patch", "delete", "del", "all", "options", "head", "use", "route", "on", "api_route", "custom_route", "websocket"]);
// Receivers whose `.get("/x")` is a request or a lookup, not a route.
const NOT_ROUTERS = new Set(["axios", "got", "ky", "http", "https", "request", "requests", "httpx", "superagent", "client", "api", "map", "cache", "headers", "searchParams", "params", "query", "store", "redis", "kv", "session", "fetch", "env", "os", "environ", "config", "settings", "self", "this", "args", "form", "cookies", "json", "data", "body"]);
const NEXT_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"];

export function findRoutes(code: CodeFacts, snapshot: Snapshot): Route[] {
  const out: Route[] = [];
  // Functions by the decorator calls on them, once: looking them up per call made large repositories quadratic.
  const decoratedBy = new Map<number, FunctionFact[]>();
  for (const f of code.functions) for (const d of f.decorators) (decoratedBy.get(d) ?? decoratedBy.set(d, []).get(d)!).push(f);
  for (const call of code.callsWhere(mayDeclareRoute)) {
    const dot = call.callee.lastIndexOf(".");
    if (dot === -1) {
      if (/^(?:Route|Mount|APIRoute|WebSocketRoute)$/.test(call.callee)) out.push(...starletteRoute(code, call));
      continue;
    }
    const method = call.callee.slice(dot + 1);
    const receiver = call.callee.slice(0, dot);
    const receiverLast = receiver.slice(receiver.lastIndexOf(".") + 1);
    if (/(?:^|\.)routing$|^starlette\.routing$/.test(receiver) && /^(?:Route|Mount)$/.test(method)) {
      out.push(...starletteRoute(code, call));
      continue;
    }
    if (!ROUTER_METHODS.has(method) || NOT_ROUTERS.has(receiverLast)) continue;
    const decorated = decoratedBy.get(call.id) ?? [];
    let routeArg = call.args[0];
    let methods = methodsOf(method, call);
    // Hono `app.on("POST", "/x", h)`.
    if (method === "on" && call.args[1]?.kind === "string") {
      methods = stringsOf(call.args[0]).map((m) => m.toUpperCase());
      routeArg = call.args[1];
    }
    const route = routeArg?.kind === "string" ? routeArg.value : null;
    if (route === null || !route.startsWith("/")) continue;
    const handlers =
      decorated.length > 0 ? decorated.map((f) => f.id) : call.args.slice(1).flatMap((a) => code.functionsOf(a, call.fn).map((f) => f.id));
    if (decorated.length === 0 && call.args.length < 2) continue;
    out.push({ path: call.path, line: call.line, route, methods, handlers });
  }
  out.push(...nextRoutes(code));
  // Files served as they are: JSON or extension-less documents under .well-known.
  for (const p of snapshot.find((x) => x.includes(".well-known/") && /(?:\/[^/.]+|\.json)$/.test(x))) {
    const text = snapshot.text(p);
    if (text === null || text.length > 64 * 1024) continue;
    const route = `/.well-known/${p.slice(p.indexOf(".well-known/") + ".well-known/".length).replace(/\.json$/, "")}`;
    out.push({ path: p, line: 1, route, methods: ["GET"], handlers: [], staticText: text });
  }
  return out;
}

/** What findRoutes asks of a callee before its arguments: a router method on a router, or a Starlette route. */
function mayDeclareRoute(callee: string): boolean {
  const dot = callee.lastIndexOf(".");
  if (dot === -1) return /^(?:Route|Mount|APIRoute|WebSocketRoute)$/.test(callee);
  const method = callee.slice(dot + 1);
  const receiver = callee.slice(0, dot);
  if (/(?:^|\.)routing$|^starlette\.routing$/.test(receiver) && /^(?:Route|Mount)$/.test(method)) return true;
  return ROUTER_METHODS.has(method) && !NOT_ROUTERS.has(receiver.slice(receiver.lastIndexOf(".") + 1));
}

function methodsOf(method: string, call: CallFact): string[] {
  const listed = kwarg(call, "methods");
  if (listed) return stringsOf(listed).map((m) => m.toUpperCase());
  if (["use", "all", "route", "on", "api_route", "custom_route"].includes(method)) return method === "custom_route" || method === "route" ? ["GET"] : ["*"];
  if (method === "websocket") return ["GET"];
  return [method === "del" ? "DELETE" : method.toUpperCase()];
}

function starletteRoute(code: CodeFacts, call: CallFact): Route[] {
  const route = call.args[0]?.kind === "string" ? call.args[0].value : null;
  if (route === null) return [];
  const endpoint = kwarg(call, "endpoint") ?? call.args[1];
  const handlers = endpoint ? code.functionsOf(endpoint, call.fn).map((f) => f.id) : [];
  const listed = kwarg(call, "methods");
  return [{ path: call.path, line: call.line, route, methods: listed ? stringsOf(listed).map((m) => m.toUpperCase()) : ["GET"], handlers }];
}

/** Next.js App Router `app/**\/route.ts` (exported GET, POST…) and Pages Router `pages/api/**`. */
function nextRoutes(code: CodeFacts): Route[] {
  const out: Route[] = [];
  for (const file of code.files) {
    if (file.language !== "js" || file.module === null) continue;
    const segments = file.path.split("/");
    const name = segments[segments.length - 1] ?? "";
    const appAt = segments.lastIndexOf("app");
    const pagesAt = segments.lastIndexOf("pages");
    if (appAt !== -1 && /^route\.[cm]?[jt]sx?$/.test(name)) {
      const route = `/${segments
        .slice(appAt + 1, -1)
        .filter((s) => !/^\(.*\)$/.test(s) && !s.startsWith("@"))
        .join("/")}`;
      const methods = NEXT_METHODS.filter((m) => file.exports[m]);
      if (methods.length === 0) continue;
      const handlers = methods.flatMap((m) => code.functionsOf(file.exports[m]!, file.module!).map((f) => f.id));
      out.push({ path: file.path, line: handlers[0] !== undefined ? code.fn(handlers[0]).line : 1, route, methods, handlers });
    } else if (pagesAt !== -1 && segments[pagesAt + 1] === "api") {
      const route = `/${segments.slice(pagesAt + 1).join("/").replace(/\.[cm]?[jt]sx?$/, "").replace(/\/index$/, "")}`;
      const handler = file.exports.default;
      out.push({ path: file.path, line: 1, route, methods: ["*"], handlers: handler ? code.functionsOf(handler, file.module).map((f) => f.id) : [] });
    }
  }
  return out;
}

// ---- responses ----

export interface ResponseFact {
  path: string;
  line: number;
  fn: FnId;
  /** The status code when it is a constant; null when not known. */
  status: number | null;
  statusValue: Value | null;
  /** Header names lower-cased, with their values. */
  headers: Array<[string, Value]>;
  body: Value | null;
  /** The redirect target, for redirects. */
  redirect: Value | null;
  /** The call that sends it. */
  call: CallFact | null;
  /** A helper that sends it (`sendError(res, 401)`): its name. */
  via: string | null;
}

const STATUS_NAMES: Record<string, number> = {
  HTTP_401_UNAUTHORIZED: 401,
  HTTP_403_FORBIDDEN: 403,
  HTTP_400_BAD_REQUEST: 400,
  HTTP_302_FOUND: 302,
  HTTP_307_TEMPORARY_REDIRECT: 307,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
};

export function statusOf(v: Value | undefined | null): number | null {
  if (!v) return null;
  if (v.kind === "number") return v.value;
  if (v.kind === "ref") return STATUS_NAMES[v.path.slice(v.path.lastIndexOf(".") + 1)] ?? null;
  if (v.kind === "object") {
    const s = entry(v, "status") ?? entry(v, "statusCode") ?? entry(v, "status_code");
    return s ? statusOf(s) : null;
  }
  return null;
}

const RESPONSE_CONSTRUCTORS = /^(?:Response|NextResponse|JSONResponse|PlainTextResponse|HTMLResponse|RedirectResponse|StreamingResponse|HTTPException|web\.Response|HttpResponse|JsonResponse)$/;

export function findResponses(code: CodeFacts): ResponseFact[] {
  const out: ResponseFact[] = [];
  for (const call of code.callsWhere(mayRespond)) {
    const r = responseOfCall(code, call);
    if (r) out.push(r);
  }
  // `res.statusCode = 401`; `response.headers["X"] = v`.
  for (const a of code.assignments) {
    if (/(?:^|\.)(?:res|response|reply|resp)\.(?:statusCode|status_code)$/.test(a.target))
      out.push({ path: a.path, line: a.line, fn: a.fn, status: statusOf(a.value), statusValue: a.value, headers: [], body: null, redirect: null, call: null, via: null });
    const header = /(?:^|\.)(?:res|response|reply|resp)\.headers\.([\w-]+)$/i.exec(a.target);
    if (header) out.push({ path: a.path, line: a.line, fn: a.fn, status: null, statusValue: null, headers: [[header[1]!.toLowerCase(), a.value]], body: null, redirect: null, call: null, via: null });
  }
  // Python `return body, 401[, headers]`.
  for (const fn of code.functions) {
    for (const r of fn.returns) {
      if (r.kind !== "array" || r.items.length < 2 || r.items.length > 3) continue;
      const status = statusOf(r.items[1]);
      if (status === null || status < 100 || status > 599) continue;
      const headers = r.items[2]?.kind === "object" ? headerEntries(r.items[2]) : [];
      out.push({ path: fn.path, line: fn.line, fn: fn.id, status, statusValue: r.items[1]!, headers, body: r.items[0] ?? null, redirect: null, call: null, via: null });
    }
  }
  out.push(...throughHelpers(code, out));
  return out;
}

/** The callees responseOfCall can answer for (the same tests on the name, before any argument is read). */
function mayRespond(callee: string): boolean {
  const root = callee.split(".")[0] ?? "";
  const isResponder = /^(?:res|response|reply|resp|ctx|c|h|event)$/.test(root) || root.endsWith("Response") || callee.includes("status()");
  const ctorName = callee.replace(/\.(?:json|redirect|error|text)$/, "");
  return (
    isResponder ||
    RESPONSE_CONSTRUCTORS.test(ctorName) ||
    RESPONSE_CONSTRUCTORS.test(callee) ||
    ["redirect", "flask.redirect", "abort", "flask.abort"].includes(callee) ||
    /(?:^|\.)headers\.(?:set|append)$/.test(callee)
  );
}

function responseOfCall(code: CodeFacts, call: CallFact): ResponseFact | null {
  const base = { path: call.path, line: call.line, fn: call.fn, call, via: null };
  const callee = call.callee;
  const last = callee.slice(callee.lastIndexOf(".") + 1);
  const chain = callee.split(".");
  const root = chain[0] ?? "";
  const isResponder = /^(?:res|response|reply|resp|ctx|c|h|event)$/.test(root) || root.endsWith("Response") || callee.includes("status()");
  // Constructors and static helpers: new Response(body, init), Response.json(b, init), JSONResponse(c, status_code=…).
  const ctorName = callee.replace(/\.(?:json|redirect|error|text)$/, "");
  if (RESPONSE_CONSTRUCTORS.test(ctorName) || RESPONSE_CONSTRUCTORS.test(callee)) {
    const isRedirect = last === "redirect" || callee === "RedirectResponse";
    const init = call.args[1];
    const statusValue = kwarg(call, "status_code") ?? kwarg(call, "status") ?? (init?.kind === "object" ? (entry(init, "status") ?? null) : isRedirect ? null : (init ?? null));
    const headersValue = kwarg(call, "headers") ?? (init?.kind === "object" ? entry(init, "headers") : undefined);
    return {
      ...base,
      status: callee === "HTTPException" || callee.endsWith("HTTPException") ? statusOf(kwarg(call, "status_code") ?? call.args[0]) : (statusOf(statusValue) ?? (isRedirect ? 302 : null)),
      statusValue: statusValue ?? null,
      headers: headersValue ? headerEntries(headersValue) : [],
      body: isRedirect ? null : (kwarg(call, "content") ?? call.args[0] ?? null),
      redirect: isRedirect ? (kwarg(call, "url") ?? call.args[0] ?? null) : null,
    };
  }
  if (callee === "redirect" || callee === "flask.redirect") return { ...base, status: 302, statusValue: null, headers: [], body: null, redirect: call.args[0] ?? null };
  if (callee === "abort" || callee === "flask.abort") return { ...base, status: statusOf(call.args[0]), statusValue: call.args[0] ?? null, headers: [], body: null, redirect: null };
  if (!isResponder) {
    if (/(?:^|\.)headers\.(?:set|append)$/.test(callee) && call.args[0]?.kind === "string")
      return { ...base, status: null, statusValue: null, headers: [[call.args[0].value.toLowerCase(), call.args[1] ?? nullValue()]], body: null, redirect: null };
    return null;
  }
  switch (last) {
    case "status":
    case "code":
    case "sendStatus":
      return { ...base, status: statusOf(call.args[0]), statusValue: call.args[0] ?? null, headers: [], body: null, redirect: null };
    case "writeHead":
      return { ...base, status: statusOf(call.args[0]), statusValue: call.args[0] ?? null, headers: call.args[1] ? headerEntries(call.args[1]) : [], body: null, redirect: null };
    case "setHeader":
    case "header":
    case "set":
    case "append":
      if (call.args[0]?.kind === "string") return { ...base, status: null, statusValue: null, headers: [[call.args[0].value.toLowerCase(), call.args[1] ?? nullValue()]], body: null, redirect: null };
      if (call.args[0]?.kind === "object") return { ...base, status: null, statusValue: null, headers: headerEntries(call.args[0]), body: null, redirect: null };
      return null;
    case "redirect": {
      const [a, b] = call.args;
      const target = b !== undefined && a?.kind === "number" ? b : a;
      return { ...base, status: a?.kind === "number" ? a.value : 302, statusValue: null, headers: [], body: null, redirect: target ?? null };
    }
    case "json":
    case "send":
    case "text":
    case "body":
    case "end":
    case "html":
    case "newResponse": {
      // Hono `c.json(body, 401, headers)`; Express `res.status(401).json(b)` (the status is on the chained call).
      const statusArg = root === "c" || root === "ctx" ? call.args[1] : undefined;
      const chained = call.receiver ? code.callOf(call.receiver) : null;
      const chainStatus = chained && /\.(?:status|code)$/.test(chained.callee) ? chained.args[0] : undefined;
      const status = statusOf(statusArg ?? chainStatus) ?? (last === "newResponse" ? statusOf(call.args[1]) : null);
      const headersArg = root === "c" || root === "ctx" ? call.args[2] : last === "newResponse" ? call.args[2] : undefined;
      return { ...base, status, statusValue: statusArg ?? chainStatus ?? null, headers: headersArg ? headerEntries(headersArg) : [], body: call.args[0] ?? null, redirect: null };
    }
  }
  return null;
}

/** A helper that sends a response whose status (or header, or redirect) comes from its parameter: `sendError(res, 401)`. */
function throughHelpers(code: CodeFacts, direct: ResponseFact[]): ResponseFact[] {
  const out: ResponseFact[] = [];
  let frontier = direct;
  for (let round = 0; round < 3 && frontier.length > 0; round++) {
    const next: ResponseFact[] = [];
    for (const r of frontier) {
      const fn = code.fn(r.fn);
      if (fn.isModule || !fn.name) continue;
      const statusParam = r.statusValue?.kind === "ref" ? paramIndex(fn, r.statusValue.path) : -1;
      const redirectParam = r.redirect?.kind === "ref" ? paramIndex(fn, r.redirect.path) : -1;
      if (statusParam === -1 && redirectParam === -1 && r.status === null) continue;
      for (const caller of code.callersOf(fn.id)) {
        const offset = fn.receiverParam && caller.callee.includes(".") ? 1 : 0;
        const argAt = (i: number) => (i === -1 ? undefined : caller.args[i - offset]);
        const statusArg = argAt(statusParam);
        const redirectArg = argAt(redirectParam);
        const made: ResponseFact = {
          path: caller.path,
          line: caller.line,
          fn: caller.fn,
          status: statusParam !== -1 ? statusOf(statusArg) : r.status,
          statusValue: statusParam !== -1 ? (statusArg ?? null) : r.statusValue,
          headers: r.headers,
          body: r.body,
          redirect: redirectParam !== -1 ? (redirectArg ?? null) : null,
          call: caller,
          via: fn.name,
        };
        if (made.status !== null || made.redirect !== null) next.push(made);
      }
    }
    out.push(...next);
    frontier = next;
  }
  return out.slice(0, 5000);
}

function paramIndex(fn: FunctionFact, path: string): number {
  const root = path.split(".")[0]!;
  return fn.params.findIndex((p) => p.name === root);
}

export function headerEntries(v: Value): Array<[string, Value]> {
  if (v.kind !== "object") return [];
  return v.entries.filter((e): e is ObjectEntry & { key: string } => e.key !== null).map((e) => [e.key.toLowerCase(), e.value]);
}

// ---- outbound requests ----

/** "set": a timeout or abort signal is given (or the library has one by default); "disabled": explicitly none. */
export type TimeoutState = "set" | "missing" | "disabled" | "unknown";

export interface OutboundCall {
  path: string;
  line: number;
  fn: FnId;
  call: CallFact;
  library: "fetch" | "axios" | "got" | "ky" | "undici" | "http" | "requests" | "httpx" | "urllib" | "aiohttp";
  /** A client factory (`axios.create`, `httpx.Client`) rather than a request. */
  kind: "request" | "client";
  /** Upper-case method when known. */
  method: string | null;
  url: Value | null;
  timeout: TimeoutState;
  /** The library retries failed requests on its own (got, ky). */
  builtInRetry: boolean;
  /** The Authorization header value sent, when written in the call. */
  authorization: Value | null;
  /** The headers object, when it is not a literal (it may be the incoming request's headers). */
  headersValue: Value | null;
}

const HTTP_VERBS = new Set(["get", "post", "put", "patch", "delete", "head", "options", "request"]);
const CLIENT_FACTORIES: Record<string, OutboundCall["library"]> = {
  "axios.create": "axios",
  "got.extend": "got",
  "ky.create": "ky",
  "ky.extend": "ky",
  "requests.Session": "requests",
  "requests.session": "requests",
  "httpx.Client": "httpx",
  "httpx.AsyncClient": "httpx",
  "aiohttp.ClientSession": "aiohttp",
};

export function findOutbound(code: CodeFacts): OutboundCall[] {
  const out: OutboundCall[] = [];
  for (const call of code.callsWhere(mayRequest)) {
    const o = outboundOf(code, call);
    if (o) out.push(o);
  }
  return out;
}

/** Names outboundOf answers for besides client factories and HTTP verbs. */
const REQUEST_NAMES = new Set([
  "fetch", "globalThis.fetch", "window.fetch", "undici.fetch", "node-fetch", "cross-fetch", "isomorphic-fetch",
  "axios", "got", "ky", "undici.request", "undici.stream", "http.request", "https.request", "http.get", "https.get",
  "urllib.request.urlopen", "urllib.request.Request",
]);

/** The callees outboundOf can answer for (the same tests on the name, before any argument is read). */
function mayRequest(callee: string, resolved: string): boolean {
  const name = resolved || callee;
  const method = name.slice(name.lastIndexOf(".") + 1);
  return Object.hasOwn(CLIENT_FACTORIES, name) || HTTP_VERBS.has(method) || REQUEST_NAMES.has(name) || (callee === "urlopen" && name.endsWith("urlopen"));
}

function outboundOf(code: CodeFacts, call: CallFact): OutboundCall | null {
  const name = call.resolved || call.callee;
  const dot = name.lastIndexOf(".");
  const method = name.slice(dot + 1);
  const object = dot === -1 ? "" : name.slice(0, dot);
  const base = { path: call.path, line: call.line, fn: call.fn, call };
  // Own keys only: `new constructor()` must not find Object.prototype.constructor.
  const factory = Object.hasOwn(CLIENT_FACTORIES, name) ? CLIENT_FACTORIES[name] : undefined;
  if (factory) {
    const options = factory === "httpx" || factory === "requests" || factory === "aiohttp" ? null : objectArg(code, call, call.args[0]);
    const timeout: TimeoutState =
      factory === "httpx" ? (kwarg(call, "timeout")?.kind === "null" ? "disabled" : "set") : factory === "aiohttp" || factory === "ky" ? "set" : factory === "requests" ? "missing" : timeoutFromOptions(options, call.args[0]);
    return { ...base, library: factory, kind: "client", method: null, url: kwarg(call, "base_url") ?? (options ? (entry(options, "baseURL") ?? null) : null), timeout, builtInRetry: factory === "got" || factory === "ky", authorization: authorizationOf(options, call), headersValue: null };
  }
  if (name === "fetch" || name === "globalThis.fetch" || name === "window.fetch" || name === "undici.fetch" || name === "node-fetch" || name === "cross-fetch" || name === "isomorphic-fetch") {
    const url = call.args[0] ?? null;
    // Relative URLs are browser code calling its own server.
    if (url?.kind === "string" && url.value.startsWith("/")) return null;
    if (url?.kind === "template" && url.parts[0]?.kind === "string" && url.parts[0].value.startsWith("/")) return null;
    const options = objectArg(code, call, call.args[1]);
    let timeout: TimeoutState = call.args[1] === undefined ? "missing" : options ? timeoutFromOptions(options, call.args[1]) : "unknown";
    if (timeout === "missing" && call.args.length === 1 && url?.kind === "ref" && /^(?:req|request)$/i.test(url.path)) timeout = "unknown";
    return { ...base, library: "fetch", kind: "request", method: options ? methodOf(entry(options, "method")) : "GET", url, timeout, builtInRetry: false, authorization: authorizationOf(options, call), headersValue: headersValueOf(options) };
  }
  const client = clientOf(code, call, object);
  if (client && HTTP_VERBS.has(method)) {
    const { library, options: clientOptions } = client;
    const bodyless = ["get", "delete", "head", "options"].includes(method);
    const configArg = library === "axios" ? (method === "request" ? call.args[0] : bodyless ? call.args[1] : call.args[2]) : call.args[1];
    const options = objectArg(code, call, configArg);
    let timeout: TimeoutState;
    if (library === "httpx" || library === "aiohttp" || library === "ky" || library === "undici") timeout = kwarg(call, "timeout")?.kind === "null" ? "disabled" : "set";
    else if (library === "requests" || library === "urllib") {
      const t = kwarg(call, "timeout");
      timeout = t ? (t.kind === "null" ? "disabled" : "set") : call.spread ? "unknown" : "missing";
    } else {
      timeout = timeoutFromOptions(options, configArg);
      if (timeout === "missing" && clientOptions && timeoutFromOptions(clientOptions, undefined) === "set") timeout = "set";
      if (timeout === "missing" && client.defaultsTimeout) timeout = "set";
    }
    const url = method === "request" && library === "axios" ? (options ? (entry(options, "url") ?? null) : null) : (kwarg(call, "url") ?? (method === "request" && (library === "requests" || library === "httpx") ? call.args[1] : call.args[0]) ?? null);
    const verb = method === "request" ? methodOf(library === "axios" ? (options ? entry(options, "method") : undefined) : call.args[0]) : method.toUpperCase();
    return { ...base, library, kind: "request", method: verb, url, timeout, builtInRetry: library === "got" || library === "ky", authorization: authorizationOf(options, call), headersValue: headersValueOf(options) ?? kwarg(call, "headers") ?? null };
  }
  if (name === "axios" || name === "got" || name === "ky") {
    const first = call.args[0];
    // `axios(config)` with `const config = { url, headers }`: the config object, given inline or by name.
    const firstObject = objectArg(code, call, first);
    const config = firstObject ? first : call.args[1];
    const options = objectArg(code, call, config);
    const library = name as "axios" | "got" | "ky";
    return {
      ...base,
      library,
      kind: "request",
      method: methodOf(options ? entry(options, "method") : undefined) ?? "GET",
      url: firstObject ? (entry(firstObject, "url") ?? null) : (first ?? null),
      timeout: library === "ky" ? "set" : timeoutFromOptions(options, config),
      builtInRetry: library !== "axios",
      authorization: authorizationOf(options, call),
      headersValue: headersValueOf(options),
    };
  }
  if (name === "undici.request" || name === "undici.stream") {
    return { ...base, library: "undici", kind: "request", method: null, url: call.args[0] ?? null, timeout: "set", builtInRetry: false, authorization: authorizationOf(objectArg(code, call, call.args[1]), call), headersValue: null };
  }
  if (name === "http.request" || name === "https.request" || name === "http.get" || name === "https.get") {
    const options = objectArg(code, call, call.args[1]?.kind === "object" ? call.args[1] : call.args[0]);
    return { ...base, library: "http", kind: "request", method: method === "get" ? "GET" : methodOf(options ? entry(options, "method") : undefined), url: call.args[0] ?? null, timeout: timeoutFromOptions(options, call.args[1]), builtInRetry: false, authorization: authorizationOf(options, call), headersValue: null };
  }
  if (name === "urllib.request.urlopen" || name === "urllib.request.Request" || (call.callee === "urlopen" && name.endsWith("urlopen"))) {
    const timeout: TimeoutState = kwarg(call, "timeout") || call.args.length >= 3 ? "set" : call.spread ? "unknown" : "missing";
    if (name.endsWith("Request")) return null;
    return { ...base, library: "urllib", kind: "request", method: null, url: call.args[0] ?? null, timeout, builtInRetry: false, authorization: null, headersValue: null };
  }
  return null;
}

interface ClientInfo {
  library: OutboundCall["library"];
  options: Extract<Value, { kind: "object" }> | null;
  defaultsTimeout: boolean;
}

/** The HTTP library behind `axios.get`, `requests.post`, or an instance made by a client factory. */
function clientOf(code: CodeFacts, call: CallFact, object: string): ClientInfo | null {
  const direct: Record<string, OutboundCall["library"]> = { axios: "axios", got: "got", ky: "ky", requests: "requests", httpx: "httpx", superagent: "axios" };
  const directLibrary = Object.hasOwn(direct, object) ? direct[object] : undefined;
  if (directLibrary) {
    const defaultsTimeout = object === "axios" && code.assignments.some((a) => a.path === call.path && a.target.endsWith("defaults.timeout"));
    return { library: directLibrary, options: null, defaultsTimeout };
  }
  // An instance: `const api = axios.create({...})`, `client = httpx.Client()`, `async with httpx.AsyncClient() as client`.
  const receiver = call.receiver;
  const candidates: Value[] = [];
  if (receiver?.kind === "ref") candidates.push(...code.lookup(call.fn, receiver.path));
  else if (receiver) candidates.push(receiver);
  for (const v of candidates) {
    const made = code.callOf(v);
    if (!made) continue;
    const madeName = made.resolved || made.callee;
    const library = Object.hasOwn(CLIENT_FACTORIES, madeName) ? CLIENT_FACTORIES[madeName] : undefined;
    if (library) return { library, options: objectArg(code, made, made.args[0]), defaultsTimeout: false };
  }
  return null;
}

function timeoutFromOptions(options: Extract<Value, { kind: "object" }> | null, raw: Value | undefined): TimeoutState {
  if (!options) return raw === undefined ? "missing" : "unknown";
  const t = entry(options, "timeout");
  if (t) return t.kind === "number" && t.value === 0 ? "disabled" : "set";
  if (entry(options, "signal")) return "set";
  return options.entries.some((e) => e.spread) ? "unknown" : "missing";
}

function methodOf(v: Value | undefined | null): string | null {
  return v?.kind === "string" ? v.value.toUpperCase() : null;
}

function authorizationOf(options: Extract<Value, { kind: "object" }> | null, call: CallFact): Value | null {
  const headers = (options ? entry(options, "headers") : undefined) ?? kwarg(call, "headers");
  if (headers?.kind === "object") {
    for (const e of headers.entries) if (e.key !== null && e.key.toLowerCase().replace(/[-_]/g, "") === "authorization") return e.value;
  }
  const auth = kwarg(call, "auth");
  return auth ?? null;
}

function headersValueOf(options: Extract<Value, { kind: "object" }> | null): Value | null {
  const headers = options ? entry(options, "headers") : undefined;
  return headers && headers.kind !== "object" ? headers : null;
}

/** An options object given inline, or through a name bound to one. */
export function objectArg(code: CodeFacts, call: CallFact, v: Value | undefined): Extract<Value, { kind: "object" }> | null {
  if (!v) return null;
  if (v.kind === "object") return v;
  if (v.kind === "ref" && !v.path.includes(".")) {
    for (const bound of code.lookup(call.fn, v.path)) if (bound.kind === "object") return bound;
  }
  return null;
}

// ---- small value helpers shared by derived facts ----

export function entry(v: Value, key: string): Value | undefined {
  if (v.kind !== "object") return undefined;
  for (let i = v.entries.length - 1; i >= 0; i--) if (v.entries[i]!.key === key) return v.entries[i]!.value;
  return undefined;
}

export function kwarg(call: CallFact, name: string): Value | undefined {
  for (const [k, v] of call.kwargs) if (k === name) return v;
  return undefined;
}

export function stringsOf(v: Value | undefined): string[] {
  if (!v) return [];
  if (v.kind === "string") return [v.value];
  if (v.kind === "array") return v.items.flatMap((i) => (i.kind === "string" ? [i.value] : []));
  return [];
}

function nullValue(): Value {
  return { kind: "null", text: "" };
}
