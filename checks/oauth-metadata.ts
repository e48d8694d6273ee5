// OAuth discovery: protected resource metadata (with authorization_servers), authorization server metadata (PKCE
// S256, dynamic client registration), 401 challenges that point at the metadata, and 403 for insufficient scope.
import { lineOf, ts } from "@/lib/engine/parse/js";
import {
  contains,
  enclosingFunction,
  hasSpread,
  isBooleanLiteral,
  memberName,
  objectProperty,
  propertyNameText,
  stringValue,
  unwrap,
  type JsFileIndex,
} from "@/lib/engine/parse/js-index";
import {
  dottedName,
  keywordArgs,
  memberPath,
  positionalArgs,
  pyIndex,
  pyLine,
  stringContent,
  type PyFileIndex,
} from "@/lib/engine/parse/py-index";
import type { PyNode } from "@/lib/engine/parse/python";
import { httpRoutes, type HttpRoute } from "@/lib/engine/parse/routes";
import { isTestPath } from "@/lib/engine/parse/source-kind";
import { codeCoverageProblem } from "@/lib/engine/parse/coverage";
import { codeFinding, finish } from "./evidence";
import { defineRule } from "./rule";
import type { Check } from "./types";
import type { Finding } from "@/lib/core/types";
import { serverJsFiles } from "@/lib/engine/parse/server-code";

const ITEM = "auth.oauth-pkce-dcr";

export const rules = {
  noPrm: defineRule({
    id: "oauth/no-protected-resource-metadata",
    severity: "high",
    title: "Bearer tokens required, but no protected resource metadata",
    rationale:
      "ChatGPT and other MCP clients discover where to sign the user in from /.well-known/oauth-protected-resource (RFC 9728). Without it, account linking can't start and the connector can't be used with OAuth.",
    remediation:
      "Serve protected resource metadata with `resource` (this server's URL) and `authorization_servers`, e.g. with the SDK's `mcpAuthMetadataRouter`, mcp-handler's `protectedResourceHandler`, or FastMCP `AuthSettings`.",
    item: ITEM,
  }),
  prmNoAuthServers: defineRule({
    id: "oauth/prm-missing-authorization-servers",
    severity: "high",
    title: "Protected resource metadata names no authorization server",
    rationale: "Clients read `authorization_servers` to find where to send the user; without it they can't begin the OAuth flow.",
    remediation:
      'Add `authorization_servers: ["https://auth.example.com"]` with the issuer URL of each authorization server that issues tokens for this resource.',
    item: ITEM,
  }),
  prmNoResource: defineRule({
    id: "oauth/prm-missing-resource",
    severity: "moderate",
    title: "Protected resource metadata without `resource`",
    rationale: "`resource` is the identifier clients request tokens for (the audience); without it tokens can't be bound to this server.",
    remediation: "Add `resource` with this server's canonical URL (the MCP endpoint, e.g. https://mcp.example.com/mcp).",
    item: ITEM,
  }),
  prmPathVariant: defineRule({
    id: "oauth/prm-path-variant-missing",
    severity: "low",
    title: "Protected resource metadata only at the root well-known path",
    rationale:
      "For an MCP endpoint at a path (/mcp), RFC 9728 places the metadata at /.well-known/oauth-protected-resource/mcp, and clients try that URL first when the 401 challenge doesn't name one.",
    remediation:
      "Also serve the metadata at /.well-known/oauth-protected-resource/<mcp path>, and name its URL in the 401 challenge's `resource_metadata`.",
    item: ITEM,
  }),
  pkce: defineRule({
    id: "oauth/pkce-s256-missing",
    severity: "high",
    title: "Authorization server metadata without PKCE S256",
    rationale:
      "OAuth 2.1 requires PKCE, and MCP clients must refuse an authorization server whose metadata doesn't list S256 in `code_challenge_methods_supported`; `plain` offers no protection against stolen codes.",
    remediation: 'Support PKCE with S256 and advertise it: `code_challenge_methods_supported: ["S256"]`.',
    item: ITEM,
  }),
  registration: defineRule({
    id: "oauth/no-client-registration",
    severity: "moderate",
    title: "No dynamic client registration or client ID metadata documents",
    rationale:
      "ChatGPT registers itself as an OAuth client: it needs a `registration_endpoint` (RFC 7591) or client ID metadata document support; otherwise linking fails or needs manual client setup.",
    remediation:
      "Offer dynamic client registration (`registration_endpoint`) or set `client_id_metadata_document_supported: true` and accept URL client ids.",
    item: ITEM,
  }),
  noChallenge: defineRule({
    id: "oauth/401-without-challenge",
    severity: "moderate",
    title: "401 response without a WWW-Authenticate challenge",
    rationale:
      "MCP clients learn from the WWW-Authenticate header that they must sign in and where the resource metadata is; a bare 401 leaves them without a way to start account linking.",
    remediation:
      'Send `WWW-Authenticate: Bearer resource_metadata="https://…/.well-known/oauth-protected-resource"` (plus `error="invalid_token"` for bad tokens) with every 401.',
    item: "auth.token-validation",
  }),
  noResourceMetadata: defineRule({
    id: "oauth/challenge-without-resource-metadata",
    severity: "moderate",
    title: "WWW-Authenticate challenge without resource_metadata",
    rationale:
      "The `resource_metadata` parameter tells the client where the protected resource metadata lives; without it clients must guess well-known URLs.",
    remediation:
      'Include `resource_metadata="<URL of the protected resource metadata>"` in the Bearer challenge (SDK: `requireBearerAuth({ verifier, resourceMetadataUrl })`).',
    item: ITEM,
  }),
  scope403: defineRule({
    id: "oauth/insufficient-scope-not-403",
    severity: "moderate",
    title: "Insufficient scope answered with 401 instead of 403",
    rationale:
      'A valid token that lacks a scope should get 403 with `error="insufficient_scope"` and the needed `scope`, so the client can ask the user for more access; a 401 makes it throw away a good token and loop.',
    remediation:
      'Answer 403 with `WWW-Authenticate: Bearer error="insufficient_scope", scope="…", resource_metadata="…"` when the token is valid but its scopes don\'t cover the call.',
    item: "auth.scopes-enforced",
  }),
};

