// The rules of the token-verification check: what each reports, why it matters and how to fix it.
import { defineRule } from "./rule";

const ITEM = "auth.token-validation";
const AUTHN = "MCP07:2025 Insufficient Authentication & Authorization";
const TOKENS = "MCP01:2025 Token Mismanagement & Secret Exposure";

export const rules = {
  decodeWithoutVerify: defineRule({
    id: "token/decode-without-verify",
    severity: "high",
    title: "Token decoded without verifying its signature",
    rationale:
      "Decoding only reads the claims; anyone can write a token with any user, scope or expiry in it. Trusting decoded claims lets callers act as anyone.",
    remediation:
      "Verify the token: `jwtVerify(token, createRemoteJWKSet(jwksUrl), { issuer, audience })` (jose), `jwt.verify(token, key, { algorithms, audience, issuer })` (jsonwebtoken), `jwt.decode(token, key, algorithms=[...], audience=...)` (PyJWT).",
    item: ITEM,
    tags: { owasp: AUTHN, cwe: ["CWE-347"] },
  }),
  algNone: defineRule({
    id: "token/alg-none",
    severity: "critical",
    title: 'Unsigned tokens (alg "none") accepted',
    rationale: "With the none algorithm a token needs no signature at all: anyone can mint one with any claims.",
    remediation: 'Accept only the algorithms your issuer signs with, e.g. `algorithms: ["RS256"]`, and never "none".',
    item: ITEM,
    tags: { owasp: AUTHN, cwe: ["CWE-347", "CWE-757"] },
  }),
  ignoreExpiration: defineRule({
    id: "token/ignore-expiration",
    severity: "high",
    title: "Token expiry not checked",
    rationale: "Expired tokens keep working forever, so a token leaked once (from a log, a proxy, a laptop) is never revoked by time.",
    remediation: "Remove `ignoreExpiration: true` / `verify_exp: False`; keep clock tolerance to a few seconds.",
    item: ITEM,
    tags: { owasp: AUTHN, cwe: ["CWE-613"] },
  }),
  noAudience: defineRule({
    id: "token/no-audience-check",
    severity: "moderate",
    title: "Token audience not checked",
    rationale:
      "Without an audience check the server accepts tokens the same issuer minted for other services, so a token handed to any other app of that issuer works here too (the confused-deputy problem the MCP spec warns about).",
    remediation:
      "Pass this server's resource URL as the expected audience: `{ audience: RESOURCE_URL }` / `audience=RESOURCE_URL`, and reject tokens without it.",
    item: ITEM,
    tags: { owasp: AUTHN, cwe: ["CWE-287"] },
  }),
  acceptsAny: defineRule({
    id: "token/accepts-any-token",
    severity: "critical",
    title: "Token verifier accepts any token",
    rationale:
      "The verifier returns an identity without checking a signature, calling an introspection endpoint or comparing anything: every string is a valid token.",
    remediation:
      "Verify the token against the issuer (JWKS signature check or token introspection), check expiry, audience and scopes, and throw or return null for anything else.",
    item: ITEM,
    tags: { owasp: AUTHN, cwe: ["CWE-287"] },
  }),
  queryString: defineRule({
    id: "token/query-string",
    severity: "high",
    title: "Token read from the query string",
    rationale:
      "URLs are written to access logs, proxies, browser history and Referer headers: a token in the query string leaks to all of them. OAuth 2.1 forbids it for bearer tokens.",
    remediation: "Accept bearer tokens only in the Authorization header.",
    item: ITEM,
    tags: { owasp: TOKENS, cwe: ["CWE-598"] },
  }),
  passthrough: defineRule({
    id: "token/passthrough",
    severity: "high",
    title: "Caller's token passed through to another service",
    rationale:
      "A token issued for this MCP server must not be replayed to other APIs: it skips their audience checks, breaks accountability, and makes this server a confused deputy. The MCP specification forbids token passthrough.",
    remediation:
      "Call upstream APIs with a token issued for them: exchange the caller's token (RFC 8693 token exchange) or use the upstream OAuth grant stored for this user, and validate this server's own tokens only for this server.",
    item: ITEM,
    tags: { owasp: TOKENS, cwe: ["CWE-441"] },
  }),
  sharedSecret: defineRule({
    id: "token/static-shared-secret",
    severity: "moderate",
    title: "Callers authenticated with one static shared key",
    rationale:
      "A single long-lived key shared by every caller can't be scoped, expired or traced to a user, and one leak opens the connector to everyone. The guidance asks for the platform's auth context (OAuth) instead of long-lived secrets.",
    remediation:
      "Authenticate users with OAuth 2.1 access tokens (per user, scoped, expiring) verified on every request, and drop the shared key.",
    item: "auth.no-long-lived-secrets",
    tags: { owasp: TOKENS, cwe: ["CWE-1390"] },
  }),
  sharedIdentity: defineRule({
    id: "token/shared-identity",
    severity: "moderate",
    title: "Callers without a subject share one fallback identity",
    rationale:
      "When a token has no subject the code puts a constant in its place (`sub ?? \"default-user\"`), so every such caller is the same user: they read and change each other's data, and nothing in the logs tells them apart.",
    remediation:
      "Reject tokens that carry no subject (401 invalid_token) instead of substituting a constant, and key user data by the verified subject (with the issuer) only.",
    item: ITEM,
    tags: { owasp: AUTHN, cwe: ["CWE-287", "CWE-639"] },
  }),
  operatorFallback: defineRule({
    id: "auth/operator-credential-fallback",
    severity: "high",
    title: "Callers without a token get the operator's credential",
    rationale:
      "When a request carries no token of its own, the server uses a credential from its configuration instead, so anyone who can reach it, without signing in, acts with the operator's account and data.",
    remediation:
      "Answer requests without a token with 401 and a WWW-Authenticate challenge; keep a configured token for local single-user runs only (stdio, or an explicit opt-in that refuses to start on a public address).",
    item: ITEM,
    tags: { owasp: AUTHN, cwe: ["CWE-287", "CWE-1188"] },
  }),
  credentialsInToken: defineRule({
    id: "token/credentials-in-token",
    severity: "moderate",
    title: "Credentials carried inside a token the server signs",
    rationale:
      "A JWT is signed, not encrypted: the client, every proxy and every log that sees it can read its payload. An upstream access or refresh token inside it can be used against the upstream API directly, outside this server, for as long as the upstream token lives.",
    remediation:
      "Keep upstream tokens on the server (a session store or database keyed by the token's subject or id, encrypted at rest) and put only an identifier in the token; or encrypt the token (JWE).",
    item: ITEM,
    tags: { owasp: TOKENS, cwe: ["CWE-312", "CWE-522"] },
  }),
};
