import "server-only";
// Teams, memberships and users, as the app's access control reads them.
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Membership } from "../schema";
import { getDb, type DbOrTx } from "../client";
import { teamMembers, teams, user, type Team, type TeamRole, type User } from "../schema";

export function membershipsOf(userId: string): Membership[] {
  return getDb()
    .select({ teamId: teamMembers.teamId, teamName: teams.name, role: teamMembers.role })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .where(eq(teamMembers.userId, userId))
    .orderBy(asc(teams.name))
    .all();
}

export function listTeams(): Team[] {
  return getDb().select().from(teams).orderBy(asc(teams.name)).all();
}

export function getTeam(id: number): Team | undefined {
  return getDb().select().from(teams).where(eq(teams.id, id)).get();
}

export function findTeamByName(name: string): Team | undefined {
  return getDb().select().from(teams).where(eq(teams.name, name)).get();
}

export function insertTeam(name: string, tx: DbOrTx = getDb()): Team {
  return tx.insert(teams).values({ name }).returning().get();
}

/** Adds or changes a membership. */
export function upsertMembership(teamId: number, userId: string, role: TeamRole, tx: DbOrTx = getDb()): void {
  tx.insert(teamMembers)
    .values({ teamId, userId, role })
    .onConflictDoUpdate({ target: [teamMembers.teamId, teamMembers.userId], set: { role } })
    .run();
}

export function removeMembership(teamId: number, userId: string, tx: DbOrTx = getDb()): void {
  tx.delete(teamMembers)
    .where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, userId)))
    .run();
}

export function teamMembersOf(teamId: number) {
  return getDb()
    .select({ userId: user.id, name: user.name, email: user.email, role: teamMembers.role, disabled: user.disabled })
    .from(teamMembers)
    .innerJoin(user, eq(user.id, teamMembers.userId))
    .where(eq(teamMembers.teamId, teamId))
    .orderBy(asc(user.email))
    .all();
}

export function getUser(id: string): User | undefined {
  return getDb().select().from(user).where(eq(user.id, id)).get();
}

export function findUserByEmail(email: string): User | undefined {
  return getDb().select().from(user).where(eq(user.email, email.toLowerCase())).get();
}

export function listUsers(): User[] {
  return getDb().select().from(user).orderBy(asc(user.email)).all();
}

export function countUsers(): number {
  return (
    getDb()
      .select({ n: sql<number>`count(*)` })
      .from(user)
      .get()?.n ?? 0
  );
}

export function setUserFlags(id: string, flags: { isAdmin?: boolean; disabled?: boolean }, tx: DbOrTx = getDb()): void {
  tx.update(user)
    .set({ ...flags, updatedAt: new Date() })
    .where(eq(user.id, id))
    .run();
}

/** Display names for user ids ("system", "cli" and API tokens are shown as they are). */
export function userLabels(ids: Iterable<string>): Map<string, string> {
  const wanted = [...new Set(ids)].filter(Boolean);
  const out = new Map<string, string>();
  if (wanted.length === 0) return out;
  for (const u of getDb().select({ id: user.id, name: user.name, email: user.email }).from(user).where(inArray(user.id, wanted)).all()) {
    out.set(u.id, `${u.name} <${u.email}>`);
  }
  return out;
}