const PRM_HINTS = [
  "scopes_supported",
  "bearer_methods_supported",
  "resource_documentation",
  "resource_name",
  "resource_signing_alg_values_supported",
];
const AS_HINTS = [
  "issuer",
  "response_types_supported",
  "code_challenge_methods_supported",
  "grant_types_supported",
  "token_endpoint_auth_methods_supported",
];
const PRM_HELPERS =
  /(?:^|\.)(?:mcpAuthRouter|mcpAuthMetadataRouter|protectedResourceHandler|createOAuthMetadata|getOAuthProtectedResourceMetadataUrl)$/;
const PY_PRM_MARKERS = ["AuthSettings(", "RemoteAuthProvider", "OAuthProxy", "OAuthProvider", "fastmcp.server.auth", "resource_server_url"];
const STATUS_CALLS = new Set([
  "status",
  "sendStatus",
  "code",
  "writeHead",
  "json",
  "text",
  "send",
  "body",
  "newResponse",
  "HTTPException",
  "createError",
  "error",
]);
const PY_STATUS_CALLS = new Set([
  "HTTPException",
  "JSONResponse",
  "Response",
  "PlainTextResponse",
  "abort",
  "make_response",
  "HTMLResponse",
]);

interface MetadataObject {
  kind: "prm" | "as";
  path: string;
  line: number;
  text: string;
  keys: ReadonlySet<string>;
  /** Spread or `**`: keys we can't see. */
  open: boolean;
  /** Static string list values by key (null when not static). */
  lists: ReadonlyMap<string, string[] | null>;
  flags: ReadonlyMap<string, boolean>;
}

