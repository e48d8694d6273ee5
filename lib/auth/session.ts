// Who is calling: the signed-in user behind a request's session cookie, with their team memberships.
// Idle expiry lives here (better-auth sessions only have an absolute lifetime, see lib/auth/auth.ts).
import { membershipsOf } from "@/db/queries/teams";
import { deleteSession, touchSession } from "@/db/queries/sessions";
import { env } from "../env";
import { isDatabaseBusy } from "../core/errors";
import { getAuth } from "./auth";
import type { Principal } from "./permissions";

export interface SessionUser extends Principal {
  email: string;
  name: string;
  sessionId: string;
}

/** Activity is written at most this often, so page views don't each cost a write. */
const TOUCH_EVERY_MS = 60_000;

export async function resolveSession(headers: Headers, now = new Date()): Promise<SessionUser | null> {
  const found = await getAuth().api.getSession({ headers, query: { disableCookieCache: true, disableRefresh: true } });
  if (!found) return null;
  const { session, user } = found;
  const idleMs = env().LAUNCH_REVIEW_SESSION_IDLE_MINUTES * 60_000;
  const lastActivity = new Date(session.updatedAt).getTime();
  if ((user as { disabled?: boolean }).disabled || now.getTime() - lastActivity > idleMs) {
    await deleteSession(session.id);
    return null;
  }
  if (now.getTime() - lastActivity > TOUCH_EVERY_MS) {
    // Best effort: while another process holds the write lock, the page still shows; activity is written next time.
    try {
      await touchSession(session.id, now);
    } catch (error) {
      if (!isDatabaseBusy(error)) throw error;
    }
  }
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    isAdmin: Boolean((user as { isAdmin?: boolean }).isAdmin),
    memberships: await membershipsOf(user.id),
    sessionId: session.id,
  };
}
