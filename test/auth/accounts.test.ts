import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { listSecurityEvents } from "@/db/queries/security";
import { findUserByEmail, membershipsOf } from "@/db/queries/teams";
import { accountDelayMs, LOCKOUT_POLICY, signInGate } from "@/lib/auth/lockout";
import { resolveSession } from "@/lib/auth/session";
import { signInWithPassword } from "@/lib/auth/sign-in";
import { acceptInvitation, createInvitation, ensureFirstAdmin, pendingInvitation } from "@/lib/auth/users";
import { resetEnvForTests } from "@/lib/env";
import { useTestDb } from "../support/db";
import { makeTeam, makeUser, sessionCookie, TEST_PASSWORD } from "../support/auth";
import { at, testExec, testRows } from "../support/sql";

vi.mock("next/headers", () => ({
  cookies: async () => ({ set: () => {}, get: () => undefined, delete: () => {} }),
  headers: async () => new Headers(),
}));

const ctx = { ip: "203.0.113.9", correlationId: "c", headers: new Headers() };

beforeEach(async () => {
  delete process.env.LAUNCH_REVIEW_ADMIN_PASSWORD;
  process.env.DATABASE_PATH = ":memory:";
  resetEnvForTests();
  await useTestDb();
});

describe("first administrator", () => {
  it("is created once, with a generated password when none is configured", async () => {
    const first = await ensureFirstAdmin();
    expect(first).toMatchObject({ email: "admin@launch-review.local", generated: true });
    expect(first!.password.length).toBeGreaterThanOrEqual(16);
    expect((await findUserByEmail("admin@launch-review.local"))?.isAdmin).toBe(true);
    expect(await ensureFirstAdmin()).toBeNull();
    await expect(sessionCookie("admin@launch-review.local", first!.password)).resolves.toContain("launch-review");
  });

  it("uses LAUNCH_REVIEW_ADMIN_PASSWORD when set", async () => {
    process.env.LAUNCH_REVIEW_ADMIN_PASSWORD = "configured-admin-pass";
    resetEnvForTests();
    expect(await ensureFirstAdmin()).toMatchObject({ password: "configured-admin-pass", generated: false });
  });

  it("stores a password hash, never the password", async () => {
    const user = await makeUser("hash@example.com");
    const [row] = (await testRows<{ password: string }>(sql`select password from account where user_id = ${user.id}`)) as [{ password: string }];
    expect(row.password).not.toContain(TEST_PASSWORD);
    expect(row.password.length).toBeGreaterThan(40);
  });
});

describe("invitations", () => {
  it("create an account with a team role, once", async () => {
    const team = await makeTeam("Payments");
    const { token } = await createInvitation(
      { email: "new@example.com", teamId: team.id, role: "reviewer", makeAdmin: false },
      { id: "admin", correlationId: "c" },
    );
    expect(await pendingInvitation(token)).not.toBeNull();
    const user = await acceptInvitation(token, { name: "New Person", password: "a-long-enough-password" });
    expect(await membershipsOf(user.id)).toEqual([{ teamId: team.id, teamName: "Payments", role: "reviewer" }]);
    await expect(acceptInvitation(token, { name: "Again", password: "a-long-enough-password" })).rejects.toThrow(
      /invalid, expired or already used/,
    );
  });

  it("refuse unknown, malformed and expired tokens", async () => {
    expect(await pendingInvitation("not-a-token")).toBeNull();
    expect(await pendingInvitation("A".repeat(32))).toBeNull();
    const { token } = await createInvitation(
      { email: "late@example.com", teamId: null, role: null, makeAdmin: true },
      { id: "admin", correlationId: "c" },
    );
    expect(await pendingInvitation(token, new Date(Date.now() + 8 * 24 * 3600_000))).toBeNull();
  });

  it("refuse an email that already has an account", async () => {
    await makeUser("taken@example.com");
    await expect(
      createInvitation({ email: "taken@example.com", teamId: null, role: null, makeAdmin: true }, { id: "a", correlationId: "c" }),
    ).rejects.toThrow(/already has an account/);
  });
});

