// THE access table: every page, route handler and server action, for every kind of caller, with the answer it
// must get. The HTTP matrix (e2e/access-matrix.spec.ts) and the server-action matrix (test/access/actions.test.ts)
// are generated from it, and test/access/completeness.test.ts fails when a route or action has no entry here.

export const WHO = ["anonymous", "viewer", "maintainer", "reviewer", "security-lead", "outsider", "admin"] as const;
export type Who = (typeof WHO)[number];

/**
 * ok: allowed (2xx, or a redirect to somewhere other than sign-in); sign-in: sent to the sign-in page;
 * unauthorized: 401 (route handlers); forbidden: 403; not-found: 404 (outside the caller's teams, or no such thing).
 */
export type Outcome = "ok" | "sign-in" | "unauthorized" | "forbidden" | "not-found";

/** Ids the fixtures provide: the demo team owns connector `connector` and its scan `scan`; the outsider is in `otherTeam`. */
export interface Ids {
  team: number;
  otherTeam: number;
  connector: number;
  scan: number;
  review: number;
}

const everyone = (o: Outcome): Record<Who, Outcome> => Object.fromEntries(WHO.map((w) => [w, o])) as Record<Who, Outcome>;
const signedIn = (o: Outcome): Record<Who, Outcome> => ({ ...everyone(o), anonymous: "sign-in" });
const adminOnly: Record<Who, Outcome> = { ...signedIn("forbidden"), admin: "ok" };
/** Reading something of the demo team. */
const teamRead: Record<Who, Outcome> = { ...signedIn("ok"), outsider: "not-found" };
/** Needs connector.create / connector.manage / team.api-tokens in the demo team. */
const teamManage: Record<Who, Outcome> = { ...teamRead, viewer: "forbidden", reviewer: "forbidden" };
/** Needs connector.scan in the demo team. */
const teamScan: Record<Who, Outcome> = { ...teamRead, viewer: "forbidden" };
const api = (page: Record<Who, Outcome>): Record<Who, Outcome> => ({ ...page, anonymous: "unauthorized" });
/** Needs review.decide or review.sign-off in the demo team. */
const teamReview: Record<Who, Outcome> = { ...teamRead, viewer: "forbidden", maintainer: "forbidden" };

export interface RouteEntry {
  /** The concrete path to request. */
  path: (ids: Ids) => string;
  expect: Record<Who, Outcome>;
}

/** Keys are "METHOD /route/[param]" as the app folder spells them. */
export const ROUTES: Record<string, RouteEntry> = {
  "GET /": { path: () => "/", expect: signedIn("ok") },
  "GET /sign-in": { path: () => "/sign-in", expect: everyone("ok") },
  "GET /privacy": { path: () => "/privacy", expect: everyone("ok") },
  "GET /account": { path: () => "/account", expect: signedIn("ok") },
  "GET /invite/[token]": { path: () => "/invite/not-a-real-token-000000", expect: everyone("ok") },
  "GET /connectors/new": { path: () => "/connectors/new", expect: { ...signedIn("ok"), viewer: "forbidden", reviewer: "forbidden" } },
  "GET /connectors/[id]": { path: (i) => `/connectors/${i.connector}`, expect: teamRead },
  "GET /connectors/[id]/audit": { path: (i) => `/connectors/${i.connector}/audit`, expect: teamRead },
  "GET /connectors/[id]/live": { path: (i) => `/connectors/${i.connector}/live`, expect: teamScan },
  "GET /reviews/[id]": { path: (i) => `/reviews/${i.review}`, expect: teamRead },
  "GET /reviews/[id]/sign-off": { path: (i) => `/reviews/${i.review}/sign-off`, expect: teamRead },
  "GET /reviews/[id]/print": { path: (i) => `/reviews/${i.review}/print`, expect: teamRead },
  "GET /reviews/[id]/export/[format]": { path: (i) => `/reviews/${i.review}/export/sarif`, expect: api(teamRead) },
  "GET /scans/[id]": { path: (i) => `/scans/${i.scan}`, expect: teamRead },
  "GET /scans/[id]/dependencies": { path: (i) => `/scans/${i.scan}/dependencies`, expect: teamRead },
  "GET /scans/[id]/tools": { path: (i) => `/scans/${i.scan}/tools`, expect: teamRead },
  "GET /scans/[id]/chatgpt-app-submission.v1.json": {
    path: (i) => `/scans/${i.scan}/chatgpt-app-submission.v1.json`,
    expect: api(teamRead),
  },
  "GET /teams": { path: () => "/teams", expect: signedIn("ok") },
  "GET /teams/[id]": { path: (i) => `/teams/${i.team}`, expect: teamRead },
  "GET /admin": { path: () => "/admin", expect: adminOnly },
  "GET /admin/teams": { path: () => "/admin/teams", expect: adminOnly },
  "GET /admin/security": { path: () => "/admin/security", expect: adminOnly },
  "GET /admin/settings": { path: () => "/admin/settings", expect: adminOnly },
  "GET /admin/alerts": { path: () => "/admin/alerts", expect: adminOnly },
  "GET /admin/dependencies": { path: () => "/admin/dependencies", expect: adminOnly },
  "GET /api/health": { path: () => "/api/health", expect: everyone("ok") },
  "GET /api/v1/fleet/matrix.csv": { path: () => "/api/v1/fleet/matrix.csv", expect: api(signedIn("ok")) },
  "GET /api/v1/scans/[id]": { path: (i) => `/api/v1/scans/${i.scan}`, expect: api(teamRead) },
  "POST /api/v1/connectors/[id]/scans": { path: (i) => `/api/v1/connectors/${i.connector}/scans`, expect: api(teamScan) },
  // Only GitHub's OAuth flow passes, and only when GitHub sign-in is configured (it isn't in tests).
  "GET /api/auth/[...all]": { path: () => "/api/auth/sign-in/email", expect: everyone("not-found") },
  "POST /api/auth/[...all]": { path: () => "/api/auth/sign-in/email", expect: everyone("not-found") },
};

