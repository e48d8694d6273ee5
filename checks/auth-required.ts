// An MCP endpoint served over HTTP with no authentication at all: anyone who can reach it calls every tool, with the
// server's own credentials behind them. Quiet whenever the code shows any sign of checking callers (a header read, a
// verifier, middleware we can't see into) or the server only answers on localhost: a reviewer would ask, not accuse.
import type { CallFact, FnId } from "@/lib/core/facts";
import type { Finding } from "@/lib/core/types";
import type { CodeFacts } from "@/lib/engine/facts/code";
import { kwarg } from "@/lib/engine/facts/http";
import { isShippedPath } from "@/lib/engine/facts/roles";
import { codeFinding, finish, unreadableCode } from "./evidence";
import { listNames } from "./group";
import { defineRule } from "./rule";
import { classifyTool } from "./tool-kind";
import type { Check, CheckContext } from "./types";

export const rules = {
  unauthenticated: defineRule({
    id: "auth/unauthenticated-endpoint",
    severity: "high",
    title: "MCP endpoint served over HTTP without authentication",
    rationale:
      "Nothing checks who is calling: anyone who finds the URL can list and call every tool, acting with the server's own API keys and data. The guidance asks for OAuth 2.1 (or the platform's auth) on every request to a remote connector.",
    remediation:
      "Put a bearer-token check in front of the MCP endpoint (`requireBearerAuth` in the TypeScript SDK, `FastMCP(auth=...)` or a `TokenVerifier` in Python) and answer 401 with a WWW-Authenticate challenge, or bind the server to 127.0.0.1 when it is meant for one machine.",
    item: "auth.token-validation",
    tags: { owasp: "MCP07:2025 Insufficient Authentication & Authorization", cwe: ["CWE-306"] },
  }),
};

/** Words in code that say callers are checked: header names, verifiers, auth middleware. */
const AUTH_WORDS =
  /\b(?:authorization|bearer|x-api-key|cookie|cookies|verifyaccesstoken|verify_token|verifytoken|requirebearerauth|withmcpauth|get_access_token|jwtverify|tokenverifier|auth_server_provider|token_verifier|authenticate|isauthenticated|getserversession|currentuser|current_user|requireauth|require_auth|login_required|clerk|auth0)\b/;
/** Middleware names that may check callers, in code we can't read (a package's `authMiddleware()`). */
const MAYBE_AUTH = /auth|jwt|bearer|token|passport|session|guard|protect|verify|key|secret|login|clerk/i;
/** Middleware that never authenticates. */
const BENIGN_MIDDLEWARE = /^(?:express\.(?:json|urlencoded|raw|text|static)|bodyParser\.\w+|json|urlencoded|cors|helmet|morgan|compression|cookieParser|rateLimit|express\.Router|logger|pinoHttp)$/;
const TRANSPORT_CLASSES = /^(?:SSEServerTransport|StreamableHTTPServerTransport)$/;
const TRANSPORT_CALLS = /^(?:handleRequest|handlePostMessage)$/;
const PY_APPS = /^(?:sse_app|streamable_http_app|http_app)$/;
const PY_HTTP_TRANSPORTS = new Set(["sse", "streamable-http", "streamable_http", "http"]);
const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "::1"]);
const MAX_REACH = 200;
const ROUTE_METHODS = new Set(["get", "post", "put", "delete", "all", "use", "route", "patch"]);

export const authRequiredCheck: Check = {
  id: "auth-required",
  title: "Remote MCP endpoints require authentication",
  section: "auth",
  rules: Object.values(rules),
  run(ctx) {
    const unreadable = unreadableCode(ctx);
    if (unreadable) return unreadable;
    const endpoint = unauthenticatedEndpoint(ctx);
    if (!endpoint) return finish([]);
    const writers = ctx.facts.tools.tools.filter((t) => {
      const kind = classifyTool(t);
      return kind.destructive || kind.write;
    });
    const tools = ctx.facts.tools.tools.length;
    const finding: Finding = codeFinding(rules.unauthenticated, {
      path: endpoint.path,
      line: endpoint.line,
      text: ctx.snapshot.text(endpoint.path) ?? "",
      message:
        `${endpoint.what} answers without any authentication: anyone who reaches it can call the server's ${tools} tool${tools === 1 ? "" : "s"}` +
        (writers.length > 0 ? `, including ${listNames(writers.map((t) => `"${t.name}"`))}, which change data.` : "."),
      ...(writers.length === 0 ? { severity: "moderate" as const } : {}),
      subject: "repository",
    });
    return finish([finding]);
  },
};

