// Users and sessions for tests, made through the same code the app uses.
import { insertTeam, upsertMembership } from "@/db/queries/teams";
import type { TeamRole } from "@/db/schema";
import { getAuth } from "@/lib/auth/auth";
import { createPasswordUser } from "@/lib/auth/users";

export const TEST_PASSWORD = "correct-horse-battery-9";
const actor = { id: "test", correlationId: "test" };

export async function makeUser(email: string, options: { isAdmin?: boolean; teamId?: number; role?: TeamRole } = {}) {
  const user = await createPasswordUser({ email, name: email.split("@")[0]!, password: TEST_PASSWORD, isAdmin: options.isAdmin }, actor);
  if (options.teamId !== undefined && options.role) await upsertMembership(options.teamId, user.id, options.role);
  return user;
}

export async function makeTeam(name: string) {
  return await insertTeam(name);
}

/** Signs in through better-auth and returns the Cookie header a browser would send next. */
export async function sessionCookie(email: string, password = TEST_PASSWORD): Promise<string> {
  const response = await getAuth().api.signInEmail({ body: { email, password }, asResponse: true });
  if (!response.ok) throw new Error(`sign-in failed with ${response.status}`);
  return response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .join("; ");
}
