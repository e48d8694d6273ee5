"use server";
// Administration: invitations, users, teams and memberships, and run-time settings. Administrators only.
import { randomUUID } from "node:crypto";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { appendAudit } from "@/db/queries/audit";
import { revokeInvitation } from "@/db/queries/invitations";
import { setSetting } from "@/db/queries/settings";
import { findTeamByName, findUserByEmail, getUser, insertTeam, removeMembership, setUserFlags } from "@/db/queries/teams";
import { TEAM_ROLES } from "@/db/schema";
import { ALERT_EVENTS, notify, saveWebhooks, WebhookSchema, webhooks } from "@/lib/alerts";
import { checkWebhookUrl, saveAllowedWebhookHosts, WebhookHosts } from "@/lib/alerts/webhook-guard";
import { DEPENDENCY_SETTINGS_KEY, DependencySettings } from "@/lib/dependency-services";
import { parseOsvDocument } from "@/lib/engine/advisories/osv";
import { importOfflineAdvisories } from "@/db/queries/advisories";
import { createInvitation, EmailSchema, InvitationSchema, setMembership, setUserDisabled } from "@/lib/auth/users";
import { env } from "@/lib/env";
import { publicMessage } from "@/lib/core/errors";
import { RETENTION_KEY, RetentionSettings } from "@/lib/retention";
import { SECURITY_ALERTS_KEY, SecurityAlertSettings } from "@/lib/security-events";
import { requestContext } from "../_server/request";
import { requireAdmin } from "../_server/session";
import { fieldErrorsOf, formText, type FormState } from "../ui/form-state";

async function adminActor() {
  const user = await requireAdmin();
  const { correlationId } = await requestContext();
  return { id: user.id, correlationId };
}

export async function inviteUserAction(_prev: FormState, form: FormData): Promise<FormState> {
  const actor = await adminActor();
  const makeAdmin = form.get("makeAdmin") === "on";
  const parsed = InvitationSchema.safeParse({
    email: formText(form, "email"),
    teamId: formText(form, "teamId") || null,
    role: formText(form, "role") || null,
    makeAdmin,
  });
  if (!parsed.success) return { fieldErrors: fieldErrorsOf(parsed.error) };
  try {
    const { token, expiresAt } = createInvitation(parsed.data, actor);
    revalidatePath("/admin");
    return {
      notice: `Invitation for ${parsed.data.email} created; it expires ${expiresAt.toISOString().slice(0, 10)}. Send this link to them now: it is shown only once.`,
      secret: `${env().baseUrl}/invite/${token}`,
    };
  } catch (error) {
    return { error: publicMessage(error, actor.correlationId) };
  }
}

const IdSchema = z.object({ id: z.coerce.number().int().positive() });
const UserIdSchema = z.object({ userId: z.string().min(1).max(64) });

export async function revokeInvitationAction(form: FormData): Promise<void> {
  const actor = await adminActor();
  const parsed = IdSchema.safeParse({ id: form.get("id") });
  if (parsed.success && revokeInvitation(parsed.data.id)) {
    appendAudit({
      actor: actor.id,
      action: "invitation.revoked",
      targetType: "invitation",
      targetId: parsed.data.id,
      correlationId: actor.correlationId,
    });
  }
  revalidatePath("/admin");
}

export async function setUserDisabledAction(form: FormData): Promise<void> {
  const actor = await adminActor();
  const parsed = UserIdSchema.extend({ disabled: z.enum(["true", "false"]) }).safeParse({
    userId: form.get("userId"),
    disabled: form.get("disabled"),
  });
  if (parsed.success && getUser(parsed.data.userId) && !(parsed.data.userId === actor.id && parsed.data.disabled === "true")) {
    setUserDisabled(parsed.data.userId, parsed.data.disabled === "true", actor);
  }
  revalidatePath("/admin");
}

export async function setAdminAction(form: FormData): Promise<void> {
  const actor = await adminActor();
  const parsed = UserIdSchema.extend({ isAdmin: z.enum(["true", "false"]) }).safeParse({
    userId: form.get("userId"),
    isAdmin: form.get("isAdmin"),
  });
  // An administrator can't remove their own rights: there must always be someone left to manage the app.
  if (parsed.success && getUser(parsed.data.userId) && parsed.data.userId !== actor.id) {
    setUserFlags(parsed.data.userId, { isAdmin: parsed.data.isAdmin === "true" });
    appendAudit({
      actor: actor.id,
      action: parsed.data.isAdmin === "true" ? "user.admin-granted" : "user.admin-revoked",
      targetType: "user",
      targetId: parsed.data.userId,
      correlationId: actor.correlationId,
    });
  }
  revalidatePath("/admin");
}

const TeamNameSchema = z.object({ name: z.string().trim().min(1, "Name the team.").max(80, "Keep it under 80 characters.") });

