import "server-only";
// Session rows beyond what better-auth does itself: idle expiry and revocation.
import { eq, lt, or } from "drizzle-orm";
import { getDb } from "../client";
import { session } from "../schema";

/** Records activity on a session, for idle expiry. */
export async function touchSession(id: string, at: Date): Promise<void> {
  await getDb().update(session).set({ updatedAt: at }).where(eq(session.id, id));
}

export async function deleteSession(id: string): Promise<void> {
  await getDb().delete(session).where(eq(session.id, id));
}

export async function deleteSessionsOfUser(userId: string): Promise<void> {
  await getDb().delete(session).where(eq(session.userId, userId));
}

/** Removes sessions past their absolute expiry or idle longer than `idleSince` allows. */
export async function purgeExpiredSessions(now: Date, idleSince: Date): Promise<number> {
  return (
    await getDb()
      .delete(session)
      .where(or(lt(session.expiresAt, now), lt(session.updatedAt, idleSince)))
      .returning({ id: session.id })
  ).length;
}
