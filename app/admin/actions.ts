"use server";
// Administration: invitations, users, teams and memberships, and run-time settings. Administrators only; each action
// goes through the one wrapper (app/_server/action.ts).
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { importOfflineAdvisories } from "@/db/queries/advisories";
import { revokeInvitation } from "@/db/queries/invitations";
import { setSetting } from "@/db/queries/settings";
import { findTeamByName, findUserByEmail, getUser, insertTeam, removeMembership, setUserFlags } from "@/db/queries/teams";
import { TEAM_ROLES } from "@/db/schema";
import { ALERT_EVENTS, notify, saveWebhooks, WebhookSchema, webhooks } from "@/lib/alerts";
import { allowedWebhookHosts, checkWebhookUrl, saveAllowedWebhookHosts, WebhookHosts } from "@/lib/alerts/webhook-guard";
import { createInvitation, EmailSchema, InvitationSchema, setMembership, setUserDisabled } from "@/lib/auth/users";
import { DEPENDENCY_SETTINGS_KEY, DependencySettings } from "@/lib/dependency-services";
import { parseOsvDocument } from "@/lib/engine/advisories/osv";
import { env } from "@/lib/env";
import { RETENTION_KEY } from "@/lib/retention";
import { SECURITY_ALERTS_KEY, SecurityAlertSettings } from "@/lib/security-events";
import { buttonAction, formAction, formFields } from "../_server/action";

const Id = z.coerce.number().int().positive();
const UserId = z.string().min(1).max(64);
const Flag = z.enum(["true", "false"]).transform((v) => v === "true");
/** Lines (or commas) of a textarea, trimmed, without empty ones. */
const lines = (value: FormDataEntryValue | null, separators = /\r?\n/) =>
  (typeof value === "string" ? value : "")
    .split(separators)
    .map((l) => l.trim())
    .filter(Boolean);

export const inviteUserAction = formAction({
  name: "admin.invite",
  access: "admin",
  input: InvitationSchema,
  fromForm: (form) => ({
    email: form.get("email") ?? "",
    teamId: form.get("teamId") || null,
    role: form.get("role") || null,
    makeAdmin: form.get("makeAdmin") === "on",
  }),
  revalidate: () => "/admin",
  run: async (input, { actor }) => {
    const { token, expiresAt } = await createInvitation(input, actor);
    return {
      notice: `Invitation for ${input.email} created; it expires ${expiresAt.toISOString().slice(0, 10)}. Send this link to them now: it is shown only once.`,
      secret: `${env().baseUrl}/invite/${token}`,
    };
  },
});

export const revokeInvitationAction = buttonAction({
  name: "admin.revoke-invitation",
  access: "admin",
  input: z.object({ id: Id }),
  revalidate: () => "/admin",
  run: async ({ id }, { audit }) => {
    if (await revokeInvitation(id)) audit({ action: "invitation.revoked", targetType: "invitation", targetId: id });
  },
});

export const setUserDisabledAction = buttonAction({
  name: "admin.set-user-disabled",
  access: "admin",
  input: z.object({ userId: UserId, disabled: Flag }),
  revalidate: () => "/admin",
  run: async ({ userId, disabled }, { actor }) => {
    // An administrator can't lock themselves out.
    if ((await getUser(userId)) && !(userId === actor.id && disabled)) await setUserDisabled(userId, disabled, actor);
  },
});

export const setAdminAction = buttonAction({
  name: "admin.set-admin",
  access: "admin",
  input: z.object({ userId: UserId, isAdmin: Flag }),
  revalidate: () => "/admin",
  run: async ({ userId, isAdmin }, { actor, audit }) => {
    // An administrator can't remove their own rights: there must always be someone left to manage the app.
    if (!(await getUser(userId)) || userId === actor.id) return;
    await setUserFlags(userId, { isAdmin });
    audit({ action: isAdmin ? "user.admin-granted" : "user.admin-revoked", targetType: "user", targetId: userId });
  },
});