interface Endpoint {
  path: string;
  line: number;
  what: string;
}

/**
 * The MCP endpoint served over HTTP that shows no sign of checking callers, or null. A server bound to localhost is
 * left out unless `evenLocal` (a browser on the same machine still reaches it).
 */
export function unauthenticatedEndpoint(ctx: CheckContext, options: { evenLocal?: boolean } = {}): Endpoint | null {
  const code = ctx.facts.code;
  const shipped = (c: CallFact) => isShippedPath(code, c.path);
  // Calls found through the callee index (a predicate per distinct callee, not per call), in call order.
  const named = (may: (callee: string) => boolean) => code.callsWhere(may).filter(shipped);
  if (!options.evenLocal && named(mayBindLocally).some((c) => bindsLocally(c))) return null;
  return jsEndpoint(ctx, named) ?? pyEndpoint(ctx, named);
}

type NamedCalls = (may: (callee: string) => boolean) => readonly CallFact[];

const mayBindLocally = (callee: string): boolean => ["createMcpExpressApp", "listen", "run", "FastMCP"].includes(last(callee));
const isTransport = (callee: string): boolean => TRANSPORT_CLASSES.test(last(callee)) || TRANSPORT_CALLS.test(last(callee));
const isUse = (callee: string): boolean => last(callee) === "use";
const isRouteMethod = (callee: string): boolean => ROUTE_METHODS.has(last(callee));
const mayServePython = (callee: string): boolean => PY_APPS.test(last(callee)) || last(callee) === "run";
const isFastMcp = (callee: string): boolean => last(callee) === "FastMCP";
const readsCredential = (callee: string): boolean => last(callee) === "get_access_token" || /headers\.get$/.test(callee);

/** Express-style routes whose handlers create or feed an MCP transport, none of which shows a caller check. */
function jsEndpoint(ctx: CheckContext, named: NamedCalls): Endpoint | null {
  const code = ctx.facts.code;
  const transportFns = new Set(
    named(isTransport)
      .filter((c) => (c.isNew && TRANSPORT_CLASSES.test(last(c.callee))) || TRANSPORT_CALLS.test(last(c.callee)))
      .map((c) => c.fn),
  );
  if (transportFns.size === 0) return null;
  const mcpRoutes = ctx.facts.routes.filter((r) => isShippedPath(code, r.path) && r.handlers.some((h) => transportFns.has(h) || [...reach(code, [h])].some((f) => transportFns.has(f))));
  if (mcpRoutes.length === 0) return null;
  // Middleware mounted for the whole app (`app.use(authMiddleware)`) may guard every route.
  for (const use of named(isUse)) if (mayAuthenticate(code, use)) return null;
  for (const route of mcpRoutes) {
    const registration = named(isRouteMethod).find((c) => c.path === route.path && c.line === route.line);
    if (registration && mayAuthenticate(code, registration)) return null;
    if ([...reach(code, route.handlers)].some((f) => AUTH_WORDS.test(code.fn(f).words))) return null;
  }
  const first = mcpRoutes[0]!;
  return { path: first.path, line: first.line, what: `The MCP endpoint ${mcpRoutes.map((r) => `\`${r.route}\``).join(", ")}` };
}

/** FastMCP served over HTTP (`mcp.run(transport="sse")`, `mcp.streamable_http_app()`) with no auth given to it. */
function pyEndpoint(ctx: CheckContext, named: NamedCalls): Endpoint | null {
  const code = ctx.facts.code;
  const served = named(mayServePython).find((c) => {
    if (PY_APPS.test(last(c.callee))) return true;
    if (last(c.callee) !== "run" || !/mcp|server|app/i.test(c.callee)) return false;
    const transport = kwarg(c, "transport") ?? c.args[0];
    return transport?.kind === "string" && PY_HTTP_TRANSPORTS.has(transport.value);
  });
  if (!served || code.fileOf(served.fn)?.language !== "py") return null;
  if (readsCallerCredentials(code, named)) return null;
  if (named(isFastMcp).some((c) => c.kwargs.some(([k]) => /auth|token_verifier/.test(k)))) return null;
  return { path: served.path, line: served.line, what: `The MCP server served by \`${served.callee}\`` };
}

