// The app's dependency audit: the advisory source and watch list an administrator picked, answers cached in SQLite.
import { z } from "zod";
import { offlineAdvisoryRecords, sqliteDependencyCache } from "@/db/queries/advisories";
import { getSetting } from "@/db/queries/settings";
import { DEFAULT_WATCH_LIST } from "./engine/advisories/audit";
import { npmRegistryUrl } from "./engine/advisories/npm-config";
import { OsvRecord } from "./engine/advisories/osv";
import { ADVISORY_SOURCES, buildDependencyServices, type AdvisorySourceName, type DependencyServices } from "./engine/advisories/services";
import { env } from "./env";

export { ADVISORY_SOURCES };

export const ADVISORY_SOURCE_LABELS: Record<AdvisorySourceName, string> = {
  npm: "npm registry (bulk advisory endpoint, as npm audit)",
  github: "GitHub Advisory Database (npm and Python)",
  offline: "Offline: imported OSV advisories only",
  none: "None (dependency items stay unknown)",
};

export const DependencySettings = z.object({
  source: z.enum(ADVISORY_SOURCES),
  watchList: z.array(z.string().min(1).max(220)).max(100),
});
export type DependencySettings = z.infer<typeof DependencySettings>;
export const DEPENDENCY_SETTINGS_KEY = "dependencies";
export const DEFAULT_DEPENDENCY_SETTINGS: DependencySettings = { source: "npm", watchList: [...DEFAULT_WATCH_LIST] };

export async function dependencySettings(): Promise<DependencySettings> {
  return await getSetting(DEPENDENCY_SETTINGS_KEY, DependencySettings, DEFAULT_DEPENDENCY_SETTINGS);
}

/** The app's services, from its settings and its imported offline advisories. */
export async function dependencyServicesFromSettings(options: { freshAdvisories?: boolean } = {}): Promise<DependencyServices> {
  const settings = await dependencySettings();
  const e = env();
  const offlineRecords =
    settings.source === "offline"
      ? (await offlineAdvisoryRecords()).flatMap((r) => (OsvRecord.safeParse(r).success ? [OsvRecord.parse(r)] : []))
      : [];
  return buildDependencyServices({
    source: settings.source,
    watchList: settings.watchList,
    offlineRecords,
    cache: sqliteDependencyCache(),
    advisoryTtlMs: e.LAUNCH_REVIEW_ADVISORY_TTL_MINUTES * 60_000,
    npmRegistry: npmRegistryUrl(e.projectRoot),
    pypiUrl: e.LAUNCH_REVIEW_PYPI_URL,
    githubApiUrl: e.GITHUB_API_URL,
    githubToken: process.env.GITHUB_TOKEN ?? null,
    freshAdvisories: options.freshAdvisories,
  });
}