export async function createTeamAction(_prev: FormState, form: FormData): Promise<FormState> {
  const actor = await adminActor();
  const parsed = TeamNameSchema.safeParse({ name: formText(form, "name") });
  if (!parsed.success) return { fieldErrors: fieldErrorsOf(parsed.error) };
  if (findTeamByName(parsed.data.name)) return { fieldErrors: { name: "A team with this name exists." } };
  const team = insertTeam(parsed.data.name);
  appendAudit({ actor: actor.id, action: "team.created", targetType: "team", targetId: team.id, correlationId: actor.correlationId });
  revalidatePath("/admin/teams");
  return { notice: `Team “${team.name}” created.` };
}

const MembershipSchema = z.object({
  teamId: z.coerce.number().int().positive(),
  email: EmailSchema,
  role: z.enum(TEAM_ROLES, { error: "Choose a role." }),
});

export async function setMembershipAction(_prev: FormState, form: FormData): Promise<FormState> {
  const actor = await adminActor();
  const parsed = MembershipSchema.safeParse({
    teamId: formText(form, "teamId"),
    email: formText(form, "email"),
    role: formText(form, "role"),
  });
  if (!parsed.success) return { fieldErrors: fieldErrorsOf(parsed.error) };
  const member = findUserByEmail(parsed.data.email);
  if (!member) return { fieldErrors: { email: "No user with this email. Invite them first." } };
  setMembership(parsed.data.teamId, member.id, parsed.data.role, actor);
  revalidatePath("/admin/teams");
  return { notice: `${member.email} is now ${parsed.data.role} of the team.` };
}

export async function removeMembershipAction(form: FormData): Promise<void> {
  const actor = await adminActor();
  const parsed = UserIdSchema.extend({ teamId: z.coerce.number().int().positive() }).safeParse({
    userId: form.get("userId"),
    teamId: form.get("teamId"),
  });
  if (parsed.success) {
    removeMembership(parsed.data.teamId, parsed.data.userId);
    appendAudit({
      actor: actor.id,
      action: "membership.removed",
      targetType: "team",
      targetId: parsed.data.teamId,
      correlationId: actor.correlationId,
      details: { userId: parsed.data.userId },
    });
  }
  revalidatePath("/admin/teams");
}

export async function saveSettingsAction(_prev: FormState, form: FormData): Promise<FormState> {
  const actor = await adminActor();
  const retention = RetentionSettings.safeParse({ days: Number(formText(form, "retentionDays")) });
  const webhook = formText(form, "webhookUrl").trim();
  const alerts = SecurityAlertSettings.safeParse({
    webhookUrl: webhook === "" ? null : webhook,
    threshold: Number(formText(form, "threshold")),
    windowMinutes: Number(formText(form, "windowMinutes")),
  });
  const fieldErrors: Record<string, string> = {};
  if (!retention.success) fieldErrors.retentionDays = "Between 1 and 3650 days.";
  if (!alerts.success)
    for (const issue of alerts.error.issues)
      fieldErrors[String(issue.path[0])] ??= issue.path[0] === "webhookUrl" ? "An http(s) URL, or empty for none." : issue.message;
  if (alerts.success && alerts.data.webhookUrl) {
    try {
      checkWebhookUrl(alerts.data.webhookUrl);
    } catch (error) {
      fieldErrors.webhookUrl = publicMessage(error);
    }
  }
  if (!retention.success || !alerts.success || fieldErrors.webhookUrl) return { fieldErrors };
  setSetting(RETENTION_KEY, retention.data, actor.id);
  setSetting(SECURITY_ALERTS_KEY, alerts.data, actor.id);
  appendAudit({
    actor: actor.id,
    action: "settings.changed",
    targetType: "system",
    correlationId: actor.correlationId,
    details: { retentionDays: retention.data.days, threshold: alerts.data.threshold, webhook: alerts.data.webhookUrl !== null },
  });
  revalidatePath("/admin/settings");
  return { notice: "Settings saved." };
}

const NewWebhookSchema = WebhookSchema.omit({ id: true });

export async function addWebhookAction(_prev: FormState, form: FormData): Promise<FormState> {
  const actor = await adminActor();
  const parsed = NewWebhookSchema.safeParse({
    name: formText(form, "name"),
    url: formText(form, "url").trim(),
    format: formText(form, "format"),
    events: ALERT_EVENTS.filter((e) => form.get(`event:${e}`) === "on"),
  });
  if (!parsed.success) return { fieldErrors: fieldErrorsOf(parsed.error) };
  // The address guard: link-local, metadata, loopback, private and this host's own addresses are refused (again at send).
  try {
    checkWebhookUrl(parsed.data.url);
  } catch (error) {
    return { fieldErrors: { url: publicMessage(error) } };
  }
  const list = webhooks();
  if (list.length >= 20) return { error: "At most 20 webhooks." };
  saveWebhooks([...list, { ...parsed.data, id: randomUUID().slice(0, 8) }], actor.id);
  appendAudit({
    actor: actor.id,
    action: "alerts.webhook-added",
    targetType: "system",
    correlationId: actor.correlationId,
    details: { format: parsed.data.format, events: parsed.data.events },
  });
  revalidatePath("/admin/alerts");
  return { notice: `Webhook “${parsed.data.name}” added.` };
}