export interface ActionEntry {
  expect: Record<Who, Outcome>;
}

/** Keys are "<file under app/>#<exported action>". The form each gets is built in test/access/actions.test.ts. */
export const ACTIONS: Record<string, ActionEntry> = {
  "connectors/actions.ts#registerConnectorAction": { expect: teamManage },
  "connectors/actions.ts#scanNowAction": { expect: teamScan },
  "connectors/actions.ts#deleteConnectorAction": { expect: teamManage },
  "connectors/actions.ts#connectorTokenAction": { expect: teamManage },
  "connectors/[id]/live/actions.ts#liveToolsAction": { expect: teamScan },
  "reviews/actions.ts#startReviewAction": { expect: teamReview },
  "reviews/actions.ts#decideAction": { expect: teamReview },
  "reviews/actions.ts#proposedWaiverAction": { expect: teamReview },
  "reviews/actions.ts#attestAction": { expect: teamReview },
  "reviews/actions.ts#commentAction": { expect: teamRead },
  "reviews/actions.ts#signOffAction": { expect: teamReview },
  "sign-in/actions.ts#signInAction": { expect: everyone("ok") },
  "invite/[token]/actions.ts#acceptInvitationAction": { expect: everyone("ok") },
  "account/actions.ts#signOutAction": { expect: everyone("sign-in") },
  "account/actions.ts#changePasswordAction": { expect: signedIn("ok") },
  "teams/actions.ts#createApiTokenAction": { expect: teamManage },
  "teams/actions.ts#revokeApiTokenAction": { expect: teamManage },
  "admin/actions.ts#inviteUserAction": { expect: adminOnly },
  "admin/actions.ts#revokeInvitationAction": { expect: adminOnly },
  "admin/actions.ts#setUserDisabledAction": { expect: adminOnly },
  "admin/actions.ts#setAdminAction": { expect: adminOnly },
  "admin/actions.ts#createTeamAction": { expect: adminOnly },
  "admin/actions.ts#setMembershipAction": { expect: adminOnly },
  "admin/actions.ts#removeMembershipAction": { expect: adminOnly },
  "admin/actions.ts#saveSettingsAction": { expect: adminOnly },
  "admin/actions.ts#addWebhookAction": { expect: adminOnly },
  "admin/actions.ts#removeWebhookAction": { expect: adminOnly },
  "admin/actions.ts#testWebhookAction": { expect: adminOnly },
  "admin/actions.ts#saveDependencySettingsAction": { expect: adminOnly },
  "admin/actions.ts#importAdvisoriesAction": { expect: adminOnly },
  "connectors/actions.ts#scheduleAction": { expect: teamManage },
  "admin/actions.ts#saveWebhookHostsAction": { expect: adminOnly },
};
