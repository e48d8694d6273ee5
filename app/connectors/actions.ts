"use server";
// Server actions for connectors. Each is a public endpoint: parse with zod, check, then call lib/.
import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { deleteConnector, FieldError, registerLocalConnector, requestScan, RegisterLocalSchema } from "@/lib/connectors";
import { isAppError, publicMessage } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { requestContext } from "../_server/request";
import { requireConnector, requireTeamCapability, requireUser } from "../_server/session";

const log = logger("actions.connectors");

export interface RegisterFormValues {
  name: string;
  path: string;
  subdirectory: string;
  scanNow: boolean;
  teamId: string;
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
  await requireUser();
  const values: RegisterFormValues = {
    name: text(form, "name"),
    path: text(form, "path"),
    subdirectory: text(form, "subdirectory"),
    scanNow: form.get("scanNow") === "on",
    teamId: text(form, "teamId"),
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
  const user = await requireTeamCapability(parsed.data.teamId, "connector.create");
  const { correlationId } = await requestContext();
  let connectorId: number;
  try {
    const { connector } = await registerLocalConnector(parsed.data, { id: user.id, correlationId });
    connectorId = connector.id;
  } catch (error) {
    if (error instanceof FieldError) return { values, fieldErrors: { [error.field]: error.message } };
    if (!isAppError(error)) log.error({ err: error, correlationId }, "register connector failed");
    return { values, fieldErrors: {}, formError: publicMessage(error, correlationId) };
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
  if (parsed.data.confirmName.trim() !== connector.name) return { error: "Type the connector's name exactly to confirm." };
  const { correlationId } = await requestContext();
  deleteConnector(connector.id, { id: user.id, correlationId });
  revalidatePath("/");
  redirect("/");
}