export const createTeamAction = formAction({
  name: "admin.create-team",
  access: "admin",
  input: z.object({ name: z.string({ error: "Name the team." }).trim().min(1, "Name the team.").max(80, "Keep it under 80 characters.") }),
  revalidate: () => "/admin/teams",
  run: async ({ name }, { audit }) => {
    if (await findTeamByName(name)) return { fieldErrors: { name: "A team with this name exists." } };
    const team = await insertTeam(name);
    audit({ action: "team.created", targetType: "team", targetId: team.id });
    return { notice: `Team “${team.name}” created.` };
  },
});

export const setMembershipAction = formAction({
  name: "admin.set-membership",
  access: "admin",
  input: z.object({ teamId: Id, email: EmailSchema, role: z.enum(TEAM_ROLES, { error: "Choose a role." }) }),
  revalidate: () => "/admin/teams",
  run: async ({ teamId, email, role }, { actor }) => {
    const member = await findUserByEmail(email);
    if (!member) return { fieldErrors: { email: "No user with this email. Invite them first." } };
    await setMembership(teamId, member.id, role, actor);
    return { notice: `${member.email} is now ${role} of the team.` };
  },
});

export const removeMembershipAction = buttonAction({
  name: "admin.remove-membership",
  access: "admin",
  input: z.object({ userId: UserId, teamId: Id }),
  revalidate: () => "/admin/teams",
  run: async ({ userId, teamId }, { audit }) => {
    await removeMembership(teamId, userId);
    audit({ action: "membership.removed", targetType: "team", targetId: teamId, details: { userId } });
  },
});

const DAYS = "Between 1 and 3650 days.";

export const saveSettingsAction = formAction({
  name: "admin.settings",
  access: "admin",
  input: z.object({
    retentionDays: z.coerce.number({ error: DAYS }).int(DAYS).min(1, DAYS).max(3650, DAYS),
    webhookUrl: z
      .string()
      .trim()
      .transform((v) => (v === "" ? null : v))
      .pipe(z.url({ protocol: /^https?$/, error: "An http(s) URL, or empty for none." }).nullable()),
    threshold: z.coerce.number().pipe(SecurityAlertSettings.shape.threshold),
    windowMinutes: z.coerce.number().pipe(SecurityAlertSettings.shape.windowMinutes),
  }),
  fields: { webhook_url: "webhookUrl" },
  revalidate: () => "/admin/settings",
  run: async ({ retentionDays, webhookUrl, threshold, windowMinutes }, { actor, audit }) => {
    // The address guard: link-local, metadata, loopback, private and this host's own addresses are refused (again at send).
    if (webhookUrl) checkWebhookUrl(webhookUrl, await allowedWebhookHosts());
    await setSetting(RETENTION_KEY, { days: retentionDays }, actor.id);
    await setSetting(SECURITY_ALERTS_KEY, { webhookUrl, threshold, windowMinutes }, actor.id);
    audit({ action: "settings.changed", targetType: "system", details: { retentionDays, threshold, webhook: webhookUrl !== null } });
    return { notice: "Settings saved." };
  },
});

export const addWebhookAction = formAction({
  name: "admin.add-webhook",
  access: "admin",
  input: WebhookSchema.omit({ id: true }),
  fromForm: (form) => ({
    ...formFields(form),
    url: String(form.get("url") ?? "").trim(),
    events: ALERT_EVENTS.filter((e) => form.get(`event:${e}`) === "on"),
  }),
  fields: { webhook_url: "url" },
  revalidate: () => "/admin/alerts",
  run: async (hook, { actor, audit }) => {
    // The address guard: link-local, metadata, loopback, private and this host's own addresses are refused (again at send).
    checkWebhookUrl(hook.url, await allowedWebhookHosts());
    const list = await webhooks();
    if (list.length >= 20) return { error: "At most 20 webhooks." };
    await saveWebhooks([...list, { ...hook, id: randomUUID().slice(0, 8) }], actor.id);
    audit({ action: "alerts.webhook-added", targetType: "system", details: { format: hook.format, events: hook.events } });
    return { notice: `Webhook “${hook.name}” added.` };
  },
});

