import type { Metadata } from "next";
import { countOfflineAdvisories } from "@/db/queries/advisories";
import { ADVISORY_SOURCE_LABELS, ADVISORY_SOURCES, dependencySettings } from "@/lib/dependency-services";
import { npmRegistryUrl } from "@/lib/engine/advisories/npm-config";
import { env } from "@/lib/env";
import { requireAdmin } from "../../_server/session";
import { ActionForm } from "../../ui/action-form";
import { importAdvisoriesAction, saveDependencySettingsAction } from "../actions";

export const metadata: Metadata = { title: "Dependencies" };
export const dynamic = "force-dynamic";

export default async function AdminDependenciesPage() {
  await requireAdmin();
  const settings = await dependencySettings();
  return (
    <>
      <h2>Advisory source</h2>
      <div className="panel">
        <p className="subtle">
          The npm registry in use is <code>{npmRegistryUrl(env().projectRoot)}</code> (npm&apos;s own configuration:{" "}
          <code>npm_config_registry</code> or
          <code>.npmrc</code>). Answers are cached for {env().LAUNCH_REVIEW_ADVISORY_TTL_MINUTES} minutes. When the source can&apos;t
          answer, the dependency items of the checklist stay “unknown”, never “pass”.
        </p>
        <ActionForm
          action={saveDependencySettingsAction}
          submitLabel="Save"
          testId="dependency-settings"
          fields={[
            {
              name: "source",
              label: "Where advisories come from",
              type: "select",
              defaultValue: settings.source,
              options: ADVISORY_SOURCES.map((s) => ({ value: s, label: ADVISORY_SOURCE_LABELS[s] })),
            },
            {
              name: "watchList",
              label: "Watched packages (one per line; Python ones as pypi:name)",
              type: "textarea",
              rows: 10,
              defaultValue: settings.watchList.join("\n"),
              hint: "Their patch status shows on every scan and in the fleet's patch matrix.",
            },
          ]}
        />
      </div>
      <h2>Offline advisories</h2>
      <div className="panel">
        <p>
          {await countOfflineAdvisories()} imported. With the “Offline” source, scans use only these: import OSV-format JSON (one advisory
          or an array), for example from an advisory database export, to review connectors without network access.
        </p>
        <ActionForm
          action={importAdvisoriesAction}
          submitLabel="Import"
          testId="import-advisories"
          fields={[{ name: "file", label: "OSV JSON file", type: "file", accept: "application/json,.json" }]}
        />
      </div>
    </>
  );
}