export const oauthMetadataCheck: Check = {
  id: "oauth-metadata",
  title: "OAuth metadata, PKCE, client registration and 401/403 challenges",
  section: "auth",
  rules: Object.values(rules),
  async run({ facts }) {
    const unreadable = await codeCoverageProblem(facts);
    if (unreadable) return { status: "unavailable", findings: [], error: `Could not read the code: ${unreadable}.` };
    const jsFiles = serverJsFiles(facts);
    const pyFiles = (await pyIndex(facts)).filter((f) => !isTestPath(f.path));
    const routes = await httpRoutes(facts);
    const findings: Finding[] = [];

    const metadata = [
      ...jsFiles.flatMap((f) => jsMetadata(f, routes)),
      ...pyFiles.flatMap((f) => pyMetadata(f, routes)),
      ...staticMetadata(routes),
    ];
    for (const m of metadata) findings.push(...judgeMetadata(m));

    // Is OAuth in use, and is protected resource metadata served at all?
    const codeTexts = [...jsFiles, ...pyFiles];
    const prmServed =
      metadata.some((m) => m.kind === "prm") ||
      routes.some((r) => r.route.includes("oauth-protected-resource")) ||
      codeTexts.some((f) => f.text.includes("oauth-protected-resource")) ||
      jsFiles.some((f) => f.calls.some((c) => c.callee !== null && PRM_HELPERS.test(c.callee))) ||
      pyFiles.some((f) => PY_PRM_MARKERS.some((m) => f.text.includes(m)));
    const authSignal = jsFiles.map(jsAuthSignal).find((s) => s !== null) ?? pyFiles.map(pyAuthSignal).find((s) => s !== null) ?? null;
    if (authSignal && !prmServed) {
      findings.push(
        codeFinding(rules.noPrm, {
          ...authSignal,
          message: `${authSignal.why}, but no protected resource metadata (/.well-known/oauth-protected-resource) is served.`,
          subject: "repository",
        }),
      );
    }
    findings.push(...pathVariant(routes, codeTexts));

    const resourceMetadataAnywhere = codeTexts.some((f) => f.text.includes("resource_metadata"));
    for (const file of jsFiles) findings.push(...jsChallenges(file, resourceMetadataAnywhere));
    for (const file of pyFiles) findings.push(...pyChallenges(file));
    return finish(findings);
  },
};

function judgeMetadata(m: MetadataObject): Finding[] {
  const out: Finding[] = [];
  const at = { path: m.path, line: m.line, text: m.text };
  if (m.kind === "prm") {
    const servers = m.lists.get("authorization_servers");
    if (!m.keys.has("authorization_servers") && !m.open)
      out.push(codeFinding(rules.prmNoAuthServers, { ...at, message: "The protected resource metadata has no `authorization_servers`." }));
    else if (servers && servers.length === 0)
      out.push(codeFinding(rules.prmNoAuthServers, { ...at, message: "`authorization_servers` is an empty list." }));
    if (!m.keys.has("resource") && !m.open)
      out.push(codeFinding(rules.prmNoResource, { ...at, message: "The protected resource metadata has no `resource`." }));
  } else {
    // An authorization server without the authorization code grant (client credentials only) has no use for PKCE or
    // client registration; it can't link ChatGPT accounts at all, which the other rules show.
    const grants = m.lists.get("grant_types_supported");
    if (grants && !grants.includes("authorization_code")) return out;
    const methods = m.lists.get("code_challenge_methods_supported");
    if (!m.keys.has("code_challenge_methods_supported") && !m.open) {
      out.push(
        codeFinding(rules.pkce, {
          ...at,
          message:
            "The authorization server metadata lists no `code_challenge_methods_supported`, so clients must assume PKCE is unsupported.",
        }),
      );
    } else if (methods && !methods.includes("S256")) {
      out.push(
        codeFinding(rules.pkce, {
          ...at,
          message: `\`code_challenge_methods_supported\` is [${methods.map((x) => JSON.stringify(x)).join(", ")}], without "S256".`,
        }),
      );
    }
    if (
      !m.keys.has("registration_endpoint") &&
      m.flags.get("client_id_metadata_document_supported") !== true &&
      !m.keys.has("client_id_metadata_document_supported") &&
      !m.open
    ) {
      out.push(
        codeFinding(rules.registration, {
          ...at,
          message: "The authorization server metadata has no `registration_endpoint` and doesn't support client ID metadata documents.",
        }),
      );
    }
  }
  return out;
}

function isSchemaDefinition(object: ts.ObjectLiteralExpression): boolean {
  const parent = object.parent;
  if (ts.isCallExpression(parent)) {
    const callee = parent.expression.getText().slice(0, 80);
    if (/^(?:z|zod|Joi|yup|t|v|Type|s)\.|(?:^|\.)(?:object|looseObject|strictObject|extend|merge|shape)$/.test(callee)) return true;
  }
  const values = object.properties.filter(ts.isPropertyAssignment).map((p) => unwrap(p.initializer));
  return (
    values.length > 0 &&
    values.filter((v) => ts.isCallExpression(v) && /^(?:z|zod|Joi|yup|t|v|Type)\./.test(v.expression.getText().slice(0, 40))).length * 2 >=
      values.length
  );
}

