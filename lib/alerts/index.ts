// Alert webhooks: a new critical or high advisory, a stale sign-off, a waiver about to expire, repeated scan
// failures. Each webhook gets generic JSON or a Slack-compatible message; deliveries are recorded and a dedupe
// key keeps one alert from being sent twice.
import { z } from "zod";
import { claimDelivery, recordDeliveryResult } from "@/db/queries/alerts";
import { getSetting, setSetting } from "@/db/queries/settings";
import { env } from "../env";
import { logger } from "../logger";
import { showHidden } from "../engine/unicode";
import { sendWebhook } from "./webhook-guard";

const log = logger("alerts");

export const ALERT_EVENTS = ["advisory.new", "signoff.stale", "waiver.expiring", "scan.repeated-failures"] as const;
export type AlertEventType = (typeof ALERT_EVENTS)[number] | "test";

export const ALERT_EVENT_LABELS: Record<(typeof ALERT_EVENTS)[number], string> = {
  "advisory.new": "New critical or high advisory",
  "signoff.stale": "Sign-off became stale",
  "waiver.expiring": "Waiver expires within 7 days",
  "scan.repeated-failures": "Three failed scans in a row",
};

export const WebhookSchema = z.object({
  id: z.string().min(1).max(40),
  name: z.string().trim().min(1, "Name the webhook.").max(80),
  url: z.url({ protocol: /^https?$/, error: "An http(s) URL." }).max(2048),
  format: z.enum(["json", "slack"]),
  events: z.array(z.enum(ALERT_EVENTS)).min(1, "Choose at least one event."),
});
export type Webhook = z.infer<typeof WebhookSchema>;

const AlertSettings = z.object({ webhooks: z.array(WebhookSchema).max(20) });
export const ALERTS_KEY = "alerts";

export async function webhooks(): Promise<Webhook[]> {
  return (await getSetting(ALERTS_KEY, AlertSettings, { webhooks: [] })).webhooks;
}

export async function saveWebhooks(list: Webhook[], by: string): Promise<void> {
  await setSetting(ALERTS_KEY, AlertSettings.parse({ webhooks: list }), by);
}

export interface AlertEvent {
  type: AlertEventType;
  title: string;
  connector?: { id: number; name: string };
  details?: Record<string, unknown>;
  /** Path in the app to look at, e.g. "/connectors/3". */
  path?: string;
  /** Same key, same webhook: sent once. */
  dedupeKey?: string;
}

/** Slack escapes &, < and > in message text. */
function slackEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function payloadFor(hook: Pick<Webhook, "format">, event: AlertEvent, at: Date): Record<string, unknown> {
  // Names carry hidden characters as visible markers (⟦U+202E⟧), so a chat client can't be made to reorder them.
  event = {
    ...event,
    title: showHidden(event.title),
    connector: event.connector && { ...event.connector, name: showHidden(event.connector.name) },
  };
  const url = event.path ? `${env().baseUrl}${event.path}` : null;
  if (hook.format === "slack") {
    const text = `*Launch Review* · ${slackEscape(event.title)}${url ? ` <${url}|Open>` : ""}`;
    return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text } }] };
  }
  return {
    source: "launch-review",
    event: event.type,
    at: at.toISOString(),
    title: event.title,
    connector: event.connector ?? null,
    details: event.details ?? {},
    url,
  };
}

export interface DeliveryResult {
  webhookId: string;
  status: number | null;
  error: string | null;
  skipped?: boolean;
}

/** Sends `event` to every webhook subscribed to it (or to `only` for a test). Never throws. */
export async function notify(
  event: AlertEvent,
  options: { only?: Webhook; send?: typeof fetch; now?: Date } = {},
): Promise<DeliveryResult[]> {
  const now = options.now ?? new Date();
  const targets = options.only
    ? [options.only]
    : (await webhooks()).filter((h) => event.type !== "test" && h.events.includes(event.type as (typeof ALERT_EVENTS)[number]));
  const results: DeliveryResult[] = [];
  for (const hook of targets) {
    const id = await claimDelivery({
      webhookId: hook.id,
      event: event.type,
      connectorId: event.connector?.id ?? null,
      dedupeKey: event.dedupeKey ?? null,
    });
    if (id === null) {
      results.push({ webhookId: hook.id, status: null, error: null, skipped: true });
      continue;
    }
    let status: number | null = null;
    let error: string | null = null;
    try {
      const headers = { "content-type": "application/json", "user-agent": "launch-review" };
      const body = JSON.stringify(payloadFor(hook, event, now));
      // The address guard applies at send time too (lib/alerts/webhook-guard.ts); tests may pass their own `send`.
      const res = options.send
        ? await options.send(hook.url, { method: "POST", headers, body, signal: AbortSignal.timeout(5000), redirect: "error" })
        : await sendWebhook(hook.url, { headers, body });
      status = res.status;
      if (!res.ok) error = `answered ${res.status}`;
    } catch (e) {
      error = e instanceof Error ? e.message.slice(0, 200) : "request failed";
    }
    await recordDeliveryResult(id, { status, error });
    if (error) log.warn({ webhook: hook.id, event: event.type, error }, "alert delivery failed");
    results.push({ webhookId: hook.id, status, error });
  }
  return results;
}

/** Fire and forget, for code paths that must not wait on a webhook. */
export function notifyInBackground(event: AlertEvent): void {
  void notify(event).catch((error: unknown) => log.error({ err: error }, "alert dispatch crashed"));
}
