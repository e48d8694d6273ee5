import "server-only";
// Facts about the current request that pages and actions need: correlation id and client address.
import { headers } from "next/headers";
import { env } from "@/lib/env";
import { clientAddress, stampedPeer } from "@/lib/http/client-address";

/** The correlation id proxy.ts gave this request (it overwrites any the client sent). */
export async function correlationId(): Promise<string> {
  return (await headers()).get("x-correlation-id") ?? crypto.randomUUID();
}

/**
 * The client's IP address: the socket's peer, stamped by the server (a client can't set it), unless
 * LAUNCH_REVIEW_TRUSTED_PROXIES says how many proxies' X-Forwarded-For entries to believe (see README).
 */
export function clientIp(h: Headers): string {
  return clientAddress({
    peer: stampedPeer(h),
    forwardedFor: h.get("x-forwarded-for"),
    trustedProxies: env().LAUNCH_REVIEW_TRUSTED_PROXIES,
  }).slice(0, 64);
}

export async function requestContext(): Promise<{ correlationId: string; ip: string; headers: Headers }> {
  const h = await headers();
  return { correlationId: h.get("x-correlation-id") ?? crypto.randomUUID(), ip: clientIp(h), headers: h };
}