function kindOf(keys: ReadonlySet<string>, route: HttpRoute | undefined): "prm" | "as" | null {
  if (keys.has("authorization_servers")) return "prm";
  if (keys.has("authorization_endpoint") && AS_HINTS.some((k) => keys.has(k))) return "as";
  if (route?.route.includes("oauth-protected-resource") && (keys.has("resource") || PRM_HINTS.some((k) => keys.has(k)))) return "prm";
  if (keys.has("resource") && PRM_HINTS.some((k) => keys.has(k)) && !keys.has("authorization_endpoint")) return "prm";
  if (
    (route?.route.includes("oauth-authorization-server") || route?.route.includes("openid-configuration")) &&
    (keys.has("issuer") || keys.has("token_endpoint"))
  )
    return "as";
  return null;
}

// Metadata objects in code

function jsMetadata(file: JsFileIndex, routes: readonly HttpRoute[]): MetadataObject[] {
  const out: MetadataObject[] = [];
  const fileRoutes = routes.filter((r): r is Extract<HttpRoute, { language: "js" }> => r.language === "js" && r.path === file.path);
  const seen = new Set<ts.ObjectLiteralExpression>();
  for (const { name, node } of file.properties) {
    if (!["authorization_servers", "authorization_endpoint", "resource", "token_endpoint", "issuer"].includes(name)) continue;
    const object = node.parent;
    if (!ts.isObjectLiteralExpression(object) || seen.has(object)) continue;
    seen.add(object);
    const keys = new Set<string>();
    const lists = new Map<string, string[] | null>();
    const flags = new Map<string, boolean>();
    for (const p of object.properties) {
      const key = ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p) ? propertyNameText(p.name) : null;
      if (key === null) continue;
      keys.add(key);
      if (ts.isPropertyAssignment(p)) {
        const v = unwrap(p.initializer);
        if (ts.isArrayLiteralExpression(v)) {
          const strings = v.elements.map((e) => stringValue(e));
          lists.set(key, strings.every((s) => s !== null) ? (strings as string[]) : null);
        }
        if (isBooleanLiteral(v, true)) flags.set(key, true);
        if (isBooleanLiteral(v, false)) flags.set(key, false);
      }
    }
    // Schemas describing metadata (`z.object({ issuer: z.string(), … })`) are not metadata.
    if (isSchemaDefinition(object)) continue;
    const route = fileRoutes.find((r) => r.handler && contains(r.handler, object));
    // The SDK's mcpAuthMetadataRouter({ oauthMetadata: {...} }) proxies an authorization server's metadata.
    const asOption = ts.isPropertyAssignment(object.parent) && propertyNameText(object.parent.name) === "oauthMetadata";
    const kind = asOption && keys.has("issuer") ? "as" : kindOf(keys, route);
    if (!kind) continue;
    out.push({
      kind,
      path: file.path,
      line: lineOf(object, file.sourceFile),
      text: file.text,
      keys,
      open: hasSpread(object),
      lists,
      flags,
    });
  }
  return out;
}

function pyMetadata(file: PyFileIndex, routes: readonly HttpRoute[]): MetadataObject[] {
  const out: MetadataObject[] = [];
  if (
    !["authorization_servers", "authorization_endpoint", "oauth-protected-resource", "oauth-authorization-server"].some((m) =>
      file.text.includes(m),
    )
  )
    return out;
  const fileRoutes = routes.filter((r): r is Extract<HttpRoute, { language: "py" }> => r.language === "py" && r.path === file.path);
  for (const dict of file.root.descendantsOfType("dictionary")) {
    if (!dict) continue;
    const keys = new Set<string>();
    const lists = new Map<string, string[] | null>();
    const flags = new Map<string, boolean>();
    let open = false;
    for (const p of dict.namedChildren) {
      if (p?.type === "dictionary_splat") open = true;
      if (p?.type !== "pair") continue;
      const key = stringContent(p.childForFieldName("key"));
      if (key === null) continue;
      keys.add(key);
      const v = p.childForFieldName("value");
      if (v?.type === "list") {
        const strings = v.namedChildren.map((e) => stringContent(e));
        lists.set(key, strings.every((s) => s !== null) ? (strings as string[]) : null);
      }
      if (v?.type === "true") flags.set(key, true);
    }
    const route = fileRoutes.find((r) => r.handler && dict.startIndex >= r.handler.startIndex && dict.endIndex <= r.handler.endIndex);
    const kind = kindOf(keys, route);
    if (kind) out.push({ kind, path: file.path, line: pyLine(dict), text: file.text, keys, open, lists, flags });
  }
  return out;
}

