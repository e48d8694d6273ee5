// Every server action × every kind of caller, from the access table. Actions run for real against a test
// database, with next/headers standing in for the request; Next's redirect/notFound/forbidden interrupts are
// read from the errors they throw.
import { sql } from "drizzle-orm";
import path from "node:path";
import { actorFor } from "@/lib/auth/actor";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { insertQueuedScan, markScanRunning } from "@/db/queries/scans";
import { storeScanResult } from "@/lib/scan-results";
import { resolveSession } from "@/lib/auth/session";
import { startReview } from "@/lib/review/service";
import { itemsOf } from "@/db/queries/reviews";
import { runScan } from "@/lib/engine/scan";
import { createApiToken } from "@/lib/auth/api-tokens";
import { createInvitation } from "@/lib/auth/users";
import { registerLocalConnector } from "@/lib/connectors";
import { resetEnvForTests } from "@/lib/env";
import { scanQueue } from "@/lib/jobs/scan-queue";
import { makeTeam, makeUser, sessionCookie } from "../support/auth";
import { useTestDb } from "../support/db";
import { wrappedActionName } from "@/app/_server/action";
import { ACTIONS, WHO, type Ids, type Outcome, type Who } from "./matrix";
import { testRows } from "../support/sql";

let requestHeaders = new Headers();
vi.mock("next/headers", () => ({
  headers: async () => requestHeaders,
  cookies: async () => ({ get: () => undefined, getAll: () => [], set: () => {}, delete: () => {}, has: () => false }),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

const actor = { id: "fixture", correlationId: "fixture" };
let ids: Ids;
let counter = 0;
const unique = () => `${Date.now()}-${++counter}`;

function form(entries: Record<string, string | number>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(entries)) f.set(k, String(v));
  return f;
}

async function throwawayUser(): Promise<{ id: string; email: string }> {
  const u = await makeUser(`throwaway-${unique()}@example.com`);
  return { id: u.id, email: u.email };
}

/** The form each action gets: valid input, so only access decides the outcome. */
const FORMS: Record<string, () => Promise<FormData>> = {
  "connectors/actions.ts#registerConnectorAction": async () =>
    form({ name: `Matrix ${unique()}`, path: "demo-connector", subdirectory: "", teamId: ids.team }),
  "connectors/actions.ts#scanNowAction": async () => form({ connectorId: ids.connector }),
  "connectors/actions.ts#deleteConnectorAction": async () => {
    const name = `Doomed ${unique()}`;
    const { connector } = await registerLocalConnector(
      { name, path: "demo-connector", subdirectory: "", scanNow: false, teamId: ids.team },
      actor,
    );
    return form({ connectorId: connector.id, confirmName: name });
  },
  "reviews/actions.ts#startReviewAction": async () => form({ connectorId: ids.connector }),
  "reviews/actions.ts#decideAction": async () =>
    form({
      reviewId: ids.review,
      itemId: "network.timeouts-retries",
      kind: "request-changes",
      note: "Add a timeout to the notes API call.",
      // The version the form would show now: each allowed caller decides on the current item.
      version: (await itemsOf(ids.review)).find((i) => i.itemId === "network.timeouts-retries")?.version ?? 0,
    }),
  // A proposal that doesn't exist: refused after the access check, so access alone decides and no caller answers
  // a real one before the next (the service tests answer real ones).
  "reviews/actions.ts#proposedWaiverAction": async () =>
    form({ reviewId: ids.review, itemId: "network.timeouts-retries", proposal: "0".repeat(32), intent: "reject", version: 0 }),
  "reviews/actions.ts#attestAction": async () =>
    form({
      reviewId: ids.review,
      itemId: "operations.security-review",
      statement: "Reviewed with the security team on 2026-11-20.",
      evidence: "https://wiki.example/review",
    }),
  "reviews/actions.ts#commentAction": async () =>
    form({ reviewId: ids.review, itemId: "network.timeouts-retries", body: "Which client does this use?" }),
  "reviews/actions.ts#signOffAction": async () => form({ reviewId: ids.review }),
  "connectors/actions.ts#connectorTokenAction": async () => form({ connectorId: ids.connector, intent: "remove" }),
  // The cloud metadata address is refused by the live view's SSRF guard: access decides, nothing is contacted.
  "connectors/[id]/live/actions.ts#liveToolsAction": async () => form({ connectorId: ids.connector, url: "http://169.254.169.254/mcp" }),
  "connectors/actions.ts#scheduleAction": async () => form({ connectorId: ids.connector, minutes: 1440 }),
  // A public documentation address: the webhook guard admits it, and nothing is sent when it is saved.
  "admin/actions.ts#addWebhookAction": async () =>
    form({ name: `Hook ${unique()}`, url: "https://hooks.example.com/hook", format: "json", "event:signoff.stale": "on" }),
  "admin/actions.ts#saveWebhookHostsAction": async () => form({ hosts: "chat.internal.example" }),
  "admin/actions.ts#removeWebhookAction": async () => form({ webhookId: "nope" }),
  // A webhook id that doesn't exist: nothing is sent, access alone decides.
  "admin/actions.ts#testWebhookAction": async () => form({ webhookId: "nope" }),
  "admin/actions.ts#saveDependencySettingsAction": async () => form({ source: "npm", watchList: "react\nexpress" }),
  "admin/actions.ts#importAdvisoriesAction": async () => {
    const f = new FormData();
    f.set("file", new File([JSON.stringify({ id: "GHSA-test", affected: [] })], "a.json", { type: "application/json" }));
    return f;
  },
  "sign-in/actions.ts#signInAction": async () => form({ email: "viewer@matrix.test", password: "definitely-wrong-password" }),
  "invite/[token]/actions.ts#acceptInvitationAction": async () =>
    form({ token: "A".repeat(32), name: "X", password: "a-long-enough-password", confirm: "a-long-enough-password" }),
  "account/actions.ts#signOutAction": async () => form({}),
  "account/actions.ts#changePasswordAction": async () =>
    form({ currentPassword: "wrong-current-password", newPassword: "a-new-long-password-1", confirm: "a-new-long-password-1" }),
  "teams/actions.ts#createApiTokenAction": async () => form({ teamId: ids.team, name: "CI", role: "maintainer", expiresInDays: 30 }),
  "teams/actions.ts#revokeApiTokenAction": async () => {
    await createApiToken(ids.team, { name: "to revoke", role: "viewer", expiresInDays: 1 }, actor);
    const [row] = (await testRows<{ id: number }>(sql`select max(id) as id from api_tokens`)) as [{ id: number }];
    return form({ teamId: ids.team, tokenId: row.id });
  },
  "admin/actions.ts#inviteUserAction": async () => form({ email: `invitee-${unique()}@example.com`, teamId: ids.team, role: "viewer" }),
  "admin/actions.ts#revokeInvitationAction": async () => {
    await createInvitation({ email: `inv-${unique()}@example.com`, teamId: ids.team, role: "viewer", makeAdmin: false }, actor);
    const [row] = (await testRows<{ id: number }>(sql`select max(id) as id from invitations`)) as [{ id: number }];
    return form({ id: row.id });
  },
  "admin/actions.ts#setUserDisabledAction": async () => form({ userId: (await throwawayUser()).id, disabled: "true" }),
  "admin/actions.ts#setAdminAction": async () => form({ userId: (await throwawayUser()).id, isAdmin: "true" }),
  "admin/actions.ts#createTeamAction": async () => form({ name: `Team ${unique()}` }),
  "admin/actions.ts#setMembershipAction": async () => form({ teamId: ids.team, email: (await throwawayUser()).email, role: "viewer" }),
  "admin/actions.ts#removeMembershipAction": async () => form({ teamId: ids.team, userId: (await throwawayUser()).id }),
  "admin/actions.ts#saveSettingsAction": async () => form({ retentionDays: 180, webhookUrl: "", threshold: 10, windowMinutes: 15 }),
};

const EMAILS: Record<Exclude<Who, "anonymous">, string> = {
  viewer: "viewer@matrix.test",
  maintainer: "maintainer@matrix.test",
  reviewer: "reviewer@matrix.test",
  "security-lead": "security-lead@matrix.test",
  outsider: "outsider@matrix.test",
  admin: "admin@matrix.test",
};

function outcomeOf(error: unknown): Outcome {
  const digest = (error as { digest?: string } | null)?.digest ?? "";
  if (digest.startsWith("NEXT_REDIRECT;")) return digest.split(";")[2]!.startsWith("/sign-in") ? "sign-in" : "ok";
  if (digest === "NEXT_HTTP_ERROR_FALLBACK;404") return "not-found";
  if (digest === "NEXT_HTTP_ERROR_FALLBACK;403") return "forbidden";
  if (digest === "NEXT_HTTP_ERROR_FALLBACK;401") return "unauthorized";
  throw error;
}

/**
 * Each caller signs in once, as a browser would, and sends the same cookie afterwards: a sign-in costs a password
 * check (~0.2 s), and the matrix has ~200 cases. Signing out ends the session, so the next case signs in again.
 */
const cookies = new Map<Who, string>();
async function cookieFor(who: Exclude<Who, "anonymous">): Promise<string> {
  const known = cookies.get(who);
  if (known) return known;
  const cookie = await sessionCookie(EMAILS[who]);
  cookies.set(who, cookie);
  return cookie;
}

async function run(key: string, who: Who): Promise<Outcome> {
  const [file, name] = key.split("#") as [string, string];
  const mod = (await import(/* @vite-ignore */ path.resolve("app", file))) as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const fn = mod[name]!;
  requestHeaders = new Headers({
    host: "localhost",
    "x-correlation-id": "matrix",
    ...(who === "anonymous" ? {} : { cookie: await cookieFor(who) }),
  });
  const data = await FORMS[key]!();
  if (name === "signOutAction") cookies.delete(who);
  try {
    const result = fn.length >= 2 ? await fn({}, data) : await fn(data);
    // A returned state is fine, unless the action refused without an interrupt.
    expect((result as { error?: string } | undefined)?.error ?? "").not.toMatch(/not allowed|No such team/i);
    return "ok";
  } catch (error) {
    return outcomeOf(error);
  }
}

beforeAll(async () => {
  process.env.LAUNCH_REVIEW_LOCAL_ROOT = path.resolve("examples");
  process.env.DATABASE_PATH = ":memory:";
  resetEnvForTests();
  await useTestDb();
  const team = await makeTeam("Demo team");
  const other = await makeTeam("Other team");
  for (const role of ["viewer", "maintainer", "reviewer", "security-lead"] as const)
    await makeUser(EMAILS[role], { teamId: team.id, role });
  await makeUser(EMAILS.outsider, { teamId: other.id, role: "maintainer" });
  await makeUser(EMAILS.admin, { isAdmin: true });
  const { connector } = await registerLocalConnector(
    { name: "Demo", path: "demo-connector", subdirectory: "", scanNow: false, teamId: team.id },
    actor,
  );
  const scan = await insertQueuedScan(connector.id, "manual", "c");
  await markScanRunning(scan.id);
  await storeScanResult(scan.id, await runScan({ kind: "local", path: path.resolve("examples/demo-connector") }), "fixture");
  const admin = await resolveSession(new Headers({ cookie: await sessionCookie(EMAILS.admin) }));
  const review = await startReview(connector.id, actorFor(admin!, "fixture"));
  ids = { team: team.id, otherTeam: other.id, connector: connector.id, scan: scan.id, review: review.id };
});

afterAll(() => scanQueue().whenIdle());

describe("server actions × callers", () => {
  it("has a form for every action in the table", () => {
    expect(Object.keys(FORMS).sort()).toEqual(Object.keys(ACTIONS).sort());
  });

  it("runs every server action through the one wrapper (app/_server/action.ts)", async () => {
    const unwrapped: string[] = [];
    for (const key of Object.keys(ACTIONS)) {
      const [file, name] = key.split("#") as [string, string];
      const mod = (await import(/* @vite-ignore */ path.resolve("app", file))) as Record<string, unknown>;
      if (wrappedActionName(mod[name]) === undefined) unwrapped.push(key);
    }
    expect(unwrapped).toEqual([]);
  });

  for (const [key, entry] of Object.entries(ACTIONS)) {
    for (const who of WHO) {
      it(`${key} as ${who} → ${entry.expect[who]}`, async () => {
        expect(await run(key, who)).toBe(entry.expect[who]);
      });
    }
  }
});