describe("sign-in", () => {
  it("accepts the right password and records the success", async () => {
    await makeUser("ok@example.com");
    await expect(signInWithPassword("OK@example.com", TEST_PASSWORD, ctx)).resolves.toBeUndefined();
    expect((await listSecurityEvents()).map((e) => e.type)).toContain("sign-in.succeeded");
  });

  it("gives the same message for a wrong password and an unknown account", async () => {
    await makeUser("known@example.com");
    const wrong = await signInWithPassword("known@example.com", "nope-nope-nope", ctx).catch((e: Error) => e.message);
    const unknown = await signInWithPassword("ghost@example.com", "nope-nope-nope", ctx).catch((e: Error) => e.message);
    expect(wrong).toBe("Wrong email or password.");
    expect(unknown).toBe(wrong);
  });

  it("locks one address out of an account after repeated failures from it, records the lockout, and unlocks later", async () => {
    await makeUser("target@example.com");
    for (let i = 0; i < LOCKOUT_POLICY.accountIpFailures; i++)
      await signInWithPassword("target@example.com", "wrong-password-x", ctx).catch(() => {});
    // Even the right password is refused from that address while locked.
    await expect(signInWithPassword("target@example.com", TEST_PASSWORD, ctx)).rejects.toThrow(
      /Too many failed sign-ins. Try again in 15 minutes/,
    );
    const types = (await listSecurityEvents()).map((e) => e.type);
    expect(types.filter((t) => t === "sign-in.locked-out")).toHaveLength(1);
    expect(types.filter((t) => t === "sign-in.failed").length).toBeGreaterThanOrEqual(LOCKOUT_POLICY.accountIpFailures);
    expect(await signInGate("target@example.com", ctx.ip, new Date(Date.now() + LOCKOUT_POLICY.lockMs + 1000))).toEqual({ allowed: true });
  });

  it("slows an account attacked from many addresses with a growing delay, but never locks its owner out", async () => {
    await makeUser("target@example.com");
    const t0 = Date.now();
    for (let i = 0; i < LOCKOUT_POLICY.accountSlowdownAfter; i++)
      await signInWithPassword("target@example.com", "wrong-password-x", { ...ctx, ip: `198.51.100.${i}` }).catch(() => {});
    // Five failures from five addresses: the next try from anywhere waits a second, not fifteen minutes.
    const gate = await signInGate("target@example.com", "192.0.2.77");
    expect(gate).toMatchObject({ allowed: false, reason: "account-slowed" });
    expect((gate as { retryAt: Date }).retryAt.getTime() - t0).toBeLessThanOrEqual(LOCKOUT_POLICY.accountDelayBaseMs + 5000);
    await expect(signInWithPassword("target@example.com", TEST_PASSWORD, { ...ctx, ip: "192.0.2.77" })).rejects.toThrow(
      /Try again in 1 second/,
    );
    expect([5, 6, 7, 8, 12, 50].map(accountDelayMs)).toEqual([1000, 2000, 4000, 8000, 60_000, 60_000]);
    // Once the delay has passed, the owner signs in with the right password.
    expect(await signInGate("target@example.com", "192.0.2.77", new Date(Date.now() + LOCKOUT_POLICY.accountDelayBaseMs + 10))).toEqual({
      allowed: true,
    });
    expect((await listSecurityEvents()).map((e) => e.type)).not.toContain("sign-in.locked-out");
  });

  it("blocks an IP that fails across many accounts", async () => {
    for (let i = 0; i < LOCKOUT_POLICY.ipFailures; i++)
      await signInWithPassword(`spray${i}@example.com`, "wrong-password-x", ctx).catch(() => {});
    expect(await signInGate("someone-else@example.com", ctx.ip)).toMatchObject({ allowed: false, reason: "ip-blocked" });
    expect(await signInGate("someone-else@example.com", "192.0.2.1")).toEqual({ allowed: true });
  });

  it("refuses disabled users", async () => {
    const user = await makeUser("gone@example.com");
    const { setUserDisabled } = await import("@/lib/auth/users");
    setUserDisabled(user.id, true, { id: "admin", correlationId: "c" });
    await expect(signInWithPassword("gone@example.com", TEST_PASSWORD, ctx)).rejects.toThrow("Wrong email or password.");
  });
});

describe("sessions", () => {
  it("resolve to the user with their memberships", async () => {
    const team = await makeTeam("Core");
    await makeUser("member@example.com", { teamId: team.id, role: "maintainer" });
    const cookie = await sessionCookie("member@example.com");
    const who = await resolveSession(new Headers({ cookie }));
    expect(who).toMatchObject({ email: "member@example.com", isAdmin: false, memberships: [{ teamId: team.id, role: "maintainer" }] });
  });

  it("expire after the idle period, and the session row is deleted", async () => {
    await makeUser("idle@example.com");
    const cookie = await sessionCookie("idle@example.com");
    const later = new Date(Date.now() + (8 * 60 + 1) * 60_000);
    expect(await resolveSession(new Headers({ cookie }), later)).toBeNull();
    expect(await resolveSession(new Headers({ cookie }))).toBeNull();
  });

  it("stay alive while used, but never past their absolute lifetime", async () => {
    await makeUser("busy@example.com");
    const cookie = await sessionCookie("busy@example.com");
    // Activity keeps it from idling out…
    expect(await resolveSession(new Headers({ cookie }), new Date(Date.now() + 2 * 60_000))).not.toBeNull();
    // …but better-auth's absolute expiry (never extended) still ends it.
    await testExec(sql`update session set expires_at = ${at(Date.now() - 1000)}`);
    expect(await resolveSession(new Headers({ cookie }))).toBeNull();
  });

  it("end for a user who is disabled", async () => {
    const user = await makeUser("soon-gone@example.com");
    const cookie = await sessionCookie("soon-gone@example.com");
    const { setUserDisabled } = await import("@/lib/auth/users");
    setUserDisabled(user.id, true, { id: "admin", correlationId: "c" });
    expect(await resolveSession(new Headers({ cookie }))).toBeNull();
  });

  it("rotate at sign-in: each sign-in gets a new session token", async () => {
    await makeUser("rotate@example.com");
    expect(await sessionCookie("rotate@example.com")).not.toBe(await sessionCookie("rotate@example.com"));
  });
});