function staticMetadata(routes: readonly HttpRoute[]): MetadataObject[] {
  const out: MetadataObject[] = [];
  for (const r of routes) {
    if (r.language !== "static") continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(r.text);
    } catch {
      continue;
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) continue;
    const record = parsed as Record<string, unknown>;
    const keys = new Set(Object.keys(record));
    const lists = new Map<string, string[] | null>();
    const flags = new Map<string, boolean>();
    for (const [k, v] of Object.entries(record)) {
      if (Array.isArray(v)) lists.set(k, v.every((x) => typeof x === "string") ? (v as string[]) : null);
      if (typeof v === "boolean") flags.set(k, v);
    }
    const kind = kindOf(keys, r);
    if (kind) out.push({ kind, path: r.path, line: 1, text: r.text, keys, open: false, lists, flags });
  }
  return out;
}

// Is OAuth in use?

interface Signal {
  path: string;
  line: number;
  text: string;
  why: string;
}

function jsAuthSignal(file: JsFileIndex): Signal | null {
  for (const { node, callee } of file.calls) {
    if (callee && /(?:^|\.)(?:requireBearerAuth|withMcpAuth|jwtVerify)$|^jwt\.verify$/.test(callee)) {
      return {
        path: file.path,
        line: lineOf(node, file.sourceFile),
        text: file.text,
        why: `The server verifies bearer tokens (\`${callee}\`)`,
      };
    }
  }
  for (const access of file.accesses) {
    const name = memberName(access);
    if (name && /^(?:req|request)\.headers\.authorization$/.test(name)) {
      return {
        path: file.path,
        line: lineOf(access, file.sourceFile),
        text: file.text,
        why: "The server reads bearer tokens from the Authorization header",
      };
    }
  }
  for (const { name, node } of file.properties) {
    if (name === "securitySchemes" && node.getText(file.sourceFile).includes("oauth2")) {
      return { path: file.path, line: lineOf(node, file.sourceFile), text: file.text, why: "Tools declare OAuth security schemes" };
    }
  }
  return null;
}

function pyAuthSignal(file: PyFileIndex): Signal | null {
  for (const { node, callee } of file.calls) {
    if (callee === "get_access_token" || (callee && /(?:^|\.)jwt\.decode$/.test(callee))) {
      return { path: file.path, line: pyLine(node), text: file.text, why: `The server reads the caller's token (\`${callee}\`)` };
    }
    const path = callee?.endsWith(".get") ? memberPath(node) : null;
    if (path === "request.headers.authorization")
      return { path: file.path, line: pyLine(node), text: file.text, why: "The server reads bearer tokens from the Authorization header" };
  }
  for (const cls of file.classes) {
    const supers = cls.childForFieldName("superclasses")?.text ?? "";
    if (supers.includes("TokenVerifier"))
      return { path: file.path, line: pyLine(cls), text: file.text, why: "The server defines a token verifier" };
  }
  return null;
}

/** Metadata hand-served only at the root while the MCP endpoint lives at a path. */
function pathVariant(routes: readonly HttpRoute[], texts: ReadonlyArray<{ text: string }>): Finding[] {
  const prm = routes.filter((r) => r.route.startsWith("/.well-known/oauth-protected-resource"));
  if (prm.length === 0) return [];
  const rootOnly = prm.every(
    (r) => r.route === "/.well-known/oauth-protected-resource" || r.route === "/.well-known/oauth-protected-resource/",
  );
  const mcp = routes.find((r) => /\/(?:mcp|sse)\/?$/.test(r.route) || r.route.includes("[transport]"));
  if (!rootOnly || !mcp || mcp.route === "/") return [];
  // A challenge that names the metadata URL tells clients where to look (hand-written, or sent by the SDK's
  // requireBearerAuth with resourceMetadataUrl, or by mcp-handler's withMcpAuth).
  if (texts.some((t) => ["resource_metadata", "resourceMetadataUrl", "withMcpAuth"].some((m) => t.text.includes(m)))) return [];
  const first = prm[0]!;
  const text = first.language === "static" ? first.text : first.file.text;
  return [
    codeFinding(rules.prmPathVariant, {
      path: first.path,
      line: first.line,
      text,
      message: `The metadata is served at ${first.route} only, while the MCP endpoint is ${mcp.route}; clients first look for /.well-known/oauth-protected-resource${mcp.route.replace(/\/$/, "")}.`,
    }),
  ];
}

