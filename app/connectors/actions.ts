"use server";
// Server actions for connectors. Each is a public endpoint: parse with zod, check, then call lib/.
import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { FieldError, newCorrelationId, registerLocalConnector, requestScan, RegisterLocalSchema } from "@/lib/connectors";
import { isAppError, publicMessage } from "@/lib/errors";
import { logger } from "@/lib/logger";

const log = logger("actions.connectors");

export interface RegisterFormValues {
  name: string;
  path: string;
  subdirectory: string;
  scanNow: boolean;
}

export interface RegisterFormState {
  values: RegisterFormValues;
  fieldErrors: Partial<Record<keyof RegisterFormValues, string>>;
  formError?: string;
}

function text(form: FormData, key: string): string {
  const v = form.get(key);
  return typeof v === "string" ? v : "";
}

export async function registerConnectorAction(_prev: RegisterFormState, form: FormData): Promise<RegisterFormState> {
  const values: RegisterFormValues = {
    name: text(form, "name"),
    path: text(form, "path"),
    subdirectory: text(form, "subdirectory"),
    scanNow: form.get("scanNow") === "on",
  };
  const parsed = RegisterLocalSchema.safeParse(values);
  if (!parsed.success) {
    const fieldErrors: RegisterFormState["fieldErrors"] = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as keyof RegisterFormValues;
      fieldErrors[field] ??= issue.message;
    }
    return { values, fieldErrors };
  }
  const correlationId = newCorrelationId();
  let connectorId: number;
  try {
    const { connector } = await registerLocalConnector(parsed.data, { id: "anonymous", correlationId });
    connectorId = connector.id;
  } catch (error) {
    if (error instanceof FieldError) return { values, fieldErrors: { [error.field]: error.message } };
    if (!isAppError(error)) log.error({ err: error, correlationId }, "register connector failed");
    return { values, fieldErrors: {}, formError: publicMessage(error, correlationId) };
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
