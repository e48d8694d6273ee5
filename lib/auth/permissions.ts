// Who may do what. Roles belong to team memberships; administrators may do everything everywhere.
import type { Membership, TeamRole } from "@/db/schema";

export type { Membership };

export const CAPABILITIES = [
  "connector.read",
  "connector.create",
  "connector.scan",
  "connector.manage",
  "review.decide",
  "review.waive-blocking",
  "review.sign-off",
  "team.api-tokens",
] as const;
export type Capability = (typeof CAPABILITIES)[number];

const ROLE_CAPABILITIES: Record<TeamRole, readonly Capability[]> = {
  viewer: ["connector.read"],
  maintainer: ["connector.read", "connector.create", "connector.scan", "connector.manage", "team.api-tokens"],
  reviewer: ["connector.read", "connector.scan", "review.decide", "review.sign-off"],
  "security-lead": [
    "connector.read",
    "connector.create",
    "connector.scan",
    "connector.manage",
    "review.decide",
    "review.waive-blocking",
    "review.sign-off",
    "team.api-tokens",
  ],
};

export const ROLE_LABELS: Record<TeamRole, string> = {
  "security-lead": "Security lead",
  reviewer: "Reviewer",
  maintainer: "Maintainer",
  viewer: "Viewer",
};


export interface Principal {
  id: string;
  isAdmin: boolean;
  memberships: readonly Membership[];
}

export function roleCan(role: TeamRole, capability: Capability): boolean {
  return ROLE_CAPABILITIES[role].includes(capability);
}

/** Whether the principal can see anything of the team at all (outsiders get 404, not 403). */
export function isMember(principal: Principal, teamId: number): boolean {
  return principal.isAdmin || principal.memberships.some((m) => m.teamId === teamId);
}

export function can(principal: Principal, capability: Capability, teamId: number): boolean {
  if (principal.isAdmin) return true;
  const membership = principal.memberships.find((m) => m.teamId === teamId);
  return membership !== undefined && roleCan(membership.role, capability);
}

/** Teams in which the principal holds a capability (for "register into which team?" pickers). */
export function teamsWith(
  principal: Principal,
  capability: Capability,
  allTeams: ReadonlyArray<{ id: number; name: string }>,
): Array<{ id: number; name: string }> {
  if (principal.isAdmin) return [...allTeams];
  return principal.memberships.filter((m) => roleCan(m.role, capability)).map((m) => ({ id: m.teamId, name: m.teamName }));
}
