// Accounts: the first administrator, invitations (the only way in), and changes an administrator makes.
import { inTransaction } from "@/db/transaction";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { getDb } from "@/db/client";
import { appendAudit } from "@/db/queries/audit";
import { insertInvitation, invitationByTokenHash, markInvitationAccepted } from "@/db/queries/invitations";
import { deleteSessionsOfUser } from "@/db/queries/sessions";
import { countUsers, findUserByEmail, getTeam, getUser, setUserFlags, upsertMembership } from "@/db/queries/teams";
import type { TeamRole, User } from "@/db/schema";
import { env } from "../env";
import { AppError } from "../core/errors";
import { getAuth } from "./auth";
import { weakPasswordReason } from "./password-policy";
import type { Actor } from "./actor";

export const PasswordSchema = z
  .string()
  .min(12, "Use at least 12 characters.")
  .max(256, "Use at most 256 characters.")
  .refine((p) => new Set(p).size >= 6, "Use a less repetitive password.")
  .superRefine((p, ctx) => {
    if (p.length < 12 || new Set(p).size < 6) return;
    const reason = weakPasswordReason(p);
    if (reason) ctx.addIssue({ code: "custom", message: reason });
  });

export const EmailSchema = z
  .email("Enter an email address.")
  .max(254)
  .transform((e) => e.toLowerCase());

export const NameSchema = z.string().trim().min(1, "Enter a name.").max(100, "Keep the name under 100 characters.");

/** Creates a user who signs in with email and password (hashed by better-auth's default, scrypt). */
export async function createPasswordUser(
  input: { email: string; name: string; password: string; isAdmin?: boolean },
  actor: Actor,
): Promise<User> {
  // Each refusal is one plain sentence for the form and the CLI, never a ZodError.
  const parsedEmail = EmailSchema.safeParse(input.email);
  if (!parsedEmail.success)
    throw new AppError("invalid:email", `Email refused: ${parsedEmail.error.issues[0]?.message ?? "not an email address."}`);
  const email = parsedEmail.data;
  const parsedName = NameSchema.safeParse(input.name);
  if (!parsedName.success) throw new AppError("invalid:name", `Name refused: ${parsedName.error.issues[0]?.message ?? "not a name."}`);
  const checked = PasswordSchema.safeParse(input.password);
  if (!checked.success) throw new AppError("invalid:password", `Password refused: ${checked.error.issues[0]?.message ?? "too weak."}`);
  const related = weakPasswordReason(input.password, [email, email.split("@")[0]!, input.name]);
  if (related) throw new AppError("invalid:password", `Password refused: ${related}`);
  const password = checked.data;
  if (await findUserByEmail(email)) throw new AppError("conflict:user", `A user with the email ${email} already exists.`);
  const ctx = await getAuth().$context;
  const hash = await ctx.password.hash(password);
  const created = await ctx.internalAdapter.createUser(
    { email, name: parsedName.data, emailVerified: true, isAdmin: input.isAdmin ?? false },
    { method: "admin" },
  );
  await ctx.internalAdapter.linkAccount({ userId: created.id, providerId: "credential", accountId: created.id, password: hash });
  await appendAudit({
    actor: actor.id,
    action: "user.created",
    targetType: "user",
    targetId: created.id,
    correlationId: actor.correlationId,
    details: { isAdmin: input.isAdmin ?? false },
  });
  return (await getUser(created.id))!;
}

export const INITIAL_ADMIN_FILE = "initial-admin.txt";

/**
 * On a database without users: creates the first administrator from LAUNCH_REVIEW_ADMIN_EMAIL and
 * LAUNCH_REVIEW_ADMIN_PASSWORD, or with a generated password written (mode 0600) to the data folder and printed.
 */
export async function ensureFirstAdmin(): Promise<{ email: string; password: string; generated: boolean } | null> {
  if ((await countUsers()) > 0) return null;
  const e = env();
  const generated = e.LAUNCH_REVIEW_ADMIN_PASSWORD === undefined;
  const password = e.LAUNCH_REVIEW_ADMIN_PASSWORD ?? randomBytes(15).toString("base64url");
  await createPasswordUser(
    { email: e.LAUNCH_REVIEW_ADMIN_EMAIL, name: "Administrator", password, isAdmin: true },
    { id: "system", correlationId: "startup" },
  );
  if (generated && e.DATABASE_PATH !== ":memory:") {
    const file = path.join(e.dataDir, INITIAL_ADMIN_FILE);
    fs.writeFileSync(file, `email: ${e.LAUNCH_REVIEW_ADMIN_EMAIL}\npassword: ${password}\n`, { mode: 0o600 });
  }
  return { email: e.LAUNCH_REVIEW_ADMIN_EMAIL, password, generated };
}

