// The address guard for webhooks (alert webhooks and the security-event webhook): an administrator types the URL and
// the server POSTs to it and shows the answer's status, so without a guard it is a probe of the internal network.
// The same rules as the live view: link-local and cloud metadata addresses are always refused; loopback, private
// ranges and this host's own addresses are refused unless the host is on the administrator's list
// (Admin → Alerts, "Hosts on private networks"). Checked when a webhook is saved and again when it is sent, after DNS
// resolution (at connect time, so a name can't be rebound to an internal address in between). Redirects are refused.
import os from "node:os";
import net from "node:net";
import { Agent, fetch as undiciFetch } from "undici";
import { z } from "zod";
import { getSetting, setSetting } from "@/db/queries/settings";
import { AppError } from "../core/errors";
import { normalizeAddress } from "../http/client-address";
import { blockedHostName, blockedReason, guardedLookupWith } from "../engine/net/url-guard";

export const WEBHOOK_HOSTS_KEY = "alerts.allowedHosts";

const HostName = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(253)
  .regex(/^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\d{1,3}(?:\.\d{1,3}){3}|\[?[0-9a-f:]+\]?)$/, "A host name or IP address, one per line.");
export const WebhookHosts = z.array(HostName).max(50, "At most 50 hosts.");

/** Hosts an administrator allows webhooks to reach on loopback and private networks. */
export async function allowedWebhookHosts(): Promise<string[]> {
  return await getSetting(WEBHOOK_HOSTS_KEY, WebhookHosts, []);
}

export async function saveAllowedWebhookHosts(hosts: string[], by: string): Promise<void> {
  await setSetting(WEBHOOK_HOSTS_KEY, WebhookHosts.parse([...new Set(hosts)]), by);
}

/** This machine's own addresses: a webhook to one of them reaches the server itself. */
export function ownAddresses(): Set<string> {
  const out = new Set<string>();
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) {
      const address = normalizeAddress(a.address.split("%")[0]);
      if (address) out.add(address);
    }
  }
  return out;
}

/** Why an address may not receive a webhook, or null when it may. */
export function webhookAddressReason(address: string, allowPrivate: boolean): string | null {
  const reason = blockedReason(address, { allowPrivate });
  if (reason) return reason;
  if (!allowPrivate && ownAddresses().has(normalizeAddress(address) ?? address)) return "one of this server's own addresses";
  return null;
}

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
}

/** Parses and checks a webhook URL; throws an AppError fit for the form. */
export function checkWebhookUrl(raw: string, allowed: readonly string[]): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new AppError("invalid:webhook_url", "Enter a full http(s) URL.");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new AppError("invalid:webhook_url", "Only http and https URLs are allowed.");
  if (url.username || url.password) throw new AppError("invalid:webhook_url", "Put no credentials in the URL.");
  const host = hostOf(url);
  const allowPrivate = allowed.includes(host);
  const reason = net.isIP(host) ? webhookAddressReason(host, allowPrivate) : blockedHostName(host, { allowPrivate });
  if (reason) {
    const hint =
      reason.startsWith("a link-local") || reason.startsWith("a cloud") ? "" : " An administrator can allow it under Admin → Alerts.";
    throw new AppError("forbidden:webhook_url", `${host} is ${reason}; webhooks are not sent there.${hint}`);
  }
  return url;
}

/**
 * fetch for one webhook URL: the URL is checked again, every connection's resolved address is checked at connect
 * time, redirects are refused, and the whole request has `timeoutMs`.
 */
export async function sendWebhook(
  raw: string,
  init: { body: string; headers: Record<string, string>; timeoutMs?: number },
): Promise<Response> {
  const allowed = await allowedWebhookHosts();
  const url = checkWebhookUrl(raw, allowed);
  const allowPrivate = allowed.includes(hostOf(url));
  const agent = new Agent({ connect: { lookup: guardedLookupWith((a) => webhookAddressReason(a, allowPrivate)) as never, timeout: 5000 } });
  try {
    const res = await undiciFetch(url, {
      method: "POST",
      headers: init.headers,
      body: init.body,
      redirect: "error",
      signal: AbortSignal.timeout(init.timeoutMs ?? 5000),
      dispatcher: agent,
    });
    await res.body?.cancel().catch(() => {});
    return new Response(null, { status: res.status, statusText: res.statusText });
  } catch (error) {
    throw refusedOr(error);
  } finally {
    void agent.close().catch(() => {});
  }
}

/** The guard's refusal as a plain error ("… resolves to 10.0.0.5, a private …"), else the error itself. */
function refusedOr(error: unknown): unknown {
  let cause: unknown = error;
  for (let depth = 0; depth < 5 && cause instanceof Error; depth++) {
    if ((cause as { code?: unknown }).code === "ERR_LIVE_URL_BLOCKED") return new AppError("forbidden:webhook_url", cause.message);
    cause = cause.cause;
  }
  return error;
}
