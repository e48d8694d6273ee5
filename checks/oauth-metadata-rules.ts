// The rules of the oauth-metadata check: what each reports, why it matters and how to fix it.
import { defineRule } from "./rule";

const ITEM = "auth.oauth-pkce-dcr";
const OWASP = "MCP07:2025 Insufficient Authentication & Authorization";
/** Most of these rules are about following the MCP authorization spec (RFC 9728, 8414, 7591, 6750) so clients can link accounts. */
const SPEC = ["CWE-684"] as const;

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
    tags: { owasp: OWASP, cwe: SPEC },
  }),
  prmNoAuthServers: defineRule({
    id: "oauth/prm-missing-authorization-servers",
    severity: "high",
    title: "Protected resource metadata names no authorization server",
    rationale: "Clients read `authorization_servers` to find where to send the user; without it they can't begin the OAuth flow.",
    remediation:
      'Add `authorization_servers: ["https://auth.example.com"]` with the issuer URL of each authorization server that issues tokens for this resource.',
    item: ITEM,
    tags: { owasp: OWASP, cwe: SPEC },
  }),
  prmNoResource: defineRule({
    id: "oauth/prm-missing-resource",
    severity: "moderate",
    title: "Protected resource metadata without `resource`",
    rationale: "`resource` is the identifier clients request tokens for (the audience); without it tokens can't be bound to this server.",
    remediation: "Add `resource` with this server's canonical URL (the MCP endpoint, e.g. https://mcp.example.com/mcp).",
    item: ITEM,
    tags: { owasp: OWASP, cwe: SPEC },
  }),
  prmPathVariant: defineRule({
    id: "oauth/prm-path-variant-missing",
    severity: "low",
    title: "Protected resource metadata only at the root well-known path",
    rationale:
      "For an MCP endpoint at a path (/mcp), RFC 9728 places the metadata at /.well-known/oauth-protected-resource/mcp, and clients try that URL first when the 401 challenge doesn't name one.",
    remediation: "Also serve the metadata at /.well-known/oauth-protected-resource/<mcp path>, and name its URL in the 401 challenge's `resource_metadata`.",
    item: ITEM,
    tags: { owasp: OWASP, cwe: SPEC },
  }),
  pkce: defineRule({
    id: "oauth/pkce-s256-missing",
    severity: "high",
    title: "Authorization server metadata without PKCE S256",
    rationale:
      "OAuth 2.1 requires PKCE, and MCP clients must refuse an authorization server whose metadata doesn't list S256 in `code_challenge_methods_supported`; `plain` offers no protection against stolen codes.",
    remediation: 'Support PKCE with S256 and advertise it: `code_challenge_methods_supported: ["S256"]`.',
    item: ITEM,
    // Without S256 an intercepted authorization code can be redeemed by whoever holds it.
    tags: { owasp: OWASP, cwe: ["CWE-294"] },
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
    tags: { owasp: OWASP, cwe: SPEC },
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
    tags: { owasp: OWASP, cwe: SPEC },
  }),
  credentialErrorInJsonRpc: defineRule({
    id: "oauth/credential-error-in-jsonrpc",
    severity: "moderate",
    title: "Missing credential answered with a JSON-RPC error, not a 401",
    rationale:
      "Over HTTP an MCP client starts account linking when it gets 401 with `WWW-Authenticate: Bearer resource_metadata=…`. A JSON-RPC error in an HTTP 200 reaches the model as a failed call: the user is never asked to sign in, and the client never finds the authorization server.",
    remediation:
      'Reject the HTTP request before dispatching it: status 401 with `WWW-Authenticate: Bearer resource_metadata="https://…/.well-known/oauth-protected-resource"`, and serve that metadata.',
    item: "auth.token-validation",
    tags: { owasp: OWASP, cwe: SPEC },
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
    tags: { owasp: OWASP, cwe: SPEC },
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
    tags: { owasp: OWASP, cwe: SPEC },
  }),
  fromHostHeader: defineRule({
    id: "oauth/metadata-from-host-header",
    severity: "moderate",
    title: "OAuth metadata built from the request's Host header",
    rationale:
      "The `resource`, `authorization_servers` or `issuer` the server advertises is made from the Host (or X-Forwarded-*) header, which the client or anything in front of the server sets. A request with another Host gets metadata naming that host: tokens are requested for the wrong resource, clients are sent to the wrong authorization server, and cached answers poison other users' discovery.",
    remediation:
      "Configure the server's public URL (an environment setting checked at start-up) and build the metadata and the 401 challenge's `resource_metadata` from it; if several hosts are served, pick from an allow-list.",
    item: ITEM,
    tags: { owasp: OWASP, cwe: ["CWE-644"] },
  }),
  localUrl: defineRule({
    id: "oauth/metadata-url-not-public",
    severity: "moderate",
    title: "OAuth discovery URL fixed to localhost or plain http",
    rationale:
      "The resource metadata URL, resource or authorization server is written into the code as a localhost or http:// URL. Deployed, the 401 challenge and the metadata send clients somewhere they can't reach, or make them fetch the metadata without TLS, where it can be altered on the way.",
    remediation: "Build discovery URLs from the configured public https URL of the deployment (an environment setting checked at start-up).",
    item: ITEM,
    tags: { owasp: OWASP, cwe: ["CWE-319"] },
  }),
  optionalAuth: defineRule({
    id: "oauth/bearer-auth-optional",
    severity: "low",
    title: "Bearer auth optional on the MCP endpoint, and no tool asks for sign-in",
    rationale:
      "With the token optional, a request without one is never answered 401 with the challenge that starts account linking, and no tool result carries an `mcp/www_authenticate` challenge either: clients that haven't linked the account just see tool errors.",
    remediation:
      "Require the token on the MCP endpoint (`required: true`), or keep it optional for public tools and return `_meta[\"mcp/www_authenticate\"]` (with `resource_metadata`) from tools that need the user's account.",
    item: ITEM,
    tags: { owasp: OWASP, cwe: SPEC },
  }),
};