// 401 and 403 responses

function jsChallenges(file: JsFileIndex, resourceMetadataAnywhere: boolean): Finding[] {
  const findings: Finding[] = [];
  const at = (node: ts.Node, message: string) => ({ path: file.path, line: lineOf(node, file.sourceFile), text: file.text, message });

  for (const { node, callee } of file.calls) {
    if (!callee || !ts.isCallExpression(node)) continue;
    if (/(?:^|\.)requireBearerAuth$/.test(callee)) {
      const options = node.arguments[0] ? unwrap(node.arguments[0]) : undefined;
      if (options && ts.isObjectLiteralExpression(options) && !objectProperty(options, "resourceMetadataUrl") && !hasSpread(options)) {
        findings.push(
          codeFinding(
            rules.noResourceMetadata,
            at(
              node,
              "`requireBearerAuth` is set up without `resourceMetadataUrl`, so its 401 challenge doesn't say where the metadata is.",
            ),
          ),
        );
      }
    }
  }

  const sites = new Set<ts.Node>();
  for (const { node, callee } of file.calls) {
    if (!callee || (!ts.isCallExpression(node) && !ts.isNewExpression(node))) continue;
    const last = callee.slice(callee.lastIndexOf(".") + 1);
    if (STATUS_CALLS.has(last) && (node.arguments ?? []).some((a) => is401(a))) sites.add(node);
  }
  for (const { name, node } of file.properties) {
    if (
      (name === "status" || name === "statusCode") &&
      ts.isPropertyAssignment(node) &&
      is401(node.initializer) &&
      buildsResponse(node.parent)
    )
      sites.add(node);
  }
  for (const a of file.assignments) {
    const target = memberName(a.left);
    if (target && /\.(?:status|statusCode)$/.test(target) && is401(a.right)) sites.add(a);
  }

  const reported = new Set<ts.Node>();
  const words = new Map<ts.Node, string>();
  for (const site of sites) {
    const scope = enclosingFunction(site);
    if (reported.has(scope)) continue;
    const scopeText = words.get(scope) ?? codeWords(scope);
    words.set(scope, scopeText);
    if (scopeText.includes("insufficient_scope") || conditionMentionsScope(site)) {
      reported.add(scope);
      findings.push(
        codeFinding(
          rules.scope403,
          at(site, "A missing scope is answered with 401; the token is valid, so the answer should be 403 insufficient_scope."),
        ),
      );
      continue;
    }
    if (!scopeText.includes("www-authenticate")) {
      reported.add(scope);
      findings.push(codeFinding(rules.noChallenge, at(site, "This 401 carries no WWW-Authenticate header.")));
    } else if (!resourceMetadataAnywhere) {
      reported.add(scope);
      findings.push(
        codeFinding(rules.noResourceMetadata, at(site, "The WWW-Authenticate challenge sent with this 401 has no `resource_metadata`.")),
      );
    }
  }
  return findings;
}

/**
 * The strings and names inside a function, lower-cased and joined: what the code says, without its comments (a
 * comment that mentions WWW-Authenticate doesn't send one).
 */
function codeWords(scope: ts.Node): string {
  const parts: string[] = [];
  const stack: ts.Node[] = [scope];
  for (let budget = 20_000; stack.length > 0 && budget > 0; budget--) {
    const n = stack.pop()!;
    if (ts.isStringLiteralLike(n) || ts.isTemplateHead(n) || ts.isTemplateMiddle(n) || ts.isTemplateTail(n)) parts.push(n.text);
    else if (ts.isIdentifier(n)) parts.push(n.text.replace(/_/g, "-"));
    ts.forEachChild(n, (c) => {
      stack.push(c);
    });
  }
  return parts.join(" ").toLowerCase();
}

