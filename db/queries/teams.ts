import "server-only";
// Teams, memberships and users, as the app's access control reads them.
import { and, asc, count, eq, inArray } from "drizzle-orm";
import type { Membership } from "../schema";
import { returnedRow } from "../rows";
import { getDb, type Db } from "../client";
import { teamMembers, teams, user, type Team, type TeamRole, type User } from "../schema";

export async function membershipsOf(userId: string): Promise<Membership[]> {
  return await getDb()
    .select({ teamId: teamMembers.teamId, teamName: teams.name, role: teamMembers.role })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .where(eq(teamMembers.userId, userId))
    .orderBy(asc(teams.name));
}

export async function listTeams(): Promise<Team[]> {
  return await getDb().select().from(teams).orderBy(asc(teams.name));
}

export async function getTeam(id: number): Promise<Team | undefined> {
  return (await getDb().select().from(teams).where(eq(teams.id, id)))[0];
}

export async function findTeamByName(name: string): Promise<Team | undefined> {
  return (await getDb().select().from(teams).where(eq(teams.name, name)))[0];
}

export async function insertTeam(name: string, tx: Db = getDb()): Promise<Team> {
  return returnedRow(tx.insert(teams).values({ name }).returning());
}

/** Adds or changes a membership. */
export async function upsertMembership(teamId: number, userId: string, role: TeamRole, tx: Db = getDb()): Promise<void> {
  await tx
    .insert(teamMembers)
    .values({ teamId, userId, role })
    .onConflictDoUpdate({ target: [teamMembers.teamId, teamMembers.userId], set: { role } });
}

export async function removeMembership(teamId: number, userId: string, tx: Db = getDb()): Promise<void> {
  await tx.delete(teamMembers).where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, userId)));
}

export async function teamMembersOf(teamId: number) {
  return await getDb()
    .select({ userId: user.id, name: user.name, email: user.email, role: teamMembers.role, disabled: user.disabled })
    .from(teamMembers)
    .innerJoin(user, eq(user.id, teamMembers.userId))
    .where(eq(teamMembers.teamId, teamId))
    .orderBy(asc(user.email));
}

export async function getUser(id: string): Promise<User | undefined> {
  return (await getDb().select().from(user).where(eq(user.id, id)))[0];
}

export async function findUserByEmail(email: string): Promise<User | undefined> {
  return (await getDb().select().from(user).where(eq(user.email, email.toLowerCase())))[0];
}

export async function listUsers(): Promise<User[]> {
  return await getDb().select().from(user).orderBy(asc(user.email));
}

export async function countUsers(): Promise<number> {
  return (await getDb().select({ n: count() }).from(user))[0]?.n ?? 0;
}

export async function setUserFlags(id: string, flags: { isAdmin?: boolean; disabled?: boolean }, tx: Db = getDb()): Promise<void> {
  await tx
    .update(user)
    .set({ ...flags, updatedAt: new Date() })
    .where(eq(user.id, id));
}

/** Display names for user ids ("system", "cli" and API tokens are shown as they are). */
export async function userLabels(ids: Iterable<string>): Promise<Map<string, string>> {
  const wanted = [...new Set(ids)].filter(Boolean);
  const out = new Map<string, string>();
  if (wanted.length === 0) return out;
  for (const u of await getDb().select({ id: user.id, name: user.name, email: user.email }).from(user).where(inArray(user.id, wanted))) {
    out.set(u.id, `${u.name} <${u.email}>`);
  }
  return out;
}
