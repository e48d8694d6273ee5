// OAuth discovery: protected resource metadata (with authorization_servers), authorization server metadata (PKCE
// S256, dynamic client registration), 401 challenges that point at the metadata, and 403 for insufficient scope.
// Every rule reads the code facts (metadata objects, routes, responses), once for TypeScript, JavaScript and Python.
import type { Finding } from "@/lib/core/types";
import { CodeText } from "@/lib/engine/facts/code-text";
import type { Route } from "@/lib/engine/facts/http";
import { transportsOf } from "@/lib/engine/facts/transports";
import { Usage } from "@/lib/engine/facts/usage";
import { metadataDocuments, type MetadataDocument } from "@/lib/engine/facts/oauth";
import { lastSegment } from "@/lib/engine/facts/tokens";
import { judgedFiles, servedStaticFile } from "./auth-code";
import { codeFinding, finish, unreadableCode } from "./evidence";
import { challengeFindings } from "./oauth-metadata-challenges";
import { jsonRpcCredentialErrors } from "./oauth-metadata-jsonrpc";
import { rules } from "./oauth-metadata-rules";
import { authSignal, noMetadataFinding } from "./oauth-metadata-signal";
import { hostHeaderFindings, localUrlFindings } from "./oauth-metadata-urls";
import type { Check, CheckContext } from "./types";

export { rules };

/** The items about OAuth and bearer tokens, moot for a local stdio server without any auth. */
const NOT_APPLICABLE = ["auth.oauth-pkce-dcr", "auth.token-validation"] as const;

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
/**
 * Modules whose auth serves the metadata for the server: FastMCP's providers, and the auth platforms' MCP
 * integrations (Clerk's MCP tools, xmcp's auth plugins, Better Auth's MCP plugin, Cloudflare's OAuth provider).
 */
const PROVIDER_MODULES = /^(?:fastmcp\.server\.auth(?:\.|$)|@clerk\/mcp-tools(?:\/|$)|@xmcp-dev\/|better-auth\/plugins|@cloudflare\/workers-oauth-provider$)/;
/** Settings that configure the served metadata (MCP Python SDK / FastMCP `resource_server_url`). */
const METADATA_SETTINGS = new Set(["resource_server_url"]);
/** Calls that answer 401s with a challenge naming the metadata. */
const CHALLENGING_CHECKS = /^(?:\w+_)?withMcpAuth$/;

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
    const usage = new Usage(ctx.facts.code, text);
    const challenges = challengeFindings(ctx, judged, text);
    const signal = authSignal(ctx, judged, usage, routes, documents);
    const missing = signal !== null && !servesResourceMetadata(ctx, judged, text, routes, documents);
    if (missing) findings.push(noMetadataFinding(ctx, signal, documents, challenges));
    // A challenge can't name metadata that doesn't exist (the missing metadata is the one problem), and without OAuth
    // (an API key of the user's own account) there is no metadata for it to name.
    findings.push(...challenges.filter((f) => f.ruleId !== rules.noResourceMetadata.id || (signal !== null && !missing)));
    findings.push(...pathVariant(ctx, judged, text, routes));
    findings.push(...hostHeaderFindings(ctx, documents), ...localUrlFindings(ctx, judged));
    // A local stdio server with no auth code at all: no tokens to verify, no accounts to link.
    const transports = transportsOf(ctx.facts.code, ctx.facts.routes, judged);
    if (transports.http) findings.push(...jsonRpcCredentialErrors(ctx, judged));
    const outcome = finish(findings);
    if (transports.stdio && !transports.http && !signal && documents.length === 0 && findings.length === 0) {
      const reason = "the server runs only over stdio, as a local subprocess of the client, with no authentication code: it takes no bearer tokens and links no accounts.";
      return { ...outcome, notApplicable: NOT_APPLICABLE.map((item) => ({ item, reason })) };
    }
    return outcome;
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
  return ctx.facts.settingsWhere((key) => METADATA_SETTINGS.has(key)).some((s) => judged(s.path));
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
