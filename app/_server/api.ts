import "server-only";
// Route handlers answer JSON, never redirects or HTML error pages. Browser calls use the session cookie;
// CI uses "Authorization: Bearer lrt_…" API tokens. Cookie-authenticated mutations must come from our own origin.
import { NextResponse } from "next/server";
import { getConnector } from "@/db/queries/connectors";
import type { Connector } from "@/db/schema";
import { authenticateApiToken } from "@/lib/auth/api-tokens";
import { can, isMember, type Capability, type Principal } from "@/lib/auth/permissions";
import { resolveSession } from "@/lib/auth/session";
import { isSameOrigin } from "@/lib/http/security-headers";
import { recordSecurityEvent } from "@/lib/security-events";
import { clientIp } from "./request";

export function jsonError(status: number, error: string): NextResponse {
  return NextResponse.json({ error }, { status, headers: { "cache-control": "no-store" } });
}

type Caller = { principal: Principal; via: "session" | "token" };

/** The caller behind a request, or an error response to return as is. */
export async function apiCaller(request: Request, options: { allowTokens: boolean }): Promise<Caller | NextResponse> {
  const ip = clientIp(request.headers);
  const correlationId = request.headers.get("x-correlation-id");
  const authorization = request.headers.get("authorization");
  if (authorization?.startsWith("Bearer ")) {
    if (!options.allowTokens) return jsonError(401, "API tokens are not accepted here.");
    const principal = await authenticateApiToken(authorization.slice("Bearer ".length).trim());
    if (!principal) {
      await recordSecurityEvent({ type: "api-token.rejected", ip, correlationId });
      return jsonError(401, "Invalid, expired or revoked API token.");
    }
    return { principal, via: "token" };
  }
  if (request.method !== "GET" && request.method !== "HEAD" && !isSameOrigin(request.headers.get("origin"), request.headers.get("host"))) {
    await recordSecurityEvent({ type: "origin.rejected", ip, correlationId, details: { origin: request.headers.get("origin") } });
    return jsonError(403, "Cross-origin request refused.");
  }
  const user = await resolveSession(request.headers);
  if (!user) return jsonError(401, "Sign in first.");
  return { principal: user, via: "session" };
}

/** The connector, if the caller may act on it: 404 when it is missing or belongs to another team. */
export async function connectorForCaller(
  caller: Caller,
  connectorId: number,
  capability: Capability,
  request: Request,
): Promise<Connector | NextResponse> {
  const connector = Number.isSafeInteger(connectorId) ? await getConnector(connectorId) : undefined;
  if (!connector || !isMember(caller.principal, connector.teamId)) return jsonError(404, "Not found.");
  if (!can(caller.principal, capability, connector.teamId)) {
    await recordSecurityEvent({
      type: "permission.denied",
      actor: caller.principal.id,
      ip: clientIp(request.headers),
      correlationId: request.headers.get("x-correlation-id"),
      details: { what: `${capability} on connector ${connectorId}` },
    });
    return jsonError(403, "Your role does not allow this.");
  }
  return connector;
}
