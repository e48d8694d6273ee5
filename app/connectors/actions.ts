"use server";
// Server actions for connectors. Each is a public endpoint: parse with zod, check, then call lib/.
import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import {
  deleteConnector,
  FieldError,
  registerLocalConnector,
  requestScan,
  RegisterLocalSchema,
  setConnectorSchedule,
  TeamIdSchema,
} from "@/lib/connectors";
import {
  AccessTokenSchema,
  RegisterGitHubSchema,
  registerGitHubConnector,
  removeConnectorToken,
  setConnectorToken,
} from "@/lib/connectors-github";
import { isAppError, publicMessage } from "@/lib/core/errors";
import { logger } from "@/lib/logger";
import { showHidden } from "@/lib/engine/unicode";
import { requestContext } from "../_server/request";
import { requireConnector, requireTeamCapability, requireUser } from "../_server/session";

const log = logger("actions.connectors");

export interface RegisterFormValues {
  name: string;
  sourceKind: "local" | "github";
  path: string;
  repository: string;
  ref: string;
  subdirectory: string;
  scanNow: boolean;
  teamId: string;
}

export interface RegisterFormState {
  /** What was typed, to fill the form again: never the token. */
  values: RegisterFormValues;
  fieldErrors: Partial<Record<keyof RegisterFormValues | "token", string>>;
  formError?: string;
  /** A token was typed but is not sent back: the form asks for it again. */
  tokenDropped?: boolean;
}

function text(form: FormData, key: string): string {
  const v = form.get(key);
  return typeof v === "string" ? v : "";
}

function fieldErrorsOf(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): RegisterFormState["fieldErrors"] {
  const fieldErrors: RegisterFormState["fieldErrors"] = {};
  for (const issue of issues) {
    const field = issue.path[0] as keyof RegisterFormState["fieldErrors"];
    fieldErrors[field] ??= issue.message;
  }
  return fieldErrors;
}

export async function registerConnectorAction(_prev: RegisterFormState, form: FormData): Promise<RegisterFormState> {
  await requireUser();
  const values: RegisterFormValues = {
    name: text(form, "name"),
    sourceKind: text(form, "sourceKind") === "github" ? "github" : "local",
    path: text(form, "path"),
    repository: text(form, "repository"),
    ref: text(form, "ref"),
    subdirectory: text(form, "subdirectory"),
    scanNow: form.get("scanNow") === "on",
    teamId: text(form, "teamId"),
  };
  const token = values.sourceKind === "github" ? text(form, "token") : "";
  const failed = (state: Omit<RegisterFormState, "values">): RegisterFormState => ({ values, ...state, tokenDropped: token.trim() !== "" });

  // The team decides who may register: checked before anything else is looked at.
  const teamId = TeamIdSchema.safeParse(values.teamId);
  if (!teamId.success) return failed({ fieldErrors: { teamId: teamId.error.issues[0]?.message ?? "Choose a team." } });
  const user = await requireTeamCapability(teamId.data, "connector.create");
  const { correlationId } = await requestContext();
  const actor = { id: user.id, correlationId };
  let connectorId: number;
  try {
    if (values.sourceKind === "github") {
      const parsed = RegisterGitHubSchema.safeParse({ ...values, token });
      if (!parsed.success) return failed({ fieldErrors: fieldErrorsOf(parsed.error.issues) });
      connectorId = (await registerGitHubConnector(parsed.data, actor)).connector.id;
    } else {
      const parsed = RegisterLocalSchema.safeParse(values);
      if (!parsed.success) return failed({ fieldErrors: fieldErrorsOf(parsed.error.issues) });
      connectorId = (await registerLocalConnector(parsed.data, actor)).connector.id;
    }
  } catch (error) {
    if (error instanceof FieldError) return failed({ fieldErrors: { [error.field]: error.message } });
    if (!isAppError(error)) log.error({ err: error, correlationId }, "register connector failed");
    return failed({ fieldErrors: {}, formError: publicMessage(error, correlationId) });
  }
  revalidatePath("/");
  redirect(`/connectors/${connectorId}`);
}

const ConnectorIdSchema = z.object({ connectorId: z.coerce.number().int().positive() });

