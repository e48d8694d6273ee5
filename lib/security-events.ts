// Security events (failed sign-ins, lockouts, permission denials, repeated scan failures), and the optional
// webhook an administrator configures to hear when one type crosses a threshold.
import { z } from "zod";
import { countSecurityEvents, insertSecurityEvent } from "@/db/queries/security";
import { getSetting } from "@/db/queries/settings";
import type { SecurityEventType } from "@/db/schema";
import { retryWhenBusy } from "@/db/busy";
import { sendWebhook } from "./alerts/webhook-guard";
import { isDatabaseBusy } from "./core/errors";
import { logger } from "./logger";

const log = logger("security");

export const SecurityAlertSettings = z.object({
  webhookUrl: z.url({ protocol: /^https?$/ }).nullable(),
  /** Events of one type within the window that trigger an alert. */
  threshold: z.number().int().min(1).max(10_000),
  windowMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60),
});
export type SecurityAlertSettings = z.infer<typeof SecurityAlertSettings>;
export const SECURITY_ALERTS_KEY = "security.alerts";
export const DEFAULT_SECURITY_ALERTS: SecurityAlertSettings = { webhookUrl: null, threshold: 10, windowMinutes: 15 };

/** Last alert per event type, so one burst sends one alert per window. */
const lastAlert = new Map<SecurityEventType, number>();

export interface SecurityEventInput {
  type: SecurityEventType;
  actor?: string | null;
  ip?: string | null;
  correlationId?: string | null;
  details?: Record<string, unknown>;
}

export async function recordSecurityEvent(event: SecurityEventInput, now = new Date()): Promise<void> {
  try {
    await insertSecurityEvent({ ...event, at: now });
  } catch (error) {
    if (!isDatabaseBusy(error)) throw error;
    // Another process holds the write lock: the event is kept and written once it is released.
    void retryWhenBusy(() => insertSecurityEvent({ ...event, at: now }), { withinMs: 5 * 60_000 }).catch((e: unknown) =>
      log.error({ err: e, event: event.type }, "security event lost: the database stayed busy"),
    );
  }
  const level = event.type === "sign-in.succeeded" ? "info" : "warn";
  log[level]({ event: event.type, actor: event.actor, ip: event.ip, correlationId: event.correlationId }, "security event");
  void alertIfThresholdCrossed(event.type, now).catch((error: unknown) => log.error({ err: error }, "security alert failed"));
}

/** Sends the alert webhook when `type` reached the threshold in the window; returns whether it sent one. */
export async function alertIfThresholdCrossed(type: SecurityEventType, now = new Date(), send?: typeof fetch): Promise<boolean> {
  const settings = await getSetting(SECURITY_ALERTS_KEY, SecurityAlertSettings, DEFAULT_SECURITY_ALERTS);
  if (!settings.webhookUrl || type === "sign-in.succeeded") return false;
  const windowMs = settings.windowMinutes * 60_000;
  const count = await countSecurityEvents(type, new Date(now.getTime() - windowMs));
  if (count < settings.threshold) return false;
  const previous = lastAlert.get(type);
  if (previous !== undefined && now.getTime() - previous < windowMs) return false;
  lastAlert.set(type, now.getTime());
  const headers = { "content-type": "application/json", "user-agent": "launch-review" };
  const body = JSON.stringify({
    source: "launch-review",
    kind: "security-threshold",
    type,
    count,
    threshold: settings.threshold,
    windowMinutes: settings.windowMinutes,
    at: now.toISOString(),
    text: `Launch Review: ${count} "${type}" security events in the last ${settings.windowMinutes} minutes.`,
  });
  // Through the webhook address guard (lib/alerts/webhook-guard.ts), unless a test passes its own `send`.
  const response = send
    ? await send(settings.webhookUrl, { method: "POST", headers, body, signal: AbortSignal.timeout(5000), redirect: "error" })
    : await sendWebhook(settings.webhookUrl, { headers, body });
  if (!response.ok) log.warn({ status: response.status }, "security webhook answered with an error");
  return true;
}

/** Tests reset the per-type alert memory. */
export function resetSecurityAlertMemory(): void {
  lastAlert.clear();
}
