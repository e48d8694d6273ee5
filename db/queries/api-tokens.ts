import "server-only";
// API tokens for CI: only hashes are stored.
import { and, desc, eq, isNull } from "drizzle-orm";
import { returnedRow } from "../rows";
import { getDb } from "../client";
import { apiTokens, teams, type ApiToken } from "../schema";

export async function insertApiToken(values: typeof apiTokens.$inferInsert): Promise<ApiToken> {
  return returnedRow(getDb().insert(apiTokens).values(values).returning());
}

export async function apiTokenByHash(tokenHash: string): Promise<(ApiToken & { teamName: string }) | undefined> {
  const row = (
    await getDb()
      .select({ token: apiTokens, teamName: teams.name })
      .from(apiTokens)
      .innerJoin(teams, eq(teams.id, apiTokens.teamId))
      .where(eq(apiTokens.tokenHash, tokenHash))
  )[0];
  return row ? { ...row.token, teamName: row.teamName } : undefined;
}

export async function touchApiToken(id: number, at: Date): Promise<void> {
  await getDb().update(apiTokens).set({ lastUsedAt: at }).where(eq(apiTokens.id, id));
}

export async function revokeApiTokenRow(id: number, teamId: number): Promise<boolean> {
  return (
    (
      await getDb()
        .update(apiTokens)
        .set({ revokedAt: new Date() })
        .where(and(eq(apiTokens.id, id), eq(apiTokens.teamId, teamId), isNull(apiTokens.revokedAt)))
        .returning({ id: apiTokens.id })
    ).length === 1
  );
}

/** A team's tokens, without their hashes. */
export async function listApiTokens(teamId: number) {
  return await getDb()
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      prefix: apiTokens.prefix,
      role: apiTokens.role,
      createdBy: apiTokens.createdBy,
      createdAt: apiTokens.createdAt,
      expiresAt: apiTokens.expiresAt,
      revokedAt: apiTokens.revokedAt,
      lastUsedAt: apiTokens.lastUsedAt,
    })
    .from(apiTokens)
    .where(eq(apiTokens.teamId, teamId))
    .orderBy(desc(apiTokens.id));
}
