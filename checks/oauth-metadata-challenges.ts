// 401 and 403 responses: every 401 carries a WWW-Authenticate challenge that names the resource metadata, and a
// valid token that lacks a scope gets 403 (insufficient_scope), not 401. Read from the response facts (Express,
// Hono, Next.js, Fetch API responses, FastAPI/Starlette, Flask, and helpers the status is handed to).
import type { FnId } from "@/lib/core/facts";
import type { Finding } from "@/lib/core/types";
import type { CodeText } from "@/lib/engine/facts/code-text";
import { followsScopeTest, statusSites, type StatusSite } from "@/lib/engine/facts/oauth";
import { lastSegment } from "@/lib/engine/facts/tokens";
import { codeFinding } from "./evidence";
import { rules } from "./oauth-metadata-rules";
import type { CheckContext } from "./types";
import { compareText } from "@/lib/core/compare";

/** Words that say a 401 is about a bearer credential, not a web app's session (where no challenge is expected). */
const BEARER_WORDS = /bearer|authorization|token/;

const isWithMcpAuth = (callee: string): boolean => /^(?:\w+_)?withMcpAuth$/.test(lastSegment(callee));

export function challengeFindings(ctx: CheckContext, judged: (p: string) => boolean, text: CodeText): Finding[] {
  const { code } = ctx.facts;
  const findings: Finding[] = [];
  const at = (s: { path: string; line: number }, message: string) => ({ path: s.path, line: s.line, text: ctx.snapshot.text(s.path) ?? "", message });

  for (const call of code.callsNamed("requireBearerAuth")) {
    if (lastSegment(call.callee) !== "requireBearerAuth" || !judged(call.path)) continue;
    const options = call.args[0];
    if (options?.kind === "object" && !options.entries.some((e) => e.key === "resourceMetadataUrl" || e.spread)) {
      const message = "`requireBearerAuth` is set up without `resourceMetadataUrl`, so its 401 challenge doesn't say where the metadata is.";
      findings.push(codeFinding(rules.noResourceMetadata, at(call, message)));
    }
  }

  // mcp-handler's `withMcpAuth(handler, verify, { required: false })`: no 401 ever, unless tools challenge themselves.
  for (const call of code.callsWhere(isWithMcpAuth)) {
    if (!/^(?:\w+_)?withMcpAuth$/.test(lastSegment(call.callee)) || !judged(call.path)) continue;
    const options = call.args[2];
    const required = options?.kind === "object" ? options.entries.find((e) => e.key === "required") : undefined;
    if (required?.value.kind !== "boolean" || required.value.value || text.mentions("www_authenticate", judged)) continue;
    const message = `\`${call.callee}\` is set up with \`required: false\`, and no tool returns an \`mcp/www_authenticate\` challenge: a client without a token is never asked to sign in.`;
    findings.push(codeFinding(rules.optionalAuth, at({ path: call.path, line: required.line }, message)));
  }

  // Asked only when a challenge is found: reading every file's words is the dearest part of this rule.
  let named: boolean | undefined;
  const resourceMetadataAnywhere = () => (named ??= text.mentions("resource_metadata", judged));
  const sites = statusSites(code, ctx.facts.responses, 401)
    .filter((s) => judged(s.path))
    .sort((a, b) => compareText(a.path, b.path) || a.line - b.line);
  const responseLines = new Map<FnId, number[]>();
  for (const r of [...ctx.facts.responses, ...sites]) (responseLines.get(r.fn) ?? responseLines.set(r.fn, []).get(r.fn)!).push(r.line);
  // One finding per function: its other 401s are the same problem.
  const reported = new Set<FnId>();
  for (const site of sites) {
    if (reported.has(site.fn)) continue;
    const problem = judgeSite(ctx, text, site, responseLines.get(site.fn) ?? [], resourceMetadataAnywhere);
    if (!problem) continue;
    reported.add(site.fn);
    findings.push(codeFinding(problem.rule, at(site, problem.message)));
  }
  return findings;
}

function judgeSite(
  ctx: CheckContext,
  text: CodeText,
  site: StatusSite,
  responseLines: readonly number[],
  resourceMetadataAnywhere: () => boolean,
) {
  // What the function (and the helper the status is handed to) says: names and strings, never comments.
  const words = `${text.ofFunction(site.fn)} ${site.helper !== null ? text.ofFunction(site.helper) : ""}`.replace(/_/g, "-");
  if (words.includes("insufficient-scope") || followsScopeTest(ctx.facts.code, site, responseLines)) {
    return { rule: rules.scope403, message: "A missing scope is answered with 401; the token is valid, so the answer should be 403 insufficient_scope." };
  }
  if (!words.includes("www-authenticate") && !site.headers.some(([name]) => name === "www-authenticate")) {
    if (!BEARER_WORDS.test(words)) return null;
    return { rule: rules.noChallenge, message: "This 401 carries no WWW-Authenticate header." };
  }
  if (!resourceMetadataAnywhere()) {
    return { rule: rules.noResourceMetadata, message: "The WWW-Authenticate challenge sent with this 401 has no `resource_metadata`." };
  }
  return null;
}
