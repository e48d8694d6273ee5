// An OAuth authorization server written in the connector itself: its authorization endpoint (`/authorize`) and
// dynamic client registration (`/register`), what they read from the request (`redirect_uri`, `redirect_uris`) and
// whether anything checks those URIs against registered ones or an allow-list. A check of the scheme alone
// (`https:` or localhost) is not such a check: any site has an https URL. Derived from routes, calls, comparisons and
// the data flow; no syntax tree is read here.
import type { CallFact, FnId, FunctionFact, Value } from "@/lib/core/facts";
import type { CodeFacts } from "./code";
import type { Flow } from "./flow";
import type { Route } from "./http";
import { lastSegment } from "./tokens";

export interface OAuthEndpoint {
  kind: "authorize" | "register";
  route: Route;
  /** The handler that reads the redirect URI(s) from the request. */
  fn: FnId;
  /** Whether the handler, or a helper it calls, checks the URI(s) against registered ones or an allow-list. */
  validates: boolean;
  /** Where the URI is parsed (`new URL(redirect_uri)`, `urlparse(…)`), for a check of its scheme alone. */
  parsedAt: { path: string; line: number } | null;
}

const AUTHORIZE_ROUTE = /(?:^|\/)(?:oauth2?\/)?authori[sz]e\/?$/i;
const REGISTER_ROUTE = /(?:^|\/)(?:oauth2?\/)?register\/?$/i;
/** Helpers named for checking a redirect URI: `isAllowedRedirectUri`, `validate_redirect_uri`, `redirectMatches`. */
const VALIDATOR = /(?:valid|verify|check|ensure|allow|registered|permitted|match|lookup)\w*redirect|redirect\w*(?:allow|valid|registered|permitted|match|check)/i;
/** Library calls that parse an authorization request against the client registration (Cloudflare's OAuth provider). */
const LIBRARY_VALIDATION = /^(?:parseAuthRequest|validateAuthorizationRequest|validateAuthorizeRequest|validate_authorization_request)$/;
const MEMBERSHIP = new Set(["includes", "has", "some", "every", "indexOf", "find", "startsWith", "contains", "match", "test"]);
const REDIRECT_NAME = /^redirect_?uris?$/i;
/** Parts of a URL that a scheme or loopback check compares: not a check against registered URIs. */
const URL_PART = /\.(?:protocol|hostname|host|scheme|port)$/;
const MAX_HELPERS = 20;
const URL_PARSERS = /^(?:URL|parse|urlparse|urlsplit)$/;

/** Authorization and registration endpoints that take redirect URIs from the request. */
export function oauthEndpoints(code: CodeFacts, flow: Flow, routes: readonly Route[]): OAuthEndpoint[] {
  const out: OAuthEndpoint[] = [];
  for (const route of routes) {
    const kind = AUTHORIZE_ROUTE.test(route.route) ? "authorize" : REGISTER_ROUTE.test(route.route) ? "register" : null;
    if (!kind || route.staticText !== undefined) continue;
    for (const handler of route.handlers) {
      const scope = scopeOf(code, handler);
      if (!scope.some((f) => readsRedirect(code, flow, f))) continue;
      const parse = scope.flatMap((f) => f.calls.map((id) => code.calls[id]!)).find((c) => URL_PARSERS.test(lastSegment(c.callee)) && /redirect/i.test(c.args[0]?.text ?? ""));
      const parsedAt = parse ? { path: parse.path, line: parse.line } : null;
      out.push({ kind, route, fn: handler, validates: scope.some((f) => validatesRedirect(code, f)), parsedAt });
      break;
    }
  }
  return out;
}

/** A handler, the functions written inside it, and the repository helpers it calls directly. */
export function scopeOf(code: CodeFacts, handler: FnId): FunctionFact[] {
  const out = new Map<FnId, FunctionFact>();
  const root = code.fn(handler);
  out.set(root.id, root);
  for (let id = root.id + 1; id < code.functions.length; id++) {
    const f = code.fn(id);
    if (f.path !== root.path || f.line > root.endLine) break;
    if (f.parent !== null && out.has(f.parent)) out.set(id, f);
  }
  const helpers = [...out.values()].flatMap((f) => f.calls.map((c) => code.calls[c]!.target)).filter((t): t is FnId => t !== null);
  for (const t of helpers.slice(0, MAX_HELPERS)) if (!out.has(t)) out.set(t, code.fn(t));
  return [...out.values()];
}

function readsRedirect(code: CodeFacts, flow: Flow, f: FunctionFact): boolean {
  const fromRequest = (v: Value) => flow.origins(v, f.id).some((o) => o.kind === "request");
  // FastAPI and similar: a handler parameter is the query parameter of its name.
  if (f.params.some((p) => REDIRECT_NAME.test(p.name) && fromRequest({ kind: "ref", path: p.name, text: p.name }))) return true;
  for (const [name, values] of Object.entries(f.bindings)) {
    if (REDIRECT_NAME.test(name) && values.some((v) => flow.origins(v, f.id).some((o) => o.kind === "request"))) return true;
  }
  return f.calls.some((id) => {
    const call = code.calls[id]!;
    const key = call.args[0]?.kind === "string" ? call.args[0].value : "";
    return lastSegment(call.callee) === "get" && REDIRECT_NAME.test(key) && call.receiver !== null && flow.origins(call.receiver, f.id).some((o) => o.kind === "request");
  });
}

function validatesRedirect(code: CodeFacts, f: FunctionFact): boolean {
  if (f.name && VALIDATOR.test(f.name)) return true;
  for (const id of f.calls) if (validatingCall(code.calls[id]!)) return true;
  return code.comparisons.some((c) => {
    if (c.fn !== f.id) return false;
    const [l, r] = [c.left, c.right];
    const mentions = (t: string) => /redirect/i.test(t);
    // `redirect_uri !== client.redirectUri`, `uri not in client.redirect_uris`: both sides are data, not a scheme constant.
    if (!mentions(l.text) && !mentions(r.text)) return false;
    const data = (v: typeof l) => v.kind !== "string" && v.kind !== "null" && !URL_PART.test(v.text) && !/^(?:undefined|null|None)$/.test(v.text);
    return data(l) && data(r);
  });
}

function validatingCall(call: CallFact): boolean {
  const last = lastSegment(call.callee);
  if (VALIDATOR.test(last) || LIBRARY_VALIDATION.test(last)) return true;
  return MEMBERSHIP.has(last) && /redirect/i.test(call.text);
}
