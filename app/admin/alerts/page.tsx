import type { Metadata } from "next";
import { recentDeliveries } from "@/db/queries/alerts";
import { ALERT_EVENT_LABELS, ALERT_EVENTS, webhooks } from "@/lib/alerts";
import { requireAdmin } from "../../_server/session";
import { ActionForm } from "../../ui/action-form";
import { Time } from "../../ui/time";
import { addWebhookAction, removeWebhookAction, saveWebhookHostsAction, testWebhookAction } from "../actions";
import { allowedWebhookHosts } from "@/lib/alerts/webhook-guard";
import { InlineAction } from "../../ui/inline-action";
import { DataTable } from "../../ui/data-table";
import { Name } from "../../ui/name";

export const metadata: Metadata = { title: "Alerts" };
export const dynamic = "force-dynamic";

export default async function AdminAlertsPage() {
  await requireAdmin();
  const hooks = await webhooks();
  const deliveries = await recentDeliveries(50);
  return (
    <>
      <h2>Alert webhooks</h2>
      <p className="subtle">
        Launch Review posts to these URLs when a new critical or high advisory hits a connector, a sign-off becomes stale, a waiver is about
        to expire, or a connector&apos;s scans keep failing. JSON webhooks get the event as structured data; Slack webhooks get a message.
      </p>
      {hooks.length === 0 ? <p className="panel empty">No webhooks yet.</p> : null}
      {hooks.map((h) => (
        <div key={h.id} className="panel" data-testid="webhook" data-webhook={h.id}>
          <div className="row">
            <strong>
              <Name value={h.name} />
            </strong>
            <span className="badge outline">{h.format}</span>
            <span className="mono subtle">{h.url}</span>
          </div>
          <p className="subtle">{h.events.map((e) => ALERT_EVENT_LABELS[e]).join(" · ")}</p>
          <div className="row">
            <ActionForm
              action={testWebhookAction}
              submitLabel="Send a test alert"
              testId={`test-${h.id}`}
              fields={[{ name: "webhookId", type: "hidden", value: h.id }]}
            />
            <InlineAction action={removeWebhookAction} fields={{ webhookId: h.id }} label="Remove" />
          </div>
        </div>
      ))}
      <h2>Add a webhook</h2>
      <div className="panel">
        <ActionForm
          action={addWebhookAction}
          submitLabel="Add webhook"
          testId="add-webhook"
          fields={[
            { name: "name", label: "Name", type: "text", placeholder: "Security channel" },
            { name: "url", label: "URL", type: "url", placeholder: "https://hooks.slack.com/services/…" },
            {
              name: "format",
              label: "Format",
              type: "select",
              options: [
                { value: "json", label: "Generic JSON" },
                { value: "slack", label: "Slack-compatible" },
              ],
            },
            ...ALERT_EVENTS.map((e) => ({
              name: `event:${e}`,
              label: ALERT_EVENT_LABELS[e],
              type: "checkbox" as const,
              defaultChecked: true,
            })),
          ]}
        />
      </div>
      <h2>Hosts on private networks</h2>
      <div className="panel">
        <p className="subtle">
          Webhooks are never sent to link-local or cloud metadata addresses, and not to loopback, private ranges or this server&apos;s own
          addresses either, unless their host is listed here (a chat server on the internal network, say). Each URL is checked when it is
          saved and again when it is sent, after its name resolves.
        </p>
        <ActionForm
          action={saveWebhookHostsAction}
          submitLabel="Save hosts"
          testId="webhook-hosts"
          fields={[
            {
              name: "hosts",
              label: "Allowed hosts, one per line",
              type: "textarea",
              defaultValue: (await allowedWebhookHosts()).join("\n"),
              placeholder: "chat.internal.example",
            },
          ]}
        />
      </div>
      <h2>Recent deliveries</h2>
      {deliveries.length === 0 ? (
        <p className="subtle">Nothing sent yet.</p>
      ) : (
        <DataTable columns={["When", "Webhook", "Event", "Result"]} testId="deliveries">
          {deliveries.map((d) => (
            <tr key={d.id}>
              <td>
                <Time value={d.at} />
              </td>
              <td>{hooks.find((h) => h.id === d.webhookId)?.name ?? d.webhookId}</td>
              <td className="mono">{d.event}</td>
              <td>{d.error ? <span className="field-error">{d.error}</span> : d.status ? `delivered (${d.status})` : "sending…"}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </>
  );
}
