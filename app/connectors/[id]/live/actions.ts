"use server";
// The live view: list what a running MCP server serves and compare it with the last scan. Through the one wrapper
// (app/_server/action.ts). The token is used once and never returned, logged or stored.
import { z } from "zod";
import { liveViewForConnector, type ConnectorLiveResult } from "@/lib/live/connector-live";
import type { FormState } from "../../../ui/form-state";
import { formAction } from "../../../_server/action";

export interface LiveFormState extends FormState {
  result?: ConnectorLiveResult;
}

function safeHost(url: string): string | null {
  try {
    return new URL(url).host.slice(0, 255);
  } catch {
    return null;
  }
}

const access = { connector: "connectorId", can: "connector.scan" } as const;
const LiveInput = z.object({
  url: z.string({ error: "Give the server's MCP URL." }).trim().min(1, "Give the server's MCP URL.").max(2048, "The URL is too long."),
  token: z.string().max(8192, "The token is too long.").optional(),
});

export const liveToolsAction = formAction<typeof access, typeof LiveInput, LiveFormState>({
  name: "connectors.live",
  access,
  input: LiveInput,
  secrets: ["token"],
  fields: { live_url: "url" },
  run: async ({ url, token }, { scope, audit }) => {
    // Which host was contacted is worth an audit entry (the app makes a request on a user's behalf); the token isn't.
    audit({ action: "connector.live-view", targetType: "connector", targetId: scope.connector.id, details: { host: safeHost(url) } });
    // The URL stays in the form for the next look; the token does not.
    return { result: await liveViewForConnector(scope.connector.id, url, token || undefined), values: { url } };
  },
});
