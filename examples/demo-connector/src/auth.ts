// OAuth for Acme Notes: protected resource metadata, authorization server metadata, and bearer token checks.
import type { NextFunction, Request, Response, Router } from "express";
import jwt from "jsonwebtoken";

const RESOURCE = "https://mcp.acme-notes.example/mcp";

export function mountOAuthMetadata(router: Router) {
  router.get("/.well-known/oauth-protected-resource", (_req, res) => {
    // Deliberate: no authorization_servers.
    res.json({ resource: RESOURCE, scopes_supported: ["notes.read", "notes.write"] });
  });

  router.get("/.well-known/oauth-authorization-server", (_req, res) => {
    res.json({
      issuer: "https://auth.acme-notes.example",
      authorization_endpoint: "https://auth.acme-notes.example/authorize",
      token_endpoint: "https://auth.acme-notes.example/token",
      // Deliberate: PKCE without S256, and no dynamic client registration.
      code_challenge_methods_supported: ["plain"],
    });
  });
}

export function requireBearer(req: Request, res: Response, next: NextFunction) {
  // Deliberate: accepts the token from the query string too.
  const token = req.headers.authorization?.replace(/^Bearer /, "") ?? String(req.query.access_token ?? "");
  // Deliberate: decodes the token without verifying its signature, audience or expiry.
  const claims = jwt.decode(token);
  if (!claims) {
    // Deliberate: 401 without a WWW-Authenticate challenge.
    res.status(401).json({ error: "unauthorized" });
    return;
  }
  res.locals.claims = claims;
  next();
}