/**
 * Python code that looks at who is calling: the incoming request's Authorization or API-key header, the SDK's access
 * token, or a middleware, verifier or auth backend class. (Words alone say too little in Python servers that send
 * their own bearer tokens upstream.)
 */
function readsCallerCredentials(code: CodeFacts, named: NamedCalls): boolean {
  const credentialHeader = /^(?:authorization|x-api-key|api-key|cookie)$/i;
  if (
    named(readsCredential).some(
      (c) =>
        last(c.callee) === "get_access_token" ||
        (/headers\.get$/.test(c.callee) && c.args[0]?.kind === "string" && credentialHeader.test(c.args[0].value)),
    )
  )
    return true;
  if (code.accesses.some((a) => isShippedPath(code, a.path) && /(?:^|\.)(?:headers|cookies)\.(?:authorization|x-api-key|api-key|session)/i.test(a.target))) return true;
  return code.classes.some((c) => isShippedPath(code, c.path) && c.bases.some((b) => /Middleware|TokenVerifier|AuthenticationBackend|AuthProvider/.test(b)));
}

/** A registration or `app.use` whose middleware may check callers: a function that reads auth words, or one we can't read. */
function mayAuthenticate(code: CodeFacts, call: CallFact): boolean {
  for (const arg of call.args) {
    if (arg.kind === "string" || arg.kind === "array") continue;
    if (arg.kind === "function") {
      if (AUTH_WORDS.test(code.fn(arg.fn).words)) return true;
      continue;
    }
    const made = arg.kind === "call" ? code.calls[arg.call]! : null;
    const name = arg.kind === "ref" ? arg.path : (made?.callee ?? arg.text);
    if (BENIGN_MIDDLEWARE.test(name)) continue;
    if (MAYBE_AUTH.test(name)) return true;
    // A middleware factory of ours (`app.use(checkCaller())`): what its code reads.
    if (made?.target != null && AUTH_WORDS.test(code.fn(made.target).words)) return true;
  }
  return false;
}

/** `app.listen(port, "127.0.0.1")`, `createMcpExpressApp()` (localhost by default), `FastMCP(host="127.0.0.1")`, `uvicorn.run(app, host="localhost")`. */
function bindsLocally(call: CallFact): boolean {
  const name = last(call.callee);
  if (name === "createMcpExpressApp") {
    const options = call.args[0];
    if (!options) return true;
    if (options.kind !== "object") return false;
    const host = options.entries.find((e) => e.key === "host")?.value;
    return !host || (host.kind === "string" && LOCAL_HOSTS.has(host.value));
  }
  if (name === "listen") return call.args.some((a) => a.kind === "string" && LOCAL_HOSTS.has(a.value));
  const host = kwarg(call, "host");
  return (name === "run" || name === "FastMCP") && host?.kind === "string" && LOCAL_HOSTS.has(host.value);
}

function last(callee: string): string {
  return callee.slice(callee.lastIndexOf(".") + 1);
}

/** The functions a set of handlers runs: what they call and the callbacks written inside them, bounded. */
function reach(code: CodeFacts, start: readonly FnId[]): Set<FnId> {
  const seen = new Set<FnId>(start);
  const queue = [...start];
  while (queue.length > 0 && seen.size < MAX_REACH) {
    const fn = code.fn(queue.shift()!);
    const next = [...fn.calls.flatMap((c) => {
      const call = code.calls[c]!;
      return [...(call.target !== null ? [call.target] : []), ...call.args.flatMap((a) => (a.kind === "function" ? [a.fn] : []))];
    }), ...code.childrenOf(fn.id)];
    for (const t of next) {
      if (seen.has(t)) continue;
      seen.add(t);
      queue.push(t);
    }
  }
  return seen;
}
