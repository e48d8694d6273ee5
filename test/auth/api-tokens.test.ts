import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { authenticateApiToken, createApiToken, revokeApiToken } from "@/lib/auth/api-tokens";
import { makeTeam } from "../support/auth";
import { useTestDb } from "../support/db";
import { testRows } from "../support/sql";

const actor = { id: "u1", correlationId: "c" };

describe("API tokens", () => {
  let teamId: number;
  beforeEach(async () => {
    await useTestDb();
    teamId = (await makeTeam("CI team")).id;
  });

  it("authenticate as a member of their team with their role", async () => {
    const { token } = await createApiToken(teamId, { name: "GitHub Actions", role: "maintainer", expiresInDays: 30 }, actor);
    expect(token).toMatch(/^lrt_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
    expect(await authenticateApiToken(token)).toMatchObject({ isAdmin: false, memberships: [{ teamId, role: "maintainer" }] });
  });

  it("are stored only as hashes", async () => {
    const { token } = await createApiToken(teamId, { name: "x", role: "viewer", expiresInDays: 1 }, actor);
    const dump = JSON.stringify(await testRows(sql`select * from api_tokens`));
    // The secret is everything after "lrt_<prefix>_"; it may itself hold "_" (base64url), so it is not split on it.
    const secret = token.slice("lrt_".length + 8 + 1);
    expect(secret).toHaveLength(43);
    expect(dump).not.toContain(secret);
  });

  it("stop working when expired or revoked, and refuse garbage", async () => {
    const { token } = await createApiToken(teamId, { name: "x", role: "viewer", expiresInDays: 1 }, actor);
    expect(await authenticateApiToken(token, new Date(Date.now() + 2 * 24 * 3600_000))).toBeNull();
    const [{ id }] = (await testRows<{ id: number }>(sql`select id from api_tokens`)) as [{ id: number }];
    await revokeApiToken(teamId, id, actor);
    expect(await authenticateApiToken(token)).toBeNull();
    expect(await authenticateApiToken("lrt_short")).toBeNull();
    expect(await authenticateApiToken(`${token}x`)).toBeNull();
    await expect(revokeApiToken(teamId, id, actor)).rejects.toThrow(/No such active token/);
  });

  it("can't be revoked through another team", async () => {
    const other = (await makeTeam("Other")).id;
    await createApiToken(teamId, { name: "x", role: "viewer", expiresInDays: 1 }, actor);
    const [{ id }] = (await testRows<{ id: number }>(sql`select id from api_tokens`)) as [{ id: number }];
    await expect(revokeApiToken(other, id, actor)).rejects.toThrow();
  });
});
