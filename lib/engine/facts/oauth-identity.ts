// Whose account an OAuth flow links, as the code decides it: an authorization or callback handler that takes the
// user's identity from the request itself (`const userId = req.query.state`, `const email = c.req.query("user")`)
// rather than from a session or a server-side record bound to it. Anyone can put another user's id in a URL, so
// the tokens land in (or are issued for) that user's account. Derived from routes, bindings, comparisons and the data
// flow; no syntax tree is read here.
import type { FnId, FunctionFact, Value } from "@/lib/core/facts";
import type { CodeFacts } from "./code";
import type { Flow } from "./flow";
import type { Route } from "./http";
import { scopeOf } from "./oauth-server";
import { lastSegment } from "./tokens";

const FLOW_ROUTE = /(?:^|\/)(?:authori[sz]e|callback|oauth2?callback)(?:\/[:{[]?\w+[\]}]?)?\/?$/i;
/** Names that hold whose account it is. */
const IDENTITY_NAME = /(?:^|_)(?:user|userid|user_id|uid|account|accountid|owner|email|tenant)$|(?:User|Email|Account|Owner)(?:Id)?$/i;
/**
 * Calls that check a value handed back by the client: signatures and sealed values. A lookup keyed by the value is no
 * check when the value names a user (anyone can name any user).
 */
/** Calls that decode a value without changing whose it is. */
const DECODING = /^(?:parse|loads|atob|from|decode|b64decode|urlsafe_b64decode|decodeURIComponent|toString|String|str|trim|strip)$/;
/** Calls that read the request: `c.req.query("user")`, `searchParams.get("state")`. */
const READING = /(?:^|\.)(?:query|param|header|get)$/;
const MAX_DEPTH = 8;
const CHECKING_CALL = /verify|unsign|unseal|decrypt|hmac|signature|timingSafeEqual|compare_digest/i;

export interface RequestIdentity {
  route: Route;
  path: string;
  fn: FnId;
  /** The name that takes the identity: `userId`. */
  name: string;
  /** The request parameter it comes from: `state`, `user`. */
  param: string;
}

/** Identities an OAuth authorization or callback handler takes from a query parameter or `state`, unchecked. */
export function requestIdentities(code: CodeFacts, flow: Flow, routes: readonly Route[]): RequestIdentity[] {
  const out: RequestIdentity[] = [];
  for (const route of routes) {
    if (!FLOW_ROUTE.test(route.route) || route.staticText !== undefined || !route.methods.some((m) => m === "GET" || m === "*")) continue;
    const handler = route.handlers[route.handlers.length - 1];
    if (handler === undefined) continue;
    const scope = scopeOf(code, handler);
    const found = scope.map((f) => identityIn(code, flow, f)).find((x) => x !== null);
    if (found) out.push({ route, path: found.fn.path, fn: found.fn.id, name: found.name, param: found.param });
  }
  return out;
}

function identityIn(code: CodeFacts, flow: Flow, f: FunctionFact): { fn: FunctionFact; name: string; param: string } | null {
  for (const [name, values] of Object.entries(f.bindings)) {
    if (!IDENTITY_NAME.test(name)) continue;
    for (const v of values) {
      const param = queryParam(code, flow, v, f.id, 0);
      if (param !== null && !checked(code, f, name, param)) return { fn: f, name, param };
    }
  }
  return null;
}

/**
 * The query parameter (or `state`, wherever it is read) a value is, when it comes straight from the request: through
 * names, members and decoding (`JSON.parse(atob(state)).userId`), not through a lookup keyed by it (a server-side
 * record found by a random state is what binds it).
 */
function queryParam(code: CodeFacts, flow: Flow, v: Value, fn: FnId, depth: number): string | null {
  if (depth > MAX_DEPTH) return null;
  const next = (x: Value) => queryParam(code, flow, x, fn, depth + 1);
  switch (v.kind) {
    case "member":
      return next(v.object);
    case "unknown":
      return v.op === "element" || v.op === "other" || v.op === "??" || v.op === "||" ? firstOf(v.parts.map(next)) : null;
    case "call": {
      const call = code.callOf(v);
      if (!call) return null;
      if (DECODING.test(lastSegment(call.callee))) return firstOf([...call.args.map(next), call.receiver ? next(call.receiver) : null]);
      return READING.test(call.callee) ? leaf(flow, v, fn) : null;
    }
    case "ref": {
      const root = v.path.split(".")[0]!;
      const bound = code.lookup(fn, root);
      if (bound.length > 0) return firstOf(bound.map(next));
      return leaf(flow, v, fn);
    }
    default:
      return null;
  }
}

function leaf(flow: Flow, v: Value, fn: FnId): string | null {
  for (const o of flow.origins(v, fn)) {
    if (o.kind !== "request" || o.name === null) continue;
    if (o.part === "query" || o.name === "state") return o.name;
  }
  return null;
}

function firstOf(xs: ReadonlyArray<string | null>): string | null {
  return xs.find((x) => x !== null) ?? null;
}

/** Whether the function compares the value with something, or hands it to a verification or a server-side lookup. */
function checked(code: CodeFacts, f: FunctionFact, name: string, param: string): boolean {
  const word = new RegExp(`(?:^|\\W)${escapeRegExp(param)}(?:\\W|$)`);
  const mentions = (t: string) => t.includes(name) || word.test(t);
  if (code.comparisons.some((c) => c.fn === f.id && (mentions(c.left.text) || mentions(c.right.text)) && c.left.kind !== "string" && c.right.kind !== "string")) return true;
  return f.calls.some((id) => {
    const call = code.calls[id]!;
    return CHECKING_CALL.test(lastSegment(call.callee)) && call.args.some((a) => mentions(a.text));
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