export const INVITATION_DAYS = 7;

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export const InvitationSchema = z
  .object({
    email: EmailSchema,
    teamId: z.coerce.number().int().positive().nullable(),
    role: z.enum(["security-lead", "reviewer", "maintainer", "viewer"]).nullable(),
    makeAdmin: z.boolean().default(false),
  })
  .refine((v) => v.makeAdmin || (v.teamId !== null && v.role !== null), {
    message: "Choose a team and a role, or make the person an administrator.",
    path: ["teamId"],
  });

/** Creates an invitation and returns its one-time token (only its hash is stored). */
export async function createInvitation(
  input: z.output<typeof InvitationSchema>,
  actor: Actor,
): Promise<{ token: string; expiresAt: Date }> {
  if (await findUserByEmail(input.email)) throw new AppError("conflict:user", `${input.email} already has an account.`);
  if (input.teamId !== null && !(await getTeam(input.teamId))) throw new AppError("not_found:team", "No such team.");
  const token = randomBytes(24).toString("base64url");
  const expiresAt = new Date(Date.now() + INVITATION_DAYS * 24 * 3600_000);
  await inTransaction(getDb(), async (tx) => {
    const invitation = await insertInvitation(
      {
        email: input.email,
        teamId: input.teamId,
        role: input.role,
        makeAdmin: input.makeAdmin,
        tokenHash: hashToken(token),
        invitedBy: actor.id,
        expiresAt,
      },
      tx,
    );
    await appendAudit(
      {
        actor: actor.id,
        action: "invitation.created",
        targetType: "invitation",
        targetId: invitation.id,
        correlationId: actor.correlationId,
        details: { teamId: input.teamId, role: input.role, makeAdmin: input.makeAdmin },
      },
      tx,
    );
  });
  return { token, expiresAt };
}

/** The pending invitation a token stands for, or null when it is unknown, used, revoked or expired. */
export async function pendingInvitation(token: string, now = new Date()) {
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(token)) return null;
  const invitation = await invitationByTokenHash(hashToken(token));
  if (!invitation || invitation.acceptedAt || invitation.revokedAt || invitation.expiresAt < now) return null;
  return invitation;
}

export async function acceptInvitation(token: string, input: { name: string; password: string }): Promise<User> {
  const invitation = await pendingInvitation(token);
  if (!invitation)
    throw new AppError(
      "invalid:invitation",
      "This invitation link is invalid, expired or already used. Ask an administrator for a new one.",
    );
  // Claim the invitation first so two simultaneous submissions can't both create an account.
  if (!(await markInvitationAccepted(invitation.id))) throw new AppError("invalid:invitation", "This invitation was already used.");
  const actor = { id: "invitation", correlationId: `invitation-${invitation.id}` };
  const created = await createPasswordUser(
    { email: invitation.email, name: input.name, password: input.password, isAdmin: invitation.makeAdmin },
    actor,
  );
  if (invitation.teamId !== null && invitation.role !== null)
    await setMembership(invitation.teamId, created.id, invitation.role, { id: created.id, correlationId: actor.correlationId });
  return created;
}

export async function setMembership(teamId: number, userId: string, role: TeamRole, actor: Actor): Promise<void> {
  await inTransaction(getDb(), async (tx) => {
    await upsertMembership(teamId, userId, role, tx);
    await appendAudit(
      {
        actor: actor.id,
        action: "membership.set",
        targetType: "team",
        targetId: teamId,
        correlationId: actor.correlationId,
        details: { userId, role },
      },
      tx,
    );
  });
}

export async function setUserDisabled(userId: string, disabled: boolean, actor: Actor): Promise<void> {
  if (userId === actor.id && disabled) throw new AppError("invalid:user", "You can't disable your own account.");
  await setUserFlags(userId, { disabled });
  if (disabled) await deleteSessionsOfUser(userId);
  await appendAudit({
    actor: actor.id,
    action: disabled ? "user.disabled" : "user.enabled",
    targetType: "user",
    targetId: userId,
    correlationId: actor.correlationId,
  });
}
