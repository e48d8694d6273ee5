import "server-only";
// Invitations: how people get accounts, since nobody can sign up on their own.
import { and, desc, eq, isNull } from "drizzle-orm";
import { returnedRow } from "../rows";
import { getDb, type Db } from "../client";
import { invitations, teams, type Invitation } from "../schema";

export async function insertInvitation(values: typeof invitations.$inferInsert, tx: Db = getDb()): Promise<Invitation> {
  return returnedRow(tx.insert(invitations).values(values).returning());
}

export async function invitationByTokenHash(tokenHash: string): Promise<Invitation | undefined> {
  return (await getDb().select().from(invitations).where(eq(invitations.tokenHash, tokenHash)))[0];
}

export async function markInvitationAccepted(id: number, tx: Db = getDb()): Promise<boolean> {
  return (
    (
      await tx
        .update(invitations)
        .set({ acceptedAt: new Date() })
        .where(and(eq(invitations.id, id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
        .returning({ id: invitations.id })
    ).length === 1
  );
}

export async function revokeInvitation(id: number): Promise<boolean> {
  return (
    (
      await getDb()
        .update(invitations)
        .set({ revokedAt: new Date() })
        .where(and(eq(invitations.id, id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
        .returning({ id: invitations.id })
    ).length === 1
  );
}

export async function listPendingInvitations() {
  return await getDb()
    .select({
      id: invitations.id,
      email: invitations.email,
      role: invitations.role,
      makeAdmin: invitations.makeAdmin,
      teamName: teams.name,
      expiresAt: invitations.expiresAt,
      createdAt: invitations.createdAt,
    })
    .from(invitations)
    .leftJoin(teams, eq(teams.id, invitations.teamId))
    .where(and(isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
    .orderBy(desc(invitations.id));
}
