// OAuth discovery: protected resource metadata (with authorization_servers), authorization server metadata (PKCE
// S256, dynamic client registration), 401 challenges that point at the metadata, and 403 for insufficient scope.
// Every rule reads the code facts (metadata objects, routes, responses), once for TypeScript, JavaScript and Python.
import type { Value } from "@/lib/core/facts";
import type { Finding } from "@/lib/core/types";
import { CodeText } from "@/lib/engine/facts/code-text";
import type { Route } from "@/lib/engine/facts/http";
import { metadataDocuments, type MetadataDocument } from "@/lib/engine/facts/oauth";
import { lastSegment, tokenCalls } from "@/lib/engine/facts/tokens";
import { judgedFiles, servedStaticFile } from "./auth-code";
import { codeFinding, finish, unreadableCode } from "./evidence";
import { challengeFindings } from "./oauth-metadata-challenges";
import { rules } from "./oauth-metadata-rules";
import type { Check, CheckContext } from "./types";

export { rules };

/** Calls that serve protected resource metadata for the server (SDK routers, mcp-handler, FastMCP auth providers). */
const METADATA_PROVIDERS = new Set([
  "mcpAuthRouter",
  "mcpAuthMetadataRouter",
  "protectedResourceHandler",
  "createOAuthMetadata",
  "getOAuthProtectedResourceMetadataUrl",
  "AuthSettings",
  "RemoteAuthProvider",
  "OAuthProxy",
  "OAuthProvider",
]);
/** Modules whose auth providers serve the metadata (FastMCP). */
const PROVIDER_MODULES = /^fastmcp\.server\.auth(?:\.|$)/;
/** Settings that configure the served metadata (MCP Python SDK / FastMCP `resource_server_url`). */
const METADATA_SETTINGS = new Set(["resource_server_url"]);
/** Calls that check bearer tokens on requests (mcp-handler's also as `experimental_withMcpAuth`). */
const BEARER_CHECKS = /^(?:requireBearerAuth|(?:\w+_)?withMcpAuth)$/;
/** Calls that answer 401s with a challenge naming the metadata. */
const CHALLENGING_CHECKS = /^(?:\w+_)?withMcpAuth$/;
const AUTHORIZATION_READ = /^(?:req|request)\.headers\.authorization$/i;

export const oauthMetadataCheck: Check = {
  id: "oauth-metadata",
  title: "OAuth metadata, PKCE, client registration and 401/403 challenges",
  section: "auth",
  rules: Object.values(rules),
  run(ctx) {
    const unreadable = unreadableCode(ctx);
    if (unreadable) return unreadable;
    const judged = judgedFiles(ctx);
    const text = new CodeText(ctx.facts.code);
    const routes = ctx.facts.routes.filter((r) => (r.staticText !== undefined ? servedStaticFile(r.path) : judged(r.path)));
    const documents = metadataDocuments(ctx.facts.code, routes).filter((d) => d.staticText !== undefined || judged(d.path));
    const findings: Finding[] = documents.flatMap((d) => judgeDocument(ctx, d));

    // Is OAuth in use, and is protected resource metadata served at all?
    const signal = authSignal(ctx, judged);
    if (signal && !servesResourceMetadata(ctx, judged, text, routes, documents)) {
      findings.push(
        codeFinding(rules.noPrm, {
          path: signal.path,
          line: signal.line,
          text: ctx.snapshot.text(signal.path) ?? "",
          message: `${signal.why}, but no protected resource metadata (/.well-known/oauth-protected-resource) is served.`,
          subject: "repository",
        }),
      );
    }
    findings.push(...pathVariant(ctx, judged, text, routes));
    findings.push(...challengeFindings(ctx, judged, text));
    return finish(findings);
  },
};

function judgeDocument(ctx: CheckContext, d: MetadataDocument): Finding[] {
  const out: Finding[] = [];
  const at = (message: string) => ({ path: d.path, line: d.line, text: d.staticText ?? ctx.snapshot.text(d.path) ?? "", message });
  if (d.kind === "prm") {
    const servers = d.lists.get("authorization_servers");
    if (!d.keys.has("authorization_servers") && !d.open) out.push(codeFinding(rules.prmNoAuthServers, at("The protected resource metadata has no `authorization_servers`.")));
    else if (servers && servers.length === 0) out.push(codeFinding(rules.prmNoAuthServers, at("`authorization_servers` is an empty list.")));
    if (!d.keys.has("resource") && !d.open) out.push(codeFinding(rules.prmNoResource, at("The protected resource metadata has no `resource`.")));
    return out;
  }
  // An authorization server without the authorization code grant (client credentials only) has no use for PKCE or
  // client registration; it can't link ChatGPT accounts at all, which the other rules show.
  const grants = d.lists.get("grant_types_supported");
  if (grants && !grants.includes("authorization_code")) return out;
  const methods = d.lists.get("code_challenge_methods_supported");
  if (!d.keys.has("code_challenge_methods_supported") && !d.open) {
    out.push(codeFinding(rules.pkce, at("The authorization server metadata lists no `code_challenge_methods_supported`, so clients must assume PKCE is unsupported.")));
  } else if (methods && !methods.includes("S256")) {
    out.push(codeFinding(rules.pkce, at(`\`code_challenge_methods_supported\` is [${methods.map((x) => JSON.stringify(x)).join(", ")}], without "S256".`)));
  }
  const cimd = d.flags.get("client_id_metadata_document_supported") === true || d.keys.has("client_id_metadata_document_supported");
  if (!d.keys.has("registration_endpoint") && !cimd && !d.open) {
    out.push(codeFinding(rules.registration, at("The authorization server metadata has no `registration_endpoint` and doesn't support client ID metadata documents.")));
  }
  return out;
}

