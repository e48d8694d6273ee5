import "server-only";
// Invitations: how people get accounts, since nobody can sign up on their own.
import { and, desc, eq, isNull } from "drizzle-orm";
import { getDb, type DbOrTx } from "../client";
import { invitations, teams, type Invitation } from "../schema";

export function insertInvitation(values: typeof invitations.$inferInsert, tx: DbOrTx = getDb()): Invitation {
  return tx.insert(invitations).values(values).returning().get();
}

export function invitationByTokenHash(tokenHash: string): Invitation | undefined {
  return getDb().select().from(invitations).where(eq(invitations.tokenHash, tokenHash)).get();
}

export function markInvitationAccepted(id: number, tx: DbOrTx = getDb()): boolean {
  return (
    tx
      .update(invitations)
      .set({ acceptedAt: new Date() })
      .where(and(eq(invitations.id, id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
      .run().changes === 1
  );
}

export function revokeInvitation(id: number): boolean {
  return (
    getDb()
      .update(invitations)
      .set({ revokedAt: new Date() })
      .where(and(eq(invitations.id, id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
      .run().changes === 1
  );
}

export function listPendingInvitations() {
  return getDb()
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
    .orderBy(desc(invitations.id))
    .all();
}
