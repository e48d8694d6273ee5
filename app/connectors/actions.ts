"use server";
// Server actions for connectors. Each is a public endpoint: parse with zod, check, then call lib/.
import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { FieldError, newCorrelationId, registerLocalConnector, requestScan, RegisterLocalSchema } from "@/lib/connectors";
import {
  AccessTokenSchema,
  RegisterGitHubSchema,
  registerGitHubConnector,
  removeConnectorToken,
  setConnectorToken,
} from "@/lib/connectors-github";
import { isAppError, publicMessage } from "@/lib/errors";
import { logger } from "@/lib/logger";

const log = logger("actions.connectors");

export interface RegisterFormValues {
  name: string;
  sourceKind: "local" | "github";
  path: string;
  repository: string;
  ref: string;
  subdirectory: string;
  scanNow: boolean;
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
  const values: RegisterFormValues = {
    name: text(form, "name"),
    sourceKind: text(form, "sourceKind") === "github" ? "github" : "local",
    path: text(form, "path"),
    repository: text(form, "repository"),
    ref: text(form, "ref"),
    subdirectory: text(form, "subdirectory"),
    scanNow: form.get("scanNow") === "on",
  };
  const token = values.sourceKind === "github" ? text(form, "token") : "";
  const failed = (state: Omit<RegisterFormState, "values">): RegisterFormState => ({ values, ...state, tokenDropped: token.trim() !== "" });

  const correlationId = newCorrelationId();
  let connectorId: number;
  try {
    if (values.sourceKind === "github") {
      const parsed = RegisterGitHubSchema.safeParse({ ...values, token });
      if (!parsed.success) return failed({ fieldErrors: fieldErrorsOf(parsed.error.issues) });
      connectorId = (await registerGitHubConnector(parsed.data, { id: "anonymous", correlationId })).connector.id;
    } else {
      const parsed = RegisterLocalSchema.safeParse(values);
      if (!parsed.success) return failed({ fieldErrors: fieldErrorsOf(parsed.error.issues) });
      connectorId = (await registerLocalConnector(parsed.data, { id: "anonymous", correlationId })).connector.id;
    }
  } catch (error) {
    if (error instanceof FieldError) return failed({ fieldErrors: { [error.field]: error.message } });
    if (!isAppError(error)) log.error({ err: error, correlationId }, "register connector failed");
    return failed({ fieldErrors: {}, formError: publicMessage(error, correlationId) });
  }
  revalidatePath("/");
  redirect(`/connectors/${connectorId}`);
}

export async function scanNowAction(form: FormData): Promise<void> {
  const id = Number(form.get("connectorId"));
  if (!Number.isSafeInteger(id) || id <= 0) redirect("/");
  const correlationId = newCorrelationId();
  requestScan(id, "manual", { id: "anonymous", correlationId });
  revalidatePath(`/connectors/${id}`);
  redirect(`/connectors/${id}`);
}

export interface TokenFormState {
  error?: string;
  /** "saved" | "removed", for a short confirmation. */
  done?: "saved" | "removed";
}

/** Replaces (intent=save) or removes (intent=remove) a GitHub connector's access token. Never echoes it back. */
export async function connectorTokenAction(_prev: TokenFormState, form: FormData): Promise<TokenFormState> {
  const id = Number(form.get("connectorId"));
  if (!Number.isSafeInteger(id) || id <= 0) return { error: "No such connector." };
  const actor = { id: "anonymous", correlationId: newCorrelationId() };
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
