// Which address a request came from. The socket's peer address is the only one the client can't choose: the server
// stamps it on every request (installPeerAddressStamp, from instrumentation.ts) in a header carrying a per-process
// secret, so a client that sends the same header gains nothing. X-Forwarded-For counts only as far as
// LAUNCH_REVIEW_TRUSTED_PROXIES says: with none, it is ignored; with N, the Nth entry from the right is the client
// (each trusted proxy appends the address it was reached from).
import { randomBytes } from "node:crypto";
import http from "node:http";
import https from "node:https";
import net from "node:net";

export const PEER_HEADER = "x-launch-review-peer";

const TOKEN = Symbol.for("launch-review.peer-token");
const INSTALLED = Symbol.for("launch-review.peer-stamp-installed");
const g = globalThis as unknown as { [TOKEN]?: string; [INSTALLED]?: boolean };

/** A secret shared by every bundle in this process (route handlers and instrumentation are separate module graphs). */
function processToken(): string {
  g[TOKEN] ??= randomBytes(18).toString("base64url");
  return g[TOKEN];
}

/** "::ffff:127.0.0.1" -> "127.0.0.1"; anything that isn't an IP address -> null. */
export function normalizeAddress(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let value = raw.trim();
  // "[2001:db8::1]:443" and "192.0.2.1:8080" as some proxies write them.
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed) value = bracketed[1]!;
  else if (/^\d{1,3}(?:\.\d{1,3}){3}:\d+$/.test(value)) value = value.slice(0, value.lastIndexOf(":"));
  if (/^::ffff:\d{1,3}(?:\.\d{1,3}){3}$/i.test(value)) value = value.slice(7);
  return net.isIP(value) ? value.toLowerCase() : null;
}

/** The value the server stamps for a socket address. */
export function peerStamp(remoteAddress: string | undefined): string {
  return `${processToken()} ${normalizeAddress(remoteAddress) ?? "unknown"}`;
}

/** The peer address stamped on a request by this process, or null when the header is absent or forged. */
export function stampedPeer(h: Headers): string | null {
  const value = h.get(PEER_HEADER);
  if (!value) return null;
  const space = value.indexOf(" ");
  if (space < 0 || value.slice(0, space) !== processToken()) return null;
  return normalizeAddress(value.slice(space + 1));
}

/**
 * The client's address. `trustedProxies` 0: the socket's peer, whatever X-Forwarded-For says. N > 0: the Nth entry
 * from the right of X-Forwarded-For (the leftmost when there are fewer, the peer when there are none).
 */
export function clientAddress(input: { peer: string | null; forwardedFor: string | null; trustedProxies: number }): string {
  if (input.trustedProxies > 0) {
    const entries = (input.forwardedFor ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    if (entries.length > 0) {
      const picked = entries[Math.max(0, entries.length - input.trustedProxies)]!;
      return normalizeAddress(picked) ?? "unknown";
    }
  }
  return input.peer ?? "unknown";
}

type Emit = (this: unknown, event: string | symbol, ...args: unknown[]) => boolean;

/**
 * Stamps every incoming request with its socket's peer address, overwriting whatever a client sent in that header.
 * Installed once per process, before the first request is handled.
 */
export function installPeerAddressStamp(): void {
  if (g[INSTALLED]) return;
  g[INSTALLED] = true;
  for (const proto of [http.Server.prototype, https.Server.prototype] as unknown as Array<{ emit: Emit }>) {
    const original = proto.emit;
    proto.emit = function (this: unknown, event, ...args) {
      if (event === "request") {
        const req = args[0] as http.IncomingMessage | undefined;
        if (req?.headers) req.headers[PEER_HEADER] = peerStamp(req.socket?.remoteAddress);
      }
      return original.call(this, event, ...args);
    };
  }
}
