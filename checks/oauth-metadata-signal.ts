// Whether the server runs OAuth of its own, so clients need protected resource metadata to link accounts: bearer
// tokens verified (JWT checks, SDK bearer middleware, token verifiers, OAuth security schemes), or the Authorization
// header read by a server that issues or verifies tokens. A header read alone may be an API key of the user's own
// account (forwarded upstream, where PRM has nothing to say), and code nothing uses says nothing about the server.
import type { FnId, Value } from "@/lib/core/facts";
import type { Finding } from "@/lib/core/types";
import type { Route } from "@/lib/engine/facts/http";
import type { MetadataDocument } from "@/lib/engine/facts/oauth";
import { fileVerifiesTokens, lastSegment, tokenCalls } from "@/lib/engine/facts/tokens";
import type { Usage } from "@/lib/engine/facts/usage";
import { codeFinding } from "./evidence";
import { rules } from "./oauth-metadata-rules";
import type { CheckContext } from "./types";

/** Calls that check bearer tokens on requests (mcp-handler's also as `experimental_withMcpAuth`). */
const BEARER_CHECKS = /^(?:requireBearerAuth|(?:\w+_)?withMcpAuth)$/;
const AUTHORIZATION_READ = /^(?:req|request)\.headers\.authorization$/i;
/** Routes of an authorization server of the connector's own. */
const OAUTH_ROUTES = /(?:^|\/)(?:authorize|token|register|oauth-authorization-server|openid-configuration)\/?$/;

export interface Signal {
  path: string;
  line: number;
  fn: FnId;
  why: string;
  /** A read of the Authorization header: OAuth only if the server issues or verifies tokens. */
  headerRead: boolean;
}

/** The first place (by file, then line) in used server code that shows the server takes OAuth bearer tokens. */
/** The calls read below: bearer checks, `get_access_token`, and header reads. */
function mayReadToken(callee: string): boolean {
  const last = lastSegment(callee);
  return BEARER_CHECKS.test(last) || last === "get_access_token" || /(?:^|\.)headers\.get$/.test(callee);
}

export function authSignal(ctx: CheckContext, judged: (p: string) => boolean, usage: Usage, routes: readonly Route[], documents: readonly MetadataDocument[]): Signal | null {
  const { code } = ctx.facts;
  const signals: Signal[] = [];
  const add = (s: { path: string; line: number; fn: FnId }, why: string, headerRead = false) => signals.push({ path: s.path, line: s.line, fn: s.fn, why, headerRead });
  const calls = tokenCalls(code);
  for (const t of calls) {
    if (t.verifiesSignature || t.signatureSwitchedOff) add(t.call, `The server verifies bearer tokens (\`${t.name}\`)`);
  }
  for (const c of code.callsWhere(mayReadToken)) {
    const last = lastSegment(c.callee);
    if (BEARER_CHECKS.test(last)) add(c, `The server verifies bearer tokens (\`${c.callee}\`)`);
    else if (last === "get_access_token") add(c, `The server reads the caller's token (\`${c.callee}\`)`);
    else if (/(?:^|\.)headers\.get$/.test(c.callee) && c.receiver?.kind === "ref" && AUTHORIZATION_READ.test(`${c.receiver.path}.${stringArg(c.args[0])}`))
      add(c, "The server reads bearer tokens from the Authorization header", true);
  }
  for (const a of code.accesses) if (AUTHORIZATION_READ.test(a.target)) add(a, "The server reads bearer tokens from the Authorization header", true);
  for (const c of code.classes) {
    const top = code.functionsIn(c.path)[0];
    if (top && c.bases.some((b) => b.includes("TokenVerifier"))) add({ ...c, fn: top.id }, "The server defines a token verifier");
  }
  for (const s of ctx.facts.settingsWhere((key) => key === "securitySchemes")) {
    if (mentionsOAuth(s.value)) add(s, "Tools declare OAuth security schemes");
  }
  const runsOAuth = documents.some((d) => d.kind === "as") || routes.some((r) => OAUTH_ROUTES.test(r.route));
  const order = new Map(code.files.map((f, i) => [f.path, i]));
  const kept = signals.filter((s) => judged(s.path) && (!s.headerRead || runsOAuth || fileVerifiesTokens(code, calls, s.path)) && !usage.inDeadCode(s.fn));
  kept.sort((a, b) => (order.get(a.path) ?? 0) - (order.get(b.path) ?? 0) || a.line - b.line);
  return kept[0] ?? null;
}

/**
 * The missing metadata, placed at the 401 challenge that should name it when there is one. Clients following the
 * earlier MCP revision still find an authorization server whose metadata the server serves itself, so linking works
 * for them: moderate then, high when nothing at all tells a client where to sign in.
 */
export function noMetadataFinding(ctx: CheckContext, signal: Signal, documents: readonly MetadataDocument[], challenges: readonly Finding[]): Finding {
  const challenge = challenges.find((f) => f.ruleId === rules.noResourceMetadata.id && f.location?.line !== undefined);
  const at = challenge?.location ? { path: challenge.location.path, line: challenge.location.line! } : signal;
  const servesAs = documents.some((d) => d.kind === "as");
  const where = challenge ? ` (${signal.path}:${signal.line})` : "";
  const fallback = servesAs ? " Only clients that fall back to the authorization server metadata can link accounts." : "";
  return codeFinding(rules.noPrm, {
    path: at.path,
    line: at.line,
    text: ctx.snapshot.text(at.path) ?? "",
    message: `${signal.why}${where}, but no protected resource metadata (/.well-known/oauth-protected-resource) is served${challenge ? " and this 401 challenge names none" : ""}.${fallback}`,
    subject: "repository",
    ...(servesAs ? { severity: "moderate" as const } : {}),
  });
}

function stringArg(v: Value | undefined): string {
  return v?.kind === "string" ? v.value : "";
}

function mentionsOAuth(v: Value): boolean {
  if (v.kind === "string") return v.value.includes("oauth2");
  if (v.kind === "array") return v.items.some(mentionsOAuth);
  if (v.kind === "object") return v.entries.some((e) => mentionsOAuth(e.value));
  return false;
}
