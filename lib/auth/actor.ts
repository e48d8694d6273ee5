// Who does something, for the audit trail and for services that check rights themselves. One type for the app's
// server actions, route handlers, the scheduler and the CLI.
import type { Principal } from "./permissions";

export interface Actor {
  /** A user id, an API token's "token:<id>", or a process name ("scheduler", "cli"). */
  id: string;
  /** Ties the audit entry and the logs of one request together. */
  correlationId: string;
  /** The rights of a signed-in user or API token, where the service checks them itself (reviews). */
  principal?: Principal;
}

/** An actor whose rights are known: required by services that decide access on their own. */
export type AuthorizedActor = Actor & { principal: Principal };

/** The actor for a signed-in user or API token acting in one request. */
export function actorFor(principal: Principal, correlationId: string): AuthorizedActor {
  return { id: principal.id, correlationId, principal };
}
