import "server-only";
// Session rows beyond what better-auth does itself: idle expiry and revocation.
import { eq, lt, or } from "drizzle-orm";
import { getDb } from "../client";
import { session } from "../schema";

/** Records activity on a session, for idle expiry. */
export function touchSession(id: string, at: Date): void {
  getDb().update(session).set({ updatedAt: at }).where(eq(session.id, id)).run();
}

export function deleteSession(id: string): void {
  getDb().delete(session).where(eq(session.id, id)).run();
}

export function deleteSessionsOfUser(userId: string): void {
  getDb().delete(session).where(eq(session.userId, userId)).run();
}

/** Removes sessions past their absolute expiry or idle longer than `idleSince` allows. */
export function purgeExpiredSessions(now: Date, idleSince: Date): number {
  return getDb()
    .delete(session)
    .where(or(lt(session.expiresAt, now), lt(session.updatedAt, idleSince)))
    .run().changes;
}
