import "server-only";
// Access checks for pages, server actions and route handlers. Every one of them calls one of these first.
import { forbidden, notFound, redirect } from "next/navigation";
import { cache } from "react";
import { getConnector } from "@/db/queries/connectors";
import { getReview } from "@/db/queries/reviews";
import type { Connector } from "@/db/schema";
import { can, isMember, type Capability } from "@/lib/auth/permissions";
import { resolveSession, type SessionUser } from "@/lib/auth/session";
import { recordSecurityEvent } from "@/lib/security-events";
import { requestContext } from "./request";

/** The signed-in user, or null. Resolved once per request. */
export const currentUser = cache(async (): Promise<SessionUser | null> => {
  const { headers } = await requestContext();
  return resolveSession(headers);
});

/** The signed-in user; anyone else is sent to the sign-in page. */
export async function requireUser(): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) {
    const { headers } = await requestContext();
    const from = headers.get("x-pathname");
    redirect(from && from !== "/" ? `/sign-in?next=${encodeURIComponent(from)}` : "/sign-in");
  }
  return user;
}

/** One event per request and refusal, though metadata and page both check. */
const recordDenial = cache(async (userId: string, what: string, ip: string, correlationId: string) => {
  await recordSecurityEvent({ type: "permission.denied", actor: userId, ip, correlationId, details: { what } });
});

async function deny(user: SessionUser, what: string): Promise<never> {
  const { ip, correlationId } = await requestContext();
  await recordDenial(user.id, what, ip, correlationId);
  forbidden();
}

export async function requireAdmin(): Promise<SessionUser> {
  const user = await requireUser();
  if (!user.isAdmin) await deny(user, "admin");
  return user;
}

/** A capability in a team the user belongs to; outsiders of the team get 404, members without the role 403. */
export async function requireTeamCapability(teamId: number, capability: Capability): Promise<SessionUser> {
  const user = await requireUser();
  if (!isMember(user, teamId)) notFound();
  if (!can(user, capability, teamId)) await deny(user, `${capability} on team ${teamId}`);
  return user;
}

/**
 * The connector, if the user may act on it. A connector of another team is indistinguishable from a missing one
 * (404), so nobody learns what exists outside their teams.
 */
export async function requireConnector(
  connectorId: number,
  capability: Capability = "connector.read",
): Promise<{ user: SessionUser; connector: Connector }> {
  const user = await requireUser();
  const connector = await getConnector(connectorId);
  if (!connector || !isMember(user, connector.teamId)) notFound();
  if (!can(user, capability, connector.teamId)) await deny(user, `${capability} on connector ${connectorId}`);
  return { user, connector };
}

/** A review, through its connector's access rules (another team's review is a 404 like a missing one). */
export async function requireReview(reviewId: number, capability: Capability = "connector.read") {
  const review = await getReview(reviewId);
  if (!review) {
    await requireUser();
    notFound();
  }
  const { user, connector } = await requireConnector(review.connectorId, capability);
  return { user, connector, review };
}