function servesResourceMetadata(ctx: CheckContext, judged: (p: string) => boolean, text: CodeText, routes: readonly Route[], documents: readonly MetadataDocument[]): boolean {
  const { code } = ctx.facts;
  if (documents.some((d) => d.kind === "prm") || routes.some((r) => r.route.includes("oauth-protected-resource"))) return true;
  if (text.mentions("oauth-protected-resource", judged)) return true;
  if (code.calls.some((c) => METADATA_PROVIDERS.has(lastSegment(c.callee)) && judged(c.path))) return true;
  if (code.classes.some((c) => c.bases.some((b) => METADATA_PROVIDERS.has(lastSegment(b))) && judged(c.path))) return true;
  if (code.imports.some((i) => PROVIDER_MODULES.test(i.module) && judged(i.path))) return true;
  return ctx.facts.settings.some((s) => METADATA_SETTINGS.has(s.key) && judged(s.path));
}

interface Signal {
  path: string;
  line: number;
  why: string;
}

/** The first place (by file, then line) that shows the server takes bearer tokens. */
function authSignal(ctx: CheckContext, judged: (p: string) => boolean): Signal | null {
  const { code } = ctx.facts;
  const signals: Signal[] = [];
  for (const t of tokenCalls(code)) {
    if (t.verifiesSignature || t.signatureSwitchedOff) signals.push({ path: t.call.path, line: t.call.line, why: `The server verifies bearer tokens (\`${t.name}\`)` });
  }
  for (const c of code.calls) {
    const last = lastSegment(c.callee);
    if (BEARER_CHECKS.test(last)) signals.push({ path: c.path, line: c.line, why: `The server verifies bearer tokens (\`${c.callee}\`)` });
    else if (last === "get_access_token") signals.push({ path: c.path, line: c.line, why: `The server reads the caller's token (\`${c.callee}\`)` });
    else if (/(?:^|\.)headers\.get$/.test(c.callee) && c.receiver?.kind === "ref" && AUTHORIZATION_READ.test(`${c.receiver.path}.${stringArg(c.args[0])}`))
      signals.push({ path: c.path, line: c.line, why: "The server reads bearer tokens from the Authorization header" });
  }
  for (const a of code.accesses) {
    if (AUTHORIZATION_READ.test(a.target)) signals.push({ path: a.path, line: a.line, why: "The server reads bearer tokens from the Authorization header" });
  }
  for (const c of code.classes) {
    if (c.bases.some((b) => b.includes("TokenVerifier"))) signals.push({ path: c.path, line: c.line, why: "The server defines a token verifier" });
  }
  for (const s of ctx.facts.settings) {
    if (s.key === "securitySchemes" && mentionsOAuth(s.value)) signals.push({ path: s.path, line: s.line, why: "Tools declare OAuth security schemes" });
  }
  const order = new Map(code.files.map((f, i) => [f.path, i]));
  const judgedSignals = signals.filter((s) => judged(s.path));
  judgedSignals.sort((a, b) => (order.get(a.path) ?? 0) - (order.get(b.path) ?? 0) || a.line - b.line);
  return judgedSignals[0] ?? null;
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

/** Metadata hand-served only at the root while the MCP endpoint lives at a path. */
function pathVariant(ctx: CheckContext, judged: (p: string) => boolean, text: CodeText, routes: readonly Route[]): Finding[] {
  const prm = routes.filter((r) => r.route.startsWith("/.well-known/oauth-protected-resource"));
  if (prm.length === 0) return [];
  const rootOnly = prm.every((r) => r.route === "/.well-known/oauth-protected-resource" || r.route === "/.well-known/oauth-protected-resource/");
  const mcp = routes.find((r) => /\/(?:mcp|sse)\/?$/.test(r.route) || r.route.includes("[transport]"));
  if (!rootOnly || !mcp || mcp.route === "/") return [];
  // A challenge that names the metadata URL tells clients where to look (hand-written, or sent by the SDK's
  // requireBearerAuth with resourceMetadataUrl, or by mcp-handler's withMcpAuth).
  if (["resource_metadata", "resourcemetadataurl"].some((m) => text.mentions(m, judged))) return [];
  if (ctx.facts.code.calls.some((c) => CHALLENGING_CHECKS.test(lastSegment(c.callee)) && judged(c.path))) return [];
  const first = prm[0]!;
  return [
    codeFinding(rules.prmPathVariant, {
      path: first.path,
      line: first.line,
      text: first.staticText ?? ctx.snapshot.text(first.path) ?? "",
      message: `The metadata is served at ${first.route} only, while the MCP endpoint is ${mcp.route}; clients first look for /.well-known/oauth-protected-resource${mcp.route.replace(/\/$/, "")}.`,
    }),
  ];
}
