import "server-only";
// API tokens for CI: only hashes are stored.
import { and, desc, eq, isNull } from "drizzle-orm";
import { getDb } from "../client";
import { apiTokens, teams, type ApiToken } from "../schema";

export function insertApiToken(values: typeof apiTokens.$inferInsert): ApiToken {
  return getDb().insert(apiTokens).values(values).returning().get();
}

export function apiTokenByHash(tokenHash: string): (ApiToken & { teamName: string }) | undefined {
  const row = getDb()
    .select({ token: apiTokens, teamName: teams.name })
    .from(apiTokens)
    .innerJoin(teams, eq(teams.id, apiTokens.teamId))
    .where(eq(apiTokens.tokenHash, tokenHash))
    .get();
  return row ? { ...row.token, teamName: row.teamName } : undefined;
}

export function touchApiToken(id: number, at: Date): void {
  getDb().update(apiTokens).set({ lastUsedAt: at }).where(eq(apiTokens.id, id)).run();
}

export function revokeApiTokenRow(id: number, teamId: number): boolean {
  return (
    getDb()
      .update(apiTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiTokens.id, id), eq(apiTokens.teamId, teamId), isNull(apiTokens.revokedAt)))
      .run().changes === 1
  );
}

/** A team's tokens, without their hashes. */
export function listApiTokens(teamId: number) {
  return getDb()
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
    .orderBy(desc(apiTokens.id))
    .all();
}
