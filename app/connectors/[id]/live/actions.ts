"use server";
// Server action for the live view. A public endpoint: parse with zod, then call lib/. The token is used once and never
// returned, logged or stored.
import { z } from "zod";
import { appendAudit } from "@/db/queries/audit";
import { isAppError, publicMessage } from "@/lib/core/errors";
import { liveViewForConnector, type ConnectorLiveResult } from "@/lib/live/connector-live";
import { logger } from "@/lib/logger";
import { requestContext } from "../../../_server/request";
import { requireConnector, requireUser } from "../../../_server/session";

const log = logger("actions.live");

export interface LiveFormState {
  url: string;
  error?: string;
  result?: ConnectorLiveResult;
}

const LiveInput = z.object({
  connectorId: z.coerce.number().int().positive(),
  url: z.string().trim().min(1, "Give the server's MCP URL.").max(2048, "The URL is too long."),
  token: z.string().max(8192, "The token is too long.").optional(),
});

function safeHost(url: string): string | null {
  try {
    return new URL(url).host.slice(0, 255);
  } catch {
    return null;
  }
}

export async function liveToolsAction(_prev: LiveFormState, form: FormData): Promise<LiveFormState> {
  await requireUser();
  const parsed = LiveInput.safeParse({
    connectorId: form.get("connectorId"),
    url: form.get("url") ?? "",
    token: (form.get("token") as string | null) || undefined,
  });
  const url = typeof form.get("url") === "string" ? (form.get("url") as string) : "";
  if (!parsed.success) return { url, error: parsed.error.issues[0]?.message ?? "Invalid input." };
  const { user, connector } = await requireConnector(parsed.data.connectorId, "connector.scan");
  const { correlationId } = await requestContext();
  // Which host was contacted is worth an audit entry (the app makes a request on a user's behalf); the token isn't.
  appendAudit({
    actor: user.id,
    action: "connector.live-view",
    targetType: "connector",
    targetId: connector.id,
    correlationId,
    details: { host: safeHost(parsed.data.url) },
  });
  try {
    const result = await liveViewForConnector(parsed.data.connectorId, parsed.data.url, parsed.data.token);
    return { url, result };
  } catch (error) {
    if (!isAppError(error)) log.error({ err: error, correlationId }, "live view failed");
    return { url, error: publicMessage(error, correlationId) };
  }
}