export async function removeWebhookAction(form: FormData): Promise<void> {
  const actor = await adminActor();
  const id = formText(form, "webhookId");
  saveWebhooks(
    webhooks().filter((h) => h.id !== id),
    actor.id,
  );
  appendAudit({
    actor: actor.id,
    action: "alerts.webhook-removed",
    targetType: "system",
    correlationId: actor.correlationId,
    details: { webhookId: id },
  });
  revalidatePath("/admin/alerts");
}

/** The hosts webhooks may reach on loopback and private networks (one per line); link-local and metadata stay refused. */
export async function saveWebhookHostsAction(_prev: FormState, form: FormData): Promise<FormState> {
  const actor = await adminActor();
  const parsed = WebhookHosts.safeParse(
    formText(form, "hosts")
      .split(/[\r\n,]+/)
      .map((h) => h.trim())
      .filter(Boolean),
  );
  if (!parsed.success) return { fieldErrors: { hosts: parsed.error.issues[0]?.message ?? "One host name or IP address per line." } };
  saveAllowedWebhookHosts(parsed.data, actor.id);
  appendAudit({
    actor: actor.id,
    action: "settings.changed",
    targetType: "system",
    correlationId: actor.correlationId,
    details: { webhookHosts: parsed.data.length },
  });
  revalidatePath("/admin/alerts");
  return { notice: parsed.data.length === 0 ? "No private hosts allowed." : `Allowed: ${parsed.data.join(", ")}.` };
}

export async function testWebhookAction(_prev: FormState, form: FormData): Promise<FormState> {
  await adminActor();
  const hook = webhooks().find((h) => h.id === formText(form, "webhookId"));
  if (!hook) return { error: "No such webhook." };
  const [result] = await notify({ type: "test", title: `Test alert from Launch Review to “${hook.name}”` }, { only: hook });
  revalidatePath("/admin/alerts");
  return result?.error
    ? { error: `The webhook failed: ${result.error}.` }
    : { notice: `Delivered: the webhook answered ${result?.status}.` };
}

export async function saveDependencySettingsAction(_prev: FormState, form: FormData): Promise<FormState> {
  const actor = await adminActor();
  const watchList = formText(form, "watchList")
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const parsed = DependencySettings.safeParse({ source: formText(form, "source"), watchList });
  if (!parsed.success)
    return { fieldErrors: { [String(parsed.error.issues[0]?.path[0] ?? "source")]: parsed.error.issues[0]?.message ?? "Invalid." } };
  const bad = parsed.data.watchList.find((e) => !/^(pypi:)?(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i.test(e));
  if (bad) return { fieldErrors: { watchList: `“${bad.slice(0, 80)}” is not a package name (use pypi:name for Python).` } };
  setSetting(DEPENDENCY_SETTINGS_KEY, parsed.data, actor.id);
  appendAudit({
    actor: actor.id,
    action: "settings.dependencies",
    targetType: "system",
    correlationId: actor.correlationId,
    details: { source: parsed.data.source, watched: parsed.data.watchList.length },
  });
  revalidatePath("/admin/dependencies");
  return { notice: "Saved. The next scans use these settings." };
}

const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

export async function importAdvisoriesAction(_prev: FormState, form: FormData): Promise<FormState> {
  const actor = await adminActor();
  const file = form.get("file");
  if (!(file instanceof File) || file.size === 0) return { fieldErrors: { file: "Choose a JSON file of OSV advisories." } };
  if (file.size > MAX_IMPORT_BYTES)
    return { fieldErrors: { file: `The file is larger than ${MAX_IMPORT_BYTES / (1024 * 1024)} MB: split it.` } };
  let records;
  try {
    records = parseOsvDocument(JSON.parse(await file.text()));
  } catch {
    return { fieldErrors: { file: "That is not an OSV advisory (or an array of them) in JSON." } };
  }
  const n = importOfflineAdvisories(
    records.map((r) => ({ id: r.id, record: r })),
    actor.id,
  );
  appendAudit({
    actor: actor.id,
    action: "advisories.imported",
    targetType: "system",
    correlationId: actor.correlationId,
    details: { records: n },
  });
  revalidatePath("/admin/dependencies");
  return { notice: `Imported ${n} advisor${n === 1 ? "y" : "ies"}.` };
}
