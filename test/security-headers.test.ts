import { describe, expect, it } from "vitest";
import { isSameOrigin, securityHeaders } from "@/lib/http/security-headers";

describe("security headers", () => {
  it("send a nonce-based CSP with no unsafe-inline scripts, and deny framing", () => {
    const h = securityHeaders("abc123", { https: false, dev: false });
    expect(h["content-security-policy"]).toContain("script-src 'self' 'nonce-abc123' 'strict-dynamic'");
    expect(h["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(h["content-security-policy"]).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(h["x-frame-options"]).toBe("DENY");
    expect(h["x-content-type-options"]).toBe("nosniff");
    expect(h["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    expect(h["strict-transport-security"]).toBeUndefined();
  });

  it("add HSTS only over HTTPS", () => {
    expect(securityHeaders("n", { https: true, dev: false })["strict-transport-security"]).toMatch(/max-age=\d+/);
  });

  it("compare origins by host", () => {
    expect(isSameOrigin(null, "app.example")).toBe(true);
    expect(isSameOrigin("https://app.example", "app.example")).toBe(true);
    expect(isSameOrigin("https://evil.example", "app.example")).toBe(false);
    expect(isSameOrigin("null", "app.example")).toBe(false);
  });
});