export const removeWebhookAction = buttonAction({
  name: "admin.remove-webhook",
  access: "admin",
  input: z.object({ webhookId: z.string().max(40) }),
  revalidate: () => "/admin/alerts",
  run: async ({ webhookId }, { actor, audit }) => {
    await saveWebhooks(
      (await webhooks()).filter((h) => h.id !== webhookId),
      actor.id,
    );
    audit({ action: "alerts.webhook-removed", targetType: "system", details: { webhookId } });
  },
});

/** The hosts webhooks may reach on loopback and private networks (one per line); link-local and metadata stay refused. */
export const saveWebhookHostsAction = formAction({
  name: "admin.webhook-hosts",
  access: "admin",
  input: z.object({ hosts: WebhookHosts }),
  fromForm: (form) => ({ hosts: lines(form.get("hosts"), /[\r\n,]+/) }),
  revalidate: () => "/admin/alerts",
  run: async ({ hosts }, { actor, audit }) => {
    await saveAllowedWebhookHosts(hosts, actor.id);
    audit({ action: "settings.changed", targetType: "system", details: { webhookHosts: hosts.length } });
    return { notice: hosts.length === 0 ? "No private hosts allowed." : `Allowed: ${hosts.join(", ")}.` };
  },
});

export const testWebhookAction = formAction({
  name: "admin.test-webhook",
  access: "admin",
  input: z.object({ webhookId: z.string().max(40) }),
  revalidate: () => "/admin/alerts",
  run: async ({ webhookId }) => {
    const hook = (await webhooks()).find((h) => h.id === webhookId);
    if (!hook) return { error: "No such webhook." };
    const [result] = await notify({ type: "test", title: `Test alert from Launch Review to “${hook.name}”` }, { only: hook });
    return result?.error
      ? { error: `The webhook failed: ${result.error}.` }
      : { notice: `Delivered: the webhook answered ${result?.status}.` };
  },
});

const PackageName = /^(pypi:)?(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i;

export const saveDependencySettingsAction = formAction({
  name: "admin.dependencies",
  access: "admin",
  input: DependencySettings.extend({
    watchList: DependencySettings.shape.watchList.check(
      z.refine((list: string[]) => list.every((e) => PackageName.test(e)), {
        error: (issue) => {
          const bad = (issue.input as string[]).find((e) => !PackageName.test(e)) ?? "";
          return `“${bad.slice(0, 80)}” is not a package name (use pypi:name for Python).`;
        },
      }),
    ),
  }),
  fromForm: (form) => ({ source: form.get("source"), watchList: lines(form.get("watchList")) }),
  revalidate: () => "/admin/dependencies",
  run: async (settings, { actor, audit }) => {
    await setSetting(DEPENDENCY_SETTINGS_KEY, settings, actor.id);
    audit({
      action: "settings.dependencies",
      targetType: "system",
      details: { source: settings.source, watched: settings.watchList.length },
    });
    return { notice: "Saved. The next scans use these settings." };
  },
});

const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

export const importAdvisoriesAction = formAction({
  name: "admin.import-advisories",
  access: "admin",
  input: z.object({
    file: z
      .instanceof(File, { error: "Choose a JSON file of OSV advisories." })
      .refine((f) => f.size > 0, "Choose a JSON file of OSV advisories.")
      .refine((f) => f.size <= MAX_IMPORT_BYTES, `The file is larger than ${MAX_IMPORT_BYTES / (1024 * 1024)} MB: split it.`),
  }),
  revalidate: () => "/admin/dependencies",
  run: async ({ file }, { actor, audit }) => {
    let records;
    try {
      records = parseOsvDocument(JSON.parse(await file.text()));
    } catch {
      return { fieldErrors: { file: "That is not an OSV advisory (or an array of them) in JSON." } };
    }
    const n = await importOfflineAdvisories(
      records.map((r) => ({ id: r.id, record: r })),
      actor.id,
    );
    audit({ action: "advisories.imported", targetType: "system", details: { records: n } });
    return { notice: `Imported ${n} advisor${n === 1 ? "y" : "ies"}.` };
  },
});
