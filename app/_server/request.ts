import "server-only";
// Facts about the current request that pages and actions need: correlation id and client address.
import { headers } from "next/headers";
import { env } from "@/lib/env";

/** The correlation id proxy.ts gave this request (it overwrites any the client sent). */
export async function correlationId(): Promise<string> {
  return (await headers()).get("x-correlation-id") ?? crypto.randomUUID();
}

/**
 * The client's IP address. X-Forwarded-For entries are trusted only as far as LAUNCH_REVIEW_TRUSTED_PROXIES says;
 * without a proxy, Next.js fills the header with the socket address unless the client sent one (see README).
 */
export function clientIp(h: Headers): string {
  const forwarded = (h.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const trusted = env().LAUNCH_REVIEW_TRUSTED_PROXIES;
  const ip = trusted > 0 ? forwarded[Math.max(0, forwarded.length - trusted)] : forwarded[0];
  return (ip ?? "unknown").slice(0, 64);
}

export async function requestContext(): Promise<{ correlationId: string; ip: string; headers: Headers }> {
  const h = await headers();
  return { correlationId: h.get("x-correlation-id") ?? crypto.randomUUID(), ip: clientIp(h), headers: h };
}
