// The operator's credential standing in for the caller's: a token taken from the request when there is one, and
// from the server's own configuration when there isn't (`req.headers.authorization ?? process.env.API_TOKEN`, or a
// resolver returning the bearer in one branch and an environment token in another). Every anonymous caller then acts
// with the operator's account. Derived from values, returns and the data flow; no syntax tree is read here.
import type { FnId, FunctionFact, Value } from "@/lib/core/facts";
import { carriesCallerToken } from "./caller-token";
import type { CodeFacts } from "./code";
import type { Flow } from "./flow";
import { isCredentialName } from "./names";

const MAX_RETURNS = 20;
/** Words of a function that handles a caller's credential at all. */
const CREDENTIAL_WORDS = /authorization|bearer|token|api_?key/;

export interface CredentialFallback {
  path: string;
  /** A line at or before the fallback; `text` finds the fallback's own line. */
  line: number;
  fn: FnId;
  text: string;
  /** The configured secret used in the caller's place: `OURA_ACCESS_TOKEN`. */
  secret: string;
}

export function credentialFallbacks(code: CodeFacts, flow: Flow): CredentialFallback[] {
  const out: CredentialFallback[] = [];
  for (const f of code.functions) {
    const found = inDefaults(code, flow, f) ?? inReturns(code, flow, f);
    if (found) out.push(found);
  }
  return out;
}

/** `const token = bearerOf(req) ?? process.env.API_TOKEN`. */
function inDefaults(code: CodeFacts, flow: Flow, f: FunctionFact): CredentialFallback | null {
  for (const values of Object.values(f.bindings)) {
    for (const v of values) {
      if (v.kind !== "unknown" || (v.op !== "||" && v.op !== "??") || v.parts.length < 2) continue;
      // The configured side first: it is the rarer, and cheaper to tell.
      const secret = secretOf(flow, v.parts[v.parts.length - 1]!, f.id);
      if (secret && v.parts.slice(0, -1).some((p) => carriesCallerToken(code, flow, p, f.id))) return { path: f.path, line: f.line, fn: f.id, text: v.text, secret };
    }
  }
  return null;
}

/** A resolver that returns the caller's token in one branch and a configured one in another. */
function inReturns(code: CodeFacts, flow: Flow, f: FunctionFact): CredentialFallback | null {
  if (f.returns.length < 2 || !CREDENTIAL_WORDS.test(f.words)) return null;
  const tokens = f.returns.slice(0, MAX_RETURNS).map((r) => ({ r, v: tokenOf(r) })).filter((x) => x.v !== null);
  for (const { r, v } of tokens) {
    const secret = secretOf(flow, v!, f.id);
    if (secret && tokens.some((x) => x.v !== v && carriesCallerToken(code, flow, x.v!, f.id))) return { path: f.path, line: f.line, fn: f.id, text: r.text, secret };
  }
  return null;
}

/** The token a return value carries: itself, or its entry named like a credential (`{ token, source }`). */
function tokenOf(r: Value): Value | null {
  if (r.kind !== "object") return r;
  const entry = r.entries.find((e) => e.key !== null && isCredentialName(e.key));
  return entry?.value ?? null;
}

function secretOf(flow: Flow, v: Value, fn: FnId): string | null {
  for (const o of flow.origins(v, fn)) if (o.kind === "secret") return o.name;
  return null;
}
