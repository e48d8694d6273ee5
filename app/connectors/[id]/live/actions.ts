"use server";
// Server action for the live view. A public endpoint: parse with zod, then call lib/. The token is used once and never
// returned, logged or stored.
import { z } from "zod";
import { newCorrelationId } from "@/lib/connectors";
import { isAppError, publicMessage } from "@/lib/errors";
import { liveViewForConnector, type ConnectorLiveResult } from "@/lib/live/connector-live";
import { logger } from "@/lib/logger";

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

export async function liveToolsAction(_prev: LiveFormState, form: FormData): Promise<LiveFormState> {
  const parsed = LiveInput.safeParse({
    connectorId: form.get("connectorId"),
    url: form.get("url") ?? "",
    token: (form.get("token") as string | null) || undefined,
  });
  const url = typeof form.get("url") === "string" ? (form.get("url") as string) : "";
  if (!parsed.success) return { url, error: parsed.error.issues[0]?.message ?? "Invalid input." };
  const correlationId = newCorrelationId();
  try {
    const result = await liveViewForConnector(parsed.data.connectorId, parsed.data.url, parsed.data.token);
    return { url, result };
  } catch (error) {
    if (!isAppError(error)) log.error({ err: error, correlationId }, "live view failed");
    return { url, error: publicMessage(error, correlationId) };
  }
}
