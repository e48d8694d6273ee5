// Item 5 of the attack on a running instance: common and breached passwords were accepted, the current password could
// be "changed" to itself, and the current-password check took unlimited guesses without a trace.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { listSecurityEvents } from "@/db/queries/security";
import { LOCKOUT_POLICY } from "@/lib/auth/lockout";
import { PasswordSchema } from "@/lib/auth/users";
import { resetEnvForTests } from "@/lib/env";
import { useTestDb } from "../support/db";
import { makeUser, sessionCookie, TEST_PASSWORD } from "../support/auth";
import { PEER_HEADER, peerStamp } from "@/lib/http/client-address";

let requestHeaders = new Headers();
vi.mock("next/headers", () => ({
  headers: async () => requestHeaders,
  cookies: async () => ({ get: () => undefined, getAll: () => [], set: () => {}, delete: () => {}, has: () => false }),
}));

beforeEach(async () => {
  process.env.DATABASE_PATH = ":memory:";
  resetEnvForTests();
  await useTestDb();
});

function form(entries: Record<string, string>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(entries)) f.set(k, v);
  return f;
}

describe("new passwords", () => {
  it.each(["password1234", "123456789012", "qwertyuiop12", "iloveyou1234"])("refuses %s as common or breached", (password) => {
    const result = PasswordSchema.safeParse(password);
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.message).toMatch(/too easy to guess/);
  });

  it("accepts a long phrase", () => {
    expect(PasswordSchema.safeParse("staple-orbit-lantern-cactus").success).toBe(true);
  });

  it("refuses a weak password at account creation with one plain sentence", async () => {
    await expect(makeUserWith("weak@example.com", "password1234")).rejects.toThrow(/^Password refused: This password is too easy to guess/);
  });
});

async function makeUserWith(email: string, password: string) {
  const { createPasswordUser } = await import("@/lib/auth/users");
  return createPasswordUser({ email, name: "Weak", password }, { id: "t", correlationId: "t" });
}

describe("changing the password", () => {
  async function signedIn(email: string, ip = "198.51.100.20") {
    await makeUser(email);
    const cookie = await sessionCookie(email);
    requestHeaders = new Headers({ cookie, [PEER_HEADER]: peerStamp(ip), "x-correlation-id": "corr" });
  }

  it("refuses the current password as the new one", async () => {
    await signedIn("same@example.com");
    const { changePasswordAction } = await import("@/app/account/actions");
    const state = await changePasswordAction(
      {},
      form({ currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD, confirm: TEST_PASSWORD }),
    );
    expect(state.fieldErrors?.newPassword).toMatch(/this is the one you have now/);
  });

  it("refuses common passwords as the new one", async () => {
    await signedIn("common@example.com");
    const { changePasswordAction } = await import("@/app/account/actions");
    const state = await changePasswordAction(
      {},
      form({ currentPassword: TEST_PASSWORD, newPassword: "password1234", confirm: "password1234" }),
    );
    expect(state.fieldErrors?.newPassword).toMatch(/too easy to guess/);
  });

  it("limits guesses of the current password like sign-in, and records each as a security event", async () => {
    await signedIn("guess@example.com");
    const { changePasswordAction } = await import("@/app/account/actions");
    const attempt = (current: string) =>
      changePasswordAction(
        {},
        form({ currentPassword: current, newPassword: "staple-orbit-lantern-cactus", confirm: "staple-orbit-lantern-cactus" }),
      );
    for (let i = 0; i < LOCKOUT_POLICY.accountIpFailures; i++) {
      expect((await attempt(`wrong-guess-${i}`)).fieldErrors?.currentPassword).toBe("The current password is wrong.");
    }
    // Locked now, even for the right current password.
    expect((await attempt(TEST_PASSWORD)).fieldErrors?.currentPassword).toMatch(/^Too many wrong passwords. Try again in 15 minutes/);
    const events = (await listSecurityEvents()).map((e) => e.type);
    expect(events.filter((t) => t === "password-change.failed")).toHaveLength(LOCKOUT_POLICY.accountIpFailures + 1);
    expect(events).toContain("sign-in.locked-out");
  });
});
