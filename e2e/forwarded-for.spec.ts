// Item 1 of the attack on a running instance: per-address sign-in limits must not trust a header the client sets.
// With LAUNCH_REVIEW_TRUSTED_PROXIES at its default 0, X-Forwarded-For is ignored and the socket's address counts.
// Each test sends from its own loopback address, so the limits it trips never touch the browser's 127.0.0.1.
import { expect, test } from "./fixtures";
import { signInFrom } from "./support/raw-http";
import { emailOf, PASSWORD } from "./support/users";

const WRONG = "wrong-password-xyz";

test("40 failed sign-ins, each with a different X-Forwarded-For, are blocked after 20; a new header doesn't unblock", async ({
  baseURL,
}) => {
  const attacker = "127.0.0.21";
  let blockedAt: number | null = null;
  for (let i = 1; i <= 40 && blockedAt === null; i++) {
    const result = await signInFrom(baseURL!, attacker, { email: `spray-${i}@e2e.test`, password: WRONG, forwardedFor: `198.51.100.${i}` });
    expect(result.signedIn).toBe(false);
    if (result.error?.startsWith("Too many failed sign-ins")) blockedAt = i;
    else expect(result.error).toBe("Wrong email or password.");
  }
  expect(blockedAt).toBe(21);
  // Blocked, it changes the header and tries a real account with the right password: still blocked.
  const again = await signInFrom(baseURL!, attacker, { email: emailOf("viewer"), password: PASSWORD, forwardedFor: "192.0.2.200" });
  expect(again.signedIn).toBe(false);
  expect(again.error).toContain("Too many failed sign-ins");
});

test("20 failures sent with someone else's address in X-Forwarded-For don't lock that person out", async ({ baseURL }) => {
  const attacker = "127.0.0.22";
  const victim = "127.0.0.23";
  // The victim's address as an IPv4 server sees it, and as a dual-stack one (listening on ::) does: 20 failures each.
  for (const claimed of [victim, `::ffff:${victim}`]) {
    for (let i = 1; i <= 20; i++) {
      const result = await signInFrom(baseURL!, attacker, { email: `frame-${i}@e2e.test`, password: WRONG, forwardedFor: claimed });
      expect(result.signedIn).toBe(false);
    }
  }
  const victimSignIn = await signInFrom(baseURL!, victim, { email: emailOf("viewer"), password: PASSWORD });
  expect(victimSignIn).toEqual({ signedIn: true, error: null });
});

test("security events store the address the request came from, not the one it claimed", async ({ baseURL, page }) => {
  const from = "127.0.0.24";
  await signInFrom(baseURL!, from, { email: "claims@e2e.test", password: WRONG, forwardedFor: "203.0.113.99" });
  await page.goto("/admin/security?type=sign-in.failed");
  const row = page.getByRole("row").filter({ hasText: "claims@e2e.test" });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(from);
  await expect(page.getByText("203.0.113.99")).toHaveCount(0);
});
