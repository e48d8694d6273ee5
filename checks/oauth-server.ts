// An OAuth authorization server written in the connector: the authorization endpoint sends codes only to redirect
// URIs registered for the client (or on an allow-list), and dynamic client registration doesn't accept any
// redirect URI when nothing else holds them to one. Read from the facts (routes, what handlers read, the checks
// they make), once for TypeScript, JavaScript and Python. Servers that use a library's authorization server
// (the SDK's mcpAuthRouter, Cloudflare's OAuthProvider) have no such endpoints of their own.
import type { Finding } from "@/lib/core/types";
import { requestIdentities } from "@/lib/engine/facts/oauth-identity";
import { oauthEndpoints, type OAuthEndpoint } from "@/lib/engine/facts/oauth-server";
import { judgedFiles } from "./auth-code";
import { codeFinding, finish, unreadableCode } from "./evidence";
import { defineRule } from "./rule";
import type { Check, CheckContext } from "./types";

const ITEM = "auth.oauth-pkce-dcr";
const OWASP = "MCP07:2025 Insufficient Authentication & Authorization";

export const rules = {
  redirectUri: defineRule({
    id: "oauth/redirect-uri-not-validated",
    severity: "high",
    title: "Authorization endpoint accepts any redirect_uri",
    rationale:
      "The authorization endpoint takes `redirect_uri` from the request and never compares it with the URIs registered for the client (a scheme check lets any https site through). A link to it with an attacker's redirect_uri sends the user's authorization code, or the result of the consent, to the attacker.",
    remediation:
      "Look the client up by `client_id` and require `redirect_uri` to equal one of its registered redirect URIs exactly (or be on a fixed allow-list) before showing consent or redirecting; answer an error page, not a redirect, otherwise.",
    item: ITEM,
    tags: { owasp: OWASP, cwe: ["CWE-601", "CWE-939"] },
  }),
  identityFromRequest: defineRule({
    id: "oauth/identity-from-request",
    severity: "high",
    title: "OAuth flow takes the user's identity from the request",
    rationale:
      "The authorization or callback handler decides whose account it links from a value in the URL (`state` or a query parameter such as `user`) that nothing signs or binds to the browser's session. Anyone can send a link with another user's id: the tokens are stored for that user, or issued for that user's account.",
    remediation:
      "Make `state` a random, single-use value stored server-side (or in a signed, HttpOnly cookie) with the pending request, compare it on the callback, and take the user from the signed-in session or that stored record, never from the URL.",
    item: ITEM,
    tags: { owasp: OWASP, cwe: ["CWE-352", "CWE-639"] },
  }),
  dcrRedirectUris: defineRule({
    id: "oauth/registration-accepts-any-redirect-uri",
    severity: "moderate",
    title: "Client registration accepts any redirect_uris",
    rationale:
      "Dynamic client registration takes the `redirect_uris` a caller sends without checking them, and the authorization endpoint checks redirect URIs against nothing else: registering is how anyone gets codes sent to their own site.",
    remediation:
      "Check registered redirect URIs (https, or loopback for native clients; known hosts such as the ChatGPT connector callback where you can), store them with the client, and compare `redirect_uri` with them exactly at the authorization endpoint.",
    item: ITEM,
    tags: { owasp: OWASP, cwe: ["CWE-939"] },
  }),
};

export const oauthServerCheck: Check = {
  id: "oauth-server",
  title: "OAuth authorization server: redirect URIs checked at authorization and registration",
  section: "auth",
  rules: Object.values(rules),
  run(ctx) {
    const unreadable = unreadableCode(ctx);
    if (unreadable) return unreadable;
    const judged = judgedFiles(ctx);
    const endpoints = oauthEndpoints(ctx.facts.code, ctx.facts.flow, ctx.facts.routes).filter((e) => judged(e.route.path));
    const authorizeChecks = endpoints.some((e) => e.kind === "authorize" && e.validates);
    const findings: Finding[] = [];
    for (const e of endpoints) {
      if (e.validates) continue;
      if (e.kind === "authorize") {
        const how = e.parsedAt ? "parses it to look at its scheme, and checks it" : "checks it";
        const message = `\`${e.route.route}\` (${e.route.path}:${e.route.line}) takes \`redirect_uri\` from the request and ${how} against no registered client URI or allow-list.`;
        findings.push(at(ctx, e, rules.redirectUri, message, e.parsedAt ?? undefined));
      }
      // Registration that accepts anything matters when the authorization endpoint has no list of its own to hold to.
      else if (!authorizeChecks) findings.push(at(ctx, e, rules.dcrRedirectUris, `\`${e.route.route}\` accepts the \`redirect_uris\` it is sent without checking them, and no authorization endpoint checks redirect URIs either.`));
    }
    for (const i of requestIdentities(ctx.facts.code, ctx.facts.flow, ctx.facts.routes)) {
      if (!judged(i.path)) continue;
      const from = i.param === "state" ? "`state`" : `the \`${i.param}\` query parameter`;
      const line = ctx.facts.code.fn(i.fn).line;
      const message = `\`${i.route.route}\` (${i.route.path}:${i.route.line}) takes whose account it is (\`${i.name}\`) from ${from}, which nothing signs or compares with the session.`;
      findings.push(codeFinding(rules.identityFromRequest, { path: i.path, line, text: ctx.snapshot.text(i.path) ?? "", message }));
    }
    return finish(findings);
  },
};

/** At the route, or where the handler parses the URI (the check that should compare it with registered ones). */
function at(ctx: CheckContext, e: OAuthEndpoint, rule: (typeof rules)[keyof typeof rules], message: string, place: { path: string; line: number } = e.route): Finding {
  return codeFinding(rule, { path: place.path, line: place.line, text: ctx.snapshot.text(place.path) ?? "", message });
}
