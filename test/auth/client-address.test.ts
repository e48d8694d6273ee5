import { describe, expect, it } from "vitest";
import { clientAddress, normalizeAddress, PEER_HEADER, peerStamp, stampedPeer } from "@/lib/http/client-address";

describe("the client's address", () => {
  it("ignores X-Forwarded-For without trusted proxies: the socket's peer decides", () => {
    expect(clientAddress({ peer: "203.0.113.5", forwardedFor: "198.51.100.1", trustedProxies: 0 })).toBe("203.0.113.5");
    expect(clientAddress({ peer: null, forwardedFor: "198.51.100.1", trustedProxies: 0 })).toBe("unknown");
  });

  it("takes the Nth entry from the right with N trusted proxies", () => {
    const forwardedFor = "10.9.9.9, 198.51.100.1, 192.0.2.10";
    expect(clientAddress({ peer: "127.0.0.1", forwardedFor, trustedProxies: 1 })).toBe("192.0.2.10");
    expect(clientAddress({ peer: "127.0.0.1", forwardedFor, trustedProxies: 2 })).toBe("198.51.100.1");
    expect(clientAddress({ peer: "127.0.0.1", forwardedFor, trustedProxies: 5 })).toBe("10.9.9.9");
    expect(clientAddress({ peer: "127.0.0.1", forwardedFor: null, trustedProxies: 1 })).toBe("127.0.0.1");
    expect(clientAddress({ peer: "127.0.0.1", forwardedFor: "not-an-ip", trustedProxies: 1 })).toBe("unknown");
  });

  it("normalizes mapped, bracketed and ported addresses", () => {
    expect(normalizeAddress("::ffff:127.0.0.9")).toBe("127.0.0.9");
    expect(normalizeAddress("[2001:DB8::1]:443")).toBe("2001:db8::1");
    expect(normalizeAddress("192.0.2.1:8080")).toBe("192.0.2.1");
    expect(normalizeAddress("evil<script>")).toBeNull();
  });

  it("believes only the peer header this process stamped", () => {
    expect(stampedPeer(new Headers({ [PEER_HEADER]: peerStamp("::ffff:198.51.100.7") }))).toBe("198.51.100.7");
    expect(stampedPeer(new Headers({ [PEER_HEADER]: "guess 198.51.100.7" }))).toBeNull();
    expect(stampedPeer(new Headers())).toBeNull();
  });
});
