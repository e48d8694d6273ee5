import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { authenticateApiToken, createApiToken, revokeApiToken } from "@/lib/auth/api-tokens";
import { makeTeam } from "../support/auth";
import { useTestDb } from "../support/db";

const actor = { id: "u1", correlationId: "c" };

describe("API tokens", () => {
  let teamId: number;
  beforeEach(() => {
    useTestDb();
    teamId = makeTeam("CI team").id;
  });

  it("authenticate as a member of their team with their role", () => {
    const { token } = createApiToken(teamId, { name: "GitHub Actions", role: "maintainer", expiresInDays: 30 }, actor);
    expect(token).toMatch(/^lrt_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
    expect(authenticateApiToken(token)).toMatchObject({ isAdmin: false, memberships: [{ teamId, role: "maintainer" }] });
  });

  it("are stored only as hashes", () => {
    const { token } = createApiToken(teamId, { name: "x", role: "viewer", expiresInDays: 1 }, actor);
    const dump = JSON.stringify(getDb().$client.prepare("select * from api_tokens").all());
    expect(dump).not.toContain(token.split("_")[2]);
  });

  it("stop working when expired or revoked, and refuse garbage", () => {
    const { token } = createApiToken(teamId, { name: "x", role: "viewer", expiresInDays: 1 }, actor);
    expect(authenticateApiToken(token, new Date(Date.now() + 2 * 24 * 3600_000))).toBeNull();
    const id = (getDb().$client.prepare("select id from api_tokens").get() as { id: number }).id;
    revokeApiToken(teamId, id, actor);
    expect(authenticateApiToken(token)).toBeNull();
    expect(authenticateApiToken("lrt_short")).toBeNull();
    expect(authenticateApiToken(`${token}x`)).toBeNull();
    expect(() => revokeApiToken(teamId, id, actor)).toThrow(/No such active token/);
  });

  it("can't be revoked through another team", () => {
    const other = makeTeam("Other").id;
    createApiToken(teamId, { name: "x", role: "viewer", expiresInDays: 1 }, actor);
    const id = (getDb().$client.prepare("select id from api_tokens").get() as { id: number }).id;
    expect(() => revokeApiToken(other, id, actor)).toThrow();
  });
});
