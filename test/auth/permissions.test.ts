import { describe, expect, it } from "vitest";
import { can, CAPABILITIES, isMember, roleCan, teamsWith, type Principal } from "@/lib/auth/permissions";

const member = (role: "viewer" | "maintainer" | "reviewer" | "security-lead"): Principal => ({
  id: "u",
  isAdmin: false,
  memberships: [{ teamId: 1, teamName: "A", role }],
});

describe("permissions", () => {
  it("give each role exactly its capabilities", () => {
    const table = Object.fromEntries(
      (["viewer", "maintainer", "reviewer", "security-lead"] as const).map((r) => [r, CAPABILITIES.filter((c) => roleCan(r, c))]),
    );
    expect(table).toEqual({
      viewer: ["connector.read"],
      maintainer: ["connector.read", "connector.create", "connector.scan", "connector.manage", "team.api-tokens"],
      reviewer: ["connector.read", "connector.scan", "review.decide", "review.sign-off"],
      "security-lead": [...CAPABILITIES],
    });
  });

  it("apply only within the member's team", () => {
    expect(can(member("security-lead"), "connector.scan", 2)).toBe(false);
    expect(isMember(member("viewer"), 2)).toBe(false);
  });

  it("let administrators do everything everywhere", () => {
    const admin: Principal = { id: "a", isAdmin: true, memberships: [] };
    for (const c of CAPABILITIES) expect(can(admin, c, 99)).toBe(true);
    expect(teamsWith(admin, "connector.create", [{ id: 5, name: "X" }])).toEqual([{ id: 5, name: "X" }]);
  });

  it("list the teams where a capability is held", () => {
    const p: Principal = {
      id: "u",
      isAdmin: false,
      memberships: [
        { teamId: 1, teamName: "A", role: "viewer" },
        { teamId: 2, teamName: "B", role: "maintainer" },
      ],
    };
    expect(teamsWith(p, "connector.create", [])).toEqual([{ id: 2, name: "B" }]);
  });
});
