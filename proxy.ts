// Runs before every request: a fresh CSP nonce, security headers, a correlation id, and a same-origin rule for
// API mutations. Authentication itself is checked on the server by every page, action and route handler.
import { NextResponse, type NextRequest } from "next/server";
import { isSameOrigin, securityHeaders } from "./lib/http/security-headers";

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export function proxy(request: NextRequest) {
  const correlationId = crypto.randomUUID();
  const https = request.nextUrl.protocol === "https:" || request.headers.get("x-forwarded-proto") === "https";
  const headers = securityHeaders(Buffer.from(crypto.randomUUID()).toString("base64"), {
    https,
    dev: process.env.NODE_ENV === "development",
  });

  if (
    request.nextUrl.pathname.startsWith("/api/") &&
    MUTATING.has(request.method) &&
    !isSameOrigin(request.headers.get("origin"), request.headers.get("host"))
  ) {
    const denied = NextResponse.json({ error: "Cross-origin request refused." }, { status: 403 });
    for (const [k, v] of Object.entries(headers)) denied.headers.set(k, v);
    denied.headers.set("x-correlation-id", correlationId);
    return denied;
  }

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", headers["content-security-policy"]!);
  requestHeaders.set("x-correlation-id", correlationId);
  // Lets a page send someone who must sign in back to where they were.
  requestHeaders.set("x-pathname", `${request.nextUrl.pathname}${request.nextUrl.search}`.slice(0, 512));
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [k, v] of Object.entries(headers)) response.headers.set(k, v);
  response.headers.set("x-correlation-id", correlationId);
  return response;
}

export const config = {
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico).*)" }],
};
