import type { Metadata } from "next";
import { getSetting } from "@/db/queries/settings";
import { DEFAULT_RETENTION, RETENTION_KEY, RetentionSettings } from "@/lib/retention";
import { DEFAULT_SECURITY_ALERTS, SECURITY_ALERTS_KEY, SecurityAlertSettings } from "@/lib/security-events";
import { requireAdmin } from "../../_server/session";
import { ActionForm } from "../../ui/action-form";
import { saveSettingsAction } from "../actions";

export const metadata: Metadata = { title: "Settings" };
export const dynamic = "force-dynamic";

export default async function AdminSettingsPage() {
  await requireAdmin();
  const retention = await getSetting(RETENTION_KEY, RetentionSettings, DEFAULT_RETENTION);
  const alerts = await getSetting(SECURITY_ALERTS_KEY, SecurityAlertSettings, DEFAULT_SECURITY_ALERTS);
  return (
    <div className="panel">
      <ActionForm
        action={saveSettingsAction}
        submitLabel="Save settings"
        testId="settings"
        fields={[
          {
            name: "retentionDays",
            label: "Keep scans, findings and security records for (days)",
            type: "number",
            defaultValue: String(retention.days),
            hint: "Older ones are purged every six hours. Each connector's latest successful scan is always kept.",
          },
          {
            name: "webhookUrl",
            label: "Security alert webhook (JSON POST)",
            type: "url",
            defaultValue: alerts.webhookUrl ?? "",
            hint: "Empty for none. Called when one kind of security event crosses the threshold.",
          },
          { name: "threshold", label: "Alert threshold (events)", type: "number", defaultValue: String(alerts.threshold) },
          { name: "windowMinutes", label: "Within (minutes)", type: "number", defaultValue: String(alerts.windowMinutes) },
        ]}
      />
    </div>
  );
}