export async function scanNowAction(form: FormData): Promise<void> {
  await requireUser();
  const parsed = ConnectorIdSchema.safeParse({ connectorId: form.get("connectorId") });
  if (!parsed.success) redirect("/");
  const { user, connector } = await requireConnector(parsed.data.connectorId, "connector.scan");
  const { correlationId } = await requestContext();
  requestScan(connector.id, "manual", { id: user.id, correlationId });
  revalidatePath(`/connectors/${connector.id}`);
  redirect(`/connectors/${connector.id}`);
}

const DeleteSchema = z.object({ connectorId: z.coerce.number().int().positive(), confirmName: z.string().max(200) });

export interface DeleteState {
  error?: string;
}

export async function deleteConnectorAction(_prev: DeleteState, form: FormData): Promise<DeleteState> {
  await requireUser();
  const parsed = DeleteSchema.safeParse({ connectorId: form.get("connectorId"), confirmName: form.get("confirmName") });
  if (!parsed.success) return { error: "Type the connector's name to confirm." };
  const { user, connector } = await requireConnector(parsed.data.connectorId, "connector.manage");
  // The name as shown (hidden characters as ⟦U+202E⟧ markers, which can be typed) or as stored.
  const typed = parsed.data.confirmName.trim();
  if (typed !== connector.name && typed !== showHidden(connector.name)) return { error: "Type the connector's name exactly to confirm." };
  const { correlationId } = await requestContext();
  deleteConnector(connector.id, { id: user.id, correlationId });
  revalidatePath("/");
  redirect("/");
}

export interface TokenFormState {
  error?: string;
  /** "saved" | "removed", for a short confirmation. */
  done?: "saved" | "removed";
}

/** Replaces (intent=save) or removes (intent=remove) a GitHub connector's access token. Never echoes it back. */
export async function connectorTokenAction(_prev: TokenFormState, form: FormData): Promise<TokenFormState> {
  await requireUser();
  const parsedId = ConnectorIdSchema.safeParse({ connectorId: form.get("connectorId") });
  if (!parsedId.success) return { error: "No such connector." };
  const { user, connector } = await requireConnector(parsedId.data.connectorId, "connector.manage");
  const id = connector.id;
  const actor = { id: user.id, correlationId: (await requestContext()).correlationId };
  try {
    if (form.get("intent") === "remove") {
      removeConnectorToken(id, actor);
      revalidatePath(`/connectors/${id}`);
      return { done: "removed" };
    }
    const parsed = AccessTokenSchema.safeParse(text(form, "token"));
    if (!parsed.success) return { error: parsed.error.issues[0]?.message ?? "Invalid token." };
    if (parsed.data === "") return { error: "Paste the new token, or use “Remove token”." };
    setConnectorToken(id, parsed.data, actor);
  } catch (error) {
    if (!isAppError(error)) log.error({ err: error, correlationId: actor.correlationId }, "token change failed");
    return { error: publicMessage(error, actor.correlationId) };
  }
  revalidatePath(`/connectors/${id}`);
  return { done: "saved" };
}

const ScheduleSchema = z.object({
  connectorId: z.coerce.number().int().positive(),
  minutes: z.coerce
    .number()
    .int()
    .min(0)
    .max(30 * 24 * 60),
});

/** Sets how often the scheduler rescans the connector (0 turns scheduled scans off). */
export async function scheduleAction(form: FormData): Promise<void> {
  await requireUser();
  const parsed = ScheduleSchema.safeParse({ connectorId: form.get("connectorId"), minutes: form.get("minutes") });
  if (!parsed.success) redirect("/");
  const { user, connector } = await requireConnector(parsed.data.connectorId, "connector.manage");
  const { correlationId } = await requestContext();
  try {
    setConnectorSchedule(connector.id, parsed.data.minutes, { id: user.id, correlationId });
  } catch (error) {
    // An interval the form never offers (or a busy database) is said on the page, not thrown as a server error.
    if (!isAppError(error)) log.error({ err: error, correlationId }, "schedule change failed");
    const reason = isAppError(error) && error.code === "invalid:schedule" ? "invalid" : "failed";
    redirect(`/connectors/${connector.id}?schedule=${reason}`);
  }
  revalidatePath(`/connectors/${connector.id}`);
}