function pyCodeWords(scope: PyNode): string {
  return scope
    .descendantsOfType(["string", "identifier"])
    .map((n) => (n?.type === "identifier" ? n.text.replace(/_/g, "-") : (n?.text ?? "")))
    .join(" ")
    .toLowerCase();
}

/** Whether an object literal is the init argument of a response (`new Response(body, { status })`, `NextResponse.json(b, { status })`). */
function buildsResponse(object: ts.Node): boolean {
  const call = object.parent;
  if (!call || (!ts.isCallExpression(call) && !ts.isNewExpression(call))) return false;
  const callee = call.expression.getText().slice(0, 80);
  return /(?:^|\.)(?:Response|NextResponse|json|text|send|redirect|newResponse|error|HTTPException|createError)$/.test(callee);
}

function is401(e: ts.Expression): boolean {
  const u = unwrap(e);
  return (
    (ts.isNumericLiteral(u) && u.text === "401") ||
    (ts.isObjectLiteralExpression(u) &&
      [objectProperty(u, "status"), objectProperty(u, "statusCode")].some((v) => v !== undefined && is401(v)))
  );
}

/** Whether the nearest `if` around a response, within its function, tests a scope. */
function conditionMentionsScope(node: ts.Node): boolean {
  let n: ts.Node | undefined = node.parent;
  while (n && !ts.isFunctionLike(n) && !ts.isSourceFile(n)) {
    if (ts.isIfStatement(n)) return /scope/i.test(n.expression.getText().slice(0, 300));
    n = n.parent;
  }
  return false;
}

function pyChallenges(file: PyFileIndex): Finding[] {
  const findings: Finding[] = [];
  const reported = new Set<number>();
  const words = new Map<number, string>();
  const sites: PyNode[] = [];
  for (const { node, callee } of file.calls) {
    const last = callee?.slice(callee.lastIndexOf(".") + 1) ?? "";
    if (!PY_STATUS_CALLS.has(last)) continue;
    const kw = keywordArgs(node);
    const values = [...positionalArgs(node), kw.get("status_code"), kw.get("status"), kw.get("code")];
    if (values.some((v) => v && isPy401(v))) sites.push(node);
  }
  if (file.text.includes("401")) {
    for (const ret of file.root.descendantsOfType("return_statement")) {
      const list = ret?.namedChildren[0];
      if (list?.type === "expression_list" && isPy401(list.namedChildren[list.namedChildren.length - 1] ?? null)) sites.push(ret!);
    }
  }
  for (const site of sites) {
    let fn: PyNode | null = site.parent;
    while (fn && fn.type !== "function_definition") fn = fn.parent;
    const key = fn?.startIndex ?? -1;
    if (reported.has(key)) continue;
    const scopeText = words.get(key) ?? pyCodeWords(fn ?? file.root);
    words.set(key, scopeText);
    const at = { path: file.path, line: pyLine(site), text: file.text };
    if (scopeText.includes("insufficient_scope") || pyConditionMentionsScope(site)) {
      reported.add(key);
      findings.push(
        codeFinding(rules.scope403, {
          ...at,
          message: "A missing scope is answered with 401; the token is valid, so the answer should be 403 insufficient_scope.",
        }),
      );
    } else if (!scopeText.includes("www-authenticate")) {
      reported.add(key);
      findings.push(codeFinding(rules.noChallenge, { ...at, message: "This 401 carries no WWW-Authenticate header." }));
    } else if (!scopeText.includes("resource_metadata") && !file.text.includes("resource_metadata")) {
      reported.add(key);
      findings.push(
        codeFinding(rules.noResourceMetadata, {
          ...at,
          message: "The WWW-Authenticate challenge sent with this 401 has no `resource_metadata`.",
        }),
      );
    }
  }
  return findings;
}

function isPy401(node: PyNode | null): boolean {
  if (!node) return false;
  if (node.type === "integer") return node.text === "401";
  const name = dottedName(node);
  return name !== null && /(?:HTTP_401_UNAUTHORIZED|HTTPStatus\.UNAUTHORIZED)$/.test(name);
}

function pyConditionMentionsScope(node: PyNode): boolean {
  let n: PyNode | null = node.parent;
  while (n && n.type !== "function_definition") {
    if (n.type === "if_statement") return /scope/i.test(n.childForFieldName("condition")?.text.slice(0, 300) ?? "");
    n = n.parent;
  }
  return false;
}
